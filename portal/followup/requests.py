"""Update requests: ask an organisation for news on a commitment or a joint-action share, and mark the
requests answered when that organisation posts its next progress update.

The answering runs from a SQLAlchemy event on ProgressUpdate, registered here, so that commitments and
joint actions know nothing of the follow-up module (imports run one way) and yet every update, through
whichever form or service, answers the open requests in the same transaction.
"""

from collections import defaultdict

from flask import g
from sqlalchemy import event, select, update
from sqlalchemy.orm import selectinload

from portal.commitments.models import Commitment
from portal.core.audit import record_event
from portal.core.db import utcnow
from portal.extensions import db
from portal.followup.models import UpdateRequest
from portal.followup.permissions import can_view_update_requests
from portal.joint_actions.models import Party
from portal.progress.models import ProgressUpdate


def find_by_idempotency_key(key: str | None) -> UpdateRequest | None:
    """Return the request created by an earlier submission of the same form, if any."""
    if not key:
        return None
    return db.session.scalar(select(UpdateRequest).where(UpdateRequest.idempotency_key == key))


def request_update(actor, subject, data: dict, idempotency_key: str | None = None) -> UpdateRequest:
    """Ask the organisation owning ``subject`` (a commitment or a party) for an update by a date."""
    request = UpdateRequest(
        organisation_id=subject.organisation_id,
        requested_by_id=actor.id,
        requesting_organisation_id=actor.organisation_id,
        message=data["message"],
        due_date=data["due_date"],
        idempotency_key=idempotency_key or None,
    )
    if isinstance(subject, Commitment):
        request.commitment_id = subject.id
    else:
        request.party_id = subject.id
    db.session.add(request)
    db.session.flush()
    record_event(actor, "create", request, {
        "subject": [None, f"{subject.__tablename__}:{subject.id}"],
        "organisation_id": [None, subject.organisation_id],
        "due_date": [None, request.due_date.isoformat()],
    })
    return request


@event.listens_for(ProgressUpdate, "after_insert")
def _answer_open_requests(mapper, connection, target: ProgressUpdate) -> None:
    """The first progress update posted on a subject answers every request still open on it."""
    if target.commitment_id is not None:
        about = UpdateRequest.commitment_id == target.commitment_id
    else:
        about = UpdateRequest.party_id == target.party_id
    connection.execute(
        update(UpdateRequest).where(about, UpdateRequest.answered_at.is_(None))
        .values(answered_at=utcnow(), answer_update_id=target.id)
    )


def _with_people(query):
    return query.options(selectinload(UpdateRequest.requesting_organisation),
                         selectinload(UpdateRequest.organisation))


def requests_about(user, subject) -> list[UpdateRequest]:
    """The requests made about a commitment or a party, newest first, for those who may see them.

    On a joint action's page every party asks in turn: the first asks once for the whole action
    (kept for the request), so the page's query count does not grow with its parties.
    """
    if not can_view_update_requests(user, subject):
        return []
    if isinstance(subject, Commitment):
        query = select(UpdateRequest).where(UpdateRequest.commitment_id == subject.id)
        return list(db.session.scalars(_with_people(query).order_by(UpdateRequest.created_at.desc(),
                                                                    UpdateRequest.id.desc())))
    cache = g.setdefault("party_update_requests", {})
    if subject.action_id not in cache:
        query = (select(UpdateRequest).join(UpdateRequest.party).where(Party.action_id == subject.action_id)
                 .order_by(UpdateRequest.created_at.desc(), UpdateRequest.id.desc()))
        by_party = defaultdict(list)
        for request in db.session.scalars(_with_people(query)):
            by_party[request.party_id].append(request)
        cache[subject.action_id] = by_party
    return cache[subject.action_id].get(subject.id, [])
