"""Read queries for joint actions: the filtered list and its counts, a page's updates, links and history,
a corridor, and a symposium's actions. Each costs a fixed number of statements, however many rows."""

from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import lazyload

from portal.commitments.models import Commitment
from portal.commitments.permissions import visible_commitments_filter
from portal.core.audit import AuditEvent
from portal.core.clock import local_today
from portal.core.permissions import Role, has_role
from portal.extensions import db
from portal.joint_actions.models import (
    ActionCountry,
    JointAction,
    Party,
    Response,
    joint_action_commitments,
)
from portal.joint_actions.permissions import visible_actions_filter
from portal.organisations.models import Organisation
from portal.progress.models import CLOSED_STATUSES, ProgressUpdate

ORDER = (JointAction.updated_at.desc(), JointAction.id.desc())


@dataclass
class ActionFilters:
    country: str | None = None
    country_role: str | None = None
    organisation: int | None = None
    symposium: int | None = None
    theme: int | None = None
    #: A framework tag's id.
    tag: int | None = None
    status: str | None = None
    flag: str | None = None


def overdue_condition(today=None):
    """SQL for an open joint action whose end date has passed."""
    return and_(JointAction.status.not_in(CLOSED_STATUSES), JointAction.end_date < (today or local_today()))


def _conditions(user, filters: ActionFilters, with_status: bool = True) -> list:
    conditions = [visible_actions_filter(user)]
    if filters.country or filters.country_role:
        involved = select(ActionCountry.action_id)
        if filters.country:
            involved = involved.where(ActionCountry.country_iso3 == filters.country)
        if filters.country_role:
            involved = involved.where(ActionCountry.role == filters.country_role)
        conditions.append(JointAction.id.in_(involved))
    if filters.organisation:
        conditions.append(JointAction.id.in_(select(Party.action_id).where(
            Party.organisation_id == filters.organisation, Party.response == Response.ACCEPTED)))
    if filters.symposium:
        conditions.append(JointAction.symposium_id == filters.symposium)
    if filters.theme:
        conditions.append(JointAction.themes.any(id=filters.theme))
    if filters.tag:
        conditions.append(JointAction.framework_tags.any(id=filters.tag))
    if filters.flag == "overdue":
        conditions.append(overdue_condition())
    if with_status and filters.status:
        conditions.append(JointAction.status == filters.status)
    return conditions


def matching_actions(user, filters: ActionFilters):
    """The query of the joint actions ``user`` may see matching the filters, unordered (list, API, exports)."""
    return select(JointAction).where(*_conditions(user, filters))


def action_page(user, filters: ActionFilters, page: int, per_page: int = 25):
    """Return one page of the joint actions ``user`` may see, matching the filters."""
    query = matching_actions(user, filters).order_by(*ORDER)
    return db.paginate(query, page=page, per_page=per_page, error_out=False, max_per_page=100)


def status_counts(user, filters: ActionFilters) -> dict[str, int]:
    """Count the matching joint actions per status (the status filter itself left out)."""
    query = (select(JointAction.status, func.count()).where(*_conditions(user, filters, with_status=False))
             .group_by(JointAction.status))
    return dict(db.session.execute(query).all())


def proposals_for(user) -> list[Party]:
    """The proposals awaiting an answer from the user's organisation (for its editors)."""
    if not has_role(user, Role.EDITOR):
        return []
    return list(db.session.scalars(
        select(Party).join(Party.action).where(Party.organisation_id == user.organisation_id,
                                               Party.response == Response.PROPOSED)
        .order_by(Party.created_at.desc(), Party.id.desc())
    ))


def party_updates(action: JointAction) -> dict[int, list[ProgressUpdate]]:
    """Every party's progress updates, newest first, with their reviews and files, keyed by party id."""
    updates = db.session.scalars(
        select(ProgressUpdate).join(Party, ProgressUpdate.party_id == Party.id).where(Party.action_id == action.id)
        .order_by(ProgressUpdate.reported_on.desc(), ProgressUpdate.id.desc())
    )
    by_party = defaultdict(list)
    for update in updates:
        by_party[update.party_id].append(update)
    return by_party


def linked_commitments(user, action_ids, countries=None) -> dict[int, list[Commitment]]:
    """The visible commitments linked to each action (only those of institutions of ``countries``, if given)."""
    link = joint_action_commitments.c
    query = (select(link.joint_action_id, Commitment).join(Commitment, Commitment.id == link.commitment_id)
             .join(Commitment.organisation)
             .where(link.joint_action_id.in_(list(action_ids)), visible_commitments_filter(user),
                    Commitment.is_archived.is_(False))
             .order_by(Organisation.country_iso3, Commitment.title, Commitment.id))
    if countries:
        query = query.where(Organisation.country_iso3.in_(countries))
    linked = defaultdict(list)
    for action_id, commitment in db.session.execute(query):
        linked[action_id].append(commitment)
    return linked


def history(action: JointAction, with_proposals: bool = False) -> list[AuditEvent]:
    """The change history of the action and of its parties' shares, newest first.

    Proposals that were not (or not yet) accepted are left out unless ``with_proposals`` (the lead's editors):
    an organisation that declined, or has not answered, is not shown as a party anywhere.
    """
    parties = select(Party.id).where(Party.action_id == action.id)
    if not with_proposals:
        parties = parties.where(Party.response == Response.ACCEPTED)
    return list(db.session.scalars(
        select(AuditEvent).where(or_(
            and_(AuditEvent.object_type == JointAction.__tablename__, AuditEvent.object_id == action.id),
            and_(AuditEvent.object_type == Party.__tablename__, AuditEvent.object_id.in_(parties)),
        )).order_by(AuditEvent.created_at.desc(), AuditEvent.id.desc())
    ))


def corridor_actions(user, first: str, second: str) -> list[JointAction]:
    """The visible joint actions involving both countries, most recently changed first."""
    def involving(iso3):
        return JointAction.id.in_(select(ActionCountry.action_id).where(ActionCountry.country_iso3 == iso3))

    return list(db.session.scalars(
        select(JointAction).where(visible_actions_filter(user), involving(first), involving(second)).order_by(*ORDER)
    ))


def symposium_actions(user, symposium_id: int, limit: int) -> list[JointAction]:
    """The visible joint actions launched at a symposium, with their lead (one statement: no collection is loaded)."""
    return list(db.session.scalars(
        select(JointAction).where(JointAction.symposium_id == symposium_id, visible_actions_filter(user))
        .options(*(lazyload(collection) for collection in (JointAction.themes, JointAction.parties,
                                                           JointAction.countries, JointAction.milestones)))
        .order_by(JointAction.title, JointAction.id).limit(limit)
    ))
