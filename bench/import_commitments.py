"""Importing 5,000 commitments: preview and confirmation time, and the growth of resident memory.

    .venv/bin/python bench/import_commitments.py                      # SQLite in a temporary folder
    .venv/bin/python bench/import_commitments.py postgresql+psycopg://postgres@127.0.0.1:5432/bench_db

The database is made afresh (SQLite: a new file; PostgreSQL: **the public schema is dropped**), migrated and
loaded with the demo. In process, as the import page does it:

1. a CSV of ``--rows`` new commitments of one demo ministry (title, description, theme, status "in progress"
   for a third of them, so that those become progress updates, target date, indicator) is read and previewed,
   then confirmed in one transaction;
2. the same commitments are exported as /commitments.csv writes them and sent back unchanged: read and
   previewed (every row must be "unchanged").

Each step prints its wall time and the growth of VmRSS over the RSS before it (sampled every 10 ms).
"""

import argparse
import csv
import io
import os
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import select, text  # noqa: E402

sys.path.insert(0, str(ROOT / "bench"))
from opendata import rss_mb  # noqa: E402


class Peak:
    """The highest VmRSS seen while the block runs, sampled every 10 ms by a thread."""

    def __enter__(self):
        self.before = self.peak = rss_mb()
        self.running = True
        self.thread = threading.Thread(target=self._sample, daemon=True)
        self.thread.start()
        self.started = time.perf_counter()
        return self

    def _sample(self):
        while self.running:
            self.peak = max(self.peak, rss_mb())
            time.sleep(0.01)

    def __exit__(self, *exc):
        self.seconds = time.perf_counter() - self.started
        self.running = False
        self.thread.join()
        self.peak = max(self.peak, rss_mb())

    @property
    def growth(self) -> float:
        return self.peak - self.before


def make_app(url: str):
    os.environ.setdefault("PORTAL_INSTANCE_PATH", tempfile.mkdtemp(prefix="portal-bench-"))
    from portal import create_app

    return create_app({"ENVIRONMENT": "testing", "SECRET_KEY": "bench-secret-key-long-enough-for-the-checks-2026",
                       "SQLALCHEMY_DATABASE_URI": url, "PAGE_CACHE_SECONDS": 0})


def fresh_database(url: str) -> None:
    if url.startswith("postgresql"):
        from sqlalchemy import create_engine

        engine = create_engine(url)
        with engine.begin() as connection:
            connection.execute(text("DROP SCHEMA public CASCADE"))
            connection.execute(text("CREATE SCHEMA public"))
        engine.dispose()


def new_rows(count: int) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["Título", "Descripción", "Códigos de tema", "Estado", "Fecha límite", "Unidad del indicador",
                     "Línea de base", "Meta", "Quién puede consultarlo"])
    themes = ["consular_protection", "reintegration", "safe_return", "information_awareness"]
    for n in range(count):
        writer.writerow([f"Compromiso importado número {n}", f"Descripción del compromiso {n}, con **detalle**.",
                         themes[n % 4], "in_progress" if n % 3 == 0 else "planned", f"2027-{n % 12 + 1:02d}-15",
                         "personas atendidas", "0", str(100 + n), "public"])
    return buffer.getvalue().encode("utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("database", nargs="?", default=None)
    parser.add_argument("--rows", type=int, default=5000)
    args = parser.parse_args()
    url = args.database or f"sqlite:///{tempfile.mkdtemp(prefix='portal-bench-')}/bench.sqlite3"
    fresh_database(url)
    app = make_app(url)
    from flask_migrate import upgrade

    from portal.accounts.models import User
    from portal.commitments.exports import COLUMNS
    from portal.commitments.importing.apply import apply_preview
    from portal.commitments.importing.parsing import read_table
    from portal.commitments.importing.preview import build_preview
    from portal.commitments.models import Commitment
    from portal.core.exports import safe_cell
    from portal.extensions import db

    with app.app_context():
        upgrade(directory=str(ROOT / "migrations"))
    assert app.test_cli_runner().invoke(args=["demo"]).exit_code == 0
    data = new_rows(args.rows)
    backend = url.split(":")[0].split("+")[0]
    with app.test_request_context(headers={"Accept-Language": "es"}):
        actor = db.session.scalar(select(User).where(User.email == "ceniss-hnd@portal-demo.example"))
        with Peak() as preview_step:
            preview = build_preview(actor, read_table("bench.csv", data), "bench.csv")
        assert preview.counts["new"] == args.rows, preview.counts
        with Peak() as confirm_step:
            outcome = apply_preview(actor, preview, "bench")
            db.session.commit()
        assert outcome.created == args.rows
        db.session.expunge_all()
        actor = db.session.scalar(select(User).where(User.email == "ceniss-hnd@portal-demo.example"))
        # The export of those commitments, as /commitments.csv writes it, sent back unchanged.
        exported = io.StringIO()
        writer = csv.writer(exported)
        writer.writerow([str(column.header) for column in COLUMNS])
        writer.writerow([column.hxl for column in COLUMNS])
        imported = select(Commitment).where(Commitment.organisation_id == actor.organisation_id,
                                            Commitment.title.startswith("Compromiso importado"))
        for commitment in db.session.scalars(imported.order_by(Commitment.id)):
            writer.writerow([safe_cell(v.isoformat() if hasattr(v, "isoformat") else "" if v is None else v)
                             for v in (column.value(commitment) for column in COLUMNS)])
        with Peak() as round_trip:
            again = build_preview(actor, read_table("export.csv", exported.getvalue().encode("utf-8")), "export.csv")
        assert again.counts["changed"] == 0 and again.counts["error"] == 0, again.counts
    print(f"| {backend} | {args.rows} | {preview_step.seconds:.1f} s, +{preview_step.growth:.0f} MB "
          f"| {confirm_step.seconds:.1f} s, +{confirm_step.growth:.0f} MB "
          f"| {round_trip.seconds:.1f} s, +{round_trip.growth:.0f} MB |")


if __name__ == "__main__":
    main()
