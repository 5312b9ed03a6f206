"""Minutes operations: they flush and write the audit trail; the route commits once.

Changes to a draft's attendees, action items or files also touch the minutes row, so its version
moves: an edit or a status change made at the same moment from an older page then collides
(StaleDataError, answered 409) instead of, say, adding an item to minutes circulated meanwhile.
"""

from sqlalchemy import func, select, update

from portal.commitments.service import create_commitment
from portal.core.audit import changed_fields, plain_value, record_event
from portal.core.db import utcnow
from portal.core.permissions import Visibility
from portal.extensions import db
from portal.minutes.models import (
    ActionItem,
    Endorsement,
    Minutes,
    MinutesComment,
    MinutesRevision,
    MinutesStatus,
)
from portal.organisations.models import Organisation

EDITABLE_FIELDS = ["title", "symposium_id", "meeting_date", "place", "is_virtual", "visibility", "body",
                   "decisions"]
REVISED_FIELDS = ["title", "body", "decisions", "visibility"]
#: Every language of the description is edited, and recorded, like any other field.
ITEM_FIELDS = ["description_es", "description_en", "original_language", "responsible_organisation_id", "due_date"]


def find_by_idempotency_key(model, key: str | None):
    """Return the record an earlier submission of the same form created, if any."""
    if not key:
        return None
    return db.session.scalar(select(model).where(model.idempotency_key == key))


def _touch(minutes: Minutes) -> None:
    """Move the minutes' version although only a related table changed."""
    minutes.updated_at = utcnow()


def _set_attendees(minutes: Minutes, organisation_ids) -> list[str] | None:
    """Set the attending organisations (the author always attends); return [old, new] names if changed."""
    wanted = {int(org_id) for org_id in organisation_ids or ()} | {minutes.author_organisation_id}
    old = sorted(org.name for org in minutes.attendees)
    minutes.attendees = list(db.session.scalars(select(Organisation).where(Organisation.id.in_(wanted))))
    new = sorted(org.name for org in minutes.attendees)
    return None if old == new else [", ".join(old), ", ".join(new)]


def _apply(minutes: Minutes, data: dict) -> None:
    minutes.title = data["title"]
    minutes.symposium_id = int(data["symposium_id"]) if data.get("symposium_id") else None
    minutes.meeting_date = data["meeting_date"]
    minutes.place = data.get("place") or None
    minutes.is_virtual = bool(data.get("is_virtual"))
    minutes.visibility = Visibility(data["visibility"])
    minutes.body = data.get("body") or ""
    minutes.decisions = data.get("decisions") or ""


def create_minutes(actor, data: dict, idempotency_key: str | None = None) -> Minutes:
    """Start a draft for the actor's own organisation."""
    minutes = Minutes(author_organisation_id=actor.organisation_id, created_by_id=actor.id,
                      status=MinutesStatus.DRAFT, idempotency_key=idempotency_key or None)
    _apply(minutes, data)
    db.session.add(minutes)
    _set_attendees(minutes, data.get("attendees"))
    db.session.flush()
    changes = {field: [None, plain_value(getattr(minutes, field))] for field in EDITABLE_FIELDS}
    changes["attendees"] = [None, ", ".join(sorted(org.name for org in minutes.attendees))]
    record_event(actor, "create", minutes, changes)
    return minutes


def update_minutes(actor, minutes: Minutes, data: dict) -> None:
    """Change a draft, recording each changed field."""
    _apply(minutes, data)
    changes = changed_fields(minutes, EDITABLE_FIELDS)
    if attendees := _set_attendees(minutes, data.get("attendees")):
        changes["attendees"] = attendees
        _touch(minutes)
    if changes:
        record_event(actor, "update", minutes, changes)


def circulate(actor, minutes: Minutes) -> None:
    """Send a draft to the attending organisations for comments and endorsement."""
    minutes.status = MinutesStatus.CIRCULATED
    minutes.circulated_at = utcnow()
    record_event(actor, "circulate", minutes,
                 {"status": [MinutesStatus.DRAFT.value, MinutesStatus.CIRCULATED.value]})


def return_to_draft(actor, minutes: Minutes) -> None:
    """Take circulated minutes back to draft; endorsements of the old text are withdrawn (and audited)."""
    withdrawn = sorted(e.organisation.name for e in minutes.endorsements)
    for endorsement in list(minutes.endorsements):
        db.session.delete(endorsement)
    minutes.status = MinutesStatus.DRAFT
    minutes.circulated_at = None
    record_event(actor, "return_to_draft", minutes, {
        "status": [MinutesStatus.CIRCULATED.value, MinutesStatus.DRAFT.value],
        "endorsements_withdrawn": withdrawn})


def _add_revision(actor, minutes: Minutes, number: int, reason: str) -> MinutesRevision:
    revision = MinutesRevision(minutes_id=minutes.id, number=number, title=minutes.title, body=minutes.body,
                               decisions=minutes.decisions, reason=reason, author_id=actor.id,
                               organisation_id=actor.organisation_id)
    db.session.add(revision)
    return revision


def approve(actor, minutes: Minutes) -> MinutesRevision:
    """Approve circulated minutes: they are locked, and their text becomes revision 1."""
    minutes.status = MinutesStatus.APPROVED
    minutes.approved_at = utcnow()
    revision = _add_revision(actor, minutes, 1, "")
    db.session.flush()
    record_event(actor, "approve", minutes, {
        "status": [MinutesStatus.CIRCULATED.value, MinutesStatus.APPROVED.value], "revision": 1,
        "endorsements": [minutes.endorsement_count, len(minutes.attendees)]})
    return revision


def is_unchanged(minutes: Minutes, data: dict) -> bool:
    """Tell whether a proposed revision changes nothing in the approved minutes."""
    return all((data.get(field) or "") == (getattr(minutes, field) or "") for field in REVISED_FIELDS)


def revise(actor, minutes: Minutes, data: dict) -> MinutesRevision:
    """Change approved minutes as a new revision with a reason; every earlier revision is kept."""
    minutes.title = data["title"]
    minutes.body = data.get("body") or ""
    minutes.decisions = data.get("decisions") or ""
    minutes.visibility = Visibility(data["visibility"])
    changes = changed_fields(minutes, REVISED_FIELDS)
    latest = db.session.scalar(
        select(func.max(MinutesRevision.number)).where(MinutesRevision.minutes_id == minutes.id))
    revision = _add_revision(actor, minutes, (latest or 0) + 1, data["reason"])
    # The revision is a new row; make sure the minutes row is updated too, so two revisions collide.
    _touch(minutes)
    db.session.flush()
    record_event(actor, "revise", minutes, {**changes, "revision": revision.number, "reason": data["reason"]})
    return revision


class EndorsementClosed(Exception):
    """The minutes left the circulated state (approved, or back to draft) before the endorsement was stored."""


def endorse(actor, minutes: Minutes) -> Endorsement:
    """Endorse circulated minutes on behalf of the actor's organisation.

    The minutes' row is read again under a share lock: an approval committed since the page was loaded is
    seen here and refuses the endorsement, and an approval that comes after waits for it and counts it.
    """
    status = db.session.scalar(select(Minutes.status).where(Minutes.id == minutes.id)
                               .with_for_update(read=True).execution_options(populate_existing=True))
    if status != MinutesStatus.CIRCULATED:
        raise EndorsementClosed()
    endorsement = Endorsement(minutes_id=minutes.id, organisation_id=actor.organisation_id, user_id=actor.id)
    db.session.add(endorsement)
    db.session.flush()
    record_event(actor, "endorse", minutes, {"endorsement": endorsement.id})
    return endorsement


def add_comment(actor, minutes: Minutes, body: str, idempotency_key: str | None = None) -> MinutesComment:
    """Append a comment of the actor's organisation to circulated minutes."""
    comment = MinutesComment(minutes_id=minutes.id, organisation_id=actor.organisation_id, author_id=actor.id,
                             body=body, idempotency_key=idempotency_key or None)
    db.session.add(comment)
    db.session.flush()
    record_event(actor, "comment", minutes, {"comment": comment.id})
    return comment


def _apply_item(item: ActionItem, data: dict) -> None:
    item.set_texts(data)
    item.responsible_organisation_id = int(data["responsible_organisation_id"])
    item.due_date = data.get("due_date")


def add_action_item(actor, minutes: Minutes, data: dict, idempotency_key: str | None = None) -> ActionItem:
    """Add an action item at the end of a draft's list."""
    last = db.session.scalar(select(func.max(ActionItem.position)).where(ActionItem.minutes_id == minutes.id))
    item = ActionItem(minutes_id=minutes.id, position=(last or 0) + 1,
                      idempotency_key=idempotency_key or None)
    _apply_item(item, data)
    db.session.add(item)
    _touch(minutes)
    db.session.flush()
    added = {field: [None, plain_value(getattr(item, field))] for field in ITEM_FIELDS}
    record_event(actor, "add_action_item", minutes, {"action_item": item.id, **added})
    return item


def update_action_item(actor, item: ActionItem, data: dict) -> None:
    """Change an action item of a draft."""
    _apply_item(item, data)
    if changes := changed_fields(item, ITEM_FIELDS):
        _touch(item.minutes)
        record_event(actor, "update_action_item", item.minutes, {"action_item": item.id, **changes})


def remove_action_item(actor, item: ActionItem) -> None:
    """Remove an action item from a draft (the audit trail keeps what it said)."""
    minutes = item.minutes
    removed = {field: [plain_value(getattr(item, field)), None] for field in ITEM_FIELDS}
    record_event(actor, "remove_action_item", minutes, {"action_item": item.id, **removed})
    db.session.delete(item)
    _touch(minutes)


def convert_action_item(actor, item: ActionItem, data: dict, idempotency_key: str | None = None):
    """Log the commitment an action item asks for, linked both ways; None if the item was converted meanwhile.

    The link is set with a conditional UPDATE, so two people converting the same item at once cannot
    both succeed: the loser gets None and the caller rolls back its commitment.
    """
    commitment = create_commitment(actor, data, idempotency_key, source_minutes_id=item.minutes_id)
    linked = db.session.execute(
        update(ActionItem).where(ActionItem.id == item.id, ActionItem.commitment_id.is_(None),
                                 ActionItem.joint_action_id.is_(None))
        .values(commitment_id=commitment.id).execution_options(synchronize_session=False)
    ).rowcount
    if linked != 1:
        return None
    db.session.expire(item, ["commitment_id", "commitment"])
    record_event(actor, "convert_action_item", item.minutes,
                 {"action_item": item.id, "commitment": commitment.id})
    return commitment


def attach_file(actor, minutes: Minutes, attachment) -> None:
    """Add a stored file to a draft."""
    minutes.attachments.append(attachment)
    _touch(minutes)
    record_event(actor, "attach", minutes, {"attachment": attachment.id, "name": attachment.original_name})


def detach_file(actor, minutes: Minutes, attachment) -> None:
    """Remove a file from a draft; the stored file and its row stay, for the audit trail."""
    minutes.attachments.remove(attachment)
    _touch(minutes)
    record_event(actor, "detach", minutes, {"attachment": attachment.id, "name": attachment.original_name})
