"""Who may see minutes and move them through their workflow.

The same rules serve the routes (enforcement), the list query (visibility filter) and the templates
(which buttons to show).

* A draft is seen only by the authoring organisation (anyone else gets 404).
* Circulated minutes are seen by the attending organisations (the author always attends).
* Approved minutes are seen according to their visibility: ``public`` (anyone), ``partners`` (any
  signed-in user) or ``parties`` (the attending organisations).
* Site administrators see everything but never act for an organisation: they hold no editor role.
* Only editors of the authoring organisation edit drafts, circulate, return to draft, approve and
  revise. Approval needs the circulated state but no minimum of endorsements: the meeting, not the
  portal, decides when minutes are adopted, and the page shows how many delegations endorsed them.
* Editors of attending organisations comment on and endorse circulated minutes, one endorsement per
  organisation; a non-attending organisation can do neither.
"""

from sqlalchemy import and_, false, or_, select, true

from portal.core.permissions import Role, Visibility, has_role, is_site_admin
from portal.minutes.models import Minutes, MinutesStatus, minutes_attendees


def _signed_in(user) -> bool:
    return bool(getattr(user, "is_authenticated", False))


def _is_author(user, minutes) -> bool:
    return _signed_in(user) and user.organisation_id is not None and \
        user.organisation_id == minutes.author_organisation_id


def can_view_minutes(user, minutes) -> bool:
    """Drafts for the author, circulated minutes for attendees, approved ones by their visibility."""
    if is_site_admin(user) or _is_author(user, minutes):
        return True
    if minutes.status == MinutesStatus.APPROVED and minutes.visibility == Visibility.PUBLIC:
        return True
    if not _signed_in(user) or minutes.status == MinutesStatus.DRAFT:
        return False
    if minutes.status == MinutesStatus.APPROVED and minutes.visibility == Visibility.PARTNERS:
        return True
    return minutes.attended_by(user.organisation_id)


def visible_minutes_filter(user):
    """The SQL condition matching exactly the minutes ``can_view_minutes`` allows."""
    if is_site_admin(user):
        return true()
    approved = Minutes.status == MinutesStatus.APPROVED
    public_ = and_(approved, Minutes.visibility == Visibility.PUBLIC)
    if not _signed_in(user):
        return public_
    if user.organisation_id is None:
        return false()
    attends = Minutes.id.in_(select(minutes_attendees.c.minutes_id)
                             .where(minutes_attendees.c.organisation_id == user.organisation_id))
    return or_(
        Minutes.author_organisation_id == user.organisation_id,
        and_(approved, Minutes.visibility.in_([Visibility.PUBLIC, Visibility.PARTNERS])),
        and_(Minutes.status.in_([MinutesStatus.CIRCULATED, MinutesStatus.APPROVED]), attends),
    )


def can_create_minutes(user) -> bool:
    """Editors write minutes for their own organisation (site admins never post as an organisation)."""
    return has_role(user, Role.EDITOR)


def _author_editor(user, minutes) -> bool:
    return has_role(user, Role.EDITOR) and user.organisation_id == minutes.author_organisation_id


def can_edit_minutes(user, minutes) -> bool:
    """The author's editors change a draft: its text, attendees, action items and files."""
    return minutes.status == MinutesStatus.DRAFT and _author_editor(user, minutes)


def can_circulate_minutes(user, minutes) -> bool:
    """The author's editors send a draft to the attending organisations."""
    return minutes.status == MinutesStatus.DRAFT and _author_editor(user, minutes)


def can_return_minutes_to_draft(user, minutes) -> bool:
    """The author's editors take circulated minutes back to correct them (endorsements are withdrawn)."""
    return minutes.status == MinutesStatus.CIRCULATED and _author_editor(user, minutes)


def can_approve_minutes(user, minutes) -> bool:
    """The author's editors approve circulated minutes (endorsements are shown, not required)."""
    return minutes.status == MinutesStatus.CIRCULATED and _author_editor(user, minutes)


def can_revise_minutes(user, minutes) -> bool:
    """After approval the author's editors change the text only as a new revision with a reason."""
    return minutes.status == MinutesStatus.APPROVED and _author_editor(user, minutes)


def _attending_editor(user, minutes) -> bool:
    return has_role(user, Role.EDITOR) and minutes.attended_by(user.organisation_id)


def can_endorse_minutes(user, minutes) -> bool:
    """Editors of an attending organisation endorse circulated minutes once for their organisation."""
    return (minutes.status == MinutesStatus.CIRCULATED and _attending_editor(user, minutes)
            and not minutes.endorsed_by(user.organisation_id))


def can_comment_minutes(user, minutes) -> bool:
    """Editors of an attending organisation comment on circulated minutes."""
    return minutes.status == MinutesStatus.CIRCULATED and _attending_editor(user, minutes)


def can_convert_action_item(user, item) -> bool:
    """Editors of the responsible organisation turn an item of approved minutes into a commitment or a joint
    action, once."""
    return (
        not item.is_converted
        and item.minutes.status == MinutesStatus.APPROVED
        and has_role(user, Role.EDITOR)
        and user.organisation_id == item.responsible_organisation_id
        and can_view_minutes(user, item.minutes)
    )
