"""Which cached pages an update request can change (see ``portal.core.cache_generations``): the page of the commitment
it asks about, or the joint-action pages; the reminders sent are on no cached page."""

from portal.commitments.page_scopes import commitment_scopes_by_id
from portal.core.cache_generations import pages_changed_by, unseen_by_cached_pages
from portal.followup.models import ReminderSent, UpdateRequest
from portal.joint_actions.page_scopes import ACTION_PAGES

pages_changed_by(UpdateRequest.__tablename__, lambda request: commitment_scopes_by_id(request.commitment_id)
                 if request.commitment_id else ACTION_PAGES)
unseen_by_cached_pages(ReminderSent.__tablename__)
