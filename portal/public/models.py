"""Context figures: published statistics shown on a country's page, with their period and source."""

from datetime import datetime
from decimal import Decimal

from sqlalchemy import Boolean, ForeignKey, Numeric, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from portal.core.db import TimestampMixin, VersionedMixin
from portal.core.locking import idempotency_key_column
from portal.core.translated import translated_fields, written_in_a_language
from portal.extensions import db


class ContextFigure(translated_fields(label=String(300), note=Text), TimestampMixin, VersionedMixin, db.Model):
    """A published statistic that frames a country's follow-up, always with its period and source.

    Example: 95,250 returns to Honduras, January 2014 to mid 2016, source CENISS. The label (required)
    and the note (optional) are written in Spanish, English or both; readers of either language see
    the same figure. Context figures are public (they come from published sources); IOM staff and site
    admins keep them.
    """

    __tablename__ = "context_figures"
    __table_args__ = (written_in_a_language("label"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    country_iso3: Mapped[str] = mapped_column(ForeignKey("countries.iso3"), index=True)
    value: Mapped[Decimal] = mapped_column(Numeric(18, 2))
    #: Free-text unit ("people", "%"); empty for a plain count.
    unit: Mapped[str] = mapped_column(String(40), default="")
    #: The period the figure covers, as the source words it ("2014 – mid 2016").
    period: Mapped[str] = mapped_column(String(120))
    source: Mapped[str] = mapped_column(String(300))
    source_url: Mapped[str | None] = mapped_column(String(500))
    position: Mapped[int] = mapped_column(default=0)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    is_archived: Mapped[bool] = mapped_column(Boolean, default=False)
    archived_at: Mapped[datetime | None]
    #: Sent with the create form; a second submission with the same key creates nothing.
    idempotency_key: Mapped[str | None] = idempotency_key_column()

    def __repr__(self) -> str:
        return f"<ContextFigure {self.id} {self.country_iso3}>"
