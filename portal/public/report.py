"""The follow-up report a meeting starts from: what changed on the series' commitments since the last meeting.

Scope: the commitments made at the earlier meetings of the series (for a first meeting, those made at it).
Period: from the previous meeting's first day (for a first meeting, its own) to the meeting's first day, or to
today while the meeting is ahead. Every figure counts only what the reader may see, per organisation, and is
summed per country and overall from the same rows.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone

from sqlalchemy import and_, distinct, func, select

from portal.commitments.models import Commitment, ScheduleChange
from portal.commitments.permissions import visible_commitments_filter
from portal.commitments.queries import flag_condition
from portal.core.clock import local_today
from portal.extensions import db
from portal.joint_actions.models import JointAction, Party
from portal.joint_actions.permissions import visible_actions_filter
from portal.organisations.models import Organisation
from portal.progress.models import ProgressUpdate, ReviewState, Status, UpdateReview
from portal.symposia.models import Symposium

#: The figures of the report, in the order they are shown.
FIGURES = ("made", "completed", "verified", "questioned", "renegotiated", "overdue", "action_updates")
#: Meetings of a series followed back at most (a series is a chain of "previous" links).
SERIES_LIMIT = 50


@dataclass
class Row:
    """One organisation's figures, or a country's, or the total."""

    made: int = 0
    completed: int = 0
    verified: int = 0
    questioned: int = 0
    renegotiated: int = 0
    overdue: int = 0
    action_updates: int = 0

    def add(self, other: "Row") -> None:
        for name in FIGURES:
            setattr(self, name, getattr(self, name) + getattr(other, name))


@dataclass
class Report:
    symposium: Symposium
    since: date
    until: date
    meetings: list[Symposium]
    organisations: dict[int, Row] = field(default_factory=dict)
    #: Organisation id -> (name in the reader's language, country).
    names: dict[int, tuple[str, str]] = field(default_factory=dict)

    def by_country(self) -> dict[str, Row]:
        countries: dict[str, Row] = {}
        for org_id, row in self.organisations.items():
            countries.setdefault(self.names[org_id][1], Row()).add(row)
        return countries

    @property
    def total(self) -> Row:
        total = Row()
        for row in self.organisations.values():
            total.add(row)
        return total


def series_before(symposium: Symposium) -> list[Symposium]:
    """The earlier meetings of the series, the latest first (the meeting itself when it is the first)."""
    meetings, current = [], symposium.previous
    while current is not None and len(meetings) < SERIES_LIMIT and current not in meetings:
        meetings.append(current)
        current = current.previous
    return meetings or [symposium]


def _moment(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=timezone.utc)


def build_report(user, symposium: Symposium, today: date | None = None) -> Report:
    """Compute the follow-up report of ``symposium`` as ``user`` may see it."""
    today = today or local_today()
    meetings = series_before(symposium)
    since = meetings[0].start_date
    until = min(symposium.start_date, today) if symposium.previous_id else today
    report = Report(symposium, since, max(since, until), meetings)
    scope = (Commitment.symposium_id.in_([meeting.id for meeting in meetings]),
             visible_commitments_filter(user), Commitment.is_archived.is_(False))
    start, end = _moment(report.since), _moment(report.until + timedelta(days=1))
    updates_in_period = and_(ProgressUpdate.reported_on >= report.since, ProgressUpdate.reported_on <= report.until)

    def per_organisation(name: str, query) -> None:
        for org_id, count in db.session.execute(query).all():
            setattr(report.organisations.setdefault(org_id, Row()), name, count)

    per_organisation("made", select(Commitment.organisation_id, func.count()).where(
        *scope, Commitment.created_at >= start, Commitment.created_at < end).group_by(Commitment.organisation_id))
    per_organisation("completed", select(Commitment.organisation_id, func.count(distinct(Commitment.id)))
                     .join(ProgressUpdate, ProgressUpdate.commitment_id == Commitment.id)
                     .where(*scope, updates_in_period, ProgressUpdate.status == Status.COMPLETED)
                     .group_by(Commitment.organisation_id))
    for verdict in (ReviewState.VERIFIED, ReviewState.QUESTIONED):
        per_organisation(verdict.value, select(Commitment.organisation_id, func.count(distinct(Commitment.id)))
                         .join(ProgressUpdate, ProgressUpdate.commitment_id == Commitment.id)
                         .join(UpdateReview, UpdateReview.update_id == ProgressUpdate.id)
                         .where(*scope, UpdateReview.verdict == verdict, UpdateReview.created_at >= start,
                                UpdateReview.created_at < end)
                         .group_by(Commitment.organisation_id))
    per_organisation("renegotiated", select(Commitment.organisation_id, func.count(distinct(Commitment.id)))
                     .join(ScheduleChange, ScheduleChange.commitment_id == Commitment.id)
                     .where(*scope, ScheduleChange.created_at >= start, ScheduleChange.created_at < end)
                     .group_by(Commitment.organisation_id))
    per_organisation("overdue", select(Commitment.organisation_id, func.count())
                     .where(*scope, flag_condition("overdue", report.until)).group_by(Commitment.organisation_id))
    per_organisation("action_updates", select(Party.organisation_id, func.count(ProgressUpdate.id))
                     .join(ProgressUpdate, ProgressUpdate.party_id == Party.id)
                     .join(JointAction, JointAction.id == Party.action_id)
                     .where(JointAction.symposium_id.in_([meeting.id for meeting in meetings]),
                            visible_actions_filter(user), updates_in_period)
                     .group_by(Party.organisation_id))
    if report.organisations:
        report.names = {org.id: (org.display_name, org.country_iso3) for org in db.session.scalars(
            select(Organisation).where(Organisation.id.in_(list(report.organisations))))}
    return report
