"""An empty database to restore into: a new SQLite file, or a PostgreSQL database beside the test one."""

import os

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from portal.core.backup import empty_postgres_schema


def empty_database_url(backend: str, postgres_url: str, folder) -> str:
    """Return the URL of an empty database (PostgreSQL: ``<test database>_restore``, emptied)."""
    if backend != "postgresql":
        os.makedirs(folder, exist_ok=True)
        return f"sqlite:///{folder}/portal.sqlite3"
    url = make_url(postgres_url)
    name = f"{url.database}_restore"
    server = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with server.connect() as connection:
            if not connection.execute(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}).scalar():
                connection.execute(text(f'CREATE DATABASE "{name}"'))
    finally:
        server.dispose()
    target = url.set(database=name)
    empty_postgres_schema(target)
    return target.render_as_string(hide_password=False)
