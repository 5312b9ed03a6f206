"""Command-line tools: demo data, administrator creation, backups."""

import sqlite3

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


def test_backup_is_a_consistent_copy_with_every_row(app, tmp_path):
    runner = app.test_cli_runner()
    runner.invoke(args=["demo"])
    result = runner.invoke(args=["backup", "--to", str(tmp_path / "backups")])
    assert result.exit_code == 0, result.output
    target = result.output.strip().splitlines()[-1]
    with app.app_context():
        dialect = db.engine.dialect.name
    if dialect == "sqlite":
        copy = sqlite3.connect(target)
        assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert copy.execute("SELECT count(*) FROM users").fetchone()[0] == len(ORGANISATIONS) + 1
        assert copy.execute("SELECT version_num FROM alembic_version").fetchone()[0]
        copy.close()
    else:
        import subprocess

        listing = subprocess.run(["pg_restore", "--list", target], capture_output=True, text=True, check=True)
        assert "TABLE DATA public users" in listing.stdout
