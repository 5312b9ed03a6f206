"""Update requests and the log of reminders already sent."""

from datetime import date, datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.core.db import utcnow
from portal.extensions import db


class UpdateRequest(db.Model):
    """A request for news on a commitment or on a party's share of a joint action.

    It is answered by the next progress update posted on its subject; until then it shows on the
    addressed organisation's dashboard and on the item, and is flagged once its date has passed.
    """

    __tablename__ = "update_requests"
    __table_args__ = (
        CheckConstraint("(commitment_id IS NULL) <> (party_id IS NULL)", name="one_subject"),
        Index("ix_update_requests_organisation_open", "organisation_id", "answered_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    commitment_id: Mapped[int | None] = mapped_column(ForeignKey("commitments.id"), index=True)
    party_id: Mapped[int | None] = mapped_column(ForeignKey("joint_action_parties.id"), index=True)
    #: The organisation asked: the commitment's owner or the party's organisation.
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"))
    requested_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    requesting_organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"))
    message: Mapped[str] = mapped_column(Text, default="")
    #: The date by which an answer is expected.
    due_date: Mapped[date]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    answered_at: Mapped[datetime | None]
    answer_update_id: Mapped[int | None] = mapped_column(ForeignKey("progress_updates.id"))
    idempotency_key: Mapped[str | None] = mapped_column(String(64), unique=True)

    commitment = relationship("Commitment")
    party = relationship("Party")
    organisation = relationship("Organisation", foreign_keys=[organisation_id])
    requesting_organisation = relationship("Organisation", foreign_keys=[requesting_organisation_id])
    requested_by = relationship("User")

    @property
    def subject(self):
        """The commitment or joint-action party the request is about."""
        return self.commitment if self.commitment_id is not None else self.party

    def is_late(self, today: date) -> bool:
        return self.answered_at is None and self.due_date < today

    def __repr__(self) -> str:
        return f"<UpdateRequest {self.id}>"


class ReminderSent(db.Model):
    """One item mentioned in one user's digest for one period (a day or an ISO week).

    The unique key makes sending idempotent: a second run in the same period finds every item
    already sent, has nothing left to say, and sends no mail.
    """

    __tablename__ = "reminders_sent"
    __table_args__ = (UniqueConstraint("user_id", "period", "item_key", name="one_per_period"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    #: "2026-11-28" for a daily digest, "2026-W48" for a weekly one.
    period: Mapped[str] = mapped_column(String(10))
    #: What was mentioned, e.g. "commitment:12:overdue" or "request:7".
    item_key: Mapped[str] = mapped_column(String(80))
    sent_at: Mapped[datetime] = mapped_column(default=utcnow)
