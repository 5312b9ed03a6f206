"""The commitments blueprint; its views live in routes.py and progress_routes.py."""

from datetime import date

from flask import Blueprint, g
from flask_babel import format_date
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from portal.commitments.models import AgreedAt, Theme
from portal.commitments.permissions import (
    can_create_commitment,
    can_edit_commitment,
    can_report_progress,
    can_review_update,
)
from portal.commitments.renegotiation import AGREED_AT_LABELS
from portal.core.permissions import VISIBILITY_LABELS, Visibility
from portal.core.translated import LANGUAGE_NAMES, with_languages
from portal.extensions import db
from portal.frameworks.models import FrameworkTag
from portal.progress.models import STATUS_LABELS, Status

bp = Blueprint("commitments", __name__)

FIELD_LABELS = with_languages({
    "title": _l("Title"), "description": _l("Description"), "symposium_id": _l("Symposium"),
    "target_date": _l("Target date"), "visibility": _l("Who can read it"), "themes": _l("Themes"),
    "framework_tags": _l("International frameworks"),
    "indicator_unit": _l("Indicator unit"), "indicator_baseline": _l("Baseline"), "indicator_target": _l("Target"),
}, ("title", "description"))


@bp.app_template_global()
def visibility_label(visibility: str) -> str:
    """Return the translated description of a visibility."""
    return str(VISIBILITY_LABELS[Visibility(visibility)])


@bp.app_template_global()
def change_value(field: str, value) -> str:
    """Return a recorded value as the reader knows it: labels and names rather than codes."""
    if value in (None, ""):
        return "—"
    if field == "visibility":
        return visibility_label(value)
    if field == "status":
        return str(STATUS_LABELS[Status(value)])
    if field == "framework_tags":
        labels = _tag_labels()
        return "; ".join(labels.get(slug, slug) for slug in str(value).split(", "))
    if field == "themes":
        names = _theme_names()
        return ", ".join(names.get(code, code) for code in str(value).split(", "))
    if field == "original_language":
        return str(LANGUAGE_NAMES.get(value, value))
    if field == "target_date":
        return format_date(date.fromisoformat(value), "long")
    return str(value)


def _theme_names() -> dict[str, str]:
    """Theme names by code in the reader's language, read once per request."""
    if "theme_names" not in g:
        g.theme_names = {theme.code: theme.name for theme in db.session.scalars(select(Theme))}
    return g.theme_names


def _tag_labels() -> dict[str, str]:
    """Framework tag labels by slug in the reader's language, read once per request."""
    if "tag_labels" not in g:
        g.tag_labels = {tag.slug: tag.label for tag in db.session.scalars(select(FrameworkTag))}
    return g.tag_labels


@bp.app_template_global()
def agreed_at_label(agreed_at: str) -> str:
    """Return where a renegotiation was agreed, in the reader's language."""
    return str(AGREED_AT_LABELS[AgreedAt(agreed_at)])


@bp.app_template_global()
def field_label(field: str) -> str:
    """Return the translated name of a commitment field, for the change history."""
    return str(FIELD_LABELS.get(field, field))


# Templates use the same rules as the routes, only to show or hide buttons.
for rule in (can_create_commitment, can_edit_commitment, can_report_progress, can_review_update):
    bp.add_app_template_global(rule)
