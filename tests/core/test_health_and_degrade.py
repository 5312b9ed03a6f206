"""/healthz and /readyz, and the 503 with the text kept when the database cannot be written or reached."""

import os
from datetime import date

from sqlalchemy import create_engine, event, select

from portal.extensions import db
from portal.progress.models import ProgressUpdate
from tests.factories import PASSWORD
from tests.helpers import Browser, csrf_from, translated

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def make_read_only(app):
    """Every new connection of the app refuses writes, as a read-only database or standby does."""
    with app.app_context():
        engine = db.engine
        statement = ("PRAGMA query_only=ON" if engine.dialect.name == "sqlite"
                     else "SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY")

        def read_only(dbapi_connection, _record):
            cursor = dbapi_connection.cursor()
            cursor.execute(statement)
            cursor.close()
            if engine.dialect.name != "sqlite":
                dbapi_connection.commit()

        event.listen(engine, "connect", read_only)
        engine.dispose()
    return lambda: (event.remove(engine, "connect", read_only), engine.dispose())


def stored_notes(app) -> list[str]:
    """The notes of the stored progress updates, read on a connection of its own."""
    engine = create_engine(app.config["SQLALCHEMY_DATABASE_URI"])
    try:
        with engine.connect() as connection:
            return list(connection.execute(select(ProgressUpdate.note)).scalars())
    finally:
        engine.dispose()


def uploaded_files(app) -> list[str]:
    folder = app.config["UPLOAD_FOLDER"]
    return sorted(name for name in os.listdir(folder) if name != "tmp") if os.path.isdir(folder) else []


def test_healthz_answers_without_the_database(make_app):
    app = make_app(SQLALCHEMY_DATABASE_URI="postgresql+psycopg://postgres@127.0.0.1:1/nowhere")
    response = app.test_client().get("/healthz")
    assert response.status_code == 200 and response.json == {"status": "ok"}


def test_readyz_is_ready_on_a_migrated_database_with_writable_uploads(app):
    response = app.test_client().get("/readyz")
    assert response.status_code == 200, response.json
    assert response.json["status"] == "ready"
    assert set(response.json["checks"]) == {"database_read", "database_write", "migrations", "uploads"}
    with app.app_context():
        if db.engine.dialect.name == "sqlite":
            assert response.json["checks"]["database_read"]["journal_mode"] == "wal"


def test_readyz_says_why_when_the_database_refuses_writes_and_recovers(app):
    writable_again = make_read_only(app)
    response = app.test_client().get("/readyz")
    assert response.status_code == 503 and response.headers["Retry-After"]
    assert response.json["checks"]["database_read"]["ok"] is True
    assert response.json["checks"]["database_write"]["ok"] is False
    assert "database_write" in response.json["reason"]
    writable_again()
    assert app.test_client().get("/readyz").status_code == 200


def test_readyz_is_not_ready_when_the_database_is_unreachable(make_app):
    app = make_app(SQLALCHEMY_DATABASE_URI="postgresql+psycopg://postgres@127.0.0.1:1/nowhere")
    response = app.test_client().get("/readyz")
    assert response.status_code == 503
    assert response.json["checks"]["database_read"]["ok"] is False and "database_read" in response.json["reason"]


def test_readyz_is_not_ready_when_migrations_are_behind(app):
    with app.app_context():
        head = db.session.execute(db.text("SELECT version_num FROM alembic_version")).scalar_one()
        db.session.execute(db.text("UPDATE alembic_version SET version_num = 'older'"))
        db.session.commit()
    try:
        response = app.test_client().get("/readyz")
        assert response.status_code == 503 and "migrations" in response.json["reason"]
    finally:
        # alembic_version is kept between PostgreSQL tests: put the head back.
        with app.app_context():
            db.session.execute(db.text("UPDATE alembic_version SET version_num = :head"), {"head": head})
            db.session.commit()


def test_readyz_is_not_ready_when_uploads_cannot_be_written(make_app, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    app = make_app(UPLOAD_FOLDER=str(blocker / "uploads"))
    response = app.test_client().get("/readyz")
    assert response.status_code == 503 and "uploads" in response.json["reason"]


def signed_in(app, user):
    browser = Browser(app)
    assert browser.login(user.email, PASSWORD).status_code == 302
    return browser


def _report_with_file(browser, commitment, note):
    path = f"/commitments/{commitment.id}/updates/new"
    page = browser.get(path).get_data(as_text=True)
    key = page.split('name="idempotency_key"')[1].split('value="')[1].split('"')[0]
    import io

    data = {"csrf_token": csrf_from(page), "idempotency_key": key, "reported_on": date.today().isoformat(),
            "status": "in_progress", "note": note, "evidence_file": (io.BytesIO(PDF), "evidence.pdf")}
    return path, browser.post(path, data=data, content_type="multipart/form-data")


def test_a_write_to_a_read_only_database_answers_503_with_the_text_kept_and_nothing_stored(app, factory):
    organisation = factory.organisation()
    editor = factory.user(organisation)
    commitment = factory.commitment(organisation, author=editor)
    browser = signed_in(app, editor)
    writable_again = make_read_only(app)
    note = "Entregamos 300 kits de retorno <en Choluteca>."
    path, response = _report_with_file(browser, commitment, note)
    page = response.get_data(as_text=True)
    assert response.status_code == 503 and int(response.headers["Retry-After"]) > 0
    assert translated(app, "The portal is read-only for a moment, so nothing was saved. What you typed is "
                           "below: send it again in a minute.", "es").split(",")[0] in page
    assert "Entregamos 300 kits de retorno &lt;en Choluteca&gt;." in page
    assert 'name="idempotency_key"' in page and f'action="{path}"' in page
    assert "password" not in page.lower().split("<form")[-1]
    assert stored_notes(app) == []
    assert uploaded_files(app) == []
    # Reads keep working while writes are refused.
    assert browser.get(f"/commitments/{commitment.id}").status_code == 200
    # Once writable again, the kept form sent again stores one update.
    writable_again()
    again = {name: value for name, value in _kept_fields(page)}
    again["csrf_token"] = csrf_from(page)
    assert browser.post(path, data=again).status_code == 303
    assert stored_notes(app) == [note]
    assert len(uploaded_files(app)) == 0


def _kept_fields(page):
    import re

    form = page.split('enctype="multipart/form-data" class="stack">')[1].split("</form>")[0]
    from html import unescape

    fields = [(m[0], unescape(m[1])) for m in re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', form)
              if m[0] != "csrf_token"]
    fields += [(m[0], unescape(m[1])) for m in re.findall(r'name="([^"]+)" rows="\d+">([^<]*)</textarea>', form)]
    return fields


def test_signing_in_on_a_read_only_database_says_it_cannot_now(app, factory):
    user = factory.user()
    make_read_only(app)
    response = Browser(app).login(user.email, PASSWORD)
    assert response.status_code in (302, 503)
    if response.status_code == 503:
        page = response.get_data(as_text=True)
        assert response.headers["Retry-After"] and user.email in page and PASSWORD not in page


def test_pages_answer_503_not_500_when_the_database_is_unreachable(make_app):
    app = make_app(SQLALCHEMY_DATABASE_URI="postgresql+psycopg://postgres@127.0.0.1:1/nowhere")
    client = app.test_client()
    for path in ("/", "/commitments/"):
        response = client.get(path)
        assert response.status_code == 503 and response.headers["Retry-After"], path
    response = client.get("/api/v1/commitments")
    assert response.status_code == 503 and response.headers["Retry-After"]


def test_a_full_disk_for_uploads_answers_503_and_leaves_no_row(app, factory, monkeypatch):
    import errno

    import portal.core.uploads as uploads

    organisation = factory.organisation()
    editor = factory.user(organisation)
    commitment = factory.commitment(organisation, author=editor)

    def full(*_args, **_kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(uploads, "_stream_to", full)
    _, response = _report_with_file(signed_in(app, editor), commitment, "Nota con archivo.")
    assert response.status_code == 503 and "Nota con archivo." in response.get_data(as_text=True)
    assert stored_notes(app) == []
    assert uploaded_files(app) == []


def test_a_form_that_finds_no_room_to_be_received_answers_503_and_says_so(app, factory, monkeypatch):
    import errno

    from flask import Request

    browser = signed_in(app, factory.user())

    def no_room(self):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(Request, "_load_form_data", no_room)
    response = browser.post("/language", data={"lang": "en"}, headers={"Sec-Fetch-Site": "same-origin"})
    assert response.status_code == 503 and response.headers["Retry-After"]
    assert translated(app, "The portal has no room to receive forms for a moment, so nothing was saved. Go back "
                           "and send the form again in a minute.", "es").split(",")[0] in response.get_data(as_text=True)
