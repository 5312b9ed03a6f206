"""Who may create and edit symposia. Symposium pages themselves are public."""

from portal.core.permissions import Role, has_role, is_iom_follow_up, is_site_admin


def can_create_symposium(user) -> bool:
    """Site admins and editors create symposia; an editor's organisation becomes an organiser."""
    return is_site_admin(user) or has_role(user, Role.EDITOR)


def can_edit_symposium(user, symposium) -> bool:
    """Site admins, IOM follow-up staff and editors of an organising organisation edit a symposium."""
    if is_site_admin(user) or is_iom_follow_up(user):
        return True
    return has_role(user, Role.EDITOR) and any(
        organiser.organisation_id == user.organisation_id for organiser in symposium.organisers
    )
