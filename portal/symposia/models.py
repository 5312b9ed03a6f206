"""Symposium: a dated meeting of partners in a city and country."""

from datetime import date

from flask_babel import get_locale
from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from portal.core.db import TimestampMixin, VersionedMixin
from portal.extensions import db


class Symposium(TimestampMixin, VersionedMixin, db.Model):
    __tablename__ = "symposia"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(120), unique=True)
    title: Mapped[str] = mapped_column(String(300))
    #: Title in English, shown to English readers when given.
    title_en: Mapped[str | None] = mapped_column(String(300))
    start_date: Mapped[date] = mapped_column(index=True)
    end_date: Mapped[date]
    city: Mapped[str] = mapped_column(String(120))
    country_iso3: Mapped[str] = mapped_column(ForeignKey("countries.iso3"), index=True)
    #: Markdown; rendered through the sanitising renderer.
    description: Mapped[str] = mapped_column(Text, default="")

    @property
    def display_title(self) -> str:
        """Return the title in the reader's language when one is known."""
        if self.title_en and str(get_locale()) == "en":
            return self.title_en
        return self.title

    def __repr__(self) -> str:
        return f"<Symposium {self.slug}>"
