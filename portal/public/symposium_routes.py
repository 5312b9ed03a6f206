"""Public pages of symposia: the list, and one page telling what happened and what came of it."""

from flask import render_template, request
from flask_login import current_user
from sqlalchemy import and_, extract, or_, select

from portal.commitments.models import Commitment
from portal.commitments.permissions import visible_commitments_filter
from portal.commitments.scorecard import tallied_scorecard
from portal.commitments.tallies import SYMPOSIUM, commitment_tallies
from portal.core.clock import local_today
from portal.core.permissions import public
from portal.core.params import ascii_number, page_number
from portal.countries.names import country_name, sort_key
from portal.extensions import db
from portal.joint_actions.queries import symposium_actions
from portal.minutes.models import ActionItem, Minutes
from portal.minutes.permissions import visible_minutes_filter
from portal.minutes.queries import minutes_of_symposium
from portal.progress.models import CLOSED_STATUSES, STATUS_LABELS
from portal.public.progress_tallies import add_completion_series, completion_tallies
from portal.public.routes import bp
from portal.symposia.models import Symposium
from portal.symposia.routes import load

#: Commitments listed on the page itself; the rest are one click away in the filtered list.
LISTED = 50
#: Symposia per page of the list (a long series would otherwise make a page of hundreds of kilobytes).
SYMPOSIA_PER_PAGE = 50


@bp.get("/symposia/")
@public
def symposia():
    """List the symposia by date, filterable by country and year."""
    country = request.args.get("country", "")
    year = request.args.get("year", "")
    query = select(Symposium).order_by(Symposium.start_date.desc())
    if len(country) == 3 and country.isalpha():
        query = query.where(Symposium.country_iso3 == country.upper())
    if len(year) == 4 and (number := ascii_number(year)) is not None:
        query = query.where(extract("year", Symposium.start_date) == number)
    started = extract("year", Symposium.start_date)
    rows = db.session.execute(select(Symposium.country_iso3, started).group_by(Symposium.country_iso3, started)).all()
    countries = sorted({code for code, _ in rows}, key=lambda code: sort_key(country_name(code)))
    years = sorted({int(value) for _, value in rows}, reverse=True)
    page = db.paginate(query, page=page_number(), per_page=SYMPOSIA_PER_PAGE,
                       error_out=False)
    return render_template("symposia/index.html", symposia=page.items, page=page, args=request.args,
                           countries=countries, years=years, country=country.upper(), year=year)


def _open_commitments(symposium_id: int, limit: int):
    return db.session.scalars(
        select(Commitment).where(Commitment.symposium_id == symposium_id, visible_commitments_filter(current_user),
                                 Commitment.is_archived.is_(False), Commitment.status.not_in(CLOSED_STATUSES))
        .order_by(Commitment.target_date.is_(None), Commitment.target_date, Commitment.id).limit(limit)
    ).all()


def _open_action_items(symposium_id: int, limit: int):
    """Action items of a symposium's minutes that are not done: not yet a commitment, or an open one."""
    return db.session.scalars(
        select(ActionItem).join(ActionItem.minutes).outerjoin(Commitment, ActionItem.commitment_id == Commitment.id)
        .where(Minutes.symposium_id == symposium_id, visible_minutes_filter(current_user),
               or_(ActionItem.commitment_id.is_(None), Commitment.status.not_in(CLOSED_STATUSES)))
        .order_by(ActionItem.due_date.is_(None), ActionItem.due_date, ActionItem.id).limit(limit)
    ).all()


@bp.get("/symposia/<slug:slug>")
@public
def symposium(slug: str):
    """Show a symposium: who came, the programme, what was committed there and how follow-up is going."""
    symposium = load(slug)
    commitments = db.session.scalars(
        select(Commitment).where(Commitment.symposium_id == symposium.id, visible_commitments_filter(current_user),
                                 Commitment.is_archived.is_(False))
        .order_by(Commitment.status, Commitment.title).limit(LISTED)
    ).all()
    scorecard = tallied_scorecard(current_user, Commitment.symposium_id == symposium.id,
                                  and_(commitment_tallies.c.scope == SYMPOSIUM,
                                       commitment_tallies.c.scope_id == symposium.id))
    add_completion_series(scorecard, current_user, and_(completion_tallies.c.scope == SYMPOSIUM,
                                                        completion_tallies.c.scope_id == symposium.id),
                          symposium.start_date, local_today())
    carried_over = _open_commitments(symposium.previous_id, LISTED) if symposium.previous_id else []
    carried_items = _open_action_items(symposium.previous_id, LISTED) if symposium.previous_id else []
    following = db.session.scalars(select(Symposium).where(Symposium.previous_id == symposium.id)).all()
    return render_template("symposia/detail.html", symposium=symposium, commitments=commitments,
                           scorecard=scorecard, statuses=STATUS_LABELS, carried_over=carried_over,
                           following=following, today=local_today(), listed=LISTED, carried_items=carried_items,
                           minutes=minutes_of_symposium(current_user, symposium),
                           actions=symposium_actions(current_user, symposium.id, LISTED + 1))
