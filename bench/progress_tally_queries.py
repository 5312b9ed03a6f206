"""The public pages' progress figures counted from the updates and read from the progress tallies.

``progress_tally_queries.py DB [CALLS]`` (a database made by ``generate.py`` and migrated to the progress
tallies: a SQLite path or a SQLAlchemy URL) runs each figure both ways for a signed-out reader and for
a signed-in editor (the organisation with the most "parties" commitments), on the country and symposium
with the most commitments, checks that both ways give the same figures, and prints the wall and CPU time
per call of each as a Markdown table (on PostgreSQL the CPU time leaves out the server's work).
"""

import os
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from flask_login import AnonymousUserMixin  # noqa: E402
from sqlalchemy import and_, distinct, func, or_, select  # noqa: E402

from portal.accounts.models import User  # noqa: E402
from portal.commitments.models import Commitment  # noqa: E402
from portal.commitments.scorecard import _completion_by_quarter, quarter_ends  # noqa: E402
from portal.commitments.permissions import visible_commitments_filter  # noqa: E402
from portal.core.clock import local_today  # noqa: E402
from portal.extensions import db  # noqa: E402
from portal.joint_actions.models import JointAction, Party  # noqa: E402
from portal.joint_actions.permissions import visible_actions_filter  # noqa: E402
from portal.progress.models import ProgressUpdate  # noqa: E402
from portal.organisations.models import Organisation  # noqa: E402
from portal.public import country_queries  # noqa: E402
from portal.public.progress_tallies import completion_counts, completion_tallies, recent_update_count  # noqa: E402
from portal.symposia.models import Symposium  # noqa: E402


def counted_from_updates(user, since) -> int:
    """The home's count of recent updates as it was counted before the summary rows."""
    on_commitment = and_(ProgressUpdate.commitment_id.is_not(None), visible_commitments_filter(user),
                         Commitment.is_archived.is_(False))
    on_action = and_(ProgressUpdate.party_id.is_not(None), visible_actions_filter(user))
    return db.session.scalar(
        select(func.count(distinct(ProgressUpdate.id))).select_from(ProgressUpdate)
        .outerjoin(Commitment, Commitment.id == ProgressUpdate.commitment_id)
        .outerjoin(Party, Party.id == ProgressUpdate.party_id)
        .outerjoin(JointAction, JointAction.id == Party.action_id)
        .where(ProgressUpdate.reported_on >= since, or_(on_commitment, on_action))) or 0


def timed(function, calls: int):
    """The result of ``function``, and its wall and CPU time per call in ms, after one warm-up call."""
    function()
    wall, cpu = time.perf_counter(), time.process_time()
    for _ in range(calls):
        result = function()
    return result, (time.perf_counter() - wall) / calls * 1000, (time.process_time() - cpu) / calls * 1000


def largest(column, *joins, where=None):
    query = select(column).select_from(Commitment)
    for target, on in joins:
        query = query.join(target, on)
    if where is not None:
        query = query.where(where)
    return db.session.scalar(query.where(Commitment.visibility == "public")
                             .group_by(column).order_by(func.count().desc()).limit(1))


def series_from_updates(user, condition, ends):
    where = (condition, visible_commitments_filter(user), Commitment.is_archived.is_(False))
    return [point.completed for point in _completion_by_quarter(where, ends, 1)]


def figures(user, label):
    today = local_today()
    since = today - timedelta(days=90)
    iso3 = largest(Organisation.country_iso3, (Organisation, Organisation.id == Commitment.organisation_id))
    symposium = db.session.get(Symposium, largest(Commitment.symposium_id, where=Commitment.symposium_id.is_not(None)))
    country = country_queries.institutions_of(iso3)
    first = country_queries.first_report_on(user, country)
    country_ends = quarter_ends(max(first, today - timedelta(days=3 * 365)), today)
    symposium_ends = quarter_ends(symposium.start_date, today)
    in_symposium = and_(completion_tallies.c.scope == "s", completion_tallies.c.scope_id == symposium.id)
    return [
        (f"home: updates in the last 90 days ({label})", lambda: counted_from_updates(user, since),
         lambda: recent_update_count(user, since)),
        (f"country page: completion series ({iso3}, {len(country_ends)} points, {label})",
         lambda: series_from_updates(user, country, country_ends),
         lambda: completion_counts(user, country_queries.tallies_of(iso3, completion_tallies), country_ends)),
        (f"symposium page: completion series ({symposium.slug}, {len(symposium_ends)} points, {label})",
         lambda: series_from_updates(user, Commitment.symposium_id == symposium.id, symposium_ends),
         lambda: completion_counts(user, in_symposium, symposium_ends)),
    ]


def main(argv: list[str]) -> int:
    target = argv[0]
    calls = int(argv[1]) if len(argv) > 1 else 10
    url = target if "://" in target else f"sqlite:///{Path(target).resolve()}"
    os.environ.setdefault("PORTAL_INSTANCE_PATH", tempfile.mkdtemp(prefix="portal-bench-"))
    from portal import create_app

    app = create_app({"ENVIRONMENT": "testing", "SECRET_KEY": "bench-secret-key-long-enough-for-the-checks-2026",
                      "SQLALCHEMY_DATABASE_URI": url})
    differ = 0
    print("| figure | updates: wall ms | CPU ms | tallies: wall ms | CPU ms | same figures |\n"
          "|---|---:|---:|---:|---:|---|")
    with app.test_request_context():
        owner = db.session.scalar(select(Commitment.organisation_id).where(Commitment.visibility == "parties")
                                  .group_by(Commitment.organisation_id).order_by(func.count().desc()).limit(1))
        editor = db.session.scalar(select(User).where(User.organisation_id == owner).limit(1))
        for user, label in ((AnonymousUserMixin(), "signed out"), (editor, "an editor")):
            for name, old, new in figures(user, label):
                (before, old_wall, old_cpu), (after, new_wall, new_cpu) = timed(old, calls), timed(new, calls)
                differ += before != after
                print(f"| {name} | {old_wall:.1f} | {old_cpu:.1f} | {new_wall:.1f} | {new_cpu:.1f} | "
                      f"{'yes' if before == after else 'NO'} |")
    print(f"load average (1 min): {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
