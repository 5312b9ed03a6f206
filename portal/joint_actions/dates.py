"""Moving a joint action's dates together: the lead proposes, every other accepted party agrees, and only
then the date changes; or the lead records that the partners already agreed it at a meeting."""

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from portal.core.audit import plain_value, record_event
from portal.core.db import utcnow
from portal.extensions import db
from portal.joint_actions.date_models import DateAnswer, DateProposal, ProposalState
from portal.joint_actions.models import JointAction, Milestone, Party, Response


def other_parties(action: JointAction) -> list[Party]:
    """The accepted parties whose agreement a date change needs (all but the lead)."""
    return [party for party in action.parties
            if party.is_accepted and party.organisation_id != action.lead_organisation_id]


def find_by_idempotency_key(key: str | None) -> DateProposal | None:
    """The proposal made by an earlier submission of the same form, if any."""
    return db.session.scalar(select(DateProposal).where(DateProposal.idempotency_key == key)) if key else None


def propose_date(actor, action: JointAction, milestone: Milestone | None, data: dict,
                 idempotency_key: str | None = None) -> DateProposal:
    """Propose a new end date (or a milestone's due date); it takes effect at once when agreed at a meeting
    or when no other party has to agree, else when every other accepted party agrees."""
    kind, _, ref = (data.get("agreed_at") or "").partition(":")
    proposal = DateProposal(
        action_id=action.id, milestone_id=milestone.id if milestone else None,
        old_date=milestone.due_date if milestone else action.end_date, new_date=data["new_date"],
        reason=data["reason"].strip(), proposed_by_id=actor.id, idempotency_key=idempotency_key or None,
        symposium_id=int(ref) if kind == "symposium" else None, minutes_id=int(ref) if kind == "minutes" else None)
    db.session.add(proposal)
    db.session.flush()
    record_event(actor, "propose_date", action, {"proposal": [None, proposal.id], "what": [None, _what(proposal)],
                                                  "date": [plain_value(proposal.old_date), plain_value(proposal.new_date)]})
    if kind or not other_parties(action):
        _apply(actor, proposal)
    return proposal


def answer_date(actor, proposal: DateProposal, agrees: bool) -> None:
    """Record the actor's organisation's answer; the last agreement applies the date, a refusal closes it."""
    # Answers given at the same moment queue here, so the last one sees every other and applies the date.
    db.session.execute(select(DateProposal.id).where(DateProposal.id == proposal.id).with_for_update())
    db.session.add(DateAnswer(proposal_id=proposal.id, organisation_id=actor.organisation_id, agrees=agrees,
                              answered_by_id=actor.id))
    db.session.flush()
    db.session.refresh(proposal)
    record_event(actor, "agree_date" if agrees else "decline_date", proposal.action, {"proposal": [None, proposal.id]})
    if not agrees:
        proposal.state = ProposalState.DECLINED
        proposal.decided_at = utcnow()
    elif all((answer := proposal.answer_of(party.organisation_id)) is not None and answer.agrees
             for party in other_parties(proposal.action)):
        _apply(actor, proposal)


def _apply(actor, proposal: DateProposal) -> None:
    """Put the agreed date in place and close the proposal."""
    if proposal.milestone is not None:
        proposal.milestone.due_date = proposal.new_date
    else:
        proposal.action.end_date = proposal.new_date
    proposal.state = ProposalState.AGREED
    proposal.decided_at = utcnow()
    record_event(actor, "date_agreed", proposal.action, {
        "what": [None, _what(proposal)], "date": [plain_value(proposal.old_date), plain_value(proposal.new_date)]})


def _what(proposal: DateProposal) -> str:
    return proposal.milestone.recorded_title if proposal.milestone is not None else "end_date"


def pending_for(organisation_id: int, limit: int) -> tuple[list[DateProposal], int]:
    """Pending proposals the organisation, an accepted party other than the lead, has not answered."""
    answered = select(DateAnswer.proposal_id).where(DateAnswer.organisation_id == organisation_id)
    query = (select(DateProposal).join(JointAction, JointAction.id == DateProposal.action_id)
             .join(Party, Party.action_id == JointAction.id)
             .where(DateProposal.state == ProposalState.PENDING, Party.organisation_id == organisation_id,
                    Party.response == Response.ACCEPTED, JointAction.lead_organisation_id != organisation_id,
                    DateProposal.id.not_in(answered)))
    total = db.session.scalar(select(func.count()).select_from(query.subquery()))
    rows = db.session.scalars(query.order_by(DateProposal.created_at, DateProposal.id).limit(limit)
                              .options(joinedload(DateProposal.action), joinedload(DateProposal.milestone)))
    return list(rows.unique()), total
