"""The follow-up report of a meeting: its figures equal those counted from the underlying records, per
country and organisation, show only what the reader may see, and the PDF holds the same figures."""

import io
import re
from datetime import date, timedelta

from pypdf import PdfReader
from sqlalchemy import select

from portal.commitments.models import Commitment
from portal.extensions import db
from portal.public.report import FIGURES
from tests.commitments.support import browser, hidden, post

TODAY = date.today()


def figures(page: str) -> dict[str, int]:
    return {name: int(value.replace(",", "")) for name, value in re.findall(r'data-figure="(\w+)">([\d,]+)<', page)}


def country_row(page: str, iso3: str) -> list[int]:
    row = re.search(rf'<tr data-country="{iso3}">(.*?)</tr>', page, re.S).group(1)
    return [int(value.replace(",", "")) for value in re.findall(r"<td>([\d,]+)</td>", row)]


def series(app, cast, factory):
    """Tegucigalpa 200 days ago, followed up by San Salvador next month; commitments of two countries."""
    first = factory.symposium(slug="tegucigalpa", title="Simposio de Tegucigalpa", start_date=TODAY - timedelta(days=200))
    follow_up = factory.symposium(slug="san-salvador", title="Seguimiento en San Salvador", country="SLV",
                                  start_date=TODAY + timedelta(days=30), previous_id=first.id)
    honduras, mexico, iom = cast["ministry_editor"], cast["mexico_editor"], cast["iom_editor"]
    guide = factory.commitment(cast["ministry"], "public", title="Guía", symposium_id=first.id, author=honduras,
                               target_date=TODAY + timedelta(days=90))
    centres = factory.commitment(cast["ministry"], "public", title="Centros", symposium_id=first.id, author=honduras,
                                 target_date=TODAY - timedelta(days=10))
    data = factory.commitment(cast["mexico"], "public", title="Datos", symposium_id=first.id, author=mexico)
    hidden_one = factory.commitment(cast["mexico"], "partners", title="Interna", symposium_id=first.id, author=mexico)
    factory.commitment(cast["mexico"], "public", title="De otra reunión", author=mexico)
    factory.review(factory.update(guide, honduras, "in_progress", reported_on=TODAY - timedelta(days=50)), iom)
    factory.update(guide, honduras, "completed", reported_on=TODAY - timedelta(days=5), note="Entregadas todas.")
    factory.review(factory.update(data, mexico, "in_progress", reported_on=TODAY - timedelta(days=20)), iom,
                   "questioned", "¿Cuántos registros?")
    factory.update(data, mexico, "completed", reported_on=TODAY - timedelta(days=300))  # before the period
    factory.update(hidden_one, mexico, "completed", reported_on=TODAY - timedelta(days=3))
    editor = browser(app, honduras)
    page = editor.text(f"/commitments/{guide.id}/edit")
    post(editor, f"/commitments/{guide.id}/edit", {
        "title_es": "Guía", "visibility": "public", "symposium_id": str(first.id), "version": hidden(page, "version"),
        "target_date": (TODAY + timedelta(days=200)).isoformat(), "change_reason": "Imprenta",
        "agreed_at": "partners"})
    return {"first": first, "follow_up": follow_up, "centres": centres}


def counted(app, first_id: int, partner: bool, since: date, until: date) -> dict[str, dict[str, int]]:
    """The report's figures counted again from the records, in Python, per country."""
    rows: dict[str, dict[str, int]] = {}
    with app.app_context():
        for commitment in db.session.scalars(select(Commitment).where(Commitment.symposium_id == first_id)):
            if commitment.visibility != "public" and not partner:
                continue
            row = rows.setdefault(commitment.organisation.country_iso3, dict.fromkeys(FIGURES, 0))
            updates = commitment_updates(commitment)
            in_period = [update for update in updates if since <= update.reported_on <= until]
            reviews = [review for update in updates for review in update.reviews
                       if since <= review.created_at.date() <= until]
            row["made"] += since <= commitment.created_at.date() <= until
            row["completed"] += any(update.status == "completed" for update in in_period)
            row["verified"] += any(review.verdict == "verified" for review in reviews)
            row["questioned"] += any(review.verdict == "questioned" for review in reviews)
            row["renegotiated"] += any(since <= change.created_at.date() <= until
                                       for change in commitment.schedule_changes)
            row["overdue"] += commitment.is_overdue(until)
    return rows


def commitment_updates(commitment):
    from portal.progress.models import ProgressUpdate

    return db.session.scalars(select(ProgressUpdate).where(ProgressUpdate.commitment_id == commitment.id)).all()


def test_the_report_counts_what_the_records_say_for_each_reader(app, cast, factory):
    meetings = series(app, cast, factory)
    since, until = meetings["first"].start_date, TODAY
    for reader, partner in ((browser(app), False), (browser(app, cast["iom_editor"]), True)):
        page = reader.text("/symposia/san-salvador/report")
        expected = counted(app, meetings["first"].id, partner, since, until)
        for iso3, row in expected.items():
            assert country_row(page, iso3) == [row[name] for name in FIGURES], (iso3, partner)
        totals = {name: sum(row[name] for row in expected.values()) for name in FIGURES}
        assert figures(page) == totals
    public = figures(browser(app).text("/symposia/san-salvador/report"))
    partner = figures(browser(app, cast["iom_editor"]).text("/symposia/san-salvador/report"))
    assert (public["made"], public["completed"], public["verified"], public["questioned"]) == (3, 1, 1, 1)
    assert public["renegotiated"] == 1 and public["overdue"] == 1
    assert (partner["made"], partner["completed"]) == (4, 2)  # the partners-only commitment too


def test_the_report_is_linked_translated_and_its_pdf_holds_the_same_figures(app, cast, factory):
    series(app, cast, factory)
    reader = browser(app)
    assert 'href="/symposia/san-salvador/report"' in reader.text("/symposia/san-salvador")
    page = reader.text("/symposia/san-salvador/report")
    assert "Simposio de Tegucigalpa" in page and "Follow-up report" in page
    assert "Informe de seguimiento" in browser(app, language="es").text("/symposia/san-salvador/report")
    response = reader.get("/symposia/san-salvador/report.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(response.data)).pages).split())
    for label, name in (("Commitments made", "made"), ("Completed", "completed"), ("Progress verified", "verified"),
                        ("Progress questioned", "questioned"), ("Renegotiated", "renegotiated")):
        assert f"{label} {figures(page)[name]}" in text, (label, text[:600])


def test_a_first_meeting_reports_since_itself_and_an_unknown_one_is_not_found(app, cast, factory):
    meetings = series(app, cast, factory)
    page = browser(app).text("/symposia/tegucigalpa/report")
    assert figures(page)["made"] == 3
    assert meetings["first"].start_date.strftime("%B") in page
    assert browser(app).get("/symposia/no-such-meeting/report").status_code == 404
    assert browser(app).get("/symposia/no-such-meeting/report.pdf").status_code == 404
