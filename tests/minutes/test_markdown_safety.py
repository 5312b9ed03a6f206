"""Markdown on minutes pages: every payload of the renderer's corpus comes out inert in the body, the decisions,
comments and action items, and the server-side preview shows exactly what the saved page shows."""

import re

from portal.accounts.models import User
from portal.core.markdown import render_markdown
from portal.extensions import db
from portal.minutes import service
from portal.minutes.models import Minutes
from tests.core.test_markdown import PAYLOADS, assert_inert
from tests.minutes.conftest import minutes_data
from tests.minutes.support import hidden, prose_blocks, signed_in

#: The forms refuse control characters, so only these payloads can ever be stored (PostgreSQL refuses NUL too).
STORABLE = [payload for payload in PAYLOADS if "\x00" not in payload]


def preview_of(html: str) -> list[str]:
    """Return the rendered blocks of the preview section only."""
    section = re.search(r'<section class="preview".*?</section>', html, re.DOTALL)
    assert section, "no preview on the page"
    return prose_blocks(section.group(0))


def test_body_and_decisions_payloads_are_inert_on_the_saved_page(app, cast):
    with app.app_context():
        actor = db.session.get(User, cast["author_editor"].id)
        ids = []
        for payload in STORABLE:
            minutes = service.create_minutes(actor, minutes_data(body=payload, decisions=payload, title="Acta"))
            ids.append(minutes.id)
        db.session.commit()
    author = signed_in(app, cast["author_editor"])
    for payload, minutes_id in zip(STORABLE, ids):
        blocks = prose_blocks(author.text(f"/minutes/{minutes_id}"))
        expected = str(render_markdown(payload))
        assert blocks[:2] == [expected, expected], payload
        for block in blocks:
            assert_inert(block)


def test_comment_and_action_item_payloads_are_inert(app, cast, make_minutes):
    circulated = make_minutes("circulated", body="Texto", decisions="")
    draft = make_minutes("draft", body="Texto", decisions="")
    with app.app_context():
        embassy = db.session.get(User, cast["attending_editor"].id)
        author = db.session.get(User, cast["author_editor"].id)
        for payload in STORABLE:
            service.add_comment(embassy, db.session.get(Minutes, circulated), payload)
            service.add_action_item(author, db.session.get(Minutes, draft), {
                "description_es": payload, "description_en": payload, "responsible_organisation_id": cast["attending"].id,
                "due_date": None})
        db.session.commit()
    for minutes_id, stored in ((circulated, lambda text: text), (draft, str.strip)):
        # An action item's text is stored trimmed, as its form sends it (a comment as it came).
        blocks = prose_blocks(signed_in(app, cast["author_editor"]).text(f"/minutes/{minutes_id}"))
        assert len(blocks) == 1 + len(STORABLE)
        assert blocks[1:] == [str(render_markdown(stored(payload))) for payload in STORABLE]
        for block in blocks:
            assert_inert(block)


def test_the_preview_is_exactly_the_saved_rendering(app, cast):
    author = signed_in(app, cast["author_editor"])
    for payload in PAYLOADS:
        data = {"title": "Acta", "meeting_date": "2026-03-10", "place": "Tegucigalpa", "visibility": "partners",
                "body": payload, "decisions": payload, "preview": "1"}
        response = author.submit("/minutes/new", data)
        assert response.status_code == 200, payload
        blocks = preview_of(response.get_data(as_text=True))
        assert blocks == [str(render_markdown(payload))] * 2, payload
        for block in blocks:
            assert_inert(block)


def test_preview_then_save_gives_the_same_html(app, cast):
    author = signed_in(app, cast["author_editor"])
    payload = '# Acuerdos\n\n- **Uno** [enlace](https://iom.int)\n- <script>alert(1)</script> [x](javascript:alert(1))'
    page = author.text("/minutes/new")
    data = {"title": "Acta", "symposium_id": "", "meeting_date": "2026-03-10", "place": "Tegucigalpa",
            "visibility": "partners", "body": payload, "decisions": "", "idempotency_key": hidden(page, "idempotency_key")}
    preview = author.submit("/minutes/new", {**data, "preview": "1"})
    previewed = preview_of(preview.get_data(as_text=True))
    with app.app_context():
        assert db.session.query(Minutes).count() == 0, "a preview saves nothing"
    # The preview page keeps the text in the form, to be saved as is.
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in preview.get_data(as_text=True)
    saved = author.submit("/minutes/new", data)
    assert saved.status_code == 303
    assert prose_blocks(author.text(saved.headers["Location"]))[0] == previewed[0]


def test_edit_and_revision_previews_are_safe_and_save_nothing(app, cast, make_minutes):
    draft = make_minutes("draft")
    approved = make_minutes("approved")
    author = signed_in(app, cast["author_editor"])
    payload = '<img src=x onerror="alert(1)"> [x](javascript:alert(1)) **ok**'
    with app.app_context():
        versions = {m: db.session.get(Minutes, m).version for m in (draft, approved)}
    edit = author.submit(f"/minutes/{draft}/edit", {
        "title": "Acta", "meeting_date": "2026-03-10", "place": "Tegucigalpa", "visibility": "partners",
        "body": payload, "decisions": "", "attendees": [str(cast["attending"].id), str(cast["attending_b"].id)],
        "version": str(versions[draft]), "preview": "1"})
    revision = author.submit(f"/minutes/{approved}/revise", {
        "title": "Acta", "body": payload, "decisions": "", "visibility": "partners", "reason": "Prueba",
        "version": str(versions[approved]), "preview": "1"})
    for response in (edit, revision):
        assert response.status_code == 200
        blocks = preview_of(response.get_data(as_text=True))
        assert blocks[0] == str(render_markdown(payload))
        assert_inert(blocks[0])
    with app.app_context():
        assert db.session.get(Minutes, draft).body == "Se revisaron los compromisos."
        assert len(db.session.get(Minutes, approved).revisions) == 1
