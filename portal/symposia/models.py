"""Symposium: a dated meeting of partners in a city and country, with its people and programme."""

from datetime import date, time

from sqlalchemy import Boolean, Column, ForeignKey, Integer, String, Table, Text, Time
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.core.db import TimestampMixin, VersionedMixin
from portal.core.locking import idempotency_key_column
from portal.core.translated import translated_fields, written_in_a_language
from portal.extensions import db

symposium_attachments = Table(
    "symposium_attachments",
    db.metadata,
    Column("symposium_id", Integer, ForeignKey("symposia.id"), primary_key=True),
    Column("attachment_id", Integer, ForeignKey("attachments.id"), primary_key=True),
)


class Symposium(translated_fields(title=String(300), description=Text), TimestampMixin, VersionedMixin, db.Model):
    """A meeting of the dialogue; its title and description (Markdown) in Spanish, English or both."""

    __tablename__ = "symposia"
    __table_args__ = (written_in_a_language("title"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(120), unique=True)
    start_date: Mapped[date] = mapped_column(index=True)
    end_date: Mapped[date]
    city: Mapped[str] = mapped_column(String(120))
    country_iso3: Mapped[str] = mapped_column(ForeignKey("countries.iso3"), index=True)
    #: IANA time zone of the venue, for the programme and the calendar file.
    timezone: Mapped[str] = mapped_column(String(60), default="America/Tegucigalpa")
    # title_es, title_en, description_es, description_en (Markdown): translated_fields above.
    #: The symposium this one follows up (series: previous / next).
    previous_id: Mapped[int | None] = mapped_column(ForeignKey("symposia.id"), index=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    #: Sent with the create form; a second submission with the same key creates nothing.
    idempotency_key: Mapped[str | None] = idempotency_key_column()

    previous: Mapped["Symposium | None"] = relationship(remote_side=[id], foreign_keys=[previous_id])
    # Loaded explicitly by the symposium pages (see routes.load); commitment lists that only
    # name the symposium must not pull these in.
    participants: Mapped[list["SymposiumParticipant"]] = relationship(
        back_populates="symposium", cascade="all, delete-orphan",
        order_by="(SymposiumParticipant.is_organiser.desc(), SymposiumParticipant.id)",
    )
    agenda: Mapped[list["AgendaItem"]] = relationship(
        back_populates="symposium", cascade="all, delete-orphan",
        order_by="(AgendaItem.day, AgendaItem.starts_at, AgendaItem.id)",
    )
    attachments = relationship("Attachment", secondary=symposium_attachments)

    @property
    def organisers(self):
        return [p for p in self.participants if p.is_organiser]

    def involves(self, organisation_id: int | None) -> bool:
        """Tell whether an organisation organised or took part in the symposium."""
        return any(p.organisation_id == organisation_id for p in self.participants)

    def __repr__(self) -> str:
        return f"<Symposium {self.slug}>"


class SymposiumParticipant(db.Model):
    """An organisation at a symposium, as organiser or participant, with its delegates."""

    __tablename__ = "symposium_participants"

    id: Mapped[int] = mapped_column(primary_key=True)
    symposium_id: Mapped[int] = mapped_column(ForeignKey("symposia.id"), index=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    is_organiser: Mapped[bool] = mapped_column(Boolean, default=False)
    #: Delegates by title or position, one per line; names are optional.
    delegates: Mapped[str] = mapped_column(Text, default="")

    symposium: Mapped[Symposium] = relationship(back_populates="participants")
    organisation = relationship("Organisation", lazy="joined", innerjoin=True)

    @property
    def delegate_list(self) -> list[str]:
        return [line.strip() for line in self.delegates.splitlines() if line.strip()]


class AgendaItem(translated_fields(title=String(300)), db.Model):
    """One item of a symposium's programme; its title in Spanish, English or both."""

    __tablename__ = "agenda_items"
    __table_args__ = (written_in_a_language("title"),)
    # "Remove" pressed twice at once: the second delete finds the row gone, which is what it wanted.
    __mapper_args__ = {"confirm_deleted_rows": False}

    id: Mapped[int] = mapped_column(primary_key=True)
    symposium_id: Mapped[int] = mapped_column(ForeignKey("symposia.id"), index=True)
    day: Mapped[date]
    starts_at: Mapped[time | None] = mapped_column(Time)
    # title_es, title_en: translated_fields above.
    #: Who speaks, by role (e.g. "Deputy Foreign Minister for Consular and Migration Affairs").
    speaker_role: Mapped[str] = mapped_column(String(300), default="")
    #: Sent with the create form; a second submission with the same key creates nothing.
    idempotency_key: Mapped[str | None] = idempotency_key_column()

    symposium: Mapped[Symposium] = relationship(back_populates="agenda")
