"""SQLite engine setup: WAL, busy timeout, foreign keys, and BEGIN IMMEDIATE for writers.

SQLite refuses to upgrade a deferred read transaction to a write while another connection
writes, and it does so at once, without waiting on busy_timeout. Taking the write lock up
front for writing requests (and CLI commands) makes writers queue instead of failing.

A database file that cannot be opened for writing (a read-only disk or file) is opened read-only:
reads keep working and every write answers 503 (see portal/core/degrade.py).
"""

import logging
import os
import sqlite3

from flask import current_app, has_request_context, request
from sqlalchemy import event
from sqlalchemy.engine import Engine

READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
log = logging.getLogger("portal.db")


def _is_writer() -> bool:
    if has_request_context():
        return request.method not in READ_METHODS
    # Outside a request: CLI commands and scripts, which may write.
    return True


def writable(path: str) -> bool:
    """Tell whether the database file (and its folder, for the WAL files) can be written."""
    folder = os.path.dirname(os.path.abspath(path))
    return os.access(folder, os.W_OK) and (not os.path.exists(path) or os.access(path, os.W_OK))


def configure_sqlite_engine(engine: Engine, busy_timeout_ms: int = 10000) -> None:
    """Install the pragmas and the transaction mode on a SQLite engine."""
    path = engine.url.database

    @event.listens_for(engine, "do_connect")
    def _open_read_only_if_needed(dialect, _record, cargs, cparams):
        if not path or path == ":memory:" or writable(path):
            return None
        log.warning("db.read_only path=%r: the database cannot be written; opened read-only", path)
        # immutable=1: no -shm file is needed, which a read-only folder could not hold.
        return sqlite3.connect(f"file:{os.path.abspath(path)}?mode=ro&immutable=1", uri=True,
                               check_same_thread=cparams.get("check_same_thread", True))

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        # SQLAlchemy emits BEGIN itself (below); the driver must not start transactions.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute("PRAGMA journal_mode=WAL")
        except sqlite3.OperationalError:
            pass  # a read-only database keeps the journal mode it has
        for pragma in (f"busy_timeout={int(busy_timeout_ms)}", "foreign_keys=ON", "synchronous=FULL"):
            cursor.execute(f"PRAGMA {pragma}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection):
        connection.exec_driver_sql("BEGIN IMMEDIATE" if _is_writer() else "BEGIN")


def is_sqlite_app() -> bool:
    """Tell whether the current app runs on SQLite."""
    return current_app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite")
