"""The IOM follow-up board: every partner's open, late, unreported and questioned items, and its CSV export."""

from flask import render_template, request
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select

from portal.commitments.models import Theme
from portal.core.clock import local_today
from portal.core.exports import Column, csv_response, xlsx_response
from portal.core.forms import options
from portal.core.permissions import login_required, require
from portal.core.params import bounded_id
from portal.core.translated import marked
from portal.countries.names import country_name, sort_key
from portal.extensions import db
from portal.followup import board
from portal.followup.blueprint import bp
from portal.followup.forms import BOARD_SORTS, BoardFilterForm
from portal.followup.permissions import can_view_board
from portal.organisations.models import Organisation
from portal.symposia.models import Symposium

bp.add_app_template_global(can_view_board)


@bp.get("/followup")
@login_required
def board_page():
    """Show the follow-up board of every partner (IOM follow-up staff and site administrators)."""
    require(can_view_board(current_user))
    form, filters = _filters()
    rows, countries = board.board_rows(current_user, filters)
    return render_template("followup/board.html", form=form, filters=filters, rows=rows, countries=countries,
                           requests=board.recent_requests(current_user, filters), today=local_today(),
                           args=request.args)


#: The board's columns, as on the page: one row per organisation.
BOARD_COLUMNS = [
    Column(_l("Country code"), "#country+code+v_iso3", lambda row: row.country, 10),
    Column(_l("Country"), "#country+name", lambda row: country_name(row.country)),
    Column(_l("Organisation"), "#org+name", lambda row: row.organisation.display_name, 40),
    Column(_l("Commitments"), "#activity+num+commitments", lambda row: row.commitments, 12),
    Column(_l("Open commitments"), "#activity+num+open", lambda row: row.open, 12),
    Column(_l("Overdue"), "#activity+num+overdue", lambda row: row.overdue, 12),
    Column(_l("Unreported for 90 days"), "#activity+num+unreported", lambda row: row.unreported, 12),
    Column(_l("Questioned"), "#activity+num+questioned", lambda row: row.questioned, 12),
    Column(_l("Renegotiated"), "#activity+num+renegotiated", lambda row: row.renegotiated, 12),
    Column(_l("Open joint-action shares"), "#activity+num+shares+open", lambda row: row.shares_open, 12),
    Column(_l("Late joint-action shares"), "#activity+num+shares+overdue", lambda row: row.shares_late, 12),
    Column(_l("Unreported joint-action shares"), "#activity+num+shares+unreported",
           lambda row: row.shares_unreported, 12),
    Column(_l("Questioned joint-action shares"), "#activity+num+shares+questioned",
           lambda row: row.shares_questioned, 12),
    Column(_l("Last update"), "#date+reported", lambda row: row.last_update, 12),
    Column(_l("Open update requests"), "#meta+num+requests+open", lambda row: row.open_requests, 12),
    Column(_l("Late update requests"), "#meta+num+requests+overdue", lambda row: row.late_requests, 12),
]


def _board_rows():
    require(can_view_board(current_user))
    _form, filters = _filters()
    rows, _countries = board.board_rows(current_user, filters)
    return rows


@bp.get("/followup.csv")
@login_required
def board_csv():
    """Download the board, with the same filters, as HXL-tagged CSV (one row per organisation)."""
    return csv_response(f"followup-board-{local_today().isoformat()}.csv", BOARD_COLUMNS, _board_rows())


@bp.get("/followup.xlsx")
@login_required
def board_xlsx():
    """Download the board, with the same filters, as XLSX (one row per organisation)."""
    return xlsx_response(f"followup-board-{local_today().isoformat()}.xlsx", str(_l("Follow-up board")),
                         BOARD_COLUMNS, _board_rows(), str(get_locale()))


def _filters() -> tuple[BoardFilterForm, board.BoardFilters]:
    """Read the board's filters from the URL; unknown values are ignored, never an error."""
    form = BoardFilterForm(request.args)
    taking_part = select(Organisation.country_iso3).where(Organisation.is_active.is_(True)).distinct()
    codes = sorted(db.session.scalars(taking_part), key=lambda code: sort_key(country_name(code)))
    form.country.choices = options([("", "—")] + [(code, country_name(code)) for code in codes])
    symposia = db.session.scalars(select(Symposium).order_by(Symposium.start_date.desc()))
    form.symposium.choices = options([("", "—")] + [(str(s.id), marked(s.title)) for s in symposia])
    themes = db.session.scalars(select(Theme).where(Theme.is_active.is_(True)).order_by(Theme.position, Theme.id))
    form.theme.choices = options([("", "—")] + [(str(theme.id), theme.name) for theme in themes])
    country = form.country.data if form.country.data in codes else None
    return form, board.BoardFilters(
        country=country, symposium=bounded_id(form.symposium.data), theme=bounded_id(form.theme.data),
        sort=form.sort.data if form.sort.data in BOARD_SORTS else "worst",
    )


