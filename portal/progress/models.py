"""Progress updates and their reviews, and the status vocabulary they share with their subjects.

An update is about one *subject*: a commitment or a joint-action party's share. This module knows
its subjects only by table (``SUBJECT_COLUMNS``) and by the columns every subject has (``status``,
``last_reported_on``, ``review_state``, and optionally ``indicator_achieved``), so neither subject's
module has to import the other's.
"""

from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint, ForeignKey, Index, Numeric, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.core.db import utcnow
from portal.core.locking import idempotency_key_column
from portal.extensions import db


class Status(StrEnum):
    PLANNED = "planned"
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"
    STALLED = "stalled"
    CANCELLED = "cancelled"


STATUS_LABELS = {
    Status.PLANNED: _l("Planned"),
    Status.IN_PROGRESS: _l("In progress"),
    Status.COMPLETED: _l("Completed"),
    Status.STALLED: _l("Stalled"),
    Status.CANCELLED: _l("Cancelled"),
}
#: Statuses after which a commitment is neither overdue nor expected to report.
CLOSED_STATUSES = (Status.COMPLETED, Status.CANCELLED)


class ReviewState(StrEnum):
    NONE = "none"
    PENDING = "pending"
    VERIFIED = "verified"
    QUESTIONED = "questioned"


REVIEW_LABELS = {
    ReviewState.NONE: _l("No progress reported"),
    ReviewState.PENDING: _l("Pending verification"),
    ReviewState.VERIFIED: _l("Verified"),
    ReviewState.QUESTIONED: _l("Questioned"),
}


class FollowedUp:
    """Labels and flags of anything whose status and review state follow its progress updates
    (a commitment, a joint action, a party's share of one, an update itself)."""

    @property
    def status_label(self) -> str:
        return str(STATUS_LABELS[Status(self.status)])

    @property
    def review_label(self) -> str:
        return str(REVIEW_LABELS[ReviewState(self.review_state)])

    @property
    def is_closed(self) -> bool:
        return self.status in CLOSED_STATUSES


class ProgressUpdate(FollowedUp, db.Model):
    """An append-only entry: never edited in place; a correction is a new update.

    An update is about exactly one subject: a commitment, or a party's share of a joint action
    (``party_id``); reviews, evidence and the review form serve both alike.
    """

    __tablename__ = "progress_updates"
    __table_args__ = (
        # A commitment's latest update (its status at a date, for the scorecards) from the index alone.
        Index("ix_progress_updates_commitment_latest", "commitment_id", "reported_on", "id", "status"),
        # The latest updates anywhere (home, country pages) and the count of recent ones, newest first.
        Index("ix_progress_updates_reported", "reported_on", "id"),
        CheckConstraint("(commitment_id IS NULL) <> (party_id IS NULL)", name="one_subject"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    commitment_id: Mapped[int | None] = mapped_column(ForeignKey("commitments.id"))
    party_id: Mapped[int | None] = mapped_column(ForeignKey("joint_action_parties.id"), index=True)
    reported_on: Mapped[date]
    status: Mapped[str] = mapped_column(String(20))
    #: Markdown; rendered through the sanitising renderer.
    note: Mapped[str] = mapped_column(Text, default="")
    indicator_value: Mapped[Decimal | None] = mapped_column(Numeric(16, 2))
    evidence_url: Mapped[str | None] = mapped_column(String(500))
    attachment_id: Mapped[int | None] = mapped_column(ForeignKey("attachments.id"))
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    #: The organisation the author reported for.
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    review_state: Mapped[str] = mapped_column(String(12), default=ReviewState.PENDING)
    idempotency_key: Mapped[str | None] = mapped_column(String(64), unique=True)

    commitment = relationship("Commitment")
    party = relationship("Party")
    attachment = relationship("Attachment", lazy="joined")
    organisation = relationship("Organisation", lazy="joined")
    reviews: Mapped[list["UpdateReview"]] = relationship(
        lazy="selectin", order_by="UpdateReview.created_at", back_populates="update"
    )

    @property
    def subject(self):
        """The commitment or joint-action party the update reports on."""
        return self.commitment if self.commitment_id is not None else self.party


#: The column of ProgressUpdate naming each kind of subject, by the subject's table.
SUBJECT_COLUMNS = {"commitments": "commitment_id", "joint_action_parties": "party_id"}


class UpdateReview(db.Model):
    """IOM follow-up staff verify or question an update; reviews are appended, never changed."""

    __tablename__ = "update_reviews"

    id: Mapped[int] = mapped_column(primary_key=True)
    update_id: Mapped[int] = mapped_column(ForeignKey("progress_updates.id"), index=True)
    verdict: Mapped[str] = mapped_column(String(12))
    comment: Mapped[str] = mapped_column(Text, default="")
    reviewer_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    reviewer_organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    #: Sent with the review form; a second submission with the same key records nothing more.
    idempotency_key: Mapped[str | None] = idempotency_key_column()

    update = relationship("ProgressUpdate", back_populates="reviews")
    reviewer_organisation = relationship("Organisation", lazy="joined")

    @property
    def verdict_label(self) -> str:
        return str(REVIEW_LABELS[ReviewState(self.verdict)])
