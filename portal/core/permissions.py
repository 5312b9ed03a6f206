"""Permissions core: roles, capabilities, and the decorators that classify every endpoint.

Each domain module writes its rules as pure functions ``can_<verb>_<noun>(user, obj) -> bool``
in its own ``permissions.py``; routes enforce them with :func:`require` or
:func:`require_visible`, list queries reuse them as filters, and templates only use them
to show or hide buttons. Every view is marked :func:`public` or protected by
:func:`login_required`; a convention test fails on any endpoint marked neither.
"""

from enum import StrEnum
from functools import wraps

from flask import abort
from flask_babel import lazy_gettext as _l
from flask_login import current_user


class Role(StrEnum):
    VIEWER = "viewer"
    EDITOR = "editor"
    ORG_ADMIN = "org_admin"


class Visibility(StrEnum):
    PUBLIC = "public"
    PARTNERS = "partners"
    PARTIES = "parties"


VISIBILITY_LABELS = {
    Visibility.PUBLIC: _l("Public: anyone can read it"),
    Visibility.PARTNERS: _l("Partners: any signed-in partner"),
    Visibility.PARTIES: _l("Parties: only the organisations involved"),
}


ROLE_RANK = {Role.VIEWER: 1, Role.EDITOR: 2, Role.ORG_ADMIN: 3}


def has_role(user, minimum: Role) -> bool:
    """Tell whether a signed-in user holds at least ``minimum`` in their organisation."""
    if not getattr(user, "is_authenticated", False) or user.organisation_id is None:
        return False
    return ROLE_RANK[Role(user.role)] >= ROLE_RANK[minimum]


def is_site_admin(user) -> bool:
    """Tell whether the user is a site administrator."""
    return bool(getattr(user, "is_authenticated", False) and user.is_site_admin)


def public(view):
    """Mark a view as open to anonymous visitors."""
    view.access = "public"
    return view


def login_required(view):
    """Require a signed-in user; anonymous visitors are sent to the sign-in page."""
    from portal.extensions import login_manager

    @wraps(view)
    def wrapper(*args, **kwargs):
        if not current_user.is_authenticated:
            return login_manager.unauthorized()
        return view(*args, **kwargs)

    wrapper.access = "protected"
    return wrapper


def require(allowed: bool) -> None:
    """Stop the request with 403 unless the rule allowed it."""
    if not allowed:
        abort(403)


def require_visible(allowed: bool) -> None:
    """Stop with 404 when the user may not see the object, so its existence stays hidden."""
    if not allowed:
        abort(404)


def role_label(user) -> str:
    """Return the short, translated name of a user's role."""
    from flask_babel import gettext as _

    if is_site_admin(user):
        return _("Site administrator")
    names = {Role.VIEWER: _("Viewer"), Role.EDITOR: _("Editor"), Role.ORG_ADMIN: _("Organisation administrator")}
    return names[Role(user.role)]


def is_iom_follow_up(user) -> bool:
    """Editors of an IOM office hold the follow-up powers across partners."""
    return has_role(user, Role.EDITOR) and user.organisation is not None and user.organisation.kind == "iom_office"
