"""Which cached pages a write about a commitment can change (see ``portal.core.cache_generations``): the lists, the
page of the commitment, and the page of its organisation's country, nothing else."""

from sqlalchemy import inspect

from portal.commitments.models import Commitment, ScheduleChange
from portal.core.audit import AuditEvent
from portal.core.cache_generations import LISTS, pages_changed_by
from portal.extensions import db
from portal.organisations.models import Organisation
from portal.progress.models import ProgressUpdate, UpdateReview


def country_scope(organisation_id) -> set[str]:
    """The scope of the page of an organisation's country."""
    organisation = db.session.get(Organisation, organisation_id) if organisation_id else None
    return {f"country:{organisation.country_iso3}"} if organisation else set()


def commitment_scopes(commitment: Commitment | None) -> set[str]:
    """The pages a change to ``commitment`` can change (an organisation it moved from included)."""
    if commitment is None:
        return set()
    owners = {commitment.organisation_id, *inspect(commitment).attrs.organisation_id.history.deleted}
    return {LISTS, f"commitments:{commitment.id}"}.union(*(country_scope(owner) for owner in owners))


def commitment_scopes_by_id(commitment_id) -> set[str]:
    return commitment_scopes(db.session.get(Commitment, commitment_id)) if commitment_id else set()


def _update_scopes(update: ProgressUpdate | None) -> set[str]:
    return commitment_scopes_by_id(update.commitment_id) if update is not None else set()


pages_changed_by(Commitment.__tablename__, commitment_scopes)
pages_changed_by(ScheduleChange.__tablename__, lambda change: commitment_scopes_by_id(change.commitment_id))
pages_changed_by(ProgressUpdate.__tablename__, _update_scopes)
pages_changed_by(UpdateReview.__tablename__, lambda review: _update_scopes(db.session.get(ProgressUpdate, review.update_id)))
pages_changed_by(AuditEvent.__tablename__, lambda event: {f"commitments:{event.object_id}"}
                 if event.object_type == Commitment.__tablename__ else set())
