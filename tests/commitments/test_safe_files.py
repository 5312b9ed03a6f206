"""Evidence files through the progress form: hostile files refused on the form, real ones served only to readers."""

import io
from datetime import date

import pytest
from markupsafe import escape

from portal.core.uploads import Attachment
from portal.progress.models import ProgressUpdate
from tests.commitments.support import browser, count, fetch, post, stored_files
from tests.core import samples
from tests.helpers import translated

NOT_ACCEPTED = "This file type is not accepted. Send a PDF, Word, Excel, OpenDocument, PNG or JPEG file."
DAMAGED = "This archive is damaged or expands to an unsafe size."
NOTE = "Entregamos las guías en los 14 consulados; adjunto el acta."
HTML_AS_PDF = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"
SVG = (b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)">'
       b"<script>alert(document.domain)</script></svg>")


def send(client, commitment, content: bytes, filename: str, **fields):
    data = {"reported_on": date.today().isoformat(), "status": "in_progress", "note": NOTE,
            "evidence_file": (io.BytesIO(content), filename), **fields}
    return post(client, f"/commitments/{commitment.id}/updates/new", data, content_type="multipart/form-data")


def assert_nothing_kept(app):
    assert count(app, ProgressUpdate) == 0 and count(app, Attachment) == 0
    assert stored_files(app) == [], "no file may stay in the upload folder or its tmp/"


def assert_form_page_with(app, response, message: str, language: str):
    page = response.get_data(as_text=True)
    assert 'enctype="multipart/form-data"' in page and 'name="evidence_file"' in page, "the form is shown again"
    assert str(escape(translated(app, message, language))) in page
    return page


HOSTILE = {
    "html-renamed-pdf": (HTML_AS_PDF, "informe.pdf", NOT_ACCEPTED),
    "svg-with-script": (SVG, "grafico.svg", NOT_ACCEPTED),
    "svg-renamed-png": (SVG, "grafico.png", NOT_ACCEPTED),
    "zip-bomb-as-docx": (samples.docx_bomb(), "acta.docx", DAMAGED),
}


@pytest.mark.parametrize("language", ["es", "en"])
def test_hostile_files_are_refused_on_the_form_in_the_users_language(app, cast, factory, language):
    commitment = factory.commitment(cast["owner"], author=cast["owner_editor"])
    client = browser(app, cast["owner_editor"], language=language)
    for kind, (content, filename, message) in HOSTILE.items():
        response = send(client, commitment, content, filename)
        assert response.status_code == 200, kind
        page = assert_form_page_with(app, response, message, language)
        assert str(escape(NOTE)) in page, f"{kind}: the note the person typed is kept"
        assert_nothing_kept(app)


def test_a_file_over_the_upload_limit_is_refused_on_the_form(make_app, factory):
    from tests.factories import Factory

    app = make_app(UPLOAD_MAX_BYTES=1024)
    factory = Factory(app)
    editor = factory.user(role="editor")
    commitment = factory.commitment(editor.organisation, author=editor)
    response = send(browser(app, editor, language="es"), commitment, samples.pdf() + b"%" * 4096, "grande.pdf")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert 'name="evidence_file"' in page
    assert str(escape(translated(app, "The file is larger than %(limit)s.", "es", limit="1 KB"))) in page
    assert str(escape(NOTE)) in page
    assert_nothing_kept(app)


def test_a_request_over_max_content_length_answers_413_with_a_clear_message(make_app):
    from tests.factories import Factory

    app = make_app(MAX_CONTENT_LENGTH=8 * 1024)
    factory = Factory(app)
    editor = factory.user(role="editor")
    commitment = factory.commitment(editor.organisation, author=editor)
    response = send(browser(app, editor, language="es"), commitment, samples.pdf() + b"%" * 20_000, "enorme.pdf")
    assert response.status_code == 413
    page = response.get_data(as_text=True)
    messages = [translated(app, text, "es") for text in
                ("What you sent is larger than the portal accepts.", "The file is larger than %(limit)s.")]
    assert any(str(escape(text)).split("%(")[0] in page for text in messages), "a clear message, in Spanish"
    assert 'name="evidence_file"' in page, "the refusal is shown on the progress form, so the person can retry"
    assert_nothing_kept(app)


def test_a_real_pdf_is_accepted_and_served_only_to_those_who_may_see_it(app, cast, factory):
    owner = browser(app, cast["owner_editor"])
    readers = {"anonymous": browser(app), "other_editor": browser(app, cast["other_editor"]),
               "iom_editor": browser(app, cast["iom_editor"]), "viewer": browser(app, cast["viewer"])}
    may_read = {"public": set(readers), "partners": {"other_editor", "iom_editor", "viewer"}, "parties": {"viewer"}}
    for visibility, allowed in may_read.items():
        commitment = factory.commitment(cast["owner"], visibility, author=cast["owner_editor"])
        # Evidence also satisfies the rule for completing a commitment.
        response = send(owner, commitment, samples.pdf(), "Acta de entrega.pdf", status="completed", note="Hecho.")
        assert response.status_code == 303, visibility
        page = owner.text(f"/commitments/{commitment.id}")
        assert "Acta de entrega.pdf" in page
        with app.app_context():
            from portal.extensions import db

            update = db.session.query(ProgressUpdate).filter_by(commitment_id=commitment.id).one()
            assert update.attachment.mimetype == "application/pdf"
        url = f"/commitments/{commitment.id}/updates/{update.id}/evidence"
        assert f'href="{url}"' in page
        answer, body, headers = fetch(owner, url)
        assert answer == 200 and body == samples.pdf()
        assert headers["Content-Disposition"].startswith("attachment")
        assert headers["Content-Type"] == "application/pdf" and headers["X-Content-Type-Options"] == "nosniff"
        for name, client in readers.items():
            answer, body, _ = fetch(client, url)
            assert answer == (200 if name in allowed else 404), (visibility, name)
            assert (body == samples.pdf()) == (name in allowed)
    assert len(stored_files(app)) == 3
