"""Who may see and change commitments and their progress updates.

The same rules serve the routes (enforcement), the list queries (visibility filter) and the
templates (which buttons to show).
"""

from sqlalchemy import false, or_, true

from portal.commitments.models import Commitment
from portal.core.permissions import Role, Visibility, has_role, is_iom_follow_up, is_site_admin


def can_view_commitment(user, commitment) -> bool:
    """Public items for everyone, partners items for signed-in users, parties items for the owner."""
    if commitment.visibility == Visibility.PUBLIC or is_site_admin(user):
        return True
    if not getattr(user, "is_authenticated", False):
        return False
    if commitment.visibility == Visibility.PARTNERS:
        return True
    return user.organisation_id == commitment.organisation_id


def visible_commitments_filter(user):
    """The SQL condition matching exactly the commitments ``can_view_commitment`` allows."""
    if is_site_admin(user):
        return true()
    if not getattr(user, "is_authenticated", False):
        return Commitment.visibility == Visibility.PUBLIC
    if user.organisation_id is None:
        return false()
    return or_(
        Commitment.visibility.in_([Visibility.PUBLIC, Visibility.PARTNERS]),
        Commitment.organisation_id == user.organisation_id,
    )


def can_create_commitment(user) -> bool:
    """Editors log their own organisation's commitments (site admins never post as an organisation)."""
    return has_role(user, Role.EDITOR)


def can_edit_commitment(user, commitment) -> bool:
    """Only editors of the owning organisation edit, archive or report progress."""
    return has_role(user, Role.EDITOR) and user.organisation_id == commitment.organisation_id


def can_report_progress(user, commitment) -> bool:
    """The owner's editors report progress on a commitment that is not archived."""
    return can_edit_commitment(user, commitment) and not commitment.is_archived


def can_review_update(user, update) -> bool:
    """IOM follow-up staff verify or question updates of other organisations that they can see."""
    return (
        is_iom_follow_up(user)
        and update.organisation_id != user.organisation_id
        and can_view_commitment(user, update.commitment)
    )


def visible_tallies_filter(user, table):
    """``visible_commitments_filter`` for summary rows keyed by visibility and owner (``owner_id``: the
    organisation of a "parties" row) or organisation (``table``)."""
    if is_site_admin(user):
        return true()
    if not getattr(user, "is_authenticated", False):
        return table.c.visibility == Visibility.PUBLIC
    if user.organisation_id is None:
        return false()
    owner = table.c.owner_id if "owner_id" in table.c else table.c.organisation_id
    return or_(table.c.visibility.in_([Visibility.PUBLIC, Visibility.PARTNERS]), owner == user.organisation_id)
