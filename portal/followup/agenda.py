"""What waits for one organisation: its items due soon, overdue, unreported or questioned, the update
requests addressed to it, minutes it has not endorsed and joint-action proposals it has not answered.

The dashboard and the e-mail digest read from here. Every list is bounded and every count is
aggregated in SQL, so the cost is a fixed number of statements however many rows an organisation has.
Items are an organisation's own commitments and its accepted shares (parties) of joint actions;
everything here belongs to, or is addressed to, that organisation, which may therefore see it.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone

from sqlalchemy import and_, case, exists, func, or_, select
from sqlalchemy.orm import contains_eager, joinedload, lazyload, selectinload

from portal.commitments.models import Commitment
from portal.commitments.queries import UNREPORTED_DAYS, flag_condition
from portal.extensions import db
from portal.followup.models import UpdateRequest
from portal.joint_actions.dates import pending_for as pending_dates
from portal.joint_actions.models import JointAction, Party, Response
from portal.minutes.models import Endorsement, Minutes, MinutesStatus, minutes_attendees
from portal.progress.models import CLOSED_STATUSES, ReviewState

#: "Due soon" means a target or due date from today to this many days ahead.
DUE_SOON_DAYS = 30
#: Rows shown per section of the dashboard; the rest are counted and reached through "see all".
LIST_LIMIT = 10
#: The follow-up flags of items, in the order the dashboard shows them.
ITEM_FLAGS = ("due_soon", "overdue", "unreported", "questioned")


@dataclass
class Entry:
    """A commitment or a party's share of a joint action, with the date that put it in its section."""

    kind: str  # "commitment" or "party"
    subject: Commitment | Party
    day: date | None

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.subject.id}"


@dataclass
class Section:
    """The first rows of one section and how many there are in all."""

    items: list = field(default_factory=list)
    total: int = 0

    @property
    def more(self) -> int:
        return max(self.total - len(self.items), 0)


@dataclass
class Agenda:
    organisation_id: int
    today: date
    items: dict[str, Section]
    requests: Section
    late_requests: int
    minutes: Section
    proposals: Section
    #: Date changes of joint actions proposed by their lead, waiting for our agreement.
    dates: Section

    @property
    def is_empty(self) -> bool:
        return not any(s.total for s in (*self.items.values(), self.requests, self.minutes, self.proposals,
                                         self.dates))


# --- conditions -------------------------------------------------------------------------------------


def _unreported_cutoffs(today: date) -> tuple[date, datetime]:
    cutoff = today - timedelta(days=UNREPORTED_DAYS)
    return cutoff, datetime.combine(cutoff, time.max, tzinfo=timezone.utc)


def commitment_condition(flag: str, today: date):
    """SQL for a follow-up flag of a commitment (the same rules as the commitment list's filter)."""
    if flag == "due_soon":
        return and_(Commitment.status.not_in(CLOSED_STATUSES),
                    Commitment.target_date.between(today, today + timedelta(days=DUE_SOON_DAYS)))
    return flag_condition(flag, today)


def _party_due():
    """A party's due date: its own deliverable's, else the action's end date (Party.due_date in SQL)."""
    return func.coalesce(Party.deliverable_due, JointAction.end_date)


def party_condition(flag: str, today: date):
    """SQL for a follow-up flag of a party's share (needs JointAction joined)."""
    open_ = Party.status.not_in(CLOSED_STATUSES)
    if flag == "due_soon":
        return and_(open_, _party_due().between(today, today + timedelta(days=DUE_SOON_DAYS)))
    if flag == "overdue":
        return and_(open_, _party_due() < today)
    if flag == "unreported":
        cutoff, created_cutoff = _unreported_cutoffs(today)
        never = and_(Party.last_reported_on.is_(None), Party.created_at <= created_cutoff)
        return and_(open_, or_(never, Party.last_reported_on <= cutoff))
    return Party.review_state == ReviewState.QUESTIONED


def _own_commitments(organisation_id: int):
    return and_(Commitment.organisation_id == organisation_id, Commitment.is_archived.is_(False))


def _own_parties(organisation_id: int):
    return and_(Party.organisation_id == organisation_id, Party.response == Response.ACCEPTED)


COMMITMENT_ORDER = {
    "due_soon": (Commitment.target_date, Commitment.id),
    "overdue": (Commitment.target_date, Commitment.id),
    "unreported": (Commitment.last_reported_on.is_not(None), Commitment.last_reported_on, Commitment.id),
    "questioned": (Commitment.updated_at.desc(), Commitment.id),
}
PARTY_ORDER = {
    "due_soon": (_party_due(), Party.id),
    "overdue": (_party_due(), Party.id),
    "unreported": (Party.last_reported_on.is_not(None), Party.last_reported_on, Party.id),
    "questioned": (Party.id.desc(),),
}


def _commitment_day(flag: str, commitment: Commitment) -> date | None:
    return commitment.last_reported_on if flag == "unreported" else commitment.target_date


def _party_day(flag: str, party: Party) -> date | None:
    return party.last_reported_on if flag == "unreported" else party.due_date


# --- queries ----------------------------------------------------------------------------------------


def _parties_with_action():
    """Parties joined to their action, loading the action's columns but none of its collections."""
    return (select(Party).join(Party.action)
            .options(contains_eager(Party.action).options(
                lazyload(JointAction.themes), lazyload(JointAction.parties),
                lazyload(JointAction.countries), lazyload(JointAction.milestones))))


def item_counts(organisation_id: int, today: date) -> dict[str, int]:
    """Count the organisation's items under each flag: two aggregate statements."""
    def sums(condition_of):
        return [func.coalesce(func.sum(case((condition_of(flag, today), 1), else_=0)), 0) for flag in ITEM_FLAGS]

    commitments = db.session.execute(
        select(*sums(commitment_condition)).where(_own_commitments(organisation_id))).one()
    parties = db.session.execute(
        select(*sums(party_condition)).select_from(Party).join(Party.action)
        .where(_own_parties(organisation_id))).one()
    return {flag: int(c) + int(p) for flag, c, p in zip(ITEM_FLAGS, commitments, parties)}


def flagged_items(organisation_id: int, flag: str, today: date, limit: int = LIST_LIMIT) -> list[Entry]:
    """The first ``limit`` commitments and party shares of the organisation under ``flag``, by date."""
    commitments = db.session.scalars(
        select(Commitment).where(_own_commitments(organisation_id), commitment_condition(flag, today))
        .order_by(*COMMITMENT_ORDER[flag]).limit(limit).options(lazyload(Commitment.themes))).unique()
    parties = db.session.scalars(
        _parties_with_action().where(_own_parties(organisation_id), party_condition(flag, today))
        .order_by(*PARTY_ORDER[flag]).limit(limit)).unique()
    entries = [Entry("commitment", c, _commitment_day(flag, c)) for c in commitments]
    entries += [Entry("party", p, _party_day(flag, p)) for p in parties]
    if flag != "questioned":
        # Undated entries (never reported) first among the unreported; otherwise the earliest date first.
        entries.sort(key=lambda entry: (entry.day is not None, entry.day or date.min))
    return entries[:limit]


def open_requests(organisation_id: int, today: date, limit: int = LIST_LIMIT) -> tuple[Section, int]:
    """Unanswered update requests addressed to the organisation, the earliest due first; and how many are late."""
    condition = and_(UpdateRequest.organisation_id == organisation_id, UpdateRequest.answered_at.is_(None))
    total, late = db.session.execute(
        select(func.count(), func.coalesce(func.sum(case((UpdateRequest.due_date < today, 1), else_=0)), 0))
        .select_from(UpdateRequest).where(condition)).one()
    rows = db.session.scalars(
        select(UpdateRequest).where(condition).order_by(UpdateRequest.due_date, UpdateRequest.id).limit(limit)
        .options(selectinload(UpdateRequest.commitment).lazyload(Commitment.themes),
                 selectinload(UpdateRequest.party).joinedload(Party.action).options(
                     lazyload(JointAction.themes), lazyload(JointAction.parties),
                     lazyload(JointAction.countries), lazyload(JointAction.milestones)),
                 joinedload(UpdateRequest.requesting_organisation))).unique()
    return Section(list(rows), int(total)), int(late or 0)


def _awaiting_endorsement(organisation_id: int):
    attended = select(minutes_attendees.c.minutes_id).where(minutes_attendees.c.organisation_id == organisation_id)
    endorsed = exists().where(Endorsement.minutes_id == Minutes.id, Endorsement.organisation_id == organisation_id)
    return and_(Minutes.status == MinutesStatus.CIRCULATED, Minutes.id.in_(attended), ~endorsed)


def minutes_to_endorse(organisation_id: int, limit: int = LIST_LIMIT) -> Section:
    """Circulated minutes of meetings the organisation attended that it has not endorsed yet."""
    condition = _awaiting_endorsement(organisation_id)
    total = db.session.scalar(select(func.count()).select_from(Minutes).where(condition))
    rows = db.session.scalars(
        select(Minutes).where(condition).order_by(Minutes.circulated_at, Minutes.id).limit(limit)
        .options(lazyload(Minutes.action_items), lazyload(Minutes.attachments), lazyload(Minutes.symposium))
    ).unique()
    return Section(list(rows), int(total or 0))


def pending_proposals(organisation_id: int, limit: int = LIST_LIMIT) -> Section:
    """Joint actions whose lead proposed the organisation as a partner, not answered yet."""
    condition = and_(Party.organisation_id == organisation_id, Party.response == Response.PROPOSED)
    total = db.session.scalar(select(func.count()).select_from(Party).where(condition))
    rows = db.session.scalars(_parties_with_action().where(condition)
                              .order_by(Party.created_at, Party.id).limit(limit)).unique()
    return Section(list(rows), int(total or 0))


def agenda_for(organisation_id: int, today: date, limit: int = LIST_LIMIT) -> Agenda:
    """Everything waiting for the organisation, each section bounded to ``limit`` rows."""
    counts = item_counts(organisation_id, today)
    items = {flag: Section(flagged_items(organisation_id, flag, today, limit) if counts[flag] else [], counts[flag])
             for flag in ITEM_FLAGS}
    requests, late = open_requests(organisation_id, today, limit)
    return Agenda(organisation_id, today, items, requests, late, minutes_to_endorse(organisation_id, limit),
                  pending_proposals(organisation_id, limit), Section(*pending_dates(organisation_id, limit)))
