"""Commitment operations: they flush and write the audit trail; the route commits once."""

from sqlalchemy import case, or_, select
from sqlalchemy import update as sql_update

from portal.commitments.models import (
    SUBJECT_COLUMNS,
    Commitment,
    ProgressUpdate,
    ReviewState,
    Theme,
    UpdateReview,
)
from portal.core.audit import changed_fields, plain_value, record_event
from portal.core.db import utcnow
from portal.core.permissions import Visibility
from portal.extensions import db

EDITABLE_FIELDS = ["title", "description", "symposium_id", "target_date", "visibility",
                   "indicator_unit", "indicator_baseline", "indicator_target"]


def chosen_themes(theme_ids) -> list[Theme]:
    """The active themes among those chosen on a form."""
    if not theme_ids:
        return []
    return list(db.session.scalars(select(Theme).where(Theme.id.in_(theme_ids), Theme.is_active.is_(True))))


def _apply(commitment: Commitment, data: dict) -> None:
    commitment.title = data["title"]
    commitment.description = data.get("description") or ""
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
    db.session.add(commitment)
    db.session.flush()
    changes = {field: [None, plain_value(getattr(commitment, field))] for field in EDITABLE_FIELDS}
    if source_minutes_id is not None:
        changes["source_minutes_id"] = [None, source_minutes_id]
    record_event(actor, "create", commitment, changes)
    return commitment


def update_commitment(actor, commitment: Commitment, data: dict) -> None:
    """Change a commitment's shared fields, recording each change."""
    update_with_themes(actor, commitment, data, _apply, EDITABLE_FIELDS)


def update_with_themes(actor, record, data: dict, apply, fields: list[str]) -> None:
    """Apply ``data`` to a record that has themes (``apply(record, data)`` sets the other fields) and
    record one "update" event with every changed field, the themes by their codes."""
    # Query the themes before touching the record: the query's autoflush would otherwise
    # write the new values and leave no history to compare with.
    themes = chosen_themes(data.get("themes"))
    old_themes = sorted(theme.code for theme in record.themes)
    apply(record, data)
    changes = changed_fields(record, fields)
    record.themes = themes
    new_themes = sorted(theme.code for theme in themes)
    if new_themes != old_themes:
        changes["themes"] = [", ".join(old_themes), ", ".join(new_themes)]
        # Theme changes touch only the link table; bump the version so concurrent edits still collide.
        record.updated_at = utcnow()
    if changes:
        record_event(actor, "update", record, changes)


def set_archived(actor, commitment: Commitment, archived: bool) -> None:
    """Archive (hide from lists, keep everything) or restore a commitment."""
    commitment.is_archived = archived
    commitment.archived_at = utcnow() if archived else None
    record_event(actor, "archive" if archived else "restore", commitment)


def report_progress(actor, subject, data: dict, attachment=None,
                    idempotency_key: str | None = None) -> ProgressUpdate:
    """Append a progress update on a commitment (or a joint-action party) and bring its status up to date.

    The subject's status, latest report date and review state follow the update; a commitment's
    achieved indicator value too. The audit event is recorded on the subject.
    """
    update = ProgressUpdate(
        reported_on=data["reported_on"],
        status=data["status"],
        note=data.get("note") or "",
        indicator_value=data.get("indicator_value"),
        evidence_url=data.get("evidence_url") or None,
        attachment_id=attachment.id if attachment else None,
        author_id=actor.id,
        organisation_id=actor.organisation_id,
        review_state=ReviewState.PENDING,
        idempotency_key=idempotency_key or None,
    )
    setattr(update, SUBJECT_COLUMNS[subject.__tablename__], subject.id)
    db.session.add(update)
    old_status = subject.status
    model = type(subject)
    values = {
        "status": data["status"],
        "review_state": ReviewState.PENDING,
        "last_reported_on": case(
            (or_(model.last_reported_on.is_(None), model.last_reported_on <= update.reported_on),
             update.reported_on),
            else_=model.last_reported_on),
    }
    if update.indicator_value is not None and isinstance(subject, Commitment):
        values["indicator_achieved"] = update.indicator_value
    _update_derived(subject, values)
    db.session.flush()
    record_event(actor, "report_progress", subject, {"status": [old_status, subject.status], "update": update.id})
    return update


def _update_derived(subject, values: dict) -> None:
    """Write the columns that follow from progress updates with one UPDATE statement.

    They are not edited through the subject's form, so they stay outside its optimistic lock:
    two reports at once both land (the database orders them), and an editor's open form does
    not become outdated because a colleague reported progress.
    """
    model = type(subject)
    db.session.execute(sql_update(model).where(model.id == subject.id).values(**values),
                       execution_options={"synchronize_session": "fetch"})


def review_update(actor, update: ProgressUpdate, verdict: str, comment: str) -> UpdateReview:
    """Verify or question an update; its subject shows the verdict on its latest update."""
    review = UpdateReview(update_id=update.id, verdict=ReviewState(verdict), comment=comment or "",
                          reviewer_id=actor.id, reviewer_organisation_id=actor.organisation_id)
    db.session.add(review)
    update.review_state = ReviewState(verdict)
    subject = update.subject
    column = getattr(ProgressUpdate, SUBJECT_COLUMNS[subject.__tablename__])
    latest = db.session.scalar(
        select(ProgressUpdate.id).where(column == subject.id)
        .order_by(ProgressUpdate.reported_on.desc(), ProgressUpdate.id.desc()).limit(1)
    )
    if latest == update.id:
        _update_derived(subject, {"review_state": ReviewState(verdict)})
    db.session.flush()
    record_event(actor, f"review_{verdict}", subject, {"update": update.id})
    return review
