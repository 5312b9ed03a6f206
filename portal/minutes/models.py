"""Minutes of a meeting: the text, who attended, endorsements, comments, action items and revisions.

Workflow: ``draft`` (only the authoring organisation sees it and edits it) -> ``circulated`` (the
attending organisations read, comment and endorse; the text is frozen) -> ``approved`` (locked: a
later change is a new :class:`MinutesRevision` with a reason). The visibility chosen by the author
(``public`` / ``partners`` / ``parties``) applies only once the minutes are approved.
"""

from datetime import date, datetime
from enum import StrEnum

from flask_babel import lazy_gettext as _l
from sqlalchemy import Boolean, Column, ForeignKey, Index, Integer, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.core.db import TimestampMixin, VersionedMixin, utcnow
from portal.core.permissions import Visibility
from portal.core.translated import LANGUAGES, translated_fields, written_in_a_language
from portal.extensions import db


class MinutesStatus(StrEnum):
    DRAFT = "draft"
    CIRCULATED = "circulated"
    APPROVED = "approved"


STATUS_LABELS = {
    MinutesStatus.DRAFT: _l("Draft"),
    MinutesStatus.CIRCULATED: _l("Circulated for endorsement"),
    MinutesStatus.APPROVED: _l("Approved"),
}

#: The organisations that attended the meeting (the "delegations"); the author is always one of them.
minutes_attendees = Table(
    "minutes_attendees",
    db.metadata,
    Column("minutes_id", Integer, ForeignKey("minutes.id"), primary_key=True),
    Column("organisation_id", Integer, ForeignKey("organisations.id"), primary_key=True, index=True),
)

minutes_attachments = Table(
    "minutes_attachments",
    db.metadata,
    Column("minutes_id", Integer, ForeignKey("minutes.id"), primary_key=True),
    Column("attachment_id", Integer, ForeignKey("attachments.id"), primary_key=True),
)


class Minutes(TimestampMixin, VersionedMixin, db.Model):
    """The record of a meeting: a symposium session or a follow-up meeting."""

    __tablename__ = "minutes"
    __table_args__ = (Index("ix_minutes_status_visibility", "status", "visibility"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(300))
    #: The symposium whose session this records; None for a follow-up meeting.
    symposium_id: Mapped[int | None] = mapped_column(ForeignKey("symposia.id"), index=True)
    meeting_date: Mapped[date] = mapped_column(index=True)
    #: Where the meeting took place; may be empty when it was virtual only.
    place: Mapped[str | None] = mapped_column(String(200))
    is_virtual: Mapped[bool] = mapped_column(Boolean, default=False)
    author_organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    status: Mapped[str] = mapped_column(String(12), default=MinutesStatus.DRAFT)
    #: Who may read the minutes once approved (drafts and circulated minutes have fixed audiences).
    visibility: Mapped[str] = mapped_column(String(10), default=Visibility.PARTNERS)
    #: Markdown; rendered through the sanitising renderer. Once approved, equal to the latest revision.
    body: Mapped[str] = mapped_column(Text, default="")
    #: Markdown; rendered through the sanitising renderer.
    decisions: Mapped[str] = mapped_column(Text, default="")
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    circulated_at: Mapped[datetime | None]
    approved_at: Mapped[datetime | None]
    #: Sent with the create form; a second submission with the same key creates nothing.
    idempotency_key: Mapped[str | None] = mapped_column(String(64), unique=True)

    author_organisation = relationship("Organisation", lazy="joined", innerjoin=True)
    symposium = relationship("Symposium", lazy="joined")
    created_by = relationship("User", foreign_keys=[created_by_id])
    attendees = relationship("Organisation", secondary=minutes_attendees, lazy="selectin",
                             order_by="Organisation.name")
    endorsements: Mapped[list["Endorsement"]] = relationship(
        back_populates="minutes", lazy="selectin", order_by="Endorsement.created_at")
    comments: Mapped[list["MinutesComment"]] = relationship(
        back_populates="minutes", order_by="(MinutesComment.created_at, MinutesComment.id)")
    action_items: Mapped[list["ActionItem"]] = relationship(
        back_populates="minutes", lazy="selectin", order_by="(ActionItem.position, ActionItem.id)")
    revisions: Mapped[list["MinutesRevision"]] = relationship(
        back_populates="minutes", order_by="MinutesRevision.number")
    attachments = relationship("Attachment", secondary=minutes_attachments, lazy="selectin",
                               order_by="Attachment.id")

    @property
    def status_label(self) -> str:
        return str(STATUS_LABELS[MinutesStatus(self.status)])

    @property
    def is_draft(self) -> bool:
        return self.status == MinutesStatus.DRAFT

    @property
    def is_circulated(self) -> bool:
        return self.status == MinutesStatus.CIRCULATED

    @property
    def is_approved(self) -> bool:
        return self.status == MinutesStatus.APPROVED

    def attended_by(self, organisation_id: int | None) -> bool:
        """Tell whether an organisation attended the meeting (the author always did)."""
        if organisation_id is None:
            return False
        return organisation_id == self.author_organisation_id or any(
            org.id == organisation_id for org in self.attendees)

    def endorsement_of(self, organisation_id: int | None) -> "Endorsement | None":
        """Return an organisation's endorsement of these minutes, if it gave one."""
        return next((e for e in self.endorsements if e.organisation_id == organisation_id), None)

    def endorsed_by(self, organisation_id: int | None) -> bool:
        """Tell whether an organisation has endorsed these minutes."""
        return self.endorsement_of(organisation_id) is not None

    @property
    def endorsement_count(self) -> int:
        """Endorsements by organisations that still count as attending."""
        attending = {org.id for org in self.attendees}
        return sum(1 for e in self.endorsements if e.organisation_id in attending)

    def __repr__(self) -> str:
        return f"<Minutes {self.id} {self.status}>"


class Endorsement(db.Model):
    """An attending organisation's endorsement of circulated minutes: one per organisation."""

    __tablename__ = "minutes_endorsements"
    __table_args__ = (UniqueConstraint("minutes_id", "organisation_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    minutes_id: Mapped[int] = mapped_column(ForeignKey("minutes.id"))
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    #: The editor who endorsed on behalf of the organisation.
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    minutes: Mapped[Minutes] = relationship(back_populates="endorsements")
    organisation = relationship("Organisation", lazy="joined", innerjoin=True)


class MinutesComment(db.Model):
    """A comment by an attending organisation on circulated minutes; appended, never edited."""

    __tablename__ = "minutes_comments"

    id: Mapped[int] = mapped_column(primary_key=True)
    minutes_id: Mapped[int] = mapped_column(ForeignKey("minutes.id"), index=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"))
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    #: Markdown; rendered through the sanitising renderer.
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    idempotency_key: Mapped[str | None] = mapped_column(String(64), unique=True)

    minutes: Mapped[Minutes] = relationship(back_populates="comments")
    organisation = relationship("Organisation", lazy="joined", innerjoin=True)


class ActionItem(translated_fields(description=Text), db.Model):
    """Something the meeting asked one organisation to do; it becomes a commitment or a joint action in one step.

    Its description (Markdown, rendered through the sanitising renderer) is in Spanish, English or both."""

    __tablename__ = "minutes_action_items"
    __table_args__ = (written_in_a_language("description"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    minutes_id: Mapped[int] = mapped_column(ForeignKey("minutes.id"), index=True)
    responsible_organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    due_date: Mapped[date | None]
    position: Mapped[int] = mapped_column(default=0)
    #: The commitment the item became, once converted (the commitment points back with source_minutes_id).
    commitment_id: Mapped[int | None] = mapped_column(ForeignKey("commitments.id"), unique=True)
    #: The joint action the item became instead (the action points back with source_minutes_id).
    joint_action_id: Mapped[int | None] = mapped_column(ForeignKey("joint_actions.id"), unique=True)
    idempotency_key: Mapped[str | None] = mapped_column(String(64), unique=True)

    minutes: Mapped[Minutes] = relationship(back_populates="action_items")
    responsible_organisation = relationship("Organisation", lazy="joined", innerjoin=True)
    commitment = relationship("Commitment", lazy="joined")
    joint_action = relationship("JointAction")

    @property
    def is_converted(self) -> bool:
        return self.commitment_id is not None or self.joint_action_id is not None

    def suggested_texts(self) -> dict[str, str]:
        """What a commitment or joint action made from the item starts with, in each language written: the
        description's first line as its title (Markdown marks left out), the whole description as its own."""
        texts = {}
        for lang in LANGUAGES:
            description = getattr(self, f"description_{lang}") or ""
            first_line = next((line.strip(" #*-_>`") for line in description.splitlines() if line.strip()), "")
            texts[f"title_{lang}"], texts[f"description_{lang}"] = first_line[:300], description
        return texts


class MinutesRevision(db.Model):
    """An approved text of the minutes. Approval writes number 1; each later change adds the next one."""

    __tablename__ = "minutes_revisions"
    __table_args__ = (UniqueConstraint("minutes_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    minutes_id: Mapped[int] = mapped_column(ForeignKey("minutes.id"))
    number: Mapped[int]
    title: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text, default="")
    decisions: Mapped[str] = mapped_column(Text, default="")
    #: Why the approved text changed; empty for the first revision (the approval itself).
    reason: Mapped[str] = mapped_column(Text, default="")
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    minutes: Mapped[Minutes] = relationship(back_populates="revisions")
    organisation = relationship("Organisation", lazy="joined", innerjoin=True)
