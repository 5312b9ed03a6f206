"""Country reference table, filled from ISO 3166-1 by the first migration."""

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from portal.extensions import db


class Country(db.Model):
    __tablename__ = "countries"

    #: ISO 3166-1 alpha-3, used in URLs and exports.
    iso3: Mapped[str] = mapped_column(String(3), primary_key=True)
    #: ISO 3166-1 alpha-2, for the standards that ask for it (IATI).
    iso2: Mapped[str] = mapped_column(String(2), unique=True)
    #: English short name from ISO 3166-1; readers see the translated name (see names.py).
    name: Mapped[str] = mapped_column(String(200))

    def __repr__(self) -> str:
        return f"<Country {self.iso3}>"
