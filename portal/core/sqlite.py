"""SQLite engine setup: WAL, busy timeout, foreign keys, and BEGIN IMMEDIATE for writers.

SQLite refuses to upgrade a deferred read transaction to a write while another connection
writes, and it does so at once, without waiting on busy_timeout. Taking the write lock up
front for writing requests (and CLI commands) makes writers queue instead of failing.
"""

from flask import current_app, has_request_context, request
from sqlalchemy import event
from sqlalchemy.engine import Engine

READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def _is_writer() -> bool:
    if has_request_context():
        return request.method not in READ_METHODS
    # Outside a request: CLI commands and scripts, which may write.
    return True


def configure_sqlite_engine(engine: Engine) -> None:
    """Install the pragmas and the transaction mode on a SQLite engine."""

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        # SQLAlchemy emits BEGIN itself (below); the driver must not start transactions.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        for pragma in ("busy_timeout=10000", "foreign_keys=ON", "synchronous=FULL"):
            cursor.execute(f"PRAGMA {pragma}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection):
        connection.exec_driver_sql("BEGIN IMMEDIATE" if _is_writer() else "BEGIN")


def is_sqlite_app() -> bool:
    """Tell whether the current app runs on SQLite."""
    return current_app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite")
