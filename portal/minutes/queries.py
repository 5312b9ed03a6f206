"""Read queries for minutes: the list a reader may see, the minutes of a symposium, revisions."""

from sqlalchemy import select

from portal.core.audit import AuditEvent
from portal.core.params import bounded_id
from portal.extensions import db
from portal.minutes.models import Minutes, MinutesRevision, MinutesStatus
from portal.minutes.permissions import visible_minutes_filter


def _visible(user, symposium_id: int | None = None):
    query = select(Minutes).where(visible_minutes_filter(user))
    if symposium_id:
        query = query.where(Minutes.symposium_id == symposium_id)
    return query.order_by(Minutes.meeting_date.desc(), Minutes.id.desc())


def approved_minutes(user):
    """The query of the approved minutes ``user`` may see, unordered (the API's list)."""
    return select(Minutes).where(visible_minutes_filter(user), Minutes.status == MinutesStatus.APPROVED)


def minutes_page(user, symposium_id: int | None, page: int, per_page: int = 25):
    """Return one page of the minutes ``user`` may see, newest meeting first."""
    return db.paginate(_visible(user, symposium_id), page=page, per_page=per_page, error_out=False,
                       max_per_page=100)


def minutes_of_symposium(user, symposium) -> list[Minutes]:
    """Return the minutes of a symposium's sessions that ``user`` may see (for the symposium page)."""
    return list(db.session.scalars(_visible(user, symposium.id)))


def revisions(minutes: Minutes) -> list[MinutesRevision]:
    """Return every revision of the minutes, newest first."""
    return list(db.session.scalars(
        select(MinutesRevision).where(MinutesRevision.minutes_id == minutes.id)
        .order_by(MinutesRevision.number.desc())))


def revision(minutes: Minutes, number) -> MinutesRevision | None:
    """Return revision ``number`` of the minutes, or None (also for a number that is not one)."""
    if isinstance(number, str):
        number = bounded_id(number)
    if not number:
        return None
    return db.session.scalar(select(MinutesRevision).where(MinutesRevision.minutes_id == minutes.id,
                                                           MinutesRevision.number == number))


def minutes_history(minutes: Minutes) -> list[AuditEvent]:
    """What was done to the minutes, by which organisation and when, newest first."""
    return list(db.session.scalars(
        select(AuditEvent).where(AuditEvent.object_type == Minutes.__tablename__, AuditEvent.object_id == minutes.id)
        .order_by(AuditEvent.created_at.desc(), AuditEvent.id.desc())))
