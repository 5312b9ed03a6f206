"""Which cached pages a write about a joint action can change (see ``portal.core.cache_generations``): the lists and
the joint-action pages, and the country and commitment pages, which show joint actions too."""

from portal.core.audit import AuditEvent
from portal.core.cache_generations import ACTIONS, LISTS, pages_changed_by
from portal.extensions import db
from portal.joint_actions.date_models import DateAnswer, DateProposal
from portal.joint_actions.models import ActionCountry, JointAction, Milestone, Party
from portal.progress.models import ProgressUpdate, UpdateReview

ACTION_PAGES = frozenset({LISTS, ACTIONS})
#: Audit events of these tables are shown on joint-action pages.
AUDITED = frozenset({JointAction.__tablename__, Party.__tablename__})


def _of_party_update(update: ProgressUpdate | None) -> frozenset[str]:
    return ACTION_PAGES if update is not None and update.party_id else frozenset()


for model in (JointAction, Party, ActionCountry, Milestone, DateProposal, DateAnswer):
    pages_changed_by(model.__tablename__, lambda _row: ACTION_PAGES)
pages_changed_by(ProgressUpdate.__tablename__, _of_party_update)
pages_changed_by(UpdateReview.__tablename__,
                 lambda review: _of_party_update(db.session.get(ProgressUpdate, review.update_id)))
pages_changed_by(AuditEvent.__tablename__, lambda event: ACTION_PAGES if event.object_type in AUDITED else frozenset())
