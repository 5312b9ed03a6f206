"""Fixtures: an app on a freshly migrated database (SQLite by default, PostgreSQL with PORTAL_TEST_DB=postgresql).

The schema is built once per session by running the Alembic migrations, so every test also
runs against exactly what production would have. Each test then gets a clean copy: a copied
SQLite file, or emptied PostgreSQL tables (the seeded reference tables stay).
"""

import os
import shutil

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import DBAPIError

from portal import create_app
from portal.extensions import db
from tests.helpers import Browser

BACKEND = os.environ.get("PORTAL_TEST_DB", "sqlite")
POSTGRES_URL = os.environ.get("PORTAL_TEST_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
#: Reference rows the migrations seed; every other table is emptied between PostgreSQL tests.
KEPT_TABLES = {"countries", "themes", "framework_tags", "alembic_version", "cache_generation"}
SECRET = "test-secret-key-that-is-long-enough-for-production-checks"


def app_config(url: str, **overrides) -> dict:
    """Return the configuration every test app starts from."""
    return {
        "ENVIRONMENT": "testing",
        "SECRET_KEY": SECRET,
        "SQLALCHEMY_DATABASE_URI": url,
        "WTF_CSRF_ENABLED": True,
        **overrides,
    }


def _migrate(url: str) -> None:
    from flask_migrate import upgrade

    app = create_app(app_config(url))
    with app.app_context():
        upgrade()
        db.engine.dispose()


@pytest.fixture(scope="session")
def database_template(tmp_path_factory):
    """Build the migrated schema once; return a SQLite file path or the PostgreSQL URL."""
    if BACKEND == "postgresql":
        engine = create_engine(POSTGRES_URL)
        with engine.begin() as connection:
            connection.execute(text("DROP SCHEMA public CASCADE"))
            connection.execute(text("CREATE SCHEMA public"))
        engine.dispose()
        _migrate(POSTGRES_URL)
        return POSTGRES_URL
    path = tmp_path_factory.mktemp("template") / "template.sqlite3"
    _migrate(f"sqlite:///{path}")
    return str(path)


#: The id sequences that handed out a value since they were last reset, with their tables (rows may have been
#: inserted and rolled back, leaving a table empty but its next id moved).
USED_SEQUENCES = """
    SELECT owner.relname, used.sequencename FROM pg_sequences used
    JOIN pg_class sequence ON sequence.relname = used.sequencename AND sequence.relkind = 'S'
    JOIN pg_depend link ON link.objid = sequence.oid AND link.deptype IN ('a', 'i')
    JOIN pg_class owner ON owner.oid = link.refobjid
    WHERE used.schemaname = 'public' AND used.last_value IS NOT NULL
"""


def _empty_postgresql(url: str) -> None:
    """Empty every table a test wrote to and restart its ids, leaving the seeded reference tables.

    Only the tables that hold rows or whose ids moved are emptied, with DELETE, children first: a test
    writes to a handful of tables and few rows, and TRUNCATE costs a file swap per table, empty or not
    (about 0.13 s per test against 0.02 s). Should a DELETE meet a constraint, TRUNCATE ... CASCADE does it.
    """
    engine = create_engine(url)
    with engine.connect() as connection:
        tables = [name for name in connection.execute(
            text("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")).scalars() if name not in KEPT_TABLES]
        holding = " UNION ".join(f"SELECT '{name}' WHERE EXISTS (SELECT 1 FROM \"{name}\")" for name in tables)
        dirty = set(connection.execute(text(holding)).scalars()) if tables else set()
        sequences = {table: sequence for table, sequence in connection.execute(text(USED_SEQUENCES))
                     if table not in KEPT_TABLES}
        connection.rollback()
        dirty |= set(sequences)
        if dirty:
            try:
                with connection.begin():
                    _delete_and_restart(connection, dirty, sequences)
            except DBAPIError:
                with connection.begin():
                    names = ", ".join(f'"{name}"' for name in sorted(dirty))
                    connection.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    engine.dispose()


def _delete_and_restart(connection, dirty: set[str], sequences: dict[str, str]) -> None:
    known = [table.name for table in reversed(db.metadata.sorted_tables)]
    for name in [name for name in known if name in dirty] + sorted(dirty - set(known)):
        connection.execute(text(f'DELETE FROM "{name}"'))
    for sequence in sequences.values():
        connection.execute(text(f'ALTER SEQUENCE "{sequence}" RESTART'))


@pytest.fixture
def database_url(database_template, tmp_path):
    """Return the URL of a clean, migrated database for one test."""
    if BACKEND == "postgresql":
        _empty_postgresql(database_template)
        return database_template
    path = tmp_path / "portal.sqlite3"
    shutil.copy(database_template, path)
    return f"sqlite:///{path}"


@pytest.fixture
def make_app(database_url, tmp_path, monkeypatch):
    """Return a factory of apps on this test's database, with optional config overrides."""
    monkeypatch.setenv("PORTAL_INSTANCE_PATH", str(tmp_path / "instance"))
    apps = []

    def factory(**overrides):
        app = create_app(app_config(database_url, **overrides))
        apps.append(app)
        return app

    yield factory
    for app in apps:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


@pytest.fixture
def app(make_app):
    return make_app()


@pytest.fixture
def app_ctx(app):
    """Push an application context for tests that use the database directly."""
    with app.app_context():
        yield


@pytest.fixture
def client(app):
    return Browser(app)


@pytest.fixture
def factory(app):
    from tests.factories import Factory

    return Factory(app)


@pytest.fixture
def empty_instance(tmp_path, monkeypatch):
    """Return a factory of an app on an empty database and instance folder, for restore drills.

    On PostgreSQL the database is the test database's name with ``_restore`` appended, created if missing.
    """
    from tests.restore_target import empty_database_url

    url = empty_database_url(BACKEND, POSTGRES_URL, tmp_path / "restored")
    apps = []

    def factory():
        monkeypatch.setenv("PORTAL_INSTANCE_PATH", str(tmp_path / "restored"))
        app = create_app(app_config(url))
        apps.append(app)
        return app

    yield factory
    for app in apps:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
