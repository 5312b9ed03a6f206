"""Progress updates: reporting, the completion rule, the two-key review by IOM, and append-only history."""

from datetime import date, timedelta

from markupsafe import escape

from portal.commitments.models import Commitment
from portal.progress.models import ProgressUpdate, UpdateReview
from tests.commitments.support import browser, count, listed, load, post, token
from tests.helpers import translated

COMPLETION_RULE = ("To mark the commitment completed, attach evidence or explain in a few sentences how it was done.")
REVIEW_LINK = "Verify or question this update"


def report(client, commitment, **fields):
    data = {"reported_on": date.today().isoformat(), "status": "in_progress", "note": "Avance.", **fields}
    return post(client, f"/commitments/{commitment.id}/updates/new", data)


def test_reported_progress_moves_status_and_indicator_and_joins_the_timeline(app, cast, factory):
    commitment = factory.commitment(cast["owner"], "public", author=cast["owner_editor"], indicator_unit="copies",
                                    indicator_baseline=0, indicator_target=64000)
    client = browser(app, cast["owner_editor"])
    response = report(client, commitment, indicator_value="16000", note="First shipment to **14 consulates**.")
    assert response.status_code == 303
    page = browser(app).text(f"/commitments/{commitment.id}")
    assert "In progress" in page and "Pending verification" in page
    assert "16,000 of 64,000" in page and "(25 %)" in page
    assert "<strong>14 consulates</strong>" in page and "Foreign Ministry of Honduras" in page
    saved = load(app, Commitment, commitment.id)
    assert (saved.status, saved.last_reported_on, saved.review_state) == ("in_progress", date.today(), "pending")


def test_progress_cannot_be_reported_for_a_future_date(app, cast, factory):
    commitment = factory.commitment(cast["owner"], author=cast["owner_editor"])
    response = report(browser(app, cast["owner_editor"]), commitment,
                      reported_on=(date.today() + timedelta(days=5)).isoformat())
    assert response.status_code == 200
    assert "Progress cannot be reported for a future date." in response.get_data(as_text=True)
    assert count(app, ProgressUpdate) == 0


def test_moving_to_completed_requires_evidence_or_a_written_justification(app, cast, factory):
    commitment = factory.commitment(cast["owner"], author=cast["owner_editor"])
    for language in ("es", "en"):
        client = browser(app, cast["owner_editor"], language=language)
        message = str(escape(translated(app, COMPLETION_RULE, language)))
        for note in ("Done.", "", " " * 40):
            response = report(client, commitment, status="completed", note=note)
            assert response.status_code == 200 and message in response.get_data(as_text=True), (language, note)
    assert count(app, ProgressUpdate) == 0 and load(app, Commitment, commitment.id).status == "planned"
    justified = "All 64,000 copies were handed over at the symposium, as the signed delivery record shows."
    assert report(client, commitment, status="completed", note=justified).status_code == 303
    other = factory.commitment(cast["owner"], author=cast["owner_editor"])
    assert report(client, other, status="completed", note="Done.",
                  evidence_url="https://www.sreci.gob.hn/informe-2026.pdf").status_code == 303
    assert [load(app, Commitment, c.id).status for c in (commitment, other)] == ["completed", "completed"]


def test_iom_verifies_another_organisations_update(app, cast, factory):
    commitment = factory.commitment(cast["owner"], "partners", author=cast["owner_editor"], title="Verifiable")
    update = factory.update(commitment, cast["owner_editor"], note="Workshop held.")
    iom = browser(app, cast["iom_editor"])
    page = iom.text(f"/commitments/{commitment.id}")
    assert REVIEW_LINK in page
    form = iom.text(f"/commitments/{commitment.id}/updates/{update.id}/review")
    assert "Workshop held." in form
    response = post(iom, f"/commitments/{commitment.id}/updates/{update.id}/review",
                    {"verdict": "verified", "comment": "Confirmed with the attendance list."})
    assert response.status_code == 303
    owner = browser(app, cast["owner_editor"])
    page = owner.text(f"/commitments/{commitment.id}")
    assert "review-verified" in page and "Confirmed with the attendance list." in page and "IOM Honduras" in page
    assert commitment.id in listed(owner.text("/commitments/?flag=verified"))
    assert commitment.id not in listed(owner.text("/commitments/?flag=pending"))


def test_a_question_needs_a_comment_and_the_owner_answers_with_a_new_update(app, cast, factory):
    commitment = factory.commitment(cast["owner"], "public", author=cast["owner_editor"], title="Questioned one")
    update = factory.update(commitment, cast["owner_editor"], note="Second workshop held.")
    iom = browser(app, cast["iom_editor"], language="es")
    url = f"/commitments/{commitment.id}/updates/{update.id}/review"
    refused = post(iom, url, {"verdict": "questioned", "comment": "   "})
    assert refused.status_code == 200
    assert str(escape(translated(app, "Say what should be clarified.", "es"))) in refused.get_data(as_text=True)
    for verdict in ("pending", "none", "approved", ""):
        assert post(iom, url, {"verdict": verdict, "comment": "Tampered verdict."}).status_code == 200, verdict
    assert count(app, UpdateReview) == 0 and load(app, ProgressUpdate, update.id).review_state == "pending"
    assert post(iom, url, {"verdict": "questioned", "comment": "How many people attended?"}).status_code == 303
    public = browser(app)
    assert commitment.id in listed(public.text("/commitments/?flag=questioned"))
    assert "review-questioned" in public.text("/commitments/")
    # The owner cannot change the questioned update, but answers it with a new one.
    owner = browser(app, cast["owner_editor"])
    assert report(owner, commitment, note="42 people attended; list attached to the minutes.").status_code == 303
    page = public.text(f"/commitments/{commitment.id}")
    assert "How many people attended?" in page and "42 people attended" in page
    assert commitment.id in listed(public.text("/commitments/?flag=pending"))
    assert commitment.id not in listed(public.text("/commitments/?flag=questioned"))
    assert load(app, ProgressUpdate, update.id).note == "Second workshop held."


def test_reviewing_an_older_update_leaves_the_commitment_on_its_latest_one(app, cast, factory):
    commitment = factory.commitment(cast["owner"], "public", author=cast["owner_editor"])
    older = factory.update(commitment, cast["owner_editor"], reported_on=date.today() - timedelta(days=30))
    factory.update(commitment, cast["owner_editor"], note="Latest news.")
    response = post(browser(app, cast["iom_editor"]), f"/commitments/{commitment.id}/updates/{older.id}/review",
                    {"verdict": "verified", "comment": ""})
    assert response.status_code == 303
    assert load(app, Commitment, commitment.id).review_state == "pending"
    assert load(app, ProgressUpdate, older.id).review_state == "verified"


def test_iom_cannot_review_its_own_organisations_updates(app, cast, factory):
    own = factory.commitment(cast["iom"], "public", author=cast["iom_editor"], title="IOM delivers the guide")
    update = factory.update(own, cast["iom_editor"])
    colleague = factory.user(cast["iom"], role="editor", email="colleague@oim.example")
    client = browser(app, colleague)
    assert REVIEW_LINK not in client.text(f"/commitments/{own.id}")
    url = f"/commitments/{own.id}/updates/{update.id}/review"
    assert client.get(url).status_code == 403
    assert post(client, url, {"verdict": "verified", "comment": "All good."}).status_code == 403
    assert count(app, UpdateReview) == 0
    # Another IOM office is a different organisation: it may review.
    other_office = factory.organisation(kind="iom_office", slug="oim-gtm", name="OIM Guatemala", country="GTM")
    assert post(browser(app, factory.user(other_office, role="editor")), url,
                {"verdict": "verified", "comment": ""}).status_code == 303


def test_only_iom_editors_review_updates(app, cast, factory):
    commitment = factory.commitment(cast["owner"], "public", author=cast["owner_editor"])
    update = factory.update(commitment, cast["owner_editor"])
    url = f"/commitments/{commitment.id}/updates/{update.id}/review"
    iom_viewer = factory.user(cast["iom"], role="viewer")
    for who in ("owner_editor", "org_admin", "other_editor", "viewer", "site_admin", "iom_viewer"):
        client = browser(app, iom_viewer if who == "iom_viewer" else cast[who])
        assert REVIEW_LINK not in client.text(f"/commitments/{commitment.id}"), who
        assert client.get(url).status_code == 403, who
        assert post(client, url, {"verdict": "verified", "comment": "Fine."}).status_code == 403, who
    assert count(app, UpdateReview) == 0 and load(app, ProgressUpdate, update.id).review_state == "pending"


def test_updates_are_append_only(app, cast, factory):
    """No route edits or deletes an update (or deletes a commitment): a correction is a new update."""
    routes = {(rule.rule, method) for rule in app.url_map.iter_rules()
              if rule.rule.startswith("/commitments/") and "update_id" in rule.arguments
              for method in rule.methods - {"HEAD", "OPTIONS"}}
    assert routes == {
        ("/commitments/<id:commitment_id>/updates/<id:update_id>/review", "GET"),
        ("/commitments/<id:commitment_id>/updates/<id:update_id>/review", "POST"),
        ("/commitments/<id:commitment_id>/updates/<id:update_id>/evidence", "GET"),
    }
    commitment = factory.commitment(cast["owner"], "public", author=cast["owner_editor"])
    update = factory.update(commitment, cast["owner_editor"], note="As first reported.")
    client = browser(app, cast["owner_editor"])
    csrf = {"csrf_token": token(client)}
    base = f"/commitments/{commitment.id}/updates/{update.id}"
    for path in (base, f"{base}/edit", f"{base}/delete", f"/commitments/{commitment.id}/delete"):
        for method in ("post", "put", "patch", "delete"):
            assert getattr(client, method)(path, data={**csrf, "note": "Rewritten."}).status_code in (404, 405)
    for method in ("put", "patch", "delete"):
        assert getattr(client, method)(f"/commitments/{commitment.id}", data=csrf).status_code == 405
    assert load(app, ProgressUpdate, update.id).note == "As first reported."
    assert count(app, Commitment) == 1
    assert "Updates are kept as they are sent" in client.text(f"/commitments/{commitment.id}/updates/new")


def test_report_form_proposes_today_where_the_partners_are(make_app):
    """The portal's calendar is the partners' (BABEL_DEFAULT_TIMEZONE), not the server's clock."""
    import re
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from tests.factories import Factory

    zone = next(z for z in ("Etc/GMT+12", "Etc/GMT-14") if datetime.now(ZoneInfo(z)).date() != date.today())
    app = make_app(BABEL_DEFAULT_TIMEZONE=zone)
    factory = Factory(app)
    editor = factory.user(role="editor")
    commitment = factory.commitment(editor.organisation, author=editor)
    page = browser(app, editor).text(f"/commitments/{commitment.id}/updates/new")
    proposed = re.search(r'name="reported_on"[^>]*value="([^"]*)"', page).group(1)
    assert proposed == datetime.now(ZoneInfo(zone)).date().isoformat()
