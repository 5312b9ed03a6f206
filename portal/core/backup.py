"""Backup archives: the database, the evidence files and a manifest, in one tar file; and their restore.

An archive holds ``manifest.json`` (row counts of every table and the SHA-256 of every file),
``database.sqlite3`` (SQLite's online backup API) or ``database.dump`` (pg_dump -Fc), and
``uploads/<storage name>`` for every attachment row of that database copy. The copy and the counts
come from one snapshot (the SQLite copy itself; on PostgreSQL an exported snapshot that pg_dump
shares), so they agree even while the portal keeps writing. Files are copied after the snapshot:
an attachment row is committed only once its file is on disk, so every row's file is there.
"""

import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from datetime import datetime, timezone

from sqlalchemy import create_engine, text
from sqlalchemy.engine import URL, make_url

MANIFEST = "manifest.json"
FORMAT = 1
#: Reference rows the migrations seed: an instance holding only these is empty.
SEEDED_TABLES = frozenset({"countries", "themes", "framework_tags", "alembic_version", "cache_generation"})


class BackupError(RuntimeError):
    """A backup or restore could not be completed; the message says why."""


def sha256_of(path: str) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


# --------------------------------------------------------------------------- backup


def write_backup(database_uri: str, upload_folder: str, target_dir: str) -> str:
    """Write one archive into ``target_dir``; return its path."""
    os.makedirs(target_dir, exist_ok=True)
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S%fZ")
    url = make_url(database_uri)
    with tempfile.TemporaryDirectory(dir=target_dir, prefix=".backup-") as work:
        if url.get_backend_name() == "sqlite":
            database_name = "database.sqlite3"
            counts, storage_names = _snapshot_sqlite(url.database, os.path.join(work, database_name))
        else:
            database_name = "database.dump"
            counts, storage_names = _snapshot_postgres(url, os.path.join(work, database_name))
        files = {}
        for name in sorted(storage_names):
            source = os.path.join(upload_folder, name)
            if not os.path.exists(source):
                raise BackupError(f"the file of attachment {name} is missing from {upload_folder}")
            files[name] = {"sha256": sha256_of(source), "size": os.path.getsize(source)}
        manifest = {"format": FORMAT, "created_at": stamp, "backend": url.get_backend_name(),
                    "database": database_name, "rows": counts, "files": files}
        partial = os.path.join(target_dir, f".portal-{stamp}.tar.partial")
        with tarfile.open(partial, "w") as archive:
            _add_bytes(archive, MANIFEST, json.dumps(manifest, indent=1, sort_keys=True).encode())
            archive.add(os.path.join(work, database_name), arcname=database_name)
            for name in files:
                archive.add(os.path.join(upload_folder, name), arcname=f"uploads/{name}")
        with open(partial, "rb") as handle:
            os.fsync(handle.fileno())
        final = os.path.join(target_dir, f"portal-{stamp}.tar")
        os.replace(partial, final)  # a reader never sees half an archive
    return final


def _add_bytes(archive: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mtime = int(datetime.now(timezone.utc).timestamp())
    archive.addfile(info, io.BytesIO(data))


def _snapshot_sqlite(source_path: str, target: str) -> tuple[dict, list[str]]:
    # The backup API copies a consistent snapshot even while other processes write;
    # copying the file could miss what still sits in the WAL.
    source = sqlite3.connect(source_path)
    try:
        destination = sqlite3.connect(target)
        with destination:
            source.backup(destination)
        try:
            return _sqlite_counts(destination)
        finally:
            destination.close()
    finally:
        source.close()


def _sqlite_counts(connection: sqlite3.Connection) -> tuple[dict, list[str]]:
    tables = [row[0] for row in connection.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")]
    counts = {table: connection.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0] for table in tables}
    names = [row[0] for row in connection.execute("SELECT storage_name FROM attachments")] \
        if "attachments" in tables else []
    return counts, names


def _pg_args(url: URL) -> tuple[list[str], dict]:
    args = ["-h", url.host or "localhost", "-p", str(url.port or 5432)]
    if url.username:
        args += ["-U", url.username]
    return args, {**os.environ, "PGPASSWORD": url.password or ""}


def _pg_tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise BackupError(f"{name} is not installed (apt-get install postgresql-client).")
    return found


def _snapshot_postgres(url: URL, target: str) -> tuple[dict, list[str]]:
    """pg_dump and the counts read the same exported snapshot, so the manifest describes the dump."""
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            connection.execute(text("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY"))
            snapshot = connection.execute(text("SELECT pg_export_snapshot()")).scalar_one()
            counts, names = _postgres_counts(connection)
            args, env = _pg_args(url)
            run = subprocess.run([_pg_tool("pg_dump"), "-Fc", "--snapshot", snapshot, "-f", target, *args,
                                  url.database], env=env, capture_output=True, text=True)
            connection.rollback()
    finally:
        engine.dispose()
    if run.returncode != 0:
        raise BackupError(f"pg_dump failed: {run.stderr.strip()[:500]}")
    return counts, names


def _postgres_counts(connection) -> tuple[dict, list[str]]:
    tables = connection.execute(text(
        "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")).scalars().all()
    counts = {table: connection.execute(text(f'SELECT count(*) FROM "{table}"')).scalar_one() for table in tables}
    names = connection.execute(text("SELECT storage_name FROM attachments")).scalars().all() \
        if "attachments" in tables else []
    return counts, list(names)


def prune_backups(target_dir: str, keep: int) -> list[str]:
    """Delete all but the ``keep`` newest archives in ``target_dir``; return the deleted paths."""
    archives = sorted(name for name in os.listdir(target_dir) if name.startswith("portal-") and name.endswith(".tar"))
    doomed = archives[:-keep] if keep > 0 else []
    for name in doomed:
        os.unlink(os.path.join(target_dir, name))
    return [os.path.join(target_dir, name) for name in doomed]


# --------------------------------------------------------------------------- restore


def instance_contents(database_uri: str, upload_folder: str) -> list[str]:
    """What makes an instance non-empty: tables with rows (beyond the seeded ones) and stored files."""
    url = make_url(database_uri)
    found = []
    if url.get_backend_name() != "sqlite" or (url.database and os.path.exists(url.database)):
        engine = create_engine(url)
        try:
            with engine.connect() as connection:
                if url.get_backend_name() == "sqlite":
                    tables = connection.execute(text(
                        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")).scalars()
                else:
                    tables = connection.execute(text(
                        "SELECT tablename FROM pg_tables WHERE schemaname = 'public'")).scalars()
                for table in sorted(set(tables) - SEEDED_TABLES):
                    if connection.execute(text(f'SELECT count(*) FROM "{table}"')).scalar_one():
                        found.append(f"table {table}")
        finally:
            engine.dispose()
    if os.path.isdir(upload_folder):
        found += [f"file {name}" for name in sorted(os.listdir(upload_folder))
                  if os.path.isfile(os.path.join(upload_folder, name))]
    return found


def read_manifest(archive_path: str) -> dict:
    with tarfile.open(archive_path) as archive:
        member = archive.extractfile(MANIFEST)
        if member is None:
            raise BackupError(f"{archive_path} has no {MANIFEST}")
        manifest = json.load(member)
    if manifest.get("format") != FORMAT:
        raise BackupError(f"unknown archive format {manifest.get('format')!r}")
    return manifest


def restore_backup(archive_path: str, database_uri: str, upload_folder: str) -> dict:
    """Restore an archive into this instance (its database and uploads are replaced); return the manifest."""
    manifest = read_manifest(archive_path)
    url = make_url(database_uri)
    if manifest["backend"] != url.get_backend_name():
        raise BackupError(f"the archive holds a {manifest['backend']} database; this instance uses "
                          f"{url.get_backend_name()}")
    with tempfile.TemporaryDirectory(prefix="portal-restore-") as work:
        with tarfile.open(archive_path) as archive:
            archive.extractall(work, filter="data")
        database_file = os.path.join(work, manifest["database"])
        if url.get_backend_name() == "sqlite":
            _restore_sqlite(database_file, url.database)
        else:
            _restore_postgres(database_file, url)
        os.makedirs(upload_folder, exist_ok=True)
        for name in manifest["files"]:
            shutil.copyfile(os.path.join(work, "uploads", name), os.path.join(upload_folder, name))
    return manifest


def _restore_sqlite(source: str, target: str) -> None:
    for suffix in ("-wal", "-shm"):
        if os.path.exists(target + suffix):
            os.unlink(target + suffix)
    os.makedirs(os.path.dirname(os.path.abspath(target)), exist_ok=True)
    partial = target + ".restoring"
    shutil.copyfile(source, partial)
    os.replace(partial, target)


def empty_postgres_schema(url: URL | str) -> None:
    """Drop and recreate the public schema of a PostgreSQL database (the database must exist)."""
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            connection.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
            connection.execute(text("CREATE SCHEMA public"))
    finally:
        engine.dispose()


def _restore_postgres(dump: str, url: URL) -> None:
    empty_postgres_schema(url)
    args, env = _pg_args(url)
    run = subprocess.run([_pg_tool("pg_restore"), "--no-owner", "--exit-on-error", "--single-transaction",
                          "-d", url.database, *args, dump], env=env, capture_output=True, text=True)
    if run.returncode != 0:
        raise BackupError(f"pg_restore failed: {run.stderr.strip()[:500]}")


def verify_restore(manifest: dict, database_uri: str, upload_folder: str) -> list[str]:
    """Compare the restored instance with the manifest: every table's rows, every file's hash. Return the differences."""
    url = make_url(database_uri)
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            if url.get_backend_name() == "sqlite":
                counts, names = _sqlite_counts(connection.connection.dbapi_connection)
            else:
                counts, names = _postgres_counts(connection)
    finally:
        engine.dispose()
    problems = [f"table {table}: {counts.get(table)} rows, the manifest says {expected}"
                for table, expected in sorted(manifest["rows"].items()) if counts.get(table) != expected]
    for name, expected in sorted(manifest["files"].items()):
        path = os.path.join(upload_folder, name)
        if not os.path.exists(path):
            problems.append(f"file {name} is missing")
        elif sha256_of(path) != expected["sha256"]:
            problems.append(f"file {name} differs from the manifest")
    problems += [f"attachment {name} has no file in the manifest" for name in names if name not in manifest["files"]]
    return problems
