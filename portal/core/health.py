"""Health for a load balancer: /healthz (the process answers) and /readyz (the portal can serve and store).

/readyz runs a read probe and a write probe (an UPDATE that is rolled back, so nothing changes), checks
that the database schema is at the migrations' head and that the uploads folder takes a file. Each
probe is bounded in time, so a locked or unreachable database makes it answer 503 quickly, with a
JSON reason a person or a monitor can read.
"""

import os
import tempfile
import time

from flask import current_app, jsonify
from sqlalchemy import text

from portal.core.permissions import public
from portal.core.routes import bp
from portal.extensions import db

#: Longest wait of each database probe, in milliseconds.
PROBE_TIMEOUT_MS = 2000


@bp.get("/healthz")
@public
def health():
    """Say that the process answers (liveness); it does not touch the database."""
    return jsonify({"status": "ok"})


@bp.get("/readyz")
@public
def ready():
    """Say whether the portal can serve: database read and write probes, schema at head, uploads writable."""
    checks, reasons = {}, []
    for name, probe in (("database_read", _read_probe), ("database_write", _write_probe),
                        ("migrations", _migrations_probe), ("uploads", _uploads_probe)):
        started = time.perf_counter()
        try:
            detail = probe()
        except Exception as error:  # noqa: BLE001 - any failure of a probe is a reason not to be ready
            db.session.rollback()
            checks[name] = {"ok": False, "error": _short(error)}
            reasons.append(f"{name}: {_short(error)}")
            continue
        checks[name] = {"ok": True, "ms": round((time.perf_counter() - started) * 1000, 1), **(detail or {})}
    body = {"status": "ready" if not reasons else "not ready", "checks": checks}
    if reasons:
        body["reason"] = "; ".join(reasons)
        return jsonify(body), 503, {"Retry-After": "10", "Cache-Control": "no-store"}
    return jsonify(body), 200, {"Cache-Control": "no-store"}


def _short(error: Exception) -> str:
    """The error's first line, without the SQL or parameters SQLAlchemy appends."""
    original = getattr(error, "orig", None) or error
    line = (str(original).strip().splitlines() or [type(original).__name__])[0]
    return f"{type(original).__name__}: {line}"[:300]


def _is_sqlite() -> bool:
    return db.engine.dialect.name == "sqlite"


def _bound_probe_time() -> None:
    """Keep this transaction's waits short: a lock held elsewhere must not hold the probe for long."""
    if _is_sqlite():
        db.session.execute(text(f"PRAGMA busy_timeout={PROBE_TIMEOUT_MS}"))
    else:
        db.session.execute(text(f"SET LOCAL lock_timeout = {PROBE_TIMEOUT_MS}"))
        db.session.execute(text(f"SET LOCAL statement_timeout = {PROBE_TIMEOUT_MS}"))


def _read_probe() -> dict:
    _bound_probe_time()
    db.session.execute(text("SELECT 1")).scalar_one()
    if _is_sqlite():
        return {"journal_mode": db.session.execute(text("PRAGMA journal_mode")).scalar()}
    return {}


def _write_probe() -> None:
    try:
        _bound_probe_time()
        # A write that changes nothing, rolled back: it needs the write lock (SQLite) or a writable
        # transaction (PostgreSQL), which is what a real write would need.
        db.session.execute(text("UPDATE alembic_version SET version_num = version_num"))
    finally:
        db.session.rollback()
        if _is_sqlite():
            db.session.execute(text(f"PRAGMA busy_timeout={current_app.config['SQLITE_BUSY_TIMEOUT_MS']}"))
            db.session.rollback()


_heads: set[str] | None = None


def _migration_heads() -> set[str]:
    """The heads of the migration scripts shipped with this code (read once per process)."""
    global _heads
    if _heads is None:
        from alembic.config import Config
        from alembic.script import ScriptDirectory

        config = Config()
        config.set_main_option("script_location", current_app.extensions["migrate"].directory)
        _heads = set(ScriptDirectory.from_config(config).get_heads())
    return _heads


def _migrations_probe() -> dict:
    current = set(db.session.execute(text("SELECT version_num FROM alembic_version")).scalars())
    db.session.rollback()
    heads = _migration_heads()
    if current != heads:
        raise RuntimeError(f"database at {sorted(current)}, code at {sorted(heads)}")
    return {"head": ",".join(sorted(heads))}


def _uploads_probe() -> None:
    folder = current_app.config["UPLOAD_FOLDER"]
    os.makedirs(folder, exist_ok=True)
    with tempfile.NamedTemporaryFile(dir=folder, prefix=".readyz-") as probe:
        probe.write(b"ok")
        probe.flush()
        os.fsync(probe.fileno())
