"""The public pages' aggregates counted from the base tables and read from the commitment tallies.

``tally_queries.py DB [CALLS]`` (a database made by ``generate.py``: a SQLite path or a SQLAlchemy URL)
runs each aggregate both ways for a signed-out reader, on the country, symposium and tag with the most
commitments, checks that both ways give the same figures, and prints the CPU time per call of each as
a Markdown table.
"""

import os
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from flask_login import AnonymousUserMixin  # noqa: E402
from sqlalchemy import and_, distinct, func, select, true  # noqa: E402

from portal.commitments.models import Commitment, commitment_framework_tags  # noqa: E402
from portal.commitments.permissions import visible_commitments_filter, visible_tallies_filter  # noqa: E402
from portal.commitments.scorecard import commitments_scorecard, tallied_scorecard  # noqa: E402
from portal.commitments.tallies import (  # noqa: E402
    ALL,
    SYMPOSIUM,
    commitment_tag_tallies,
    commitment_tallies,
)
from portal.extensions import db  # noqa: E402
from portal.organisations.models import Organisation  # noqa: E402
from portal.public import country_queries  # noqa: E402

SERIES_SINCE = date(2024, 1, 1)


def cpu_ms(function, calls: int):
    """The result of ``function`` and its CPU time per call in ms, after one warm-up call."""
    function()
    began = time.process_time()
    for _ in range(calls):
        result = function()
    return result, (time.process_time() - began) / calls * 1000


def countries_from_commitments(user):
    """The countries index's figures as they were counted before the tallies."""
    visible = and_(Commitment.organisation_id == Organisation.id, visible_commitments_filter(user),
                   Commitment.is_archived.is_(False))
    return sorted(tuple(row) for row in db.session.execute(
        select(Organisation.country_iso3, func.count(distinct(Organisation.id)), func.count(distinct(Commitment.id)))
        .select_from(Organisation).outerjoin(Commitment, visible)
        .where(Organisation.is_active.is_(True)).group_by(Organisation.country_iso3)))


def tag_counts(user, from_tallies: bool) -> dict:
    """The crosswalk's visible commitments per tag."""
    if from_tallies:
        tallies = commitment_tag_tallies
        return {tag: int(count) for tag, count in db.session.execute(
            select(tallies.c.tag_id, func.sum(tallies.c.count))
            .where(visible_tallies_filter(user, tallies), tallies.c.is_archived.is_(False))
            .group_by(tallies.c.tag_id)) if count}
    links = commitment_framework_tags
    return dict(db.session.execute(
        select(links.c.tag_id, func.count()).join(Commitment, Commitment.id == links.c.commitment_id)
        .where(visible_commitments_filter(user), Commitment.is_archived.is_(False)).group_by(links.c.tag_id)).all())


def figures(card):
    return card.by_status, card.overdue, card.unreported, card.renegotiated, card.quarters


def largest(column, *joins):
    """The value of ``column`` with the most public commitments."""
    query = select(column).select_from(Commitment)
    for target, condition in joins:
        query = query.join(target, condition)
    return db.session.scalar(query.where(Commitment.visibility == "public", column.is_not(None))
                             .group_by(column).order_by(func.count().desc()).limit(1))


def aggregates(user):
    """(label, from the base tables, from the tallies) of each aggregate the pages show."""
    iso3 = largest(Organisation.country_iso3, (Organisation, Organisation.id == Commitment.organisation_id))
    symposium = largest(Commitment.symposium_id)
    tag = largest(commitment_framework_tags.c.tag_id,
                  (commitment_framework_tags, commitment_framework_tags.c.commitment_id == Commitment.id))
    country, country_rows = country_queries.institutions_of(iso3), country_queries.tallies_of(iso3)
    tagged = Commitment.framework_tags.any(id=tag)
    in_symposium = and_(commitment_tallies.c.scope == SYMPOSIUM, commitment_tallies.c.scope_id == symposium)
    return [
        ("home scorecard", lambda: figures(commitments_scorecard(user, true(), None)),
         lambda: figures(tallied_scorecard(user, true(), commitment_tallies.c.scope == ALL))),
        ("countries index", lambda: countries_from_commitments(user),
         lambda: sorted(country_queries.country_rows(user))),
        ("crosswalk (commitments per tag)", lambda: tag_counts(user, False), lambda: tag_counts(user, True)),
        (f"tag page scorecard (tag {tag})", lambda: figures(commitments_scorecard(user, tagged, None)),
         lambda: figures(tallied_scorecard(user, tagged, commitment_tag_tallies.c.tag_id == tag,
                                           tallies=commitment_tag_tallies))),
        (f"country page scorecard ({iso3}), without the series",
         lambda: figures(commitments_scorecard(user, country, None)),
         lambda: figures(tallied_scorecard(user, country, country_rows))),
        (f"country page scorecard ({iso3}), with the series since {SERIES_SINCE}",
         lambda: figures(commitments_scorecard(user, country, SERIES_SINCE)),
         lambda: figures(tallied_scorecard(user, country, country_rows, since=SERIES_SINCE))),
        (f"symposium page scorecard ({symposium}), without the series",
         lambda: figures(commitments_scorecard(user, Commitment.symposium_id == symposium, None)),
         lambda: figures(tallied_scorecard(user, Commitment.symposium_id == symposium, in_symposium))),
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
    print("| aggregate | base tables, CPU ms | tallies, CPU ms | same figures |\n|---|---:|---:|---|")
    with app.test_request_context():
        for label, old, new in aggregates(AnonymousUserMixin()):
            (before, before_ms), (after, after_ms) = cpu_ms(old, calls), cpu_ms(new, calls)
            differ += before != after
            print(f"| {label} | {before_ms:.1f} | {after_ms:.1f} | {'yes' if before == after else 'NO'} |")
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
