"""Renegotiated schedules: a commitment's target date or indicator target changed after it was set.

Each change is kept as a ScheduleChange (old and new value, who, when, why, and where the partners
agreed it) and marks the commitment renegotiated, so lists and scorecards count commitments on their
original schedule against renegotiated ones. Overdue is still measured against the current date.
"""

from collections.abc import Callable
from datetime import date
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from portal.commitments.models import AgreedAt, Commitment, ScheduleChange
from portal.extensions import db
from portal.symposia.models import Symposium

SCHEDULE_FIELDS = ("target_date", "indicator_target")
AGREED_AT_LABELS = {
    AgreedAt.SYMPOSIUM: _l("At a symposium"),
    AgreedAt.MINUTES: _l("In approved minutes"),
    AgreedAt.PARTNERS: _l("Between the partners"),
}
SYMPOSIUM_LABEL, MINUTES_LABEL = _l("Symposium"), _l("Minutes")

#: Approved minutes the reader may see, as (id, label): given by the minutes module, which sits above
#: this one (see ``offer_minutes``).
_minutes_options: Callable[[object], list[tuple[int, str]]] | None = None


def offer_minutes(options: Callable[[object], list[tuple[int, str]]]) -> None:
    """Let the minutes module list the approved minutes a renegotiation may name."""
    global _minutes_options
    _minutes_options = options


def agreement_choices(user) -> list[tuple[str, str]]:
    """Where a change may have been agreed: between the partners, a symposium, or approved minutes."""
    symposia = db.session.execute(select(Symposium.id, Symposium.title, Symposium.start_date)
                                  .order_by(Symposium.start_date.desc())).all()
    minutes = _minutes_options(user) if _minutes_options else []
    return ([("", "—"), (AgreedAt.PARTNERS.value, str(AGREED_AT_LABELS[AgreedAt.PARTNERS]))]
            + [(f"symposium:{id_}", f"{SYMPOSIUM_LABEL}: {title} ({start.year})") for id_, title, start in symposia]
            + [(f"minutes:{id_}", f"{MINUTES_LABEL}: {label}") for id_, label in minutes])


def schedule_changes(commitment: Commitment, data: dict) -> dict[str, tuple]:
    """The schedule fields a save would change from a value already set: {field: (old, new)}.

    Setting a first target date or target is planning, not renegotiation.
    """
    changes = {}
    for field in SCHEDULE_FIELDS:
        old, new = getattr(commitment, field), data.get(field)
        if old is not None and new != old:
            changes[field] = (old, new)
    return changes


def _as_text(value: date | Decimal | None) -> str | None:
    if value is None:
        return None
    return value.isoformat() if isinstance(value, date) else format(value.normalize(), "f")


def record_renegotiation(actor, commitment: Commitment, changes: dict[str, tuple], reason: str,
                         agreed: str) -> None:
    """Keep each changed schedule value with its reason and where it was agreed (no commit)."""
    kind, _, ref = agreed.partition(":")
    for field, (old, new) in changes.items():
        db.session.add(ScheduleChange(
            commitment_id=commitment.id, field=field, old_value=_as_text(old), new_value=_as_text(new),
            reason=reason, agreed_at=AgreedAt(kind),
            symposium_id=int(ref) if kind == AgreedAt.SYMPOSIUM else None,
            minutes_id=int(ref) if kind == AgreedAt.MINUTES else None,
            author_id=actor.id, organisation_id=actor.organisation_id))
    commitment.is_renegotiated = True


def original_value(commitment: Commitment, field: str):
    """The first value the partners set for a schedule field (the current one if never renegotiated)."""
    for change in commitment.schedule_changes:
        if change.field == field:
            return change.old_value
    return _as_text(getattr(commitment, field))
