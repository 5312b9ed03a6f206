"""The minutes blueprint; its views live in routes.py, revision_routes.py and item_routes.py."""

from flask import Blueprint
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from portal.commitments.permissions import can_view_commitment
from portal.commitments.renegotiation import offer_minutes
from portal.core.audit import audit_label
from portal.extensions import db
from portal.minutes.models import Minutes, MinutesStatus
from portal.minutes.permissions import (
    can_approve_minutes,
    can_circulate_minutes,
    can_comment_minutes,
    can_convert_action_item,
    can_create_minutes,
    can_edit_minutes,
    can_endorse_minutes,
    can_return_minutes_to_draft,
    can_revise_minutes,
    can_view_minutes,
    visible_minutes_filter,
)

bp = Blueprint("minutes", __name__)

DIFF_FIELD_LABELS = {"title": _l("Title"), "body": _l("Text of the minutes"), "decisions": _l("Decisions")}


#: The minutes' audited actions as the change history names them (others: see core.audit).
EVENT_LABELS = {
    "circulate": _l("Circulated for comment and endorsement"), "return_to_draft": _l("Returned to draft"),
    "approve": _l("Approved"), "revise": _l("Revised"), "endorse": _l("Endorsed"), "comment": _l("Commented"),
    "add_action_item": _l("Action item added"), "update_action_item": _l("Action item changed"),
    "remove_action_item": _l("Action item removed"), "convert_action_item": _l("Action item made a commitment"),
    "attach": _l("File attached"), "detach": _l("File removed"),
}


@bp.app_template_global()
def minutes_event_label(action: str) -> str:
    """Return the translated name of an event in the minutes' history."""
    return str(EVENT_LABELS[action]) if action in EVENT_LABELS else audit_label(action)


@bp.app_template_global()
def minutes_field_label(field: str) -> str:
    """Return the translated name of a compared field of the minutes."""
    return str(DIFF_FIELD_LABELS.get(field, field))


# Templates use the same rules as the routes, only to show or hide buttons. can_view_minutes also lets
# the commitment page show its source minutes only to readers who may see them.
for rule in (can_approve_minutes, can_circulate_minutes, can_comment_minutes, can_convert_action_item,
             can_create_minutes, can_edit_minutes, can_endorse_minutes, can_return_minutes_to_draft,
             can_revise_minutes, can_view_minutes, can_view_commitment):
    bp.add_app_template_global(rule)


#: Approved minutes offered when a deadline is renegotiated (the most recent).
MINUTES_OFFERED = 200


def _approved_minutes(user) -> list[tuple[int, str]]:
    """The approved minutes ``user`` may see, newest first, for naming where a deadline was renegotiated."""
    rows = db.session.execute(
        select(Minutes.id, Minutes.title, Minutes.meeting_date)
        .where(visible_minutes_filter(user), Minutes.status == MinutesStatus.APPROVED)
        .order_by(Minutes.meeting_date.desc(), Minutes.id.desc()).limit(MINUTES_OFFERED))
    return [(id_, f"{title} ({meeting_date.isoformat()})") for id_, title, meeting_date in rows]


offer_minutes(_approved_minutes)
