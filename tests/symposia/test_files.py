"""Files of a symposium: attached by those who edit it, checked like evidence, downloaded through the portal."""

import io

from portal.core.uploads import Attachment
from tests.commitments.support import browser, count, fetch, post, stored_files
from tests.core import samples

HTML_AS_PDF = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"


def attach(client, slug: str, content: bytes, filename: str):
    return post(client, f"/symposia/{slug}/files/new", {"file": (io.BytesIO(content), filename)},
                content_type="multipart/form-data")


def test_iom_staff_attach_the_concept_note_and_anyone_downloads_it(app, factory):
    iom = factory.organisation(kind="iom_office", slug="oim", name="OIM")
    symposium = factory.symposium(slug="tegucigalpa", title="Simposio de Tegucigalpa")
    editor = browser(app, factory.user(iom, role="editor"))
    assert attach(editor, "tegucigalpa", samples.pdf(), "Nota conceptual.pdf").status_code == 303
    page = browser(app).text(f"/symposia/{symposium.slug}")
    assert "Nota conceptual.pdf" in page
    url = page.split('href="/symposia/tegucigalpa/files/')[1].split('"')[0]
    answer, body, headers = fetch(browser(app), f"/symposia/tegucigalpa/files/{url}")
    assert answer == 200 and body == samples.pdf() and headers["Content-Disposition"].startswith("attachment")
    assert headers["X-Content-Type-Options"] == "nosniff"

    assert post(editor, f"/symposia/tegucigalpa/files/{url}/delete").status_code == 303
    assert "Nota conceptual.pdf" not in browser(app).text("/symposia/tegucigalpa")
    assert fetch(browser(app), f"/symposia/tegucigalpa/files/{url}")[0] == 404


def test_a_disguised_file_is_refused_and_others_cannot_attach(app, factory):
    iom = factory.organisation(kind="iom_office", slug="oim", name="OIM")
    ministry = factory.organisation(slug="sreci", name="Cancillería")
    factory.symposium(slug="tegucigalpa")
    refused = attach(browser(app, factory.user(iom, role="editor")), "tegucigalpa", HTML_AS_PDF, "programa.pdf")
    assert refused.status_code == 200
    assert "This file type is not accepted." in refused.get_data(as_text=True)
    outsider = browser(app, factory.user(ministry, role="editor"))  # not an organiser
    assert attach(outsider, "tegucigalpa", samples.pdf(), "programa.pdf").status_code == 403
    assert count(app, Attachment) == 0 and stored_files(app) == []
    assert browser(app).get("/symposia/tegucigalpa/files/new").status_code == 302
