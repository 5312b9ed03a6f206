"""Audit trail: who did what to which record, when, with the changed fields."""

from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, ForeignKey, Index, String, inspect
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.core.db import utcnow
from portal.extensions import db


class AuditEvent(db.Model):
    __tablename__ = "audit_events"
    __table_args__ = (Index("ix_audit_events_object", "object_type", "object_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    #: The organisation the actor acted for, kept even when the person later moves.
    actor_organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"))
    action: Mapped[str] = mapped_column(String(40))
    object_type: Mapped[str] = mapped_column(String(40))
    object_id: Mapped[int | None]
    #: {field: [old, new]} for edits; free details for other actions.
    changes: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    actor = relationship("User", lazy="joined")
    actor_organisation = relationship("Organisation", lazy="joined")


ACTION_LABELS = {
    "create": _l("Created"),
    "update": _l("Changed"),
    "archive": _l("Archived"),
    "restore": _l("Restored"),
    "report_progress": _l("Progress reported"),
    "review_verified": _l("Update verified"),
    "review_questioned": _l("Update questioned"),
    "import": _l("Imported from a file"),
    "propose": _l("Proposed to the organisation"),
    "accept_proposal": _l("Accepted, as drafted by another organisation"),
    "decline_proposal": _l("Proposal declined"),
}


def audit_label(action: str) -> str:
    """Return the translated name of an audited action."""
    return str(ACTION_LABELS.get(action, action))


def plain_value(value: Any) -> Any:
    """Return a JSON-friendly form of a column value."""
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, Decimal):
        return str(value)
    return value


def changed_fields(obj: Any, fields: list[str]) -> dict[str, list[Any]]:
    """Return {field: [old, new]} for the given attributes changed on ``obj`` since it was loaded."""
    state = inspect(obj)
    changes = {}
    for field in fields:
        history = state.attrs[field].history
        if history.has_changes():
            old = history.deleted[0] if history.deleted else None
            new = history.added[0] if history.added else None
            changes[field] = [plain_value(old), plain_value(new)]
    return changes


def record_event(actor, action: str, obj: Any, changes: dict | None = None) -> AuditEvent:
    """Add an audit event for ``action`` on ``obj`` by ``actor`` to the session (no commit)."""
    if obj.id is None:
        db.session.flush()
    event = AuditEvent(
        actor_id=getattr(actor, "id", None),
        actor_organisation_id=getattr(actor, "organisation_id", None),
        action=action,
        object_type=obj.__tablename__,
        object_id=obj.id,
        changes=changes or {},
    )
    db.session.add(event)
    return event
