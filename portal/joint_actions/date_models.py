"""Proposed date changes of a joint action: its shared end date or a milestone's due date moves only when
every accepted party agrees, or when the lead records that the partners agreed it at a meeting."""

from datetime import date, datetime
from enum import StrEnum

from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.core.db import utcnow
from portal.extensions import db


class ProposalState(StrEnum):
    PENDING = "pending"
    AGREED = "agreed"
    DECLINED = "declined"


PROPOSAL_STATE_LABELS = {
    ProposalState.PENDING: _l("Waiting for the parties"),
    ProposalState.AGREED: _l("Agreed: in effect"),
    ProposalState.DECLINED: _l("Declined by a party"),
}


class DateProposal(db.Model):
    """The lead's proposal to move the action's end date (``milestone_id`` empty) or a milestone's due date."""

    __tablename__ = "joint_action_date_proposals"

    id: Mapped[int] = mapped_column(primary_key=True)
    action_id: Mapped[int] = mapped_column(ForeignKey("joint_actions.id"), index=True)
    milestone_id: Mapped[int | None] = mapped_column(ForeignKey("joint_action_milestones.id"))
    old_date: Mapped[date | None]
    new_date: Mapped[date]
    reason: Mapped[str] = mapped_column(Text)
    state: Mapped[str] = mapped_column(String(10), default=ProposalState.PENDING)
    #: Where the partners agreed it, when the lead recorded an agreement made at a meeting.
    symposium_id: Mapped[int | None] = mapped_column(ForeignKey("symposia.id"))
    minutes_id: Mapped[int | None] = mapped_column(ForeignKey("minutes.id"))
    proposed_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    decided_at: Mapped[datetime | None]
    #: Sent with the form; a second submission with the same key proposes nothing more.
    idempotency_key: Mapped[str | None] = mapped_column(String(64), unique=True)

    action = relationship("JointAction", back_populates="date_proposals")
    milestone = relationship("Milestone")
    symposium = relationship("Symposium")
    minutes = relationship("Minutes")
    answers: Mapped[list["DateAnswer"]] = relationship(back_populates="proposal", lazy="selectin",
                                                       order_by="DateAnswer.id")

    @property
    def state_label(self) -> str:
        return str(PROPOSAL_STATE_LABELS[ProposalState(self.state)])

    def answer_of(self, organisation_id: int) -> "DateAnswer | None":
        return next((answer for answer in self.answers if answer.organisation_id == organisation_id), None)


class DateAnswer(db.Model):
    """One party's answer to a date proposal; given once."""

    __tablename__ = "joint_action_date_answers"
    __table_args__ = (UniqueConstraint("proposal_id", "organisation_id", name="one_answer_per_party"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("joint_action_date_proposals.id"), index=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"))
    agrees: Mapped[bool]
    answered_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    proposal: Mapped[DateProposal] = relationship(back_populates="answers")
    organisation = relationship("Organisation", lazy="joined")
