"""A symposium's matrix imported by IOM: rows of other organisations become proposals, seen by nobody else in any
list, count, feed, export, API answer or search until their editors accept them; declined ones keep a reason."""

import html

from sqlalchemy import select

from portal.commitments.models import Commitment
from portal.commitments.proposal_models import CommitmentProposal
from portal.core.audit import AuditEvent
from portal.extensions import db
from tests.commitments.support import count, load
from tests.importing.support import browser, confirm, post, summary, to_csv, upload

TITLE = "Ventanilla única para personas retornadas"
SURFACES = ["/commitments/", f"/commitments/?q={TITLE[:10]}", "/commitments.csv", "/commitments.xlsx",
            "/orgs/sreci/feed.atom", "/api/v1/commitments", "/orgs/sreci", "/countries/HND",
            "/symposia/tegucigalpa", "/symposia/tegucigalpa/feed.atom", "/countries/HND/feed.atom", "/"]
ACCEPTED_SURFACES = SURFACES[:6] + ["/symposia/tegucigalpa"]


def _matrix(app, factory, cast):
    symposium = factory.symposium(slug="tegucigalpa", title="Simposio de Tegucigalpa")
    table = [["Título", "Organización", "Simposio", "Estado", "Quién puede consultarlo"],
             [TITLE, cast["owner"].name, "tegucigalpa", "En curso", "Público"]]
    client = browser(app, cast["iom_editor"])
    page = upload(client, to_csv(table)).get_data(as_text=True)
    assert summary(page)["Proposed to other organisations"] == 1, html.unescape(page)
    assert confirm(client, page).status_code == 303
    return symposium


def _seen(app, who, url) -> bool:
    client = browser(app, who) if who else app.test_client()
    response = client.get(url)
    assert response.status_code in (200, 404), url
    body = response.get_data()
    if url.endswith(".xlsx"):
        import io

        import openpyxl
        sheet = openpyxl.load_workbook(io.BytesIO(body)).active
        return any(TITLE in str(cell) for row in sheet.iter_rows(values_only=True) for cell in row)
    return TITLE in html.unescape(body.decode("utf-8", "replace"))


def test_a_proposal_is_in_no_list_count_feed_export_api_or_search(app, factory, cast):
    _matrix(app, factory, cast)
    assert count(app, Commitment) == 0 and count(app, CommitmentProposal) == 1
    for who in (None, cast["other_editor"], cast["owner_editor"], cast["iom_editor"], cast["site_admin"]):
        for url in SURFACES:
            assert not _seen(app, who, url), (who, url)
    # Shown to the organisation's editors and to IOM on the proposals page, not to other organisations.
    assert TITLE in browser(app, cast["owner_editor"]).text("/commitments/proposals")
    assert TITLE in browser(app, cast["iom_editor"]).text("/commitments/proposals")
    assert TITLE not in browser(app, cast["other_editor"]).text("/commitments/proposals")
    assert "1 proposed commitment waits" in browser(app, cast["owner_editor"]).text("/dashboard")
    assert "proposed commitment" not in browser(app, cast["other_editor"]).text("/dashboard")
    with app.app_context():
        proposal_id = db.session.scalar(select(CommitmentProposal.id))
    assert browser(app, cast["other_editor"]).get(f"/commitments/proposals/{proposal_id}").status_code == 404


def test_an_accepted_proposal_is_the_owners_commitment_everywhere(app, factory, cast):
    symposium = _matrix(app, factory, cast)
    with app.app_context():
        proposal_id = db.session.scalar(select(CommitmentProposal.id))
    owner = browser(app, cast["owner_editor"])
    assert post(browser(app, cast["iom_editor"]), f"/commitments/proposals/{proposal_id}/accept").status_code == 403
    edited = post(owner, f"/commitments/proposals/{proposal_id}",
                  {"title_es": TITLE, "description_es": "Revisado por la Cancillería", "symposium_id": str(symposium.id),
                   "visibility": "public", "version": "1"})
    assert edited.status_code == 303
    response = post(owner, f"/commitments/proposals/{proposal_id}/accept")
    assert response.status_code == 303
    again = post(owner, f"/commitments/proposals/{proposal_id}/accept")
    assert again.status_code == 303 and count(app, Commitment) == 1, "accepting twice makes one commitment"
    with app.app_context():
        commitment = db.session.scalar(select(Commitment))
        assert commitment.organisation_id == cast["owner"].id and commitment.status == "in_progress"
        assert commitment.description == "Revisado por la Cancillería"
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "accept_proposal"))
        assert event.changes["drafted_by"] == "IOM Honduras" and event.actor_id == cast["owner_editor"].id
    for url in ACCEPTED_SURFACES:
        assert _seen(app, None, url), url


def test_a_declined_proposal_keeps_its_reason_and_never_becomes_a_commitment(app, factory, cast):
    _matrix(app, factory, cast)
    with app.app_context():
        proposal_id = db.session.scalar(select(CommitmentProposal.id))
    owner = browser(app, cast["owner_editor"])
    assert post(owner, f"/commitments/proposals/{proposal_id}/decline", {"reason": ""}).status_code == 422
    assert post(owner, f"/commitments/proposals/{proposal_id}/decline",
                {"reason": "No lo asumimos en este ciclo"}).status_code == 303
    declined = load(app, CommitmentProposal, proposal_id)
    assert declined.state == "declined" and declined.decline_reason == "No lo asumimos en este ciclo"
    assert "No lo asumimos en este ciclo" in browser(app, cast["iom_editor"]).text(
        f"/commitments/proposals/{proposal_id}")
    assert post(owner, f"/commitments/proposals/{proposal_id}/accept").status_code == 403
    assert count(app, Commitment) == 0


def test_an_editor_cannot_propose_to_another_organisation(app, factory, cast):
    factory.symposium(slug="tegucigalpa")
    table = [["Title", "Organisation", "Symposium"], ["Ajeno", cast["other"].name, "tegucigalpa"]]
    page = html.unescape(upload(browser(app, cast["owner_editor"]), to_csv(table)).get_data(as_text=True))
    assert summary(page)["With errors"] == 1 and "You may import only the commitments of" in page
