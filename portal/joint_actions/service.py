"""Joint-action operations: they flush and write the audit trail; the route commits once.

Events about the shared part are recorded on the action; events about one party's share (proposal,
answer, deliverable, progress, reviews) on that party, so the history tells who did what to whose part.
"""

from sqlalchemy import select, update

from portal.commitments.service import chosen_themes, tag_slugs, update_with_themes
from portal.core.audit import changed_fields, plain_value, record_event
from portal.core.db import utcnow
from portal.core.permissions import Visibility
from portal.extensions import db
from portal.frameworks.models import chosen_tags
from portal.joint_actions.models import (
    ActionCountry,
    JointAction,
    Milestone,
    Party,
    PartyRole,
    Response,
    derive_status,
    joint_action_commitments,
)
from portal.minutes.models import ActionItem
from portal.progress.service import report_progress

#: Every language of the translated fields is edited, and recorded, like any other field.
EDITABLE_FIELDS = ["title_es", "title_en", "description_es", "description_en", "original_language", "symposium_id",
                   "source_minutes_id", "start_date", "end_date", "visibility"]
PARTY_FIELDS = ["deliverable_es", "deliverable_en", "deliverable_due"]


def _optional_id(value) -> int | None:
    return int(value) if value else None


def _apply(action: JointAction, data: dict) -> None:
    action.set_texts(data)
    action.symposium_id = _optional_id(data.get("symposium_id"))
    action.source_minutes_id = _optional_id(data.get("source_minutes_id"))
    action.start_date = data.get("start_date")
    action.end_date = data.get("end_date")
    action.visibility = Visibility(data["visibility"])


def find_by_idempotency_key(key: str | None) -> JointAction | None:
    """Return the joint action created by an earlier submission of the same form, if any."""
    if not key:
        return None
    return db.session.scalar(select(JointAction).where(JointAction.idempotency_key == key))


def refresh_status(action: JointAction) -> None:
    """Store the status derived from the accepted parties' statuses.

    The action's row is locked first and the statuses then read from the database: two parties
    reporting at the same moment would otherwise each derive the status without the other's news
    (PostgreSQL; SQLite serialises writing requests anyway). The plain UPDATE leaves the version
    alone: a party's progress is not an edit of the shared part, so it must not turn the lead's
    open edit form into a conflict.
    """
    db.session.flush()
    db.session.execute(select(JointAction.id).where(JointAction.id == action.id).with_for_update())
    status = derive_status(db.session.scalars(
        select(Party.status).where(Party.action_id == action.id, Party.response == Response.ACCEPTED)))
    db.session.execute(update(JointAction).where(JointAction.id == action.id).values(status=status))


def create_action(actor, data: dict, idempotency_key: str | None = None) -> JointAction:
    """Start a joint action led by the actor's organisation, whose party is accepted at once."""
    action = JointAction(lead_organisation_id=actor.organisation_id, created_by_id=actor.id,
                         idempotency_key=idempotency_key or None)
    _apply(action, data)
    action.themes = chosen_themes(data.get("themes"))
    action.framework_tags = chosen_tags(data.get("framework_tags"))
    action.parties = [Party(organisation_id=actor.organisation_id, role=PartyRole.LEAD, response=Response.ACCEPTED,
                            responded_at=utcnow(), proposed_by_id=actor.id)]
    db.session.add(action)
    db.session.flush()
    changes = {field: [None, plain_value(getattr(action, field))] for field in EDITABLE_FIELDS}
    changes["themes"] = [None, ", ".join(sorted(theme.code for theme in action.themes))]
    if action.framework_tags:
        changes["framework_tags"] = [None, tag_slugs(action.framework_tags)]
    record_event(actor, "create", action, changes)
    return action


def update_action(actor, action: JointAction, data: dict) -> None:
    """Change the shared fields, recording each change."""
    update_with_themes(actor, action, data, _apply, EDITABLE_FIELDS)


def propose_partner(actor, action: JointAction, data: dict) -> Party:
    """Propose an organisation as a party; one that declined before may be proposed again."""
    organisation_id = int(data["organisation_id"])
    party = next((p for p in action.parties if p.organisation_id == organisation_id), None)
    if party is None:
        party = Party(organisation_id=organisation_id, position=max(p.position for p in action.parties) + 1)
        action.parties.append(party)
    elif party.response != Response.DECLINED:
        raise ValueError("the organisation is already a party or proposed")
    party.role = PartyRole(data["role"])
    party.set_texts(data)
    party.deliverable_due = data.get("deliverable_due")
    party.response = Response.PROPOSED
    party.responded_at = None
    party.proposed_by_id = actor.id
    db.session.flush()
    record_event(actor, "propose_party", party, {
        "organisation_id": [None, organisation_id], "role": [None, party.role],
        "deliverable_es": [None, party.deliverable_es], "deliverable_en": [None, party.deliverable_en],
        "deliverable_due": [None, plain_value(party.deliverable_due)]})
    return party


def respond(actor, party: Party, accept: bool) -> None:
    """Accept or decline a proposal for the actor's organisation."""
    party.response = Response.ACCEPTED if accept else Response.DECLINED
    party.responded_at = utcnow()
    record_event(actor, "accept_party" if accept else "decline_party", party,
                 {"response": [Response.PROPOSED.value, party.response]})
    refresh_status(party.action)


def update_party(actor, party: Party, data: dict, expected_version: int | None = None) -> bool:
    """Change a party's own deliverable and its due date; False, changing nothing, when the share was saved
    by someone else since ``expected_version`` (the version the form was opened at).

    The version moves with a conditional UPDATE rather than the ORM's version counter: the party's row is
    also written by progress reports and answers, which must not collide with an open deliverable form.
    """
    bumped = db.session.execute(
        update(Party).where(Party.id == party.id, *([Party.version == expected_version] if expected_version else []))
        .values(version=Party.version + 1).execution_options(synchronize_session=False)).rowcount
    if bumped != 1:
        return False
    party.set_texts(data)
    party.deliverable_due = data.get("deliverable_due")
    if changes := changed_fields(party, PARTY_FIELDS):
        record_event(actor, "update_party", party, changes)
    return True


def report_party_progress(actor, party: Party, data: dict, attachment=None, idempotency_key: str | None = None):
    """Append a progress update on a party's share (the commitments' machinery) and refresh the overall status."""
    progress = report_progress(actor, party, data, attachment, idempotency_key)
    refresh_status(party.action)
    return progress


def add_country(actor, action: JointAction, iso3: str, role: str) -> ActionCountry:
    """Record a country's role on the route; the same role twice is refused by the caller's check."""
    position = max((entry.position for entry in action.countries), default=0) + 1
    entry = ActionCountry(country_iso3=iso3, role=role, position=position)
    action.countries.append(entry)
    db.session.flush()
    record_event(actor, "add_country", action, {"country": [None, f"{iso3} {role}"]})
    return entry


def remove_country(actor, entry: ActionCountry) -> None:
    """Take a country's role off the action."""
    record_event(actor, "remove_country", entry.action, {"country": [f"{entry.country_iso3} {entry.role}", None]})
    entry.action.countries.remove(entry)
    db.session.flush()


def add_milestone(actor, action: JointAction, data: dict, idempotency_key: str | None = None) -> Milestone:
    """Add a milestone with its due date (and its done date, if it was already reached)."""
    milestone = Milestone(due_date=data.get("due_date"), done_on=data.get("done_on"),
                          idempotency_key=idempotency_key)
    milestone.set_texts(data)
    action.milestones.append(milestone)
    db.session.flush()
    record_event(actor, "add_milestone", action, {
        "milestone_es": [None, milestone.title_es], "milestone_en": [None, milestone.title_en],
        "due_date": [None, plain_value(milestone.due_date)],
        "done_on": [None, plain_value(milestone.done_on)]})
    return milestone


def set_milestone_done(actor, milestone: Milestone, done_on) -> None:
    """Mark a milestone reached on ``done_on``, or open again with None."""
    old = milestone.done_on
    milestone.done_on = done_on
    record_event(actor, "milestone_done" if done_on else "milestone_reopened", milestone.action,
                 {"milestone": [milestone.recorded_title, milestone.recorded_title],
                  "done_on": [plain_value(old), plain_value(done_on)]})


def link_commitment(actor, action: JointAction, commitment) -> None:
    """Link a commitment that contributes to the action (it stays its owner's)."""
    db.session.execute(joint_action_commitments.insert().values(joint_action_id=action.id,
                                                                 commitment_id=commitment.id))
    record_event(actor, "link_commitment", action, {"commitment": [None, commitment.id]})


def unlink_commitment(actor, action: JointAction, commitment) -> None:
    """Remove the link between the action and a commitment (the commitment itself stays)."""
    db.session.execute(joint_action_commitments.delete().where(
        joint_action_commitments.c.joint_action_id == action.id,
        joint_action_commitments.c.commitment_id == commitment.id))
    record_event(actor, "unlink_commitment", action, {"commitment": [commitment.id, None]})


def create_from_action_item(actor, item, data: dict, idempotency_key: str | None = None) -> JointAction | None:
    """Start the joint action an action item of approved minutes asks for, led by the actor's organisation and
    linked both ways; None when the item became a commitment or a joint action meanwhile (the caller rolls back).
    """
    action = create_action(actor, {**data, "source_minutes_id": item.minutes_id}, idempotency_key)
    linked = db.session.execute(
        update(ActionItem).where(ActionItem.id == item.id, ActionItem.commitment_id.is_(None),
                                 ActionItem.joint_action_id.is_(None))
        .values(joint_action_id=action.id).execution_options(synchronize_session=False)).rowcount
    if linked != 1:
        return None
    record_event(actor, "convert_action_item", item.minutes, {"action_item": item.id, "joint_action": action.id})
    return action
