"""A text written in one language only, read in the other: marked, with its lang, and still accessible and valid.

The demo writes everything in both languages, so this module adds one public commitment written only in
Spanish (archived again at the end, so that the other browser tests see the demo as it is) and reads its page
and the list in English: the title and description stand in a ``lang="es"`` element with "(only in Spanish)"
beside them, axe-core finds no violation, and the Nu HTML checker no error.
"""

import json
import subprocess

import pytest
import requests
from playwright.sync_api import Page, expect

from .support import java_and_vnu
from .test_accessibility import run_axe

pytestmark = pytest.mark.e2e

TITLE = "Mesa técnica de reintegración en San Pedro Sula"
DESCRIPTION = "Reunir cada mes a las instituciones locales que **reciben** a las personas retornadas."


@pytest.fixture(scope="module")
def spanish_only(e2e_app, demo_ids):
    """The id of a public commitment written in Spanish only, archived again after the module."""
    from portal.accounts.models import User
    from portal.commitments import service
    from portal.commitments.models import Commitment
    from portal.extensions import db

    with e2e_app.app_context():
        author = db.session.get(User, demo_ids["user"]["ceniss-hnd"])
        data = {"title_es": TITLE, "title_en": "", "description_es": DESCRIPTION, "description_en": "",
                "symposium_id": None, "target_date": None, "visibility": "public", "themes": [],
                "indicator_unit": None, "indicator_baseline": None, "indicator_target": None}
        commitment_id = service.create_commitment(author, data, None).id
        db.session.commit()
    yield commitment_id
    with e2e_app.app_context():
        commitment = db.session.get(Commitment, commitment_id)
        commitment.is_archived = True
        db.session.commit()


def test_the_english_page_marks_the_spanish_text_and_passes_axe(signed_in, spanish_only):
    page: Page = signed_in(None, "en").new_page()
    try:
        page.goto(f"/commitments/{spanish_only}")
        expect(page.locator("html")).to_have_attribute("lang", "en")
        title = page.locator("h1 [lang='es']")
        expect(title).to_have_text(TITLE)
        expect(page.locator("h1")).to_contain_text("(only in Spanish)")
        expect(page.locator("div[lang='es']").get_by_text("reciben")).to_be_visible()
        results = run_axe(page)
        assert results.violations_count == 0, results.generate_report()

        page.goto("/commitments/?q=Sula")
        item = page.locator("main [lang='es']", has_text=TITLE)
        expect(item).to_be_visible()
        expect(page.locator("main")).to_contain_text("(only in Spanish)")
        results = run_axe(page)
        assert results.violations_count == 0, results.generate_report()
    finally:
        page.close()


def test_the_english_page_with_a_spanish_text_is_valid_html(live_server, spanish_only, tmp_path):
    java, jar = java_and_vnu()
    english = {"Accept-Language": "en-US,en;q=0.9"}
    files = []
    for number, path in enumerate((f"/commitments/{spanish_only}", "/commitments/?q=Sula")):
        answer = requests.get(live_server + path, headers=english, timeout=30)
        assert answer.status_code == 200 and 'lang="es"' in answer.text and "(only in Spanish)" in answer.text
        files.append(tmp_path / f"page-{number}.html")
        files[-1].write_bytes(answer.content)
    proc = subprocess.run([java, "-jar", str(jar), "--errors-only", "--format", "json", "--stdout", *map(str, files)],
                          capture_output=True, text=True, timeout=300)
    messages = json.loads(proc.stdout or '{"messages": []}')["messages"]
    assert not messages, "\n".join(f"{m.get('url')}:{m.get('lastLine')}: {m.get('message')}" for m in messages)
