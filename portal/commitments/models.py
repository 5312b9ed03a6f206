"""Commitments and their themes."""

from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

from flask_babel import get_locale
from sqlalchemy import (
    Boolean,
    Column,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    Table,
    Text,
)
from sqlalchemy import false as sa_false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.core.db import TimestampMixin, VersionedMixin, utcnow
from portal.core.permissions import Visibility
from portal.core.search import full_text_index
from portal.core.translated import translated_fields, written_in_a_language
from portal.extensions import db
from portal.frameworks.models import FrameworkTag
from portal.progress.models import FollowedUp, ReviewState, Status


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

commitment_framework_tags = Table(
    "commitment_framework_tags",
    db.metadata,
    Column("commitment_id", Integer, ForeignKey("commitments.id"), primary_key=True),
    Column("tag_id", Integer, ForeignKey("framework_tags.id"), primary_key=True, index=True),
)


#: Title and description in both languages; objects made by migration 3f7a9c1e5b20 (see portal/core/search.py).
COMMITMENT_SEARCH = full_text_index(
    table="commitments", fts_table="commitments_search", vector="search_vector",
    vector_index="ix_commitments_search_vector",
    # title_es, title_en, description_es, description_en: a word in a title counts ten times one in a description.
    fts_weights=(10.0, 10.0, 1.0, 1.0))


class Commitment(FollowedUp, translated_fields(title=String(300), description=Text), TimestampMixin,
                 VersionedMixin, db.Model):
    """What an institution committed to; its title and description (Markdown) in Spanish, English or both."""

    __tablename__ = "commitments"
    __table_args__ = (
        written_in_a_language("title"),
        Index("ix_commitments_visibility_status", "visibility", "status"),
        Index("ix_commitments_organisation_status", "organisation_id", "status"),
        # The public list and the scorecards: counts per status and the overdue and unreported flags read
        # these indexes alone (all commitments, or a country's organisations'); "recent first" walks the third.
        Index("ix_commitments_visibility_scorecard", "visibility", "is_archived", "status", "target_date",
              "last_reported_on", "created_at", "is_renegotiated"),
        Index("ix_commitments_organisation_scorecard", "organisation_id", "visibility", "is_archived", "status",
              "target_date", "last_reported_on", "created_at", "is_renegotiated"),
        Index("ix_commitments_visibility_archived_updated", "visibility", "is_archived", "updated_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
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
    #: Its target date or indicator target was changed after being set (see ScheduleChange).
    is_renegotiated: Mapped[bool] = mapped_column(Boolean, default=False, server_default=sa_false())
    #: The minutes whose action item became this commitment (the item points back with commitment_id).
    source_minutes_id: Mapped[int | None] = mapped_column(ForeignKey("minutes.id"), index=True)

    # "unnested": loaded along an outer join (an action item's commitment), the join stays flat; a nested
    # (right-hand) join made SQLite materialise every commitment with its organisation.
    organisation = relationship("Organisation", lazy="joined", innerjoin="unnested")
    symposium = relationship("Symposium", lazy="joined")
    source_minutes = relationship("Minutes", foreign_keys=[source_minutes_id])
    themes: Mapped[list[Theme]] = relationship(secondary=commitment_themes, lazy="selectin", order_by=Theme.position)
    created_by = relationship("User", foreign_keys=[created_by_id])

    #: Loaded where shown (the page, exports), not with every list row.
    framework_tags: Mapped[list[FrameworkTag]] = relationship(secondary=commitment_framework_tags,
                                                              order_by=FrameworkTag.position)
    schedule_changes: Mapped[list["ScheduleChange"]] = relationship(
        lazy="select", order_by="ScheduleChange.id", back_populates="commitment")

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


class AgreedAt(StrEnum):
    """Where a renegotiated deadline or target was agreed."""

    SYMPOSIUM = "symposium"
    MINUTES = "minutes"
    PARTNERS = "partners"


class ScheduleChange(db.Model):
    """A renegotiation of a commitment's target date or indicator target: kept, never changed.

    The first value set is no renegotiation; changing a value already set is, and asks for a reason
    and for where the partners agreed it.
    """

    __tablename__ = "commitment_schedule_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    commitment_id: Mapped[int] = mapped_column(ForeignKey("commitments.id"), index=True)
    #: "target_date" or "indicator_target".
    field: Mapped[str] = mapped_column(String(20))
    #: ISO date or decimal text, as the values were; the new one is empty when the value was removed.
    old_value: Mapped[str] = mapped_column(String(40))
    new_value: Mapped[str | None] = mapped_column(String(40))
    reason: Mapped[str] = mapped_column(Text)
    agreed_at: Mapped[str] = mapped_column(String(10))
    symposium_id: Mapped[int | None] = mapped_column(ForeignKey("symposia.id"))
    minutes_id: Mapped[int | None] = mapped_column(ForeignKey("minutes.id"))
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    commitment = relationship("Commitment", back_populates="schedule_changes")
    symposium = relationship("Symposium", lazy="joined")
    minutes = relationship("Minutes")
