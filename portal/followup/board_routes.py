"""The IOM follow-up board: every partner's open, late, unreported and questioned items, and its CSV export."""

import csv
import io

from flask import Response, render_template, request
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from portal.commitments.models import Theme
from portal.core.clock import local_today
from portal.core.forms import options
from portal.core.permissions import login_required, require
from portal.core.params import bounded_id
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


@bp.get("/followup.csv")
@login_required
def board_csv():
    """Download the board, with the same filters, as CSV (one row per organisation)."""
    require(can_view_board(current_user))
    _form, filters = _filters()
    rows, _countries = board.board_rows(current_user, filters)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([_("Country code"), _("Country"), _("Organisation"), _("Commitments"), _("Open commitments"),
                     _("Overdue"), _("Unreported for 90 days"), _("Questioned"), _("Open joint-action shares"),
                     _("Late joint-action shares"), _("Unreported joint-action shares"),
                     _("Questioned joint-action shares"), _("Last update"), _("Open update requests"),
                     _("Late update requests")])
    for row in rows:
        writer.writerow([safe_cell(value) for value in (
            row.country, country_name(row.country), row.organisation.display_name, row.commitments, row.open,
            row.overdue, row.unreported, row.questioned, row.shares_open, row.shares_late, row.shares_unreported,
            row.shares_questioned, row.last_update.isoformat() if row.last_update else "", row.open_requests,
            row.late_requests)])
    filename = f"followup-board-{local_today().isoformat()}.csv"
    return Response(out.getvalue(), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})


#: A spreadsheet reads a cell starting with one of these as a formula (OWASP: CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    """Return a CSV cell a spreadsheet shows as text: a leading formula character gets a quote before it."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _filters() -> tuple[BoardFilterForm, board.BoardFilters]:
    """Read the board's filters from the URL; unknown values are ignored, never an error."""
    form = BoardFilterForm(request.args)
    taking_part = select(Organisation.country_iso3).where(Organisation.is_active.is_(True)).distinct()
    codes = sorted(db.session.scalars(taking_part), key=lambda code: sort_key(country_name(code)))
    form.country.choices = options([("", "—")] + [(code, country_name(code)) for code in codes])
    symposia = db.session.scalars(select(Symposium).order_by(Symposium.start_date.desc()))
    form.symposium.choices = options([("", "—")] + [(str(s.id), s.display_title) for s in symposia])
    themes = db.session.scalars(select(Theme).where(Theme.is_active.is_(True)).order_by(Theme.position, Theme.id))
    form.theme.choices = options([("", "—")] + [(str(theme.id), theme.name) for theme in themes])
    country = form.country.data if form.country.data in codes else None
    return form, board.BoardFilters(
        country=country, symposium=bounded_id(form.symposium.data), theme=bounded_id(form.theme.data),
        sort=form.sort.data if form.sort.data in BOARD_SORTS else "worst",
    )


