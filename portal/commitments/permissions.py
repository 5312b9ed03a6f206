"""Who may see and change commitments and their progress updates.

The same rules serve the routes (enforcement), the list queries (visibility filter) and the
templates (which buttons to show).
"""

from sqlalchemy import false, or_, select, true

from portal.commitments.models import Commitment
from portal.commitments.proposal_models import CommitmentProposal, ProposalState
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


def can_import_commitments(user) -> bool:
    """Editors import their own organisation's commitments from a table, as they would log them one by one."""
    return can_create_commitment(user)


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


# Proposed commitments (see proposal_models.py) are no commitments: they sit in their own table, so every list,
# count, feed, export, API answer, search and figure, which read commitments, leaves them out by construction.

def is_symposium_organiser(user, symposium) -> bool:
    """Editors of an organisation that organised ``symposium``."""
    return bool(symposium) and has_role(user, Role.EDITOR) and any(
        participant.organisation_id == user.organisation_id for participant in symposium.organisers)


def can_propose_commitment(user, organisation_id: int, symposium) -> bool:
    """IOM follow-up staff, and a symposium's organisers for that symposium, draft commitments for others."""
    if organisation_id == getattr(user, "organisation_id", None):
        return False
    return is_iom_follow_up(user) or is_symposium_organiser(user, symposium)


def can_view_proposal(user, proposal: CommitmentProposal) -> bool:
    """The organisation it is proposed to, whoever drafted it, and IOM follow-up staff."""
    if not getattr(user, "is_authenticated", False):
        return False
    return (user.organisation_id in (proposal.organisation_id, proposal.drafted_by_organisation_id)
            or is_iom_follow_up(user))


def can_decide_proposal(user, proposal: CommitmentProposal) -> bool:
    """The editors of the organisation it is proposed to edit, accept or decline it while it is open."""
    return (proposal.state == ProposalState.PROPOSED and has_role(user, Role.EDITOR)
            and user.organisation_id == proposal.organisation_id)


def open_proposals(user):
    """The query of the open proposals ``user`` may see, oldest first (the owner's dashboard, IOM's list)."""
    query = select(CommitmentProposal).where(CommitmentProposal.state == ProposalState.PROPOSED)
    if not is_iom_follow_up(user):
        query = query.where((CommitmentProposal.organisation_id == user.organisation_id)
                            | (CommitmentProposal.drafted_by_organisation_id == user.organisation_id))
    return query.order_by(CommitmentProposal.created_at, CommitmentProposal.id)
