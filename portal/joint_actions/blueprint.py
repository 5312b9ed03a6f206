"""The joint-actions blueprint; its views live in routes.py, party_routes.py and plan_routes.py."""

from datetime import date

from flask import Blueprint
from flask_babel import format_date
from flask_babel import lazy_gettext as _l

from portal.commitments.blueprint import change_value
from portal.core.audit import audit_label
from portal.core.translated import with_languages
from portal.joint_actions.permissions import (
    can_answer_date_proposal,
    can_create_joint_action,
    can_edit_joint_action,
    can_edit_party,
    can_respond_to_proposal,
    can_review_party_update,
    can_view_joint_action,
)

bp = Blueprint("joint_actions", __name__)

EVENT_LABELS = {
    "propose_party": _l("Partner proposed"),
    "accept_party": _l("Proposal accepted"),
    "decline_party": _l("Proposal declined"),
    "update_party": _l("Deliverable changed"),
    "add_country": _l("Country added"),
    "remove_country": _l("Country removed"),
    "add_milestone": _l("Milestone added"),
    "milestone_done": _l("Milestone reached"),
    "milestone_reopened": _l("Milestone reopened"),
    "link_commitment": _l("Commitment linked"),
    "unlink_commitment": _l("Commitment unlinked"),
    "propose_date": _l("New date proposed"),
    "agree_date": _l("New date agreed by a party"),
    "decline_date": _l("New date declined by a party"),
    "date_agreed": _l("New date in effect"),
}

DATE_FIELDS = {"start_date", "end_date", "deliverable_due"}
FIELD_LABELS = with_languages({
    "title": _l("Title"), "description": _l("Description"), "symposium_id": _l("Symposium"),
    "source_minutes_id": _l("From the minutes"), "start_date": _l("Start date"), "end_date": _l("End date"),
    "visibility": _l("Who can read it"), "themes": _l("Themes"), "deliverable": _l("Deliverable"),
    "deliverable_due": _l("Due date of the deliverable"), "framework_tags": _l("International frameworks"),
    "milestone": _l("Milestone"),
}, ("title", "description", "deliverable", "milestone"))


@bp.app_template_global()
def action_event_label(action: str) -> str:
    """Return the translated name of an event in a joint action's history."""
    return str(EVENT_LABELS[action]) if action in EVENT_LABELS else audit_label(action)


@bp.app_template_global()
def action_change_value(field: str, value) -> str:
    """Return a recorded value as the reader knows it (dates written out, labels rather than codes)."""
    if field in DATE_FIELDS and value:
        return format_date(date.fromisoformat(value), "long")
    return change_value(field, value)


@bp.app_template_global()
def action_field_label(field: str) -> str:
    """Return the translated name of a joint-action field, for the change history."""
    return str(FIELD_LABELS.get(field, field))


# Templates use the same rules as the routes, only to show or hide buttons.
for rule in (can_answer_date_proposal, can_create_joint_action, can_edit_joint_action, can_edit_party,
             can_respond_to_proposal, can_review_party_update, can_view_joint_action):
    bp.add_app_template_global(rule)
