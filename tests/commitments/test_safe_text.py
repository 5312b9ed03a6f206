"""Hostile text in every commitment field renders inert on every page that shows it."""

import re
from datetime import date

import pytest

from portal.commitments.models import Commitment
from portal.progress.models import ProgressUpdate
from tests.commitments.support import active_content, browser, count, hidden, listed, post

#: One line each, so that single-line fields can carry them too.
PAYLOADS = [
    '<script>alert("title")</script>',
    "<img src=x onerror=alert(1)>",
    '"><svg onload=alert(1)>',
    "'><iframe src=javascript:alert(1)>",
    "[click me](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    '<a href="javascript:alert(1)">raw link</a>',
    "[data](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "<details open ontoggle=alert(1)>",
    "[x](https://ok.example \"title\" onmouseover=alert(1))",
]
TITLE = '<script>alert("title")</script><img src=x onerror=alert(1)>'
UNIT = '"><svg onload=alert(1)>'
MARKDOWN = "\n\n".join(PAYLOADS) + "\n\n[Informe oficial](https://www.sreci.gob.hn/informe)"
EVIDENCE = 'https://evidence.example/report"onmouseover="alert(1)'


@pytest.fixture
def hostile(app, cast):
    """A commitment whose every text field an attacker filled, with an update and a review, all through the forms."""
    owner = browser(app, cast["owner_editor"])
    response = post(owner, "/commitments/new", {
        "title_es": TITLE, "description_es": MARKDOWN, "visibility": "public", "symposium_id": "",
        "indicator_unit": UNIT, "indicator_baseline": "0", "indicator_target": "10", "idempotency_key": "hostile"})
    assert response.status_code == 303
    commitment_id = int(response.headers["Location"].rsplit("/", 1)[1])
    assert post(owner, f"/commitments/{commitment_id}/updates/new", {
        "reported_on": date.today().isoformat(), "status": "in_progress", "note": MARKDOWN, "indicator_value": "3",
        "evidence_url": EVIDENCE}).status_code == 303
    with app.app_context():
        from portal.extensions import db

        update_id = db.session.query(ProgressUpdate.id).scalar()
    iom = browser(app, cast["iom_editor"])
    assert post(iom, f"/commitments/{commitment_id}/updates/{update_id}/review",
                {"verdict": "questioned", "comment": MARKDOWN}).status_code == 303
    return {"id": commitment_id, "update_id": update_id, "owner": owner, "iom": iom}


def test_hostile_text_is_stored_as_typed_and_shown_inert_everywhere(app, cast, hostile):
    cid, uid = hostile["id"], hostile["update_id"]
    anonymous = browser(app)
    pages = {
        "detail": anonymous.text(f"/commitments/{cid}"),
        "list": anonymous.text("/commitments/"),
        "search": anonymous.text("/commitments/?q=%3Cscript%3E"),
        "edit": hostile["owner"].text(f"/commitments/{cid}/edit"),
        "report": hostile["owner"].text(f"/commitments/{cid}/updates/new"),
        "review": hostile["iom"].text(f"/commitments/{cid}/updates/{uid}/review"),
        "detail-es": browser(app, language="es").text(f"/commitments/{cid}"),
    }
    for name, page in pages.items():
        assert active_content(page) == [], name
        assert "alert(" in page, f"{name}: the text is shown (escaped), not dropped"
    assert cid in listed(pages["search"])
    assert listed(pages["list"])[cid] == TITLE
    with app.app_context():
        from portal.extensions import db

        saved = db.session.get(Commitment, cid)
        assert (saved.title, saved.indicator_unit, saved.description) == (TITLE, UNIT, MARKDOWN)


def test_conflict_page_shows_both_hostile_versions_inert(app, cast, hostile):
    cid = hostile["id"]
    url = f"/commitments/{cid}/edit"
    stale = hidden(hostile["owner"].text(url), "version")
    hostile["owner"].text(url)
    other = browser(app, cast["org_admin"])
    fresh = hidden(other.text(url), "version")
    form = {"title_es": "Renamed", "description_es": MARKDOWN, "visibility": "public", "symposium_id": "",
            "indicator_unit": UNIT, "indicator_baseline": "0", "indicator_target": "10"}
    assert post(other, url, {**form, "version": fresh}).status_code == 303
    response = post(hostile["owner"], url, {**form, "title_es": TITLE, "version": stale})
    assert response.status_code == 409
    assert active_content(response.get_data(as_text=True)) == []


def test_markdown_links_get_noopener_noreferrer_and_bad_schemes_are_dropped(app, cast, hostile):
    page = browser(app).text(f"/commitments/{hostile['id']}")
    links = re.findall(r"<a [^>]*>", page.split("<main", 1)[1])
    external = [link for link in links if 'href="http' in link]
    assert any("https://www.sreci.gob.hn/informe" in link for link in external)
    for link in external:
        rel = re.search(r'rel="([^"]*)"', link)
        assert rel and {"noopener", "noreferrer"} <= set(rel.group(1).split()), link
    assert not any(re.search(r'href="\s*(javascript|data|vbscript):', link, re.IGNORECASE) for link in links)


def test_evidence_links_must_be_web_addresses(app, cast, factory):
    commitment = factory.commitment(cast["owner"], author=cast["owner_editor"])
    client = browser(app, cast["owner_editor"], language="es")
    for url in ("javascript:alert(1)", " JavaScript:alert(document.cookie)", "data:text/html,<b>x",
                "vbscript:msgbox(1)", "//evil.example/x", "ftp://files.example/report.pdf"):
        response = post(client, f"/commitments/{commitment.id}/updates/new", {
            "reported_on": date.today().isoformat(), "status": "in_progress", "note": "Avance.", "evidence_url": url})
        assert response.status_code == 200, url
        assert "https://" in response.get_data(as_text=True).split('id="evidence_url-error"', 1)[1][:300], url
    assert count(app, ProgressUpdate) == 0
