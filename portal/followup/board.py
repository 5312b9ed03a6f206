"""Queries of the IOM follow-up board: per organisation (and per country) how many items are open, overdue,
unreported and questioned, when they last reported, and the update requests still waiting.

Every figure is a SQL aggregate (GROUP BY organisation) over the items the reader may see, so the board
costs the same few statements however many organisations and items there are.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone

from sqlalchemy import and_, case, func, or_, select
from sqlalchemy.orm import selectinload

from portal.commitments.models import Commitment
from portal.commitments.permissions import visible_commitments_filter
from portal.commitments.queries import UNREPORTED_DAYS, flag_condition
from portal.core.clock import local_today
from portal.countries.names import country_name, sort_key
from portal.extensions import db
from portal.followup.models import UpdateRequest
from portal.joint_actions.models import JointAction, Party, Response
from portal.joint_actions.permissions import visible_actions_filter
from portal.organisations.models import Organisation
from portal.progress.models import CLOSED_STATUSES, ReviewState

RECENT_REQUESTS = 20


@dataclass
class BoardFilters:
    country: str | None = None
    symposium: int | None = None
    theme: int | None = None
    sort: str = "worst"


@dataclass
class BoardRow:
    """The figures of one organisation, or of one country (``organisation`` None)."""

    country: str
    organisation: Organisation | None = None
    commitments: int = 0
    open: int = 0
    overdue: int = 0
    unreported: int = 0
    questioned: int = 0
    #: Commitments whose target date or indicator target was renegotiated (not a concern in itself).
    renegotiated: int = 0
    shares_open: int = 0
    shares_late: int = 0
    shares_unreported: int = 0
    shares_questioned: int = 0
    last_update: date | None = None
    open_requests: int = 0
    late_requests: int = 0
    members: list = field(default_factory=list)

    @property
    def concern(self) -> int:
        """How much needs following up: the sum of every warning figure."""
        return (self.overdue + self.unreported + self.questioned + self.shares_late + self.shares_unreported
                + self.shares_questioned + self.late_requests)

    def add(self, other: "BoardRow") -> None:
        for name in ("commitments", "open", "overdue", "unreported", "questioned", "renegotiated", "shares_open", "shares_late",
                     "shares_unreported", "shares_questioned", "open_requests", "late_requests"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        if other.last_update and (self.last_update is None or other.last_update > self.last_update):
            self.last_update = other.last_update


def _tally(condition):
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


def _commitment_conditions(user, filters: BoardFilters) -> list:
    conditions = [visible_commitments_filter(user), Commitment.is_archived.is_(False)]
    if filters.symposium:
        conditions.append(Commitment.symposium_id == filters.symposium)
    if filters.theme:
        conditions.append(Commitment.themes.any(id=filters.theme))
    return conditions


def _party_conditions(user, filters: BoardFilters) -> list:
    conditions = [visible_actions_filter(user), Party.response == Response.ACCEPTED]
    if filters.symposium:
        conditions.append(JointAction.symposium_id == filters.symposium)
    if filters.theme:
        conditions.append(JointAction.themes.any(id=filters.theme))
    return conditions


def _country(filters: BoardFilters) -> list:
    return [Organisation.country_iso3 == filters.country] if filters.country else []


def _commitment_figures(user, filters: BoardFilters, today: date) -> dict[int, tuple]:
    """Per organisation: commitments, open, overdue, unreported, questioned, renegotiated, last report (the
    list's own flags)."""
    query = (select(Commitment.organisation_id, func.count(),
                    _tally(Commitment.status.not_in(CLOSED_STATUSES)),
                    _tally(flag_condition("overdue", today)), _tally(flag_condition("unreported", today)),
                    _tally(flag_condition(ReviewState.QUESTIONED, today)), _tally(flag_condition("renegotiated")),
                    func.max(Commitment.last_reported_on))
             .join(Commitment.organisation)
             .where(*_commitment_conditions(user, filters), *_country(filters))
             .group_by(Commitment.organisation_id))
    return {row[0]: row[1:] for row in db.session.execute(query)}


def _share_figures(user, filters: BoardFilters, today: date) -> dict[int, tuple]:
    """Per organisation, its accepted shares of joint actions: open, late (past the deliverable's or the action's
    date), unreported for 90 days, questioned, and the last report."""
    open_ = Party.status.not_in(CLOSED_STATUSES)
    cutoff = today - timedelta(days=UNREPORTED_DAYS)
    never = and_(Party.last_reported_on.is_(None),
                 Party.created_at <= datetime.combine(cutoff, time.max, tzinfo=timezone.utc))
    query = (select(Party.organisation_id, _tally(open_),
                    _tally(and_(open_, func.coalesce(Party.deliverable_due, JointAction.end_date) < today)),
                    _tally(and_(open_, or_(never, Party.last_reported_on <= cutoff))),
                    _tally(Party.review_state == ReviewState.QUESTIONED), func.max(Party.last_reported_on))
             .join(Party.action).join(Party.organisation)
             .where(*_party_conditions(user, filters), *_country(filters))
             .group_by(Party.organisation_id))
    return {row[0]: row[1:] for row in db.session.execute(query)}


def _visible_requests(user, filters: BoardFilters):
    """Requests about the commitments and shares the reader may see that match the filters."""
    about_commitments = (select(Commitment.id).join(Commitment.organisation)
                         .where(*_commitment_conditions(user, filters), *_country(filters)))
    about_parties = (select(Party.id).join(Party.action).join(Party.organisation)
                     .where(*_party_conditions(user, filters), *_country(filters)))
    return or_(UpdateRequest.commitment_id.in_(about_commitments), UpdateRequest.party_id.in_(about_parties))


def _request_figures(user, filters: BoardFilters, today: date) -> dict[int, tuple]:
    """Per organisation asked: requests still open, and those of them past their date."""
    waiting = UpdateRequest.answered_at.is_(None)
    query = (select(UpdateRequest.organisation_id, _tally(waiting),
                    _tally(and_(waiting, UpdateRequest.due_date < today)))
             .where(_visible_requests(user, filters)).group_by(UpdateRequest.organisation_id))
    return {row[0]: row[1:] for row in db.session.execute(query)}


SORT_KEYS = {
    "worst": lambda row: (-row.concern, -row.open, sort_key(row.organisation.display_name)),
    "name": lambda row: sort_key(row.organisation.display_name),
    "country": lambda row: (sort_key(country_name(row.country)), sort_key(row.organisation.display_name)),
    "silent": lambda row: (row.last_update is not None, row.last_update or date.min,
                           sort_key(row.organisation.display_name)),
}


def board_rows(user, filters: BoardFilters, today: date | None = None) -> tuple[list[BoardRow], list[BoardRow]]:
    """Return (organisation rows, country rows), each sorted as the filters ask; a country row sums its
    organisations' rows."""
    today = today or local_today()
    commitments = _commitment_figures(user, filters, today)
    shares = _share_figures(user, filters, today)
    waiting = _request_figures(user, filters, today)
    ids = set(commitments) | set(shares) | set(waiting)
    organisations = db.session.scalars(select(Organisation).where(Organisation.id.in_(ids))) if ids else []
    rows = []
    for organisation in organisations:
        row = BoardRow(country=organisation.country_iso3, organisation=organisation)
        if figures := commitments.get(organisation.id):
            (row.commitments, row.open, row.overdue, row.unreported, row.questioned, row.renegotiated,
             row.last_update) = figures
        if figures := shares.get(organisation.id):
            row.shares_open, row.shares_late, row.shares_unreported, row.shares_questioned, last = figures
            row.add(BoardRow(country=row.country, last_update=last))
        row.open_requests, row.late_requests = waiting.get(organisation.id, (0, 0))
        rows.append(row)
    rows.sort(key=SORT_KEYS.get(filters.sort, SORT_KEYS["worst"]))
    countries: dict[str, BoardRow] = {}
    for row in rows:
        total = countries.setdefault(row.country, BoardRow(country=row.country))
        total.add(row)
        total.members.append(row)
    country_rows = sorted(countries.values(), key=lambda row: sort_key(country_name(row.country)))
    if filters.sort in ("worst", None):
        country_rows.sort(key=lambda row: -row.concern)
    return rows, country_rows


def recent_requests(user, filters: BoardFilters, limit: int = RECENT_REQUESTS) -> list[UpdateRequest]:
    """The latest update requests the reader may see, with their subjects and organisations."""
    query = (select(UpdateRequest).where(_visible_requests(user, filters))
             .options(selectinload(UpdateRequest.commitment),
                      selectinload(UpdateRequest.party).selectinload(Party.action),
                      selectinload(UpdateRequest.organisation),
                      selectinload(UpdateRequest.requesting_organisation))
             .order_by(UpdateRequest.created_at.desc(), UpdateRequest.id.desc()).limit(limit))
    return list(db.session.scalars(query))
