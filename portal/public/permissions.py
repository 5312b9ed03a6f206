"""Who may keep a country's context figures.

Context figures are published statistics, so everyone reads them; IOM follow-up staff (editors or
organisation administrators of an IOM office) and site administrators add, edit and archive them.
"""

from portal.core.permissions import is_iom_follow_up, is_site_admin


def can_manage_context_figures(user) -> bool:
    """IOM follow-up staff and site administrators add, edit and archive context figures."""
    return is_site_admin(user) or is_iom_follow_up(user)


def can_edit_context_figure(user, figure) -> bool:
    """A figure that is not archived can be changed by those who manage context figures."""
    return can_manage_context_figures(user) and not figure.is_archived
