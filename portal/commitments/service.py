"""Commitment operations: they flush and write the audit trail; the route commits once."""

from sqlalchemy import select

from portal.commitments.models import Commitment, Theme
from portal.commitments.renegotiation import record_renegotiation, schedule_changes
from portal.core.audit import changed_fields, plain_value, record_event
from portal.core.db import utcnow
from portal.core.permissions import Visibility
from portal.extensions import db
from portal.frameworks.models import FrameworkTag, chosen_tags

#: Every language of the translated fields is edited, and recorded, like any other field.
EDITABLE_FIELDS = ["title_es", "title_en", "description_es", "description_en", "original_language", "symposium_id",
                   "target_date", "visibility", "indicator_unit", "indicator_baseline", "indicator_target"]


def chosen_themes(theme_ids) -> list[Theme]:
    """The active themes among those chosen on a form."""
    if not theme_ids:
        return []
    return list(db.session.scalars(select(Theme).where(Theme.id.in_(theme_ids), Theme.is_active.is_(True))))


def tag_slugs(tags: list[FrameworkTag]) -> str:
    """The tags as the change history records them: "gcm-21, sdg-10.7"."""
    return ", ".join(sorted(tag.slug for tag in tags))


def _apply(commitment: Commitment, data: dict) -> None:
    commitment.set_texts(data)
    commitment.symposium_id = int(data["symposium_id"]) if data.get("symposium_id") else None
    commitment.target_date = data.get("target_date")
    commitment.visibility = Visibility(data["visibility"])
    commitment.indicator_unit = data.get("indicator_unit") or None
    commitment.indicator_baseline = data.get("indicator_baseline")
    commitment.indicator_target = data.get("indicator_target")


def find_by_idempotency_key(key: str | None) -> Commitment | None:
    """Return the commitment created by an earlier submission of the same form, if any."""
    if not key:
        return None
    return db.session.scalar(select(Commitment).where(Commitment.idempotency_key == key))


def create_commitment(actor, data: dict, idempotency_key: str | None,
                      source_minutes_id: int | None = None) -> Commitment:
    """Log a commitment for the actor's own organisation.

    ``source_minutes_id`` names the minutes whose action item the commitment comes from, if any.
    """
    commitment = Commitment(organisation_id=actor.organisation_id, created_by_id=actor.id,
                            idempotency_key=idempotency_key or None, source_minutes_id=source_minutes_id)
    _apply(commitment, data)
    commitment.themes = chosen_themes(data.get("themes"))
    commitment.framework_tags = chosen_tags(data.get("framework_tags"))
    db.session.add(commitment)
    db.session.flush()
    changes = _created(commitment)
    if source_minutes_id is not None:
        changes["source_minutes_id"] = [None, source_minutes_id]
    record_event(actor, "create", commitment, changes)
    return commitment


def _created(commitment: Commitment) -> dict:
    changes = {field: [None, plain_value(getattr(commitment, field))] for field in EDITABLE_FIELDS}
    if commitment.framework_tags:
        changes["framework_tags"] = [None, tag_slugs(commitment.framework_tags)]
    return changes


def create_commitments(actor, rows: list[dict]) -> list[Commitment]:
    """Log many commitments of the actor's organisation at once (an import), as :func:`create_commitment` logs
    one, with one flush for all: rows written one by one made an import of thousands take minutes."""
    themes = {theme.id: theme for theme in chosen_themes({i for data in rows for i in data.get("themes") or []})}
    tags = {tag.id: tag for tag in chosen_tags({i for data in rows for i in data.get("framework_tags") or []})}
    commitments = []
    for data in rows:
        commitment = Commitment(organisation_id=actor.organisation_id, created_by_id=actor.id)
        _apply(commitment, data)
        commitment.themes = [themes[i] for i in data.get("themes") or [] if i in themes]
        commitment.framework_tags = [tags[i] for i in data.get("framework_tags") or [] if i in tags]
        commitments.append(commitment)
    db.session.add_all(commitments)
    db.session.flush()
    for commitment in commitments:
        record_event(actor, "create", commitment, _created(commitment))
    return commitments


def update_commitment(actor, commitment: Commitment, data: dict) -> None:
    """Change a commitment's shared fields, recording each change; a changed target date or target
    already set is kept as a renegotiation with ``data``'s reason and place of agreement."""
    if changes := schedule_changes(commitment, data):
        record_renegotiation(actor, commitment, changes, data["change_reason"].strip(), data["agreed_at"])
    update_with_themes(actor, commitment, data, _apply, EDITABLE_FIELDS)


def update_with_themes(actor, record, data: dict, apply, fields: list[str]) -> None:
    """Apply ``data`` to a record with themes and framework tags (``apply(record, data)`` sets the other
    fields) and record one "update" event with every changed field, themes and tags by their codes."""
    # Query the themes before touching the record: the query's autoflush would otherwise
    # write the new values and leave no history to compare with.
    themes = chosen_themes(data.get("themes"))
    tags = chosen_tags(data.get("framework_tags"))
    old_themes = sorted(theme.code for theme in record.themes)
    old_tags = tag_slugs(record.framework_tags)
    apply(record, data)
    changes = changed_fields(record, fields)
    record.themes = themes
    record.framework_tags = tags
    new_themes = sorted(theme.code for theme in themes)
    if new_themes != old_themes:
        changes["themes"] = [", ".join(old_themes), ", ".join(new_themes)]
    if tag_slugs(tags) != old_tags:
        changes["framework_tags"] = [old_tags, tag_slugs(tags)]
    if "themes" in changes or "framework_tags" in changes:
        # These changes touch only link tables; bump the version so concurrent edits still collide.
        record.updated_at = utcnow()
    if changes:
        record_event(actor, "update", record, changes)


def set_archived(actor, commitment: Commitment, archived: bool) -> None:
    """Archive (hide from lists, keep everything) or restore a commitment."""
    commitment.is_archived = archived
    commitment.archived_at = utcnow() if archived else None
    record_event(actor, "archive" if archived else "restore", commitment)
