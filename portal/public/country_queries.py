"""Read queries for the countries index and a country's page.

Each function costs one statement whatever the number of rows, and counts or lists only what the
reader may see: the public's figures are made of public items alone.
"""

from datetime import date
from itertools import groupby

from sqlalchemy import and_, distinct, func, select
from sqlalchemy.orm import lazyload

from portal.commitments.models import Commitment
from portal.commitments.permissions import visible_commitments_filter, visible_tallies_filter
from portal.commitments.tallies import ORGANISATION, commitment_tallies
from portal.extensions import db
from portal.joint_actions.models import ActionCountry, JointAction, RouteRole
from portal.joint_actions.permissions import visible_actions_filter
from portal.organisations.models import Organisation
from portal.progress.models import ProgressUpdate
from portal.public.models import ContextFigure
from portal.symposia.models import Symposium

#: Rows listed per section of a country's page; the rest are one click away in the filtered lists.
LISTED = 25
#: Joint actions listed per route role (four roles: up to 40 on the page).
ACTIONS_PER_ROLE = 10
#: Institutions listed on the page; more are on the organisations page.
INSTITUTIONS = 50
#: Progress updates on the country's page timeline.
TIMELINE = 10
ACTION_ORDER = (JointAction.updated_at.desc(), JointAction.id.desc())


def institutions_of(iso3: str):
    """SQL condition: the commitment belongs to an organisation of the country (its institutions)."""
    return Commitment.organisation_id.in_(select(Organisation.id).where(Organisation.country_iso3 == iso3))


def tallies_of(iso3: str, table=commitment_tallies):
    """SQL condition on ``commitment_tallies`` (or rows keyed the same way): the rows of the country's institutions."""
    return and_(table.c.scope == ORGANISATION, table.c.scope_id.in_(
        select(Organisation.id).where(Organisation.country_iso3 == iso3)))


def country_rows(user) -> list[tuple[str, int, int]]:
    """(ISO3, active organisations, visible unarchived commitments) of each country taking part, in one query
    over the organisations and their summary rows (not the commitments)."""
    tallies = commitment_tallies
    visible = and_(tallies.c.scope == ORGANISATION, tallies.c.scope_id == Organisation.id,
                   visible_tallies_filter(user, tallies),
                   tallies.c.is_archived.is_(False))
    query = (select(Organisation.country_iso3, func.count(distinct(Organisation.id)),
                    func.coalesce(func.sum(tallies.c.count), 0))
             .select_from(Organisation).outerjoin(tallies, visible)
             .where(Organisation.is_active.is_(True)).group_by(Organisation.country_iso3))
    return [(iso3, organisations, int(commitments)) for iso3, organisations, commitments in db.session.execute(query)]


def country_commitments(user, iso3: str, limit: int = LISTED) -> list[Commitment]:
    """The visible, unarchived commitments of the country's institutions, most recently changed first."""
    return list(db.session.scalars(
        select(Commitment).where(institutions_of(iso3), visible_commitments_filter(user),
                                 Commitment.is_archived.is_(False))
        .options(lazyload(Commitment.themes), lazyload(Commitment.symposium))
        .order_by(Commitment.updated_at.desc(), Commitment.id.desc()).limit(limit)
    ))


def first_report_on(user, condition) -> date | None:
    """The date of the first progress update on the visible, unarchived commitments matching ``condition``."""
    return db.session.scalar(
        select(func.min(ProgressUpdate.reported_on)).join(Commitment, Commitment.id == ProgressUpdate.commitment_id)
        .where(condition, visible_commitments_filter(user), Commitment.is_archived.is_(False))
    )


def actions_by_role(user, iso3: str, limit: int = ACTIONS_PER_ROLE) -> tuple[dict[str, list[JointAction]], dict[str, int]]:
    """The visible joint actions involving the country, grouped by its role on the route (at most ``limit``
    per role, most recently changed first), and how many there are per role: two queries."""
    involved = and_(ActionCountry.action_id == JointAction.id, ActionCountry.country_iso3 == iso3)
    counts = dict(db.session.execute(
        select(ActionCountry.role, func.count(distinct(JointAction.id))).join(JointAction, involved)
        .where(visible_actions_filter(user)).group_by(ActionCountry.role)
    ).all())
    rank = func.row_number().over(partition_by=ActionCountry.role, order_by=ACTION_ORDER).label("place")
    ranked = (select(ActionCountry.role, JointAction.id.label("action_id"), rank).join(JointAction, involved)
              .where(visible_actions_filter(user)).subquery())
    rows = db.session.execute(
        select(ranked.c.role, JointAction).join(JointAction, JointAction.id == ranked.c.action_id)
        .where(ranked.c.place <= limit)
        .options(*(lazyload(collection) for collection in (JointAction.themes, JointAction.parties,
                                                           JointAction.countries, JointAction.milestones)))
        .order_by(ranked.c.role, ranked.c.place)
    ).all()
    grouped = {role: [action for _role, action in group] for role, group in groupby(rows, key=lambda row: row[0])}
    ordered = {role.value: grouped.get(role.value, []) for role in RouteRole}
    return ordered, counts


def corridor_partners(user, iso3: str) -> list[tuple[str, int]]:
    """(ISO3, number of visible joint actions) of each country the country works with in joint actions."""
    mine = ActionCountry.__table__.alias("mine")
    other = ActionCountry.__table__.alias("other")
    return [tuple(row) for row in db.session.execute(
        select(other.c.country_iso3, func.count(distinct(JointAction.id)))
        .select_from(mine).join(JointAction, JointAction.id == mine.c.action_id)
        .join(other, and_(other.c.action_id == mine.c.action_id, other.c.country_iso3 != iso3))
        .where(mine.c.country_iso3 == iso3, visible_actions_filter(user)).group_by(other.c.country_iso3)
    )]


def institutions(iso3: str, limit: int = INSTITUTIONS) -> list[Organisation]:
    """The country's active organisations by name (``limit`` + 1 of them, so the page knows there are more)."""
    return list(db.session.scalars(
        select(Organisation).where(Organisation.is_active.is_(True), Organisation.country_iso3 == iso3)
        .order_by(Organisation.name, Organisation.id).limit(limit + 1)
    ))


def hosted_symposia(iso3: str, limit: int = LISTED) -> list[Symposium]:
    """The symposia held in the country, latest first."""
    return list(db.session.scalars(
        select(Symposium).where(Symposium.country_iso3 == iso3).order_by(Symposium.start_date.desc()).limit(limit)
    ))


def context_figures(iso3: str) -> list[ContextFigure]:
    """The country's context figures that are not archived, in their order."""
    return list(db.session.scalars(
        select(ContextFigure).where(ContextFigure.country_iso3 == iso3, ContextFigure.is_archived.is_(False))
        .order_by(ContextFigure.position, ContextFigure.id)
    ))


def archived_figures(iso3: str) -> list[ContextFigure]:
    """The country's archived context figures, the latest archived first (for those who may restore them)."""
    return list(db.session.scalars(
        select(ContextFigure).where(ContextFigure.country_iso3 == iso3, ContextFigure.is_archived.is_(True))
        .order_by(ContextFigure.archived_at.desc(), ContextFigure.id.desc())
    ))


def _subject_column(newest_first: bool):
    if newest_first and db.session.get_bind().dialect.name == "sqlite":
        return ProgressUpdate.commitment_id + 0
    return ProgressUpdate.commitment_id


def recent_updates(user, condition, limit: int = TIMELINE, since: date | None = None, review_state=None,
                   newest_first: bool = False):
    """The latest progress updates on visible, unarchived commitments matching ``condition``, as rows with
    the update's date, status and review state, and the commitment's id and title and owner's names.

    ``newest_first`` (the home, where any commitment will do): walk the updates from the newest and stop
    at ``limit``. SQLite's planner would join every visible commitment's updates and sort them all (50 ms
    at 470,000 updates); ``commitment_id + 0`` keeps it from reaching the updates through their
    commitment. Not for a narrow ``condition``: the walk would cross most of the index to find ``limit``.
    """
    query = (select(ProgressUpdate.id, ProgressUpdate.reported_on, ProgressUpdate.status,
                    ProgressUpdate.review_state, Commitment.id.label("commitment_id"),
                    Commitment.title_es.label("commitment_title_es"),
                    Commitment.title_en.label("commitment_title_en"), Organisation.name.label("organisation_name"),
                    Organisation.name_en.label("organisation_name_en"))
             .join(Commitment, Commitment.id == _subject_column(newest_first))
             .join(Organisation, Organisation.id == Commitment.organisation_id)
             .where(condition, visible_commitments_filter(user), Commitment.is_archived.is_(False)))
    if since is not None:
        query = query.where(ProgressUpdate.reported_on >= since)
    if review_state is not None:
        query = query.where(ProgressUpdate.review_state == review_state)
    return db.session.execute(
        query.order_by(ProgressUpdate.reported_on.desc(), ProgressUpdate.id.desc()).limit(limit)
    ).all()
