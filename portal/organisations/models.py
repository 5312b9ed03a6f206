"""Organisation: the owner of every item; staff rotate, commitments stay."""

from enum import StrEnum

from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import Boolean, ForeignKey, String, select
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.core.db import TimestampMixin, VersionedMixin
from portal.core.locking import idempotency_key_column
from portal.countries.models import Country
from portal.extensions import db


class OrgKind(StrEnum):
    MINISTRY = "ministry"
    EMBASSY = "embassy"
    IOM_OFFICE = "iom_office"
    INTERNATIONAL = "international"
    CIVIL_SOCIETY = "civil_society"
    OTHER = "other"


ORG_KIND_LABELS = {
    OrgKind.MINISTRY: _l("Ministry or government agency"),
    OrgKind.EMBASSY: _l("Embassy, consulate or permanent mission"),
    OrgKind.IOM_OFFICE: _l("IOM office"),
    OrgKind.INTERNATIONAL: _l("International organisation"),
    OrgKind.CIVIL_SOCIETY: _l("Civil society organisation"),
    OrgKind.OTHER: _l("Other"),
}


class Organisation(TimestampMixin, VersionedMixin, db.Model):
    __tablename__ = "organisations"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    #: Official name, usually in the organisation's own language.
    name: Mapped[str] = mapped_column(String(200))
    #: Name in English, shown to English readers when given.
    name_en: Mapped[str | None] = mapped_column(String(200))
    acronym: Mapped[str | None] = mapped_column(String(30))
    kind: Mapped[str] = mapped_column(String(20))
    #: The country the organisation represents (for an embassy: the sending state).
    country_iso3: Mapped[str] = mapped_column(ForeignKey("countries.iso3"), index=True)
    #: For embassies and consulates: the country where the mission sits.
    host_country_iso3: Mapped[str | None] = mapped_column(ForeignKey("countries.iso3"))
    website: Mapped[str | None] = mapped_column(String(300))
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    #: Sent with the create form; a second submission with the same key creates nothing.
    idempotency_key: Mapped[str | None] = idempotency_key_column()

    country: Mapped[Country] = relationship(foreign_keys=[country_iso3], lazy="joined")
    host_country: Mapped[Country | None] = relationship(foreign_keys=[host_country_iso3])

    @property
    def display_name(self) -> str:
        """Return the name in the reader's language when one is known."""
        if self.name_en and str(get_locale()) == "en":
            return self.name_en
        return self.name

    @property
    def kind_label(self) -> str:
        return str(ORG_KIND_LABELS[OrgKind(self.kind)])

    @property
    def is_iom_office(self) -> bool:
        return self.kind == OrgKind.IOM_OFFICE

    def __repr__(self) -> str:
        return f"<Organisation {self.slug}>"


def active_organisations():
    """Return a query of the active organisations, by name."""
    return select(Organisation).where(Organisation.is_active.is_(True)).order_by(Organisation.name)
