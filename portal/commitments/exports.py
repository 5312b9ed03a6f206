"""The commitment list as open data: /commitments.csv and /commitments.xlsx, with the list page's filters,
query and visibility rule (a reader downloads exactly the commitments the page would list)."""

from flask import Blueprint, request, url_for
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy.orm import selectinload

from portal.commitments import queries
from portal.commitments.choices import read_filters
from portal.commitments.forms import CommitmentFilterForm
from portal.commitments.models import Commitment
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
from portal.progress.models import REVIEW_LABELS, STATUS_LABELS

bp = Blueprint("commitment_exports", __name__)


def _url(commitment) -> str:
    return url_for("commitments.detail", commitment_id=commitment.id, _external=True)


def _number(value):
    return float(value) if value is not None else None


COLUMNS = [
    Column(_l("Id"), "#activity+id", lambda c: c.id, 8),
    *translated_columns(_l("Title"), "#activity+name", "title", 50),
    original_language_column(),
    Column(_l("Organisation"), "#org+name+impl", lambda c: c.organisation.display_name, 40),
    Column(_l("Country code"), "#country+code+v_iso3", lambda c: c.organisation.country_iso3, 10),
    Column(_l("Country"), "#country+name", lambda c: country_name(c.organisation.country_iso3)),
    Column(_l("Symposium"), "#event+name", lambda c: str(c.symposium.title) if c.symposium else None, 30),
    Column(_l("Theme codes"), "#sector+code", lambda c: "; ".join(t.code for t in c.themes), 24),
    Column(_l("Themes"), "#sector+name", lambda c: "; ".join(t.name for t in c.themes), 40),
    Column(_l("Framework tags"), "#meta+framework+code", lambda c: "; ".join(t.slug for t in c.framework_tags), 24),
    Column(_l("Status code"), "#status+code", lambda c: c.status, 12),
    Column(_l("Status"), "#status+name", lambda c: str(STATUS_LABELS[c.status]), 14),
    Column(_l("Review"), "#status+review", lambda c: str(REVIEW_LABELS[c.review_state]), 18),
    Column(_l("Target date"), "#date+end+planned", lambda c: c.target_date, 12),
    Column(_l("Renegotiated"), "#status+renegotiated", lambda c: str(_l("Yes") if c.is_renegotiated else _l("No")), 8),
    Column(_l("Last report"), "#date+reported", lambda c: c.last_reported_on, 12),
    Column(_l("Indicator unit"), "#indicator+unit", lambda c: c.indicator_unit),
    Column(_l("Baseline"), "#indicator+num+baseline", lambda c: _number(c.indicator_baseline), 10),
    Column(_l("Target"), "#indicator+num+target", lambda c: _number(c.indicator_target), 10),
    Column(_l("Achieved"), "#indicator+num+achieved", lambda c: _number(c.indicator_achieved), 10),
    *translated_columns(_l("Description"), "#description", "description", 60),
    Column(_l("Address"), "#meta+url", _url, 40),
    Column(_l("Last change"), "#date+updated", lambda c: c.updated_at, 18),
    # Read back by the import: a row edited in a spreadsheet updates its commitment only if nobody changed it since.
    Column(_l("Version"), "#meta+version", lambda c: c.version, 8),
]


def _rows():
    filters = read_filters(CommitmentFilterForm(request.args))
    query = queries.matching_commitments(current_user, filters).options(selectinload(Commitment.framework_tags))
    return in_batches(query, Commitment.id)


def _filename(extension: str) -> str:
    return f"commitments-{local_today().isoformat()}.{extension}"


@bp.get("/commitments.csv")
@public
def commitments_csv():
    """Download the commitments the reader may see, with the list page's filters, as HXL-tagged CSV."""
    return csv_response(_filename("csv"), COLUMNS, _rows())


@bp.get("/commitments.xlsx")
@public
def commitments_xlsx():
    """Download the commitments the reader may see, with the list page's filters, as XLSX."""
    return xlsx_response(_filename("xlsx"), str(_l("Commitments")), COLUMNS, _rows(), str(get_locale()))
