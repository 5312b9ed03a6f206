"""Command-line tools: demo data, administrator creation, backups."""

import hashlib
import io
import json
import sqlite3
import tarfile

import pytest
from sqlalchemy import func, select

from portal.accounts.models import User
from portal.demo.data import DEMO_PASSWORD, ORGANISATIONS
from portal.extensions import db
from portal.organisations.models import Organisation
from tests.helpers import Browser


def test_demo_loads_the_tegucigalpa_partners_and_prints_the_password(app):
    result = app.test_cli_runner().invoke(args=["demo"])
    assert result.exit_code == 0, result.output
    assert DEMO_PASSWORD in result.output
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Organisation)) == len(ORGANISATIONS)
        emails = db.session.scalars(select(User.email)).all()
        assert all(email.endswith(".example") for email in emails)
        countries = set(db.session.scalars(select(Organisation.country_iso3)))
        assert {"HND", "MEX", "SLV", "GTM"} <= countries
        iom = db.session.scalar(select(Organisation).where(Organisation.kind == "iom_office"))
        assert iom is not None
    official = Browser(app)
    assert official.login("dgpm-hnd@portal-demo.example", DEMO_PASSWORD).status_code == 302


def test_demo_runs_once_and_if_empty_is_quiet(app):
    runner = app.test_cli_runner()
    assert runner.invoke(args=["demo"]).exit_code == 0
    assert runner.invoke(args=["demo"]).exit_code != 0
    assert runner.invoke(args=["demo", "--if-empty"]).exit_code == 0
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Organisation)) == len(ORGANISATIONS)


def test_production_refuses_the_demo(make_app):
    app = make_app(ENVIRONMENT="production")
    result = app.test_cli_runner().invoke(args=["demo"])
    assert result.exit_code != 0 and "refused in production" in result.output
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(User)) == 0


def test_a_new_production_database_has_no_accounts(make_app):
    app = make_app(ENVIRONMENT="production")
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(User)) == 0


def test_create_admin(app):
    result = app.test_cli_runner().invoke(
        args=["create-admin", "--email", "Root@Portal.example", "--password", "a strong admin phrase 31"])
    assert result.exit_code == 0, result.output
    assert Browser(app).login("root@portal.example", "a strong admin phrase 31").status_code == 302
    with app.app_context():
        admin = db.session.scalar(select(User))
        assert admin.is_site_admin and admin.organisation_id is None


@pytest.mark.parametrize("password", ["short", "password123456"])
def test_create_admin_refuses_weak_passwords(app, password):
    result = app.test_cli_runner().invoke(args=["create-admin", "--email", "root@portal.example", "--password", password])
    assert result.exit_code != 0
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(User)) == 0


def test_create_admin_refuses_an_existing_email(app):
    runner = app.test_cli_runner()
    args = ["create-admin", "--email", "root@portal.example", "--password", "a strong admin phrase 31"]
    assert runner.invoke(args=args).exit_code == 0
    assert runner.invoke(args=args).exit_code != 0


def test_backup_is_one_archive_with_the_database_the_files_and_a_manifest(app, factory, tmp_path):
    runner = app.test_cli_runner()
    runner.invoke(args=["demo"])
    organisation = factory.organisation()
    editor = factory.user(organisation)
    commitment = factory.commitment(organisation, author=editor)
    factory.evidence_update(commitment, editor, b"%PDF-1.4\n% evidence\n%%EOF\n")
    result = runner.invoke(args=["backup", "--to", str(tmp_path / "backups")])
    assert result.exit_code == 0, result.output
    target = result.output.strip().splitlines()[-1]
    with tarfile.open(target) as archive:
        names = archive.getnames()
        manifest = json.load(archive.extractfile("manifest.json"))
        archive.extractall(tmp_path / "x", filter="data")
    assert manifest["rows"]["users"] == len(ORGANISATIONS) + 2 and manifest["rows"]["attachments"] == 1
    [(name, described)] = manifest["files"].items()
    assert f"uploads/{name}" in names
    assert hashlib.sha256((tmp_path / "x" / "uploads" / name).read_bytes()).hexdigest() == described["sha256"]
    with app.app_context():
        dialect = db.engine.dialect.name
    if dialect == "sqlite":
        copy = sqlite3.connect(tmp_path / "x" / "database.sqlite3")
        assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert copy.execute("SELECT count(*) FROM users").fetchone()[0] == len(ORGANISATIONS) + 2
        copy.close()
    else:
        import subprocess

        listing = subprocess.run(["pg_restore", "--list", str(tmp_path / "x" / "database.dump")],
                                 capture_output=True, text=True, check=True)
        assert "TABLE DATA public users" in listing.stdout


def test_backup_keeps_the_newest_archives_only(app, tmp_path):
    runner = app.test_cli_runner()
    made = [runner.invoke(args=["backup", "--to", str(tmp_path), "--keep", "2"]).output.strip().splitlines()[-1]
            for _ in range(3)]
    assert sorted(p.name for p in tmp_path.glob("portal-*.tar")) == sorted(p.rsplit("/", 1)[1] for p in made[1:])


def test_restore_into_an_empty_instance_finds_every_row_and_file(app, factory, empty_instance, tmp_path):
    runner = app.test_cli_runner()
    runner.invoke(args=["demo"])
    organisation = factory.organisation()
    editor = factory.user(organisation)
    commitment = factory.commitment(organisation, author=editor)
    content = b"%PDF-1.4\n% restored evidence\n%%EOF\n"
    update = factory.evidence_update(commitment, editor, content)
    archive = runner.invoke(args=["backup", "--to", str(tmp_path / "b")]).output.strip().splitlines()[-1]

    other = empty_instance()
    result = other.test_cli_runner().invoke(args=["restore", archive])
    assert result.exit_code == 0, result.output
    assert "every count and hash matches the manifest" in result.output
    with other.app_context():
        from portal.core.uploads import Attachment, attachment_path
        from portal.progress.models import ProgressUpdate

        restored = db.session.get(ProgressUpdate, update.id)
        attachment = db.session.get(Attachment, restored.attachment_id)
        with open(attachment_path(attachment), "rb") as handle:
            assert handle.read() == content
        assert db.session.scalar(select(func.count()).select_from(User)) == len(ORGANISATIONS) + 2
    # A second restore into what is now a full instance is refused, unless told.
    again = other.test_cli_runner().invoke(args=["restore", archive])
    assert again.exit_code != 0 and "not empty" in again.output
    assert other.test_cli_runner().invoke(args=["restore", archive, "--force"]).exit_code == 0


def test_restore_refuses_an_archive_whose_file_was_altered(app, factory, empty_instance, tmp_path):
    organisation = factory.organisation()
    editor = factory.user(organisation)
    factory.evidence_update(factory.commitment(organisation, author=editor), editor, b"%PDF-1.4\n%%EOF\n")
    archive = app.test_cli_runner().invoke(args=["backup", "--to", str(tmp_path)]).output.strip().splitlines()[-1]
    altered = tmp_path / "altered.tar"
    with tarfile.open(archive) as source, tarfile.open(altered, "w") as target:
        for member in source.getmembers():
            data = source.extractfile(member).read()
            if member.name.startswith("uploads/"):
                data = data.replace(b"PDF", b"XYZ")
            target.addfile(member, io.BytesIO(data))
    result = empty_instance().test_cli_runner().invoke(args=["restore", str(altered)])
    assert result.exit_code != 0 and "differs from the manifest" in result.output
