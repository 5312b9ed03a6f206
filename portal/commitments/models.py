"""Commitments, their themes, progress updates and the reviews of those updates."""

from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    Table,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.core.db import TimestampMixin, VersionedMixin, utcnow
from portal.core.permissions import Visibility
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

VISIBILITY_LABELS = {
    Visibility.PUBLIC: _l("Public: anyone can read it"),
    Visibility.PARTNERS: _l("Partners: any signed-in partner"),
    Visibility.PARTIES: _l("Parties: only the organisations involved"),
}


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


class Theme(db.Model):
    """A theme of the dialogue: seeded reference data, translated, extensible by an admin."""

    __tablename__ = "themes"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(60), unique=True)
    name_es: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200))
    position: Mapped[int] = mapped_column(default=0)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)

    @property
    def name(self) -> str:
        return self.name_en if str(get_locale()) == "en" else self.name_es


commitment_themes = Table(
    "commitment_themes",
    db.metadata,
    Column("commitment_id", Integer, ForeignKey("commitments.id"), primary_key=True),
    Column("theme_id", Integer, ForeignKey("themes.id"), primary_key=True, index=True),
)


class Commitment(FollowedUp, TimestampMixin, VersionedMixin, db.Model):
    __tablename__ = "commitments"
    __table_args__ = (
        Index("ix_commitments_visibility_status", "visibility", "status"),
        Index("ix_commitments_organisation_status", "organisation_id", "status"),
        # The public list and the scorecards: counts per status and the overdue and unreported flags read
        # these indexes alone (all commitments, or a country's organisations'); "recent first" walks the third.
        Index("ix_commitments_visibility_scorecard", "visibility", "is_archived", "status", "target_date",
              "last_reported_on", "created_at"),
        Index("ix_commitments_organisation_scorecard", "organisation_id", "visibility", "is_archived", "status",
              "target_date", "last_reported_on", "created_at"),
        Index("ix_commitments_visibility_archived_updated", "visibility", "is_archived", "updated_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(300))
    #: Markdown; rendered through the sanitising renderer.
    description: Mapped[str] = mapped_column(Text, default="")
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"))
    symposium_id: Mapped[int | None] = mapped_column(ForeignKey("symposia.id"), index=True)
    target_date: Mapped[date | None] = mapped_column(index=True)
    visibility: Mapped[str] = mapped_column(String(10), default=Visibility.PARTNERS)
    status: Mapped[str] = mapped_column(String(20), default=Status.PLANNED)
    indicator_unit: Mapped[str | None] = mapped_column(String(80))
    indicator_baseline: Mapped[Decimal | None] = mapped_column(Numeric(16, 2))
    indicator_target: Mapped[Decimal | None] = mapped_column(Numeric(16, 2))
    #: The value given by the latest progress update that gave one.
    indicator_achieved: Mapped[Decimal | None] = mapped_column(Numeric(16, 2))
    #: Date of the latest progress update (drives the "unreported" flag).
    last_reported_on: Mapped[date | None] = mapped_column(index=True)
    #: Review state of the latest progress update, kept here so lists can show and filter it.
    review_state: Mapped[str] = mapped_column(String(12), default=ReviewState.NONE)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    is_archived: Mapped[bool] = mapped_column(Boolean, default=False)
    archived_at: Mapped[datetime | None]
    #: Sent with the create form; a second submission with the same key creates nothing.
    idempotency_key: Mapped[str | None] = mapped_column(String(64), unique=True)
    #: The minutes whose action item became this commitment (the item points back with commitment_id).
    source_minutes_id: Mapped[int | None] = mapped_column(ForeignKey("minutes.id"), index=True)

    # "unnested": loaded along an outer join (an action item's commitment), the join stays flat; a nested
    # (right-hand) join made SQLite materialise every commitment with its organisation.
    organisation = relationship("Organisation", lazy="joined", innerjoin="unnested")
    symposium = relationship("Symposium", lazy="joined")
    source_minutes = relationship("Minutes", foreign_keys=[source_minutes_id])
    themes: Mapped[list[Theme]] = relationship(secondary=commitment_themes, lazy="selectin", order_by=Theme.position)
    created_by = relationship("User", foreign_keys=[created_by_id])

    def is_overdue(self, today: date) -> bool:
        """Target date passed and neither completed nor cancelled."""
        return bool(self.target_date and self.target_date < today and not self.is_closed)

    def is_unreported(self, today: date, days: int) -> bool:
        """Open, and no progress reported for ``days`` days (counted from creation if never)."""
        last = self.last_reported_on or self.created_at.date()
        return not self.is_closed and (today - last).days >= days

    @property
    def indicator_share(self) -> float | None:
        """Share of the target achieved, from the baseline, between 0 and 1."""
        if self.indicator_target is None or self.indicator_achieved is None:
            return None
        baseline = self.indicator_baseline or Decimal(0)
        span = self.indicator_target - baseline
        if span <= 0:
            return None
        return float(min(max((self.indicator_achieved - baseline) / span, 0), 1))


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

    update = relationship("ProgressUpdate", back_populates="reviews")
    reviewer_organisation = relationship("Organisation", lazy="joined")

    @property
    def verdict_label(self) -> str:
        return str(REVIEW_LABELS[ReviewState(self.verdict)])
