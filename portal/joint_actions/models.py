"""Joint actions: several organisations, often in several countries, acting together.

A joint action has a lead organisation and partner parties (each with a role, its own deliverable,
status and progress updates), the countries involved with their role on the migration route,
milestones and linked commitments. Its overall status is derived from the accepted parties' statuses
(:func:`derive_status`) and kept in a column so that lists can filter and count on it.
"""

from collections.abc import Iterable
from datetime import date, datetime
from enum import StrEnum
from typing import TYPE_CHECKING

from flask_babel import lazy_gettext as _l
from sqlalchemy import Column, ForeignKey, Index, Integer, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.commitments.models import Theme
from portal.core.db import TimestampMixin, VersionedMixin, utcnow
from portal.core.locking import idempotency_key_column
from portal.core.permissions import Visibility
from portal.core.translated import translated_fields, written_in_a_language
from portal.extensions import db
from portal.frameworks.models import FrameworkTag
from portal.progress.models import FollowedUp, ReviewState, Status

if TYPE_CHECKING:
    from portal.joint_actions.date_models import DateProposal


class PartyRole(StrEnum):
    LEAD = "lead"
    CO_LEAD = "co-lead"
    PARTNER = "partner"
    TECHNICAL_SUPPORT = "technical support"
    FUNDER = "funder"


PARTY_ROLE_LABELS = {
    PartyRole.LEAD: _l("Lead"),
    PartyRole.CO_LEAD: _l("Co-lead"),
    PartyRole.PARTNER: _l("Partner"),
    PartyRole.TECHNICAL_SUPPORT: _l("Technical support"),
    PartyRole.FUNDER: _l("Funder"),
}


class Response(StrEnum):
    """A proposed partner's answer; only accepted parties are parties."""

    PROPOSED = "proposed"
    ACCEPTED = "accepted"
    DECLINED = "declined"


RESPONSE_LABELS = {
    Response.PROPOSED: _l("Awaiting an answer"),
    Response.ACCEPTED: _l("Accepted"),
    Response.DECLINED: _l("Declined"),
}


class RouteRole(StrEnum):
    """A country's place on the migration route."""

    ORIGIN = "origin"
    TRANSIT = "transit"
    DESTINATION = "destination"
    RETURN = "return"


ROUTE_ROLE_LABELS = {
    RouteRole.ORIGIN: _l("Origin"),
    RouteRole.TRANSIT: _l("Transit"),
    RouteRole.DESTINATION: _l("Destination"),
    RouteRole.RETURN: _l("Return"),
}


def derive_status(statuses: Iterable[str]) -> Status:
    """The overall status of a joint action from its accepted parties' statuses.

    No party yet: planned. Every party cancelled: cancelled. Otherwise, leaving the cancelled ones
    aside: any stalled -> stalled; all completed -> completed; any in progress or completed ->
    in progress; else planned. ``status_expression`` in queries.py states the same rule in SQL.
    """
    present = {Status(status) for status in statuses}
    active = present - {Status.CANCELLED}
    if not present:
        return Status.PLANNED
    if not active:
        return Status.CANCELLED
    if Status.STALLED in active:
        return Status.STALLED
    if active == {Status.COMPLETED}:
        return Status.COMPLETED
    if active & {Status.IN_PROGRESS, Status.COMPLETED}:
        return Status.IN_PROGRESS
    return Status.PLANNED


joint_action_themes = Table(
    "joint_action_themes",
    db.metadata,
    Column("joint_action_id", Integer, ForeignKey("joint_actions.id"), primary_key=True),
    Column("theme_id", Integer, ForeignKey("themes.id"), primary_key=True, index=True),
)

joint_action_framework_tags = Table(
    "joint_action_framework_tags",
    db.metadata,
    Column("joint_action_id", Integer, ForeignKey("joint_actions.id"), primary_key=True),
    Column("tag_id", Integer, ForeignKey("framework_tags.id"), primary_key=True, index=True),
)

#: Commitments that contribute to a joint action; each stays its owner's.
joint_action_commitments = Table(
    "joint_action_commitments",
    db.metadata,
    Column("joint_action_id", Integer, ForeignKey("joint_actions.id"), primary_key=True),
    Column("commitment_id", Integer, ForeignKey("commitments.id"), primary_key=True, index=True),
)


class JointAction(FollowedUp, translated_fields(title=String(300), description=Text), TimestampMixin,
                  VersionedMixin, db.Model):
    """The shared part of a joint action, edited by the lead's editors with optimistic locking; its title
    and description (Markdown) in Spanish, English or both."""

    __tablename__ = "joint_actions"
    __table_args__ = (Index("ix_joint_actions_visibility_status", "visibility", "status"),
                      written_in_a_language("title"))

    id: Mapped[int] = mapped_column(primary_key=True)
    lead_organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    symposium_id: Mapped[int | None] = mapped_column(ForeignKey("symposia.id"), index=True)
    #: The minutes the action came from, if any.
    source_minutes_id: Mapped[int | None] = mapped_column(ForeignKey("minutes.id"), index=True)
    start_date: Mapped[date | None]
    end_date: Mapped[date | None] = mapped_column(index=True)
    visibility: Mapped[str] = mapped_column(String(10), default=Visibility.PARTNERS)
    #: Derived from the accepted parties' statuses (derive_status); never edited by hand.
    status: Mapped[str] = mapped_column(String(20), default=Status.PLANNED)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    #: Sent with the create form; a second submission with the same key creates nothing.
    idempotency_key: Mapped[str | None] = mapped_column(String(64), unique=True)

    lead_organisation = relationship("Organisation", lazy="joined", innerjoin=True)
    #: Loaded only where shown (a symposium brings its participants and programme along).
    symposium = relationship("Symposium")
    source_minutes = relationship("Minutes", foreign_keys=[source_minutes_id])
    themes: Mapped[list[Theme]] = relationship(secondary=joint_action_themes, lazy="selectin",
                                               order_by=Theme.position)
    #: Loaded where shown (the page, exports), not with every list row.
    framework_tags: Mapped[list[FrameworkTag]] = relationship(secondary=joint_action_framework_tags,
                                                              order_by=FrameworkTag.position)
    parties: Mapped[list["Party"]] = relationship(back_populates="action", lazy="selectin",
                                                  order_by="(Party.position, Party.id)")
    countries: Mapped[list["ActionCountry"]] = relationship(back_populates="action", lazy="selectin",
                                                            cascade="all, delete-orphan",
                                                            order_by="(ActionCountry.position, ActionCountry.id)")
    #: Loaded where shown (the action's page).
    date_proposals: Mapped[list["DateProposal"]] = relationship(back_populates="action",
                                                                order_by="DateProposal.id.desc()")
    milestones: Mapped[list["Milestone"]] = relationship(
        back_populates="action", lazy="selectin",
        order_by="(Milestone.due_date.is_(None), Milestone.due_date, Milestone.id)")

    def is_overdue(self, today: date) -> bool:
        """End date passed and neither completed nor cancelled."""
        return bool(self.end_date and self.end_date < today and not self.is_closed)

    @property
    def accepted_parties(self) -> list["Party"]:
        return [party for party in self.parties if party.response == Response.ACCEPTED]

    @property
    def pending_parties(self) -> list["Party"]:
        return [party for party in self.parties if party.response == Response.PROPOSED]

    def party_of(self, organisation_id: int | None) -> "Party | None":
        """Return the organisation's accepted party in this action, if it is one."""
        return next((p for p in self.accepted_parties if p.organisation_id == organisation_id), None)

    @property
    def corridors(self) -> list[tuple[str, str]]:
        """Every pair of countries involved, each pair in alphabetical order (the corridor pages' addresses)."""
        codes = sorted({entry.country_iso3 for entry in self.countries})
        return [(first, second) for index, first in enumerate(codes) for second in codes[index + 1:]]

    def roles_of(self, iso3: str) -> list[str]:
        """Return the translated roles a country holds in this action."""
        return [entry.role_label for entry in self.countries if entry.country_iso3 == iso3]

    def __repr__(self) -> str:
        return f"<JointAction {self.id}>"


class Party(FollowedUp, translated_fields(deliverable=Text), db.Model):
    """An organisation's share of a joint action: its role, deliverable, status and progress updates.

    The lead's party is accepted when the action is created; a partner is proposed by the lead and
    becomes a party only when its own organisation accepts.
    """

    __tablename__ = "joint_action_parties"
    __table_args__ = (UniqueConstraint("action_id", "organisation_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    action_id: Mapped[int] = mapped_column(ForeignKey("joint_actions.id"))
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    role: Mapped[str] = mapped_column(String(20), default=PartyRole.PARTNER)
    # deliverable_es, deliverable_en: Markdown, what this party delivers (translated_fields above).
    deliverable_due: Mapped[date | None]
    status: Mapped[str] = mapped_column(String(20), default=Status.PLANNED)
    response: Mapped[str] = mapped_column(String(10), default=Response.PROPOSED)
    responded_at: Mapped[datetime | None]
    proposed_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    #: Date of the latest progress update, and the review state of that update (as for commitments).
    last_reported_on: Mapped[date | None]
    review_state: Mapped[str] = mapped_column(String(12), default=ReviewState.NONE)
    position: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    #: Moves with each save of the deliverable form, so a stale form is refused (see service.update_party).
    version: Mapped[int] = mapped_column(default=1, server_default="1")

    action: Mapped[JointAction] = relationship(back_populates="parties")
    organisation = relationship("Organisation", lazy="joined", innerjoin=True)

    @property
    def role_label(self) -> str:
        return str(PARTY_ROLE_LABELS[PartyRole(self.role)])

    @property
    def response_label(self) -> str:
        return str(RESPONSE_LABELS[Response(self.response)])

    @property
    def is_accepted(self) -> bool:
        return self.response == Response.ACCEPTED

    @property
    def due_date(self) -> date | None:
        """The party's own due date, or else the action's end date."""
        return self.deliverable_due or self.action.end_date

    def is_late(self, today: date) -> bool:
        """Its due date passed and its part is neither completed nor cancelled."""
        due = self.due_date
        return bool(due and due < today and not self.is_closed)

    def __repr__(self) -> str:
        return f"<Party {self.id} of action {self.action_id}>"


class ActionCountry(db.Model):
    """A country involved in a joint action, with its role on the route (a country may hold several)."""

    __tablename__ = "joint_action_countries"
    __table_args__ = (UniqueConstraint("action_id", "country_iso3", "role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    action_id: Mapped[int] = mapped_column(ForeignKey("joint_actions.id"))
    country_iso3: Mapped[str] = mapped_column(ForeignKey("countries.iso3"), index=True)
    role: Mapped[str] = mapped_column(String(12))
    position: Mapped[int] = mapped_column(default=0)

    action: Mapped[JointAction] = relationship(back_populates="countries")

    @property
    def role_label(self) -> str:
        return str(ROUTE_ROLE_LABELS[RouteRole(self.role)])


class Milestone(translated_fields(title=String(300)), db.Model):
    """A step of a joint action with its due date and, once reached, its done date; its title in Spanish,
    English or both."""

    __tablename__ = "joint_action_milestones"
    __table_args__ = (written_in_a_language("title"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    action_id: Mapped[int] = mapped_column(ForeignKey("joint_actions.id"), index=True)
    due_date: Mapped[date | None]
    done_on: Mapped[date | None]
    #: Sent with the create form; a second submission with the same key creates nothing.
    idempotency_key: Mapped[str | None] = idempotency_key_column()

    action: Mapped[JointAction] = relationship(back_populates="milestones")

    def is_late(self, today: date) -> bool:
        return bool(self.due_date and self.due_date < today and self.done_on is None)

    @property
    def recorded_title(self) -> str:
        """The title as a history entry keeps it, once for every reader: in its original language."""
        return str(self.text("title", self.original_language))
