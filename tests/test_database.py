"""Database core: SQLite settings, UTC timestamps, the write lock taken by writing requests."""

from datetime import datetime, timezone

import pytest
from sqlalchemy import event, text

from portal.accounts.models import User
from portal.extensions import db
from tests.factories import PASSWORD
from tests.helpers import Browser


def test_sqlite_runs_in_wal_with_foreign_keys_and_busy_timeout(app):
    with app.app_context():
        if db.engine.dialect.name == "sqlite":
            assert db.session.execute(text("PRAGMA journal_mode")).scalar() == "wal"
            assert db.session.execute(text("PRAGMA foreign_keys")).scalar() == 1
            assert db.session.execute(text("PRAGMA busy_timeout")).scalar() >= 5000
        else:
            assert db.engine.dialect.driver == "psycopg"
        db.session.rollback()


def test_writing_requests_take_the_write_lock_first_and_reads_do_not(app, factory):
    user = factory.user()
    begins = []
    with app.app_context():
        engine = db.engine
    if engine.dialect.name != "sqlite":
        # PostgreSQL has row locks and MVCC; there is no database-wide write lock to take.
        assert engine.dialect.driver == "psycopg"
        return

    def record(conn, cursor, statement, *args):
        if statement.startswith("BEGIN"):
            begins.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    try:
        browser = Browser(app)
        browser.get("/orgs/")
        assert begins and set(begins) == {"BEGIN"}
        begins.clear()
        browser.login(user.email, PASSWORD)
        assert "BEGIN IMMEDIATE" in begins
    finally:
        event.remove(engine, "before_cursor_execute", record)


def test_timestamps_are_stored_and_read_in_utc(app, factory):
    user = factory.user()
    with app.app_context():
        saved = db.session.get(User, user.id)
        assert saved.created_at.tzinfo is not None
        assert saved.created_at.utcoffset().total_seconds() == 0
        assert abs((datetime.now(timezone.utc) - saved.created_at).total_seconds()) < 60


def test_naive_datetimes_are_refused(app, factory):
    user = factory.user()
    with app.app_context():
        saved = db.session.get(User, user.id)
        saved.last_login_at = datetime(2026, 1, 1, 12, 0)
        with pytest.raises(Exception, match="naive datetime"):
            db.session.commit()
        db.session.rollback()


def test_readiness_check_reports_the_database(app):
    response = app.test_client().get("/readyz")
    assert response.status_code == 200 and response.json["status"] == "ready"
    with app.app_context():
        if db.engine.dialect.name == "sqlite":
            assert response.json["checks"]["database_read"]["journal_mode"] == "wal"


def test_constraint_names_follow_the_convention(app):
    from sqlalchemy import inspect

    with app.app_context():
        inspector = inspect(db.engine)
        foreign_keys = inspector.get_foreign_keys("users")
        unique = inspector.get_unique_constraints("users")
    assert [key["name"] for key in foreign_keys] == ["fk_users_organisation_id_organisations"]
    assert any(constraint["name"] == "uq_users_email" for constraint in unique)
