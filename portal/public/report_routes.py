"""The follow-up report of a symposium: on screen, in print, and as a PDF made by the server."""

from flask import current_app, render_template
from flask_login import current_user

from portal.commitments.models import Commitment
from portal.commitments.scorecard import commitments_scorecard
from portal.core.pdf import pdf_response
from portal.core.permissions import public
from portal.countries.names import country_name, sort_key
from portal.progress.models import STATUS_LABELS
from portal.public.report import FIGURES, build_report
from portal.public.routes import bp
from portal.symposia.routes import load


def _render(slug: str, for_pdf: bool) -> str:
    symposium = load(slug)
    report = build_report(current_user, symposium)
    scope = Commitment.symposium_id.in_([meeting.id for meeting in report.meetings])
    countries = sorted(report.by_country().items(), key=lambda row: sort_key(country_name(row[0])))
    organisations = sorted(report.organisations.items(), key=lambda row: sort_key(report.names[row[0]][0]))
    return render_template("public/report.html", report=report, symposium=symposium, figures=FIGURES,
                           scorecard=commitments_scorecard(current_user, scope, report.since, report.until),
                           statuses=STATUS_LABELS, countries=countries, organisations=organisations,
                           for_pdf=for_pdf)


@bp.get("/symposia/<slug:slug>/report")
@public
def symposium_report(slug: str):
    """Show what changed on the series' commitments since the previous meeting, per country and organisation."""
    return _render(slug, for_pdf=False)


@bp.get("/symposia/<slug:slug>/report.pdf")
@public
def symposium_report_pdf(slug: str):
    """The follow-up report as a PDF, drawn by the server from the same page."""
    return pdf_response(_render(slug, for_pdf=True), f"{slug}-report.pdf", current_app.static_folder)
