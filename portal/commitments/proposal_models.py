"""Proposed commitments: rows of a symposium's matrix imported by IOM follow-up staff or the symposium's
organisers for another organisation. A proposal is not a commitment: it lives in its own table, so no list,
count, feed, export, API, search or figure can show it. The organisation's editors may edit it, then accept it
(it becomes their commitment, its history saying who drafted and who accepted it) or decline it with a reason.
"""

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.core.db import TimestampMixin, VersionedMixin
from portal.core.translated import LANGUAGES, Translated, pick
from portal.extensions import db


class ProposalState(StrEnum):
    PROPOSED = "proposed"
    ACCEPTED = "accepted"
    DECLINED = "declined"


class CommitmentProposal(TimestampMixin, VersionedMixin, db.Model):
    __tablename__ = "commitment_proposals"
    __table_args__ = (Index("ix_commitment_proposals_organisation_state", "organisation_id", "state"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"))
    symposium_id: Mapped[int | None] = mapped_column(ForeignKey("symposia.id"))
    state: Mapped[str] = mapped_column(String(10), default=ProposalState.PROPOSED)
    #: The commitment as the commitment form would send it (texts, dates as ISO text, themes and tags by id,
    #: status and value reached): read and written only through portal.commitments.importing.
    values: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    drafted_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    drafted_by_organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"))
    #: The imported file and row it came from.
    source: Mapped[str] = mapped_column(String(300), default="")
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime | None]
    decline_reason: Mapped[str | None] = mapped_column(Text)
    commitment_id: Mapped[int | None] = mapped_column(ForeignKey("commitments.id"), unique=True)

    organisation = relationship("Organisation", foreign_keys=[organisation_id], lazy="joined")
    drafted_by_organisation = relationship("Organisation", foreign_keys=[drafted_by_organisation_id])
    symposium = relationship("Symposium")
    drafted_by = relationship("User", foreign_keys=[drafted_by_id])
    decided_by = relationship("User", foreign_keys=[decided_by_id])

    @property
    def title(self) -> Translated:
        """The proposed title in the reader's language, else the other one, marked."""
        return pick({lang: self.values.get(f"title_{lang}") for lang in LANGUAGES})
