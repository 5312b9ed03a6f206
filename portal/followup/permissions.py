"""Who may ask for an update, who may see update requests, and who may read the IOM follow-up board.

The same rules serve the routes (enforcement), the queries (filters) and the templates (links only).

* IOM follow-up staff (editors and org admins of an IOM office) ask any other organisation for news on a
  commitment or a joint-action share they can see.
* The lead of a joint action (its editors) asks the other accepted parties of that action.
* Requests are partner-to-partner follow-up: they are shown to signed-in people who may see the item,
  never to the public, even on a public item.
* The board is for IOM follow-up staff and site administrators.
"""

from portal.commitments.models import Commitment
from portal.commitments.permissions import can_view_commitment
from portal.core.permissions import is_iom_follow_up, is_site_admin
from portal.joint_actions.models import Party
from portal.joint_actions.permissions import can_edit_joint_action, can_view_joint_action


def can_view_subject(user, subject) -> bool:
    """Tell whether the user may see the commitment or the accepted joint-action party."""
    if isinstance(subject, Commitment):
        return can_view_commitment(user, subject)
    if isinstance(subject, Party):
        return subject.is_accepted and can_view_joint_action(user, subject.action)
    return False


def can_request_update(user, subject) -> bool:
    """IOM follow-up staff ask another organisation about an item they see; a joint action's lead asks its
    parties."""
    if not getattr(user, "is_authenticated", False) or not can_view_subject(user, subject):
        return False
    if subject.organisation_id == user.organisation_id:
        return False
    if isinstance(subject, Commitment):
        return is_iom_follow_up(user) and not subject.is_archived
    return is_iom_follow_up(user) or can_edit_joint_action(user, subject.action)


def can_view_update_requests(user, subject) -> bool:
    """Signed-in people who may see the item see the requests made about it."""
    return bool(getattr(user, "is_authenticated", False)) and can_view_subject(user, subject)


def can_view_board(user) -> bool:
    """The IOM follow-up board: IOM follow-up staff and site administrators."""
    return is_iom_follow_up(user) or is_site_admin(user)
