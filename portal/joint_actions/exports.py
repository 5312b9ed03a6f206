"""The joint-action list as open data: /actions.csv and /actions.xlsx, with the list page's filters,
query and visibility rule."""

from flask import Blueprint, request, url_for
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy.orm import selectinload

from portal.core.clock import local_today
from portal.core.exports import (
    Column,
    csv_response,
    in_batches,
    original_language_column,
    translated_columns,
    xlsx_response,
)
from portal.core.permissions import public
from portal.countries.names import country_name
from portal.joint_actions.choices import read_filters
from portal.joint_actions.forms import ActionFilterForm
from portal.joint_actions.models import JointAction
from portal.joint_actions.queries import matching_actions
from portal.progress.models import STATUS_LABELS

bp = Blueprint("action_exports", __name__)


def _parties(action) -> str:
    return "; ".join(f"{party.organisation.display_name} ({party.role_label})" for party in action.accepted_parties)


COLUMNS = [
    Column(_l("Id"), "#activity+id", lambda a: a.id, 8),
    *translated_columns(_l("Title"), "#activity+name", "title", 50),
    original_language_column(),
    Column(_l("Lead organisation"), "#org+name+lead", lambda a: a.lead_organisation.display_name, 40),
    Column(_l("Lead country"), "#country+code+v_iso3+lead", lambda a: a.lead_organisation.country_iso3, 10),
    Column(_l("Parties"), "#org+name+participating", _parties, 60),
    Column(_l("Country codes"), "#country+code+v_iso3", lambda a: "; ".join(e.country_iso3 for e in a.countries)),
    Column(_l("Countries and route roles"), "#country+name+route",
           lambda a: "; ".join(f"{country_name(e.country_iso3)}: {e.role_label}" for e in a.countries), 40),
    Column(_l("Symposium"), "#event+name", lambda a: str(a.symposium.title) if a.symposium else None, 30),
    Column(_l("Theme codes"), "#sector+code", lambda a: "; ".join(t.code for t in a.themes), 24),
    Column(_l("Themes"), "#sector+name", lambda a: "; ".join(t.name for t in a.themes), 40),
    Column(_l("Framework tags"), "#meta+framework+code", lambda a: "; ".join(t.slug for t in a.framework_tags), 24),
    Column(_l("Status code"), "#status+code", lambda a: a.status, 12),
    Column(_l("Status"), "#status+name", lambda a: str(STATUS_LABELS[a.status]), 14),
    Column(_l("Start date"), "#date+start", lambda a: a.start_date, 12),
    Column(_l("End date"), "#date+end", lambda a: a.end_date, 12),
    *translated_columns(_l("Description"), "#description", "description", 60),
    Column(_l("Address"), "#meta+url", lambda a: url_for("joint_actions.detail", action_id=a.id, _external=True), 40),
    Column(_l("Last change"), "#date+updated", lambda a: a.updated_at, 18),
]


def _rows():
    filters = read_filters(ActionFilterForm(request.args))
    query = matching_actions(current_user, filters).options(selectinload(JointAction.framework_tags))
    return in_batches(query, JointAction.id)


def _filename(extension: str) -> str:
    return f"joint-actions-{local_today().isoformat()}.{extension}"


@bp.get("/actions.csv")
@public
def actions_csv():
    """Download the joint actions the reader may see, with the list page's filters, as HXL-tagged CSV."""
    return csv_response(_filename("csv"), COLUMNS, _rows())


@bp.get("/actions.xlsx")
@public
def actions_xlsx():
    """Download the joint actions the reader may see, with the list page's filters, as XLSX."""
    return xlsx_response(_filename("xlsx"), str(_l("Joint actions")), COLUMNS, _rows(), str(get_locale()))
