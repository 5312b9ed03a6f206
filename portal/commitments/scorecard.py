"""Follow-up scorecard of a group of commitments (a symposium's, a country's), computed in SQL.

Every figure counts only the commitments the reader may see, so the public sees figures
made of public commitments alone.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import and_, case, func, null, or_, select, union_all

from portal.commitments.models import Commitment
from portal.commitments.permissions import visible_commitments_filter, visible_tallies_filter
from portal.commitments.queries import flag_condition
from portal.commitments.tallies import commitment_tallies
from portal.core.clock import local_today
from portal.extensions import db
from portal.progress.models import CLOSED_STATUSES, ProgressUpdate, Status

MAX_QUARTERS = 12


@dataclass
class QuarterPoint:
    ends_on: date
    completed: int
    total: int

    @property
    def share(self) -> float:
        return self.completed / self.total if self.total else 0.0


@dataclass
class Scorecard:
    by_status: dict[str, int] = field(default_factory=dict)
    overdue: int = 0
    unreported: int = 0
    #: Commitments whose target date or target was changed after being set; the rest keep their original schedule.
    renegotiated: int = 0
    quarters: list[QuarterPoint] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(self.by_status.values())

    def share(self, status: str) -> float:
        return self.by_status.get(status, 0) / self.total if self.total else 0.0


def _quarter_end(year: int, quarter: int) -> date:
    """Return the last day of a calendar quarter (0 to 3)."""
    if quarter == 3:
        return date(year, 12, 31)
    return date(year, quarter * 3 + 4, 1) - timedelta(days=1)


def quarter_ends(since: date, today: date) -> list[date]:
    """Return the last day of each calendar quarter from ``since`` up to today (today last)."""
    ends, year, quarter = [], since.year, (since.month - 1) // 3
    while True:
        end = _quarter_end(year, quarter)
        if end >= today:
            break
        ends.append(end)
        year, quarter = (year + 1, 0) if quarter == 3 else (year, quarter + 1)
    return (ends + [today])[-MAX_QUARTERS:]


def commitments_scorecard(user, condition, since: date | None, today: date | None = None) -> Scorecard:
    """Build the scorecard of the visible, unarchived commitments matching ``condition``."""
    today = today or local_today()
    where = (condition, visible_commitments_filter(user), Commitment.is_archived.is_(False))
    totals = db.session.execute(
        select(Commitment.status, func.count(),
               func.sum(case((flag_condition("overdue", today), 1), else_=0)),
               func.sum(case((flag_condition("unreported", today), 1), else_=0)),
               func.sum(case((Commitment.is_renegotiated, 1), else_=0)))
        .where(*where).group_by(Commitment.status)
    ).all()
    card = Scorecard()
    for status, count, overdue, unreported, renegotiated in totals:
        card.by_status[status] = count
        card.overdue += overdue or 0
        card.unreported += unreported or 0
        card.renegotiated += renegotiated or 0
    if since and card.total:
        card.quarters = _completion_by_quarter(where, quarter_ends(since, today), card.total)
    return card


def tallied_scorecard(user, condition, tally_condition, today: date | None = None,
                      tallies=commitment_tallies, since: date | None = None) -> Scorecard:
    """The same scorecard as ``commitments_scorecard`` for the commitments matching
    ``condition`` (on commitments) and ``tally_condition`` (the same, on ``tallies``: ``commitment_tallies``,
    or ``commitment_tag_tallies`` for the commitments under a tag).

    The counts per status and the renegotiated ones are sums of summary rows. Overdue and unreported
    depend on today's date, so they are counted from the commitments, but only the open ones, from the
    index on visibility, archived flag, status and dates alone (never a stale figure after midnight).
    The completion series from ``since`` (if given) is still counted from the progress updates.
    """
    today = today or local_today()
    card = Scorecard()
    open_statuses = [status.value for status in Status if status not in CLOSED_STATUSES]
    counts = (select(tallies.c.status, func.sum(tallies.c.count),
                     func.sum(case((tallies.c.is_renegotiated, tallies.c.count), else_=0)))
              .where(tally_condition, visible_tallies_filter(user, tallies), tallies.c.is_archived.is_(False))
              .group_by(tallies.c.status))
    # One statement: the flags come last, as a row without a status.
    flags = (select(null(), func.sum(case((flag_condition("overdue", today), 1), else_=0)),
                    func.sum(case((flag_condition("unreported", today), 1), else_=0)))
             .where(condition, visible_commitments_filter(user), Commitment.is_archived.is_(False),
                    Commitment.status.in_(open_statuses)))
    for status, count, other in db.session.execute(union_all(counts, flags)).all():
        if status is None:
            card.overdue, card.unreported = int(count or 0), int(other or 0)
        elif count:
            card.by_status[status] = int(count)
            card.renegotiated += int(other or 0)
    if since and card.total:
        where = (condition, visible_commitments_filter(user), Commitment.is_archived.is_(False))
        card.quarters = _completion_by_quarter(where, quarter_ends(since, today), card.total)
    return card


def _completion_by_quarter(where, ends: list[date], total: int) -> list[QuarterPoint]:
    """Count, at each date, the commitments whose latest update by then said "completed" (one query).

    One pass over the group's updates: each update knows the date of the next one on its commitment
    (``lead``), so it was the latest at date ``d`` when it was reported by ``d`` and the next one (if any)
    came after ``d``. Updates of the same day count in id order, as on the commitment's page. A
    correlated "latest update by then" per commitment and per quarter cost twelve index searches per
    commitment: 700 ms for a country with 4,500 public commitments on PostgreSQL. ``total`` is the number
    of commitments matching ``where`` (the scorecard's).
    """
    order = (ProgressUpdate.reported_on, ProgressUpdate.id)
    updates = (
        select(ProgressUpdate.reported_on, ProgressUpdate.status,
               func.lead(ProgressUpdate.reported_on).over(partition_by=ProgressUpdate.commitment_id,
                                                          order_by=order).label("next_on"))
        .join(Commitment, Commitment.id == ProgressUpdate.commitment_id).where(*where).subquery()
    )
    completed = updates.c.status == Status.COMPLETED.value
    columns = [func.coalesce(func.sum(case(
        (and_(completed, updates.c.reported_on <= ends_on,
              or_(updates.c.next_on.is_(None), updates.c.next_on > ends_on)), 1), else_=0)), 0).label(f"q{number}")
        for number, ends_on in enumerate(ends)]
    row = db.session.execute(select(*columns).select_from(updates)).one()
    return [QuarterPoint(ends_on, row[number] or 0, total) for number, ends_on in enumerate(ends)]
