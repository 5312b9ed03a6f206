"""The commitments blueprint; its views live in routes.py and progress_routes.py."""

from flask import Blueprint

from flask_babel import lazy_gettext as _l

from portal.commitments.models import VISIBILITY_LABELS
from portal.core.permissions import Visibility

from portal.commitments.permissions import (
    can_create_commitment,
    can_edit_commitment,
    can_report_progress,
    can_review_update,
)

bp = Blueprint("commitments", __name__)

FIELD_LABELS = {
    "title": _l("Title"), "description": _l("Description"), "symposium_id": _l("Symposium"),
    "target_date": _l("Target date"), "visibility": _l("Who can read it"), "themes": _l("Themes"),
    "indicator_unit": _l("Indicator unit"), "indicator_baseline": _l("Baseline"), "indicator_target": _l("Target"),
}


@bp.app_template_global()
def visibility_label(visibility: str) -> str:
    """Return the translated description of a visibility."""
    return str(VISIBILITY_LABELS[Visibility(visibility)])


@bp.app_template_global()
def field_label(field: str) -> str:
    """Return the translated name of a commitment field, for the change history."""
    return str(FIELD_LABELS.get(field, field))


# Templates use the same rules as the routes, only to show or hide buttons.
for rule in (can_create_commitment, can_edit_commitment, can_report_progress, can_review_update):
    bp.add_app_template_global(rule)
