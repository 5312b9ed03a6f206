"""Operations commands: database backup."""

import os
import shutil
import sqlite3
import subprocess
from datetime import datetime, timezone

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy.engine import make_url

from portal.extensions import db


@click.command("backup")
@click.option("--to", "target_dir", default=None, help="Folder for the backup (default: instance/backups).")
@with_appcontext
def backup_command(target_dir: str | None) -> None:
    """Write a consistent copy of the database (SQLite backup API or pg_dump)."""
    target_dir = target_dir or current_app.config["BACKUP_FOLDER"]
    os.makedirs(target_dir, exist_ok=True)
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    url = make_url(current_app.config["SQLALCHEMY_DATABASE_URI"])
    if url.get_backend_name() == "sqlite":
        target = os.path.join(target_dir, f"portal-{stamp}.sqlite3")
        _backup_sqlite(db.engine.url.database, target)
    else:
        target = os.path.join(target_dir, f"portal-{stamp}.dump")
        _backup_postgres(url, target)
    click.echo(target)


def _backup_sqlite(source_path: str, target: str) -> None:
    # The backup API copies a consistent snapshot even while other processes write;
    # copying the file could miss what still sits in the WAL.
    source = sqlite3.connect(source_path)
    try:
        destination = sqlite3.connect(target)
        with destination:
            source.backup(destination)
        destination.close()
    finally:
        source.close()


def _backup_postgres(url, target: str) -> None:
    if shutil.which("pg_dump") is None:
        raise click.ClickException("pg_dump is not installed (apt-get install postgresql-client).")
    env = {**os.environ, "PGPASSWORD": url.password or ""}
    args = ["pg_dump", "-Fc", "-f", target, "-h", url.host or "localhost", "-p", str(url.port or 5432)]
    if url.username:
        args += ["-U", url.username]
    subprocess.run([*args, url.database], check=True, env=env)
