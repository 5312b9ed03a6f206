"""Who may see and change joint actions, their parties and the parties' progress updates.

The same rules serve the routes (enforcement), the list queries (visibility filter) and the
templates (which buttons to show).

* Visibility as for commitments: ``public`` (anyone), ``partners`` (any signed-in user), ``parties``
  (the organisations that are *accepted* parties; the lead always is one). Site admins see everything
  and change nothing: they never act for an organisation.
* The lead's editors change the shared part: facts, countries, milestones, linked commitments, and
  propose partners.
* A proposed organisation's editors (and org admins) accept or decline; until it accepts, and after it
  declines, the organisation holds no right on the action.
* Each accepted party's editors change their own deliverable and report their own progress, nothing else.
* IOM follow-up staff verify or question the updates of other organisations' parties they can see.
"""

from sqlalchemy import false, or_, select, true

from portal.core.permissions import Role, Visibility, has_role, is_iom_follow_up, is_site_admin
from portal.joint_actions.models import JointAction, Party, Response


def _signed_in(user) -> bool:
    return bool(getattr(user, "is_authenticated", False))


def is_accepted_party(user, action) -> bool:
    """Tell whether the user's organisation is an accepted party of the action."""
    return _signed_in(user) and action.party_of(user.organisation_id) is not None


def can_view_joint_action(user, action) -> bool:
    """Public actions for everyone, partners actions for signed-in users, parties actions for the parties."""
    if action.visibility == Visibility.PUBLIC or is_site_admin(user):
        return True
    if not _signed_in(user):
        return False
    if action.visibility == Visibility.PARTNERS:
        return True
    return is_accepted_party(user, action)


def visible_actions_filter(user):
    """The SQL condition matching exactly the joint actions ``can_view_joint_action`` allows."""
    if is_site_admin(user):
        return true()
    if not _signed_in(user):
        return JointAction.visibility == Visibility.PUBLIC
    if user.organisation_id is None:
        return false()
    accepted = select(Party.action_id).where(Party.organisation_id == user.organisation_id,
                                             Party.response == Response.ACCEPTED)
    return or_(JointAction.visibility.in_([Visibility.PUBLIC, Visibility.PARTNERS]), JointAction.id.in_(accepted))


def can_create_joint_action(user) -> bool:
    """Editors start joint actions led by their own organisation."""
    return has_role(user, Role.EDITOR)


def can_edit_joint_action(user, action) -> bool:
    """The lead's editors change the shared part and propose partners."""
    return has_role(user, Role.EDITOR) and user.organisation_id == action.lead_organisation_id


def can_respond_to_proposal(user, party) -> bool:
    """Editors of a proposed organisation accept or decline, once."""
    return (party.response == Response.PROPOSED and has_role(user, Role.EDITOR)
            and user.organisation_id == party.organisation_id)


def can_edit_party(user, party) -> bool:
    """An accepted party's editors change their own deliverable and report their own progress."""
    return party.is_accepted and has_role(user, Role.EDITOR) and user.organisation_id == party.organisation_id


def can_review_party_update(user, update) -> bool:
    """IOM follow-up staff verify or question other organisations' party updates they can see."""
    party = update.party
    return (
        party is not None
        and party.is_accepted
        and is_iom_follow_up(user)
        and update.organisation_id != user.organisation_id
        and can_view_joint_action(user, party.action)
    )


def can_answer_date_proposal(user, proposal) -> bool:
    """Editors of an accepted party other than the lead answer a pending date proposal, once."""
    from portal.joint_actions.date_models import ProposalState

    action = proposal.action
    return (proposal.state == ProposalState.PENDING and has_role(user, Role.EDITOR)
            and user.organisation_id != action.lead_organisation_id
            and any(party.is_accepted and party.organisation_id == user.organisation_id for party in action.parties)
            and proposal.answer_of(user.organisation_id) is None)
