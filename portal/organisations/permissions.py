"""Who may manage organisations and their people."""

from portal.core.permissions import Role, has_role, is_site_admin


def can_manage_organisations(user) -> bool:
    """Site administrators create, edit and disable organisations."""
    return is_site_admin(user)


def can_manage_people(user, organisation=None) -> bool:
    """Site administrators manage every account; org admins those of their own organisation."""
    if is_site_admin(user):
        return True
    if not has_role(user, Role.ORG_ADMIN):
        return False
    return organisation is None or organisation.id == user.organisation_id


def can_edit_member(user, member) -> bool:
    """Edit or disable an account: site admins any, org admins their organisation's (not site admins)."""
    if is_site_admin(user):
        return member.id != user.id
    return (
        has_role(user, Role.ORG_ADMIN)
        and not member.is_site_admin
        and member.organisation_id == user.organisation_id
        and member.id != user.id
    )


def can_reset_second_factor(user, member) -> bool:
    """Only site administrators reset someone else's second factor (a lost phone), and only one that is on."""
    return is_site_admin(user) and member.id != user.id and member.has_mfa


def can_view_audit(user) -> bool:
    """The whole audit trail, across organisations, is for site administrators."""
    return is_site_admin(user)
