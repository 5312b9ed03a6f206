"""Framework tags: the Global Compact for Migration's objectives, the SDG targets that concern migration,
the stages of return, and IOM's reintegration dimensions and levels. Seeded by a migration, translated,
extensible by a site administrator; commitments and joint actions carry any number of them."""

from enum import StrEnum

from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import Boolean, String, UniqueConstraint, select
from sqlalchemy.orm import Mapped, mapped_column

from portal.extensions import db


class Framework(StrEnum):
    GCM = "gcm"
    SDG = "sdg"
    RETURN_STAGE = "return-stage"
    REINTEGRATION_DIMENSION = "reintegration-dimension"
    REINTEGRATION_LEVEL = "reintegration-level"


FRAMEWORK_LABELS = {
    Framework.GCM: _l("Global Compact for Safe, Orderly and Regular Migration: objectives"),
    Framework.SDG: _l("Sustainable Development Goals: targets that concern migration"),
    Framework.RETURN_STAGE: _l("Stages of return"),
    Framework.REINTEGRATION_DIMENSION: _l("Dimensions of reintegration (IOM)"),
    Framework.REINTEGRATION_LEVEL: _l("Levels of reintegration (IOM)"),
}
#: How a tag's code is prefixed when it is named alone ("GCM 21", "SDG 10.7"); lists by name need none.
CODE_PREFIXES = {Framework.GCM: _l("GCM"), Framework.SDG: _l("SDG")}


class FrameworkTag(db.Model):
    """One entry of a framework: GCM objective 21, SDG target 10.7, the reintegration stage of return..."""

    __tablename__ = "framework_tags"
    __table_args__ = (UniqueConstraint("framework", "code", name="one_code_per_framework"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    framework: Mapped[str] = mapped_column(String(30))
    #: The framework's own numbering ("21", "10.7") or a short name ("reintegration").
    code: Mapped[str] = mapped_column(String(30))
    name_es: Mapped[str] = mapped_column(String(300))
    name_en: Mapped[str] = mapped_column(String(300))
    position: Mapped[int] = mapped_column(default=0)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)

    @property
    def name(self) -> str:
        return self.name_en if str(get_locale()) == "en" else self.name_es

    @property
    def label(self) -> str:
        """The tag as a reader names it: "GCM 21: Cooperate in facilitating safe and dignified return…"."""
        prefix = CODE_PREFIXES.get(self.framework)
        return f"{prefix} {self.code}: {self.name}" if prefix else self.name

    @property
    def slug(self) -> str:
        """The tag in URLs and filters: "gcm-21", "sdg-10.7"."""
        return f"{self.framework}-{self.code}"


def active_tags(extra_ids=()) -> list[FrameworkTag]:
    """The active tags (and any of ``extra_ids``, which a record already carries), framework by framework."""
    query = select(FrameworkTag).where(FrameworkTag.is_active.is_(True) | FrameworkTag.id.in_(list(extra_ids)))
    tags = db.session.scalars(query.order_by(FrameworkTag.position, FrameworkTag.id))
    order = list(Framework)
    return sorted(tags, key=lambda tag: (order.index(tag.framework) if tag.framework in order else len(order),
                                         tag.position, tag.id))


def chosen_tags(tag_ids) -> list[FrameworkTag]:
    """The active tags among those chosen on a form."""
    if not tag_ids:
        return []
    return list(db.session.scalars(select(FrameworkTag).where(FrameworkTag.id.in_(tag_ids),
                                                              FrameworkTag.is_active.is_(True))))


def tag_by_slug(slug) -> FrameworkTag | None:
    """The tag named "framework-code" in a URL or filter ("gcm-21"), or None for anything else."""
    for framework in Framework:
        prefix = framework.value + "-"
        if isinstance(slug, str) and slug.startswith(prefix) and 0 < len(slug) - len(prefix) <= 30:
            return db.session.scalar(select(FrameworkTag).where(FrameworkTag.framework == framework.value,
                                                                FrameworkTag.code == slug[len(prefix):]))
    return None
