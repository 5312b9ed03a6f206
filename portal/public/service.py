"""Context figure operations: they flush and write the audit trail; the route commits once."""

from sqlalchemy import select

from portal.core.audit import changed_fields, plain_value, record_event
from portal.core.db import utcnow
from portal.core.translated import clean
from portal.extensions import db
from portal.public.models import ContextFigure

#: Every language of the label and the note is edited, and recorded, like any other field.
EDITABLE_FIELDS = ["label_es", "label_en", "value", "unit", "period", "source", "source_url", "note_es", "note_en",
                   "original_language", "position"]


def _apply(figure: ContextFigure, data: dict) -> None:
    figure.set_texts(data)
    figure.value = data["value"]
    figure.unit = data.get("unit") or ""
    figure.period = data["period"]
    figure.source = data["source"]
    figure.source_url = data.get("source_url") or None
    figure.position = data.get("position") or 0


def find_same_figure(country_iso3: str, data: dict) -> ContextFigure | None:
    """An unarchived figure of the country with the same labels, value, period and source, if any.

    A form sent twice (a double click, a resent page) must not show the figure twice; the table has no
    idempotency key, and two identical figures on one page are never meant.
    """
    return db.session.scalar(select(ContextFigure).where(
        ContextFigure.country_iso3 == country_iso3, ContextFigure.is_archived.is_(False),
        # A label left empty is NULL: "==" None compares IS NULL.
        ContextFigure.label_es == clean(data.get("label_es")), ContextFigure.label_en == clean(data.get("label_en")),
        ContextFigure.value == data["value"], ContextFigure.period == data["period"],
        ContextFigure.source == data["source"]).limit(1))


def create_figure(actor, country_iso3: str, data: dict, idempotency_key: str | None = None) -> ContextFigure:
    """Add a context figure to a country's page."""
    figure = ContextFigure(country_iso3=country_iso3, created_by_id=actor.id, idempotency_key=idempotency_key)
    _apply(figure, data)
    db.session.add(figure)
    db.session.flush()
    record_event(actor, "create", figure,
                 {field: [None, plain_value(getattr(figure, field))] for field in EDITABLE_FIELDS})
    return figure


def update_figure(actor, figure: ContextFigure, data: dict) -> None:
    """Change a context figure, recording each changed field."""
    _apply(figure, data)
    changes = changed_fields(figure, EDITABLE_FIELDS)
    if changes:
        record_event(actor, "update", figure, changes)


def restore_figure(actor, figure: ContextFigure) -> None:
    """Put an archived context figure back on the country's page."""
    figure.is_archived = False
    figure.archived_at = None
    record_event(actor, "restore", figure)


def archive_figure(actor, figure: ContextFigure) -> None:
    """Archive a context figure: it leaves the country's page and stays in the database and its history."""
    figure.is_archived = True
    figure.archived_at = utcnow()
    record_event(actor, "archive", figure)
