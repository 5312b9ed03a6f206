"""The restore drill: a backup taken while people post evidence, restored into a fresh instance, holds every
row and every evidence file, byte for byte."""

import os
import subprocess
import threading

from tests.conftest import BACKEND, POSTGRES_URL
from tests.reliability.harness import ROOT, Tally, check, pdf, run_for, stored, tool
from tests.restore_target import empty_database_url


def flask(env_url: str, instance, *args) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PORTAL_")}
    env.update(PORTAL_INSTANCE_PATH=str(instance), PORTAL_ENVIRONMENT="development", PORTAL_DATABASE_URL=env_url)
    return subprocess.run([tool("flask"), "--app", "portal", *args], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=120)


def test_a_backup_taken_during_writes_restores_every_row_and_file(portal, clients, database_url, tmp_path,
                                                                  record_figures):
    server = portal()
    tally = Tally()
    people = clients(server, tally)
    writing = threading.Thread(target=run_for, args=(7, people, lambda c, i: c.report(
        pdf(20_000 + 97 * i, f"drill-{id(c)}-{i}") if i % 3 else None)))
    writing.start()
    try:
        threading.Event().wait(2.5)
        with tally.lock:
            before = dict(tally.acknowledged)
        backup = flask(database_url, tmp_path / "instance", "backup", "--to", str(tmp_path / "backups"))
        with tally.lock:
            during_backup = len(tally.acknowledged) - len(before)
    finally:
        writing.join()
    server.stop()
    assert backup.returncode == 0, backup.stderr
    archive = backup.stdout.strip().splitlines()[-1]

    restored_url = empty_database_url(BACKEND, POSTGRES_URL, tmp_path / "restored")
    restore = flask(restored_url, tmp_path / "restored", "restore", archive)
    assert restore.returncode == 0, restore.stderr + restore.stdout
    assert "every count and hash matches the manifest" in restore.stdout

    restored = stored(restored_url, str(tmp_path / "restored" / "uploads"))
    source = stored(database_url, str(tmp_path / "instance" / "uploads"))
    before_tally = Tally(acknowledged=before)
    checked = check(before_tally, restored)
    figures = {
        "acknowledged before the backup": checked["acknowledged"],
        "of those restored": checked["stored of acknowledged"],
        "lost": checked["lost"],
        "acknowledged during the backup": during_backup,
        "acknowledged in all": len(tally.acknowledged),
        "rows restored": len(restored.notes),
        "evidence files restored": sum(1 for digest in restored.notes.values() if digest),
        "archive bytes": os.path.getsize(archive),
        "answers": dict(sorted(tally.statuses.items())),
    }
    record_figures(figures)
    assert before and figures["lost"] == 0, figures
    assert tally.server_errors == 0, figures
    # Every restored row is one the portal stored, with the very same file; no file without its row.
    assert all(source.notes.get(marker) == digest for marker, digest in restored.notes.items())
    assert "missing" not in restored.notes.values() and restored.orphan_files == []
