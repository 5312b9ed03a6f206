"""The public home page."""

from datetime import timedelta

from flask import Blueprint, render_template
from flask_login import current_user
from sqlalchemy import func, select, true

from portal.commitments.scorecard import tallied_scorecard
from portal.commitments.tallies import ALL, commitment_tallies
from portal.core.clock import local_today
from portal.core.permissions import public
from portal.countries.names import country_name, sort_key
from portal.extensions import db
from portal.organisations.models import Organisation
from portal.progress.models import STATUS_LABELS, ReviewState, Status
from portal.public.country_queries import recent_updates
from portal.public.progress_tallies import recent_update_count
from portal.symposia.models import Symposium

bp = Blueprint("public", __name__)

#: The window of the "recent progress" figure, as for the "unreported" flag.
RECENT_DAYS = 90
#: Symposia and verified updates shown on the home page.
SHOWN = 5


def _taking_part() -> tuple[list[tuple[str, str]], int]:
    """The countries with active organisations, by name, and the number of active organisations (one query)."""
    rows = db.session.execute(select(Organisation.country_iso3, func.count())
                              .where(Organisation.is_active.is_(True)).group_by(Organisation.country_iso3)).all()
    countries = sorted(((code, country_name(code)) for code, _count in rows), key=lambda pair: sort_key(pair[1]))
    return countries, sum(count for _code, count in rows)


def _symposia(today) -> tuple[list[Symposium], list[Symposium]]:
    """The next symposia (soonest first) and the latest past ones (latest first)."""
    upcoming = db.session.scalars(select(Symposium).where(Symposium.end_date >= today)
                                  .order_by(Symposium.start_date, Symposium.id).limit(SHOWN)).all()
    recent = db.session.scalars(select(Symposium).where(Symposium.end_date < today)
                                .order_by(Symposium.start_date.desc(), Symposium.id.desc()).limit(SHOWN)).all()
    return upcoming, recent


@bp.get("/")
@public
def home():
    """Show the home page: headline figures, symposia, recently verified progress, and the countries."""
    today = local_today()
    countries, organisation_count = _taking_part()
    upcoming, recent = _symposia(today)
    scorecard = tallied_scorecard(current_user, true(), commitment_tallies.c.scope == ALL, today)
    return render_template(
        "public/home.html", countries=countries, organisation_count=organisation_count, scorecard=scorecard,
        statuses=STATUS_LABELS, completed=Status.COMPLETED.value, upcoming=upcoming, recent=recent,
        recent_days=RECENT_DAYS, recent_update_count=recent_update_count(current_user, today - timedelta(days=RECENT_DAYS)),
        verified=recent_updates(current_user, true(), limit=SHOWN, review_state=ReviewState.VERIFIED.value,
                               newest_first=True),
    )
