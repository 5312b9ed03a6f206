"""Evidence uploads: accepted by content only, refused without leaving files, served as sandboxed downloads."""

import io
import os
import re
import time
from datetime import timedelta

import pytest
from flask_babel import force_locale
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from werkzeug.datastructures import FileStorage

from portal.core import uploads
from portal.core.audit import AuditEvent
from portal.core.uploads import (
    Attachment,
    UploadRejected,
    attachment_path,
    discard_stored_file,
    reap_orphan_files,
    save_upload,
    send_attachment,
)
from portal.extensions import db
from tests.core import samples

NOT_ACCEPTED = "This file type is not accepted. Send a PDF, Word, Excel, OpenDocument, PNG or JPEG file."
DAMAGED = "This archive is damaged or expands to an unsafe size."
HEX_NAME = re.compile(r"^[0-9a-f]{32}$")


@pytest.fixture
def person(factory):
    """An editor of a fresh organisation."""
    return factory.user(role="editor")


def stored_files(app) -> list[str]:
    """Every file under UPLOAD_FOLDER, tmp/ included, relative to it."""
    root = app.config["UPLOAD_FOLDER"]
    return sorted(os.path.relpath(os.path.join(folder, name), root)
                  for folder, _, names in os.walk(root) for name in names)


def upload(app, person, data: bytes, name: str = "evidence.pdf") -> Attachment:
    """Save and commit an upload as ``person``; return the detached Attachment."""
    with app.app_context():
        attachment = save_upload(FileStorage(io.BytesIO(data), filename=name), person, person.organisation_id)
        db.session.commit()
        db.session.refresh(attachment)
        db.session.expunge(attachment)
    return attachment


def refusal(app, person, data: bytes, name: str) -> str:
    """Try an upload that must be refused; return the English message, checking nothing was kept."""
    with app.test_request_context(), force_locale("en"):
        with pytest.raises(UploadRejected) as refused:
            save_upload(FileStorage(io.BytesIO(data), filename=name), person, person.organisation_id)
        message = str(refused.value.message)
        db.session.rollback()
        assert db.session.scalar(select(func.count()).select_from(Attachment)) == 0
    assert stored_files(app) == []
    return message


@pytest.mark.parametrize(
    ("build", "name", "mimetype", "extension"),
    [
        (samples.pdf, "informe.pdf", "application/pdf", "pdf"),
        (samples.png, "foto.png", "image/png", "png"),
        (samples.jpeg, "foto.jpeg", "image/jpeg", "jpg"),
        (samples.docx, "acta.docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx"),
        (samples.xlsx, "datos.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
        (samples.odt, "acta.odt", "application/vnd.oasis.opendocument.text", "odt"),
        (samples.ods, "datos.ods", "application/vnd.oasis.opendocument.spreadsheet", "ods"),
    ],
)
def test_genuine_files_are_accepted_with_the_detected_type(app, person, build, name, mimetype, extension):
    data = build()
    attachment = upload(app, person, data, name)
    assert (attachment.mimetype, attachment.extension, attachment.original_name) == (mimetype, extension, name)
    assert attachment.size_bytes == len(data) and len(attachment.sha256) == 64
    assert (attachment.uploaded_by_id, attachment.organisation_id) == (person.id, person.organisation_id)
    assert HEX_NAME.match(attachment.storage_name)
    assert stored_files(app) == [attachment.storage_name]
    with app.app_context():
        with open(attachment_path(attachment), "rb") as handle:
            assert handle.read() == data
        event = db.session.scalars(select(AuditEvent).where(AuditEvent.object_type == "attachments")).one()
        assert (event.action, event.actor_id, event.object_id) == ("upload", person.id, attachment.id)


def test_type_comes_from_content_not_from_name_or_client(app, person):
    storage = FileStorage(io.BytesIO(samples.png()), filename="picture.pdf", content_type="application/pdf")
    with app.app_context():
        attachment = save_upload(storage, person, person.organisation_id)
        assert (attachment.mimetype, attachment.extension) == ("image/png", "png")
        db.session.rollback()
        discard_stored_file(attachment)


@pytest.mark.parametrize(
    ("data", "name", "expected"),
    [
        (b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>", "report.pdf", NOT_ACCEPTED),
        (b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)">'
         b"<script>alert(document.domain)</script></svg>", "chart.svg", NOT_ACCEPTED),
        (b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', "chart.png", NOT_ACCEPTED),
        (samples.exe(), "acta.docx", NOT_ACCEPTED),
        (samples.elf(), "acta.docx", NOT_ACCEPTED),
        (samples.zip_of([("notes.txt", b"just a zip")]), "acta.docx", NOT_ACCEPTED),
        (samples.zip_of([("[Content_Types].xml", samples.CONTENT_TYPES), ("ppt/presentation.xml", b"<p/>")]),
         "slides.docx", NOT_ACCEPTED),
        (samples.opendocument("application/vnd.oasis.opendocument.presentation"), "slides.odt", NOT_ACCEPTED),
        (b"GIF89a\x01\x00\x01\x00\x00\x00\x00;", "anim.png", NOT_ACCEPTED),
        (b"plain text notes", "notes.txt", NOT_ACCEPTED),
        (samples.docx_bomb(), "acta.docx", DAMAGED),
        (samples.docx()[:60], "truncated.docx", DAMAGED),
        (samples.zip_of([("[Content_Types].xml", samples.CONTENT_TYPES), ("word/document.xml", b"a"),
                         ("word/document.xml", b"b")]), "twice.docx", DAMAGED),
    ],
    ids=["html-as-pdf", "svg-script", "svg-as-png", "exe-as-docx", "elf-as-docx", "plain-zip-as-docx",
         "pptx-as-docx", "odp-as-odt", "gif", "text", "zip-bomb-docx", "truncated-zip", "duplicate-entries"],
)
def test_refused_files_leave_nothing_behind(app, person, data, name, expected):
    started = time.perf_counter()
    assert refusal(app, person, data, name) == expected
    assert time.perf_counter() - started < 2


def test_archive_limits_on_size_and_entry_count(app, person, monkeypatch):
    monkeypatch.setattr(uploads, "ARCHIVE_MAX_UNCOMPRESSED", 1000)
    assert refusal(app, person, samples.docx(b"<w:document>" + b"x" * 2000 + b"</w:document>"), "a.docx") == DAMAGED
    monkeypatch.setattr(uploads, "ARCHIVE_MAX_UNCOMPRESSED", 200 * 1024 * 1024)
    monkeypatch.setattr(uploads, "ARCHIVE_MAX_ENTRIES", 10)
    many = [("[Content_Types].xml", samples.CONTENT_TYPES)] + [(f"word/p{i}.xml", b"<p/>") for i in range(10)]
    assert refusal(app, person, samples.zip_of(many), "b.docx") == DAMAGED


def test_file_over_the_limit_is_refused(make_app, factory):
    app = make_app(UPLOAD_MAX_BYTES=1024)
    person = factory.user()
    assert refusal(app, person, samples.pdf() + b"%" * 1024, "big.pdf") == "The file is larger than 1 KB."
    assert len(upload(app, person, samples.pdf()).storage_name) == 32


def test_default_limit_is_20_mb_and_the_message_says_so(app, person):
    assert app.config["UPLOAD_MAX_BYTES"] == 20 * 1024 * 1024
    assert refusal(app, person, b"%PDF-1.4\n" + b"0" * (20 * 1024 * 1024), "big.pdf") == "The file is larger than 20 MB."


def test_size_limit_stops_reading_early(make_app, factory):
    app = make_app(UPLOAD_MAX_BYTES=100_000)

    class Endless(io.RawIOBase):
        """A client that never stops sending; counts what was read."""

        consumed = 0

        def readable(self):
            return True

        def readinto(self, buffer):
            buffer[:] = b"%" * len(buffer)
            self.consumed += len(buffer)
            return len(buffer)

    stream = Endless()
    with app.app_context(), pytest.raises(UploadRejected):
        save_upload(FileStorage(stream, filename="endless.pdf"), factory.user(), 1)
    assert stream.consumed <= 100_000 + uploads.CHUNK_SIZE
    assert stored_files(app) == []


def test_empty_file_is_refused(app, person):
    assert refusal(app, person, b"", "empty.pdf") == "The file is empty."


@pytest.mark.parametrize(
    ("name", "display"),
    [("../../x.pdf", "x.pdf"), ("..\\..\\x.pdf", "x.pdf"), ("C:\\Users\\ana\\informe.pdf", "informe.pdf"),
     ("CON", "CON"), ("", ""), ("..", ""), (".htaccess", "htaccess"), ("تقرير.pdf", "تقرير.pdf"),
     ("a\r\nb\x00.pdf", "ab.pdf"), ("invoice\u202efdp.exe", "invoicefdp.exe"), ("x" * 300 + ".pdf", "x" * 251 + ".pdf")],
)
def test_odd_names_are_stored_under_a_uuid_with_a_clean_display_name(app, person, name, display):
    attachment = upload(app, person, samples.pdf(), name)
    assert attachment.original_name == display
    assert HEX_NAME.match(attachment.storage_name)
    assert stored_files(app) == [attachment.storage_name]


def download(app, attachment):
    """Call send_attachment in a request; return (status, headers, body)."""
    with app.test_request_context():
        response = send_attachment(attachment)
        response.direct_passthrough = False
        body = response.get_data()
        response.close()
        return response.status_code, response.headers, body


def test_download_is_an_attachment_in_a_sandbox(app, person):
    attachment = upload(app, person, samples.pdf(), "تقرير.pdf")
    status, headers, body = download(app, attachment)
    assert status == 200 and body == samples.pdf()
    assert headers["Content-Type"] == "application/pdf"
    assert headers["Content-Disposition"] == "attachment; filename=.pdf; filename*=UTF-8''%D8%AA%D9%82%D8%B1%D9%8A%D8%B1.pdf"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert headers["Cache-Control"] == "private, no-store"


@pytest.mark.parametrize(
    ("name", "build", "saved_as"),
    [("", samples.pdf, "evidence.pdf"), ("report.html", samples.pdf, "report.html.pdf"),
     ("CON", samples.png, "CON.png"), ("foto.JPEG", samples.jpeg, "foto.JPEG"), ('a"b.pdf', samples.pdf, 'a"b.pdf')],
)
def test_download_name_always_ends_in_the_detected_type(app, person, name, build, saved_as):
    attachment = upload(app, person, build(), name)
    _, headers, _ = download(app, attachment)
    disposition = headers["Content-Disposition"]
    assert "\r" not in disposition and "\n" not in disposition
    assert disposition.startswith("attachment; filename=")
    expected = saved_as.replace('"', '\\"')
    assert disposition in (f"attachment; filename={expected}", f'attachment; filename="{expected}"')


def test_missing_file_answers_404_not_500(app, person):
    attachment = upload(app, person, samples.pdf())
    with app.app_context():
        discard_stored_file(attachment)
    with app.test_request_context(), pytest.raises(Exception) as raised:
        send_attachment(attachment)
    assert getattr(raised.value, "code", None) == 404


def test_download_headers_survive_the_site_wide_headers(app, person):
    attachment = upload(app, person, samples.pdf(), "acta.pdf")

    def serve():
        return send_attachment(db.session.get(Attachment, attachment.id))

    app.add_url_rule("/_test/attachment", "test_attachment", serve)
    response = app.test_client().get("/_test/attachment")
    response.close()
    assert response.status_code == 200
    assert response.headers["Content-Disposition"] == "attachment; filename=acta.pdf"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    # The site-wide policy must not replace the stricter one the download sends.
    assert response.headers["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert response.headers["Cache-Control"] == "private, no-store"


def test_a_failed_commit_can_discard_the_stored_file(app, person):
    with app.app_context():
        attachment = save_upload(FileStorage(io.BytesIO(samples.pdf()), filename="a.pdf"), person, person.organisation_id)
        assert os.path.exists(attachment_path(attachment))
        db.session.rollback()
        discard_stored_file(attachment)
    assert stored_files(app) == []


def test_a_row_that_cannot_be_written_leaves_no_file(app, person):
    with app.app_context():
        with pytest.raises(IntegrityError):
            save_upload(FileStorage(io.BytesIO(samples.pdf()), filename="a.pdf"), person, organisation_id=999_999)
        db.session.rollback()
    assert stored_files(app) == []


def age(path: str, hours: float) -> None:
    """Set a file's modification time ``hours`` into the past."""
    then = time.time() - hours * 3600
    os.utime(path, (then, then))


def test_reaper_deletes_old_orphans_only(app, person):
    kept = upload(app, person, samples.pdf())
    root = app.config["UPLOAD_FOLDER"]
    orphan, young, unfinished = (os.urandom(16).hex() for _ in range(3))
    for path in (os.path.join(root, orphan), os.path.join(root, young), os.path.join(root, "tmp", unfinished),
                 os.path.join(root, "README")):
        with open(path, "wb") as handle:
            handle.write(b"x")
    for path in (os.path.join(root, kept.storage_name), os.path.join(root, orphan),
                 os.path.join(root, "tmp", unfinished), os.path.join(root, "README")):
        age(path, 2)
    with app.app_context():
        removed = reap_orphan_files(timedelta(hours=1))
    assert sorted(removed) == sorted([os.path.join(root, orphan), os.path.join(root, "tmp", unfinished)])
    assert stored_files(app) == sorted(["README", kept.storage_name, young])


def test_reap_uploads_command(app, person):
    root = app.config["UPLOAD_FOLDER"]
    os.makedirs(root, exist_ok=True)
    orphan = os.path.join(root, os.urandom(16).hex())
    with open(orphan, "wb") as handle:
        handle.write(b"x")
    age(orphan, 3)
    result = app.test_cli_runner().invoke(args=["reap-uploads", "--older-than-hours", "2"])
    assert result.exit_code == 0, result.output
    assert "1 orphan file(s) removed" in result.output
    assert not os.path.exists(orphan)


def test_request_body_over_max_content_length_gets_413(make_app):
    app = make_app(MAX_CONTENT_LENGTH=4096)
    data = {"evidence": (io.BytesIO(samples.pdf() + b"0" * 8192), "big.pdf"), "csrf_token": "x"}
    response = app.test_client().post("/account/login", data=data, content_type="multipart/form-data")
    assert response.status_code == 413
