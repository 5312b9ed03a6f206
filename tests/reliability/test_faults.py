"""Faults under gunicorn, through the real forms: every acknowledged write is stored, nothing is half there,
and no answer is a 500.

Each scenario runs for a few seconds (bounded) and records its figures (see conftest.py).
"""

import os
import random
import signal
import subprocess
import threading
import time

from tests.reliability.harness import ROOT, Tally, check, pdf, run_for, stored, tool

WRITE_SECONDS = 6


def uploads_of(tmp_path) -> str:
    return str(tmp_path / "instance" / "uploads")


def reap_orphans(server_env_url: str, tmp_path) -> str:
    """Run the documented clean-up of files left by requests that died half-way (as its timer does)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PORTAL_")}
    env.update(PORTAL_INSTANCE_PATH=str(tmp_path / "instance"), PORTAL_ENVIRONMENT="development",
               PORTAL_DATABASE_URL=server_env_url)
    run = subprocess.run([tool("flask"), "--app", "portal", "reap-uploads", "--older-than-hours", "0"], cwd=ROOT,
                         env=env, capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr
    return run.stdout.strip()


def assert_sound(figures: dict, tally: Tally) -> None:
    assert figures["lost"] == 0, figures
    assert figures["half-written"] == 0, figures
    assert tally.server_errors == 0, figures
    assert figures["503 without Retry-After"] == 0 and figures["503 without the text kept"] == 0, figures


def test_workers_killed_during_writes_lose_no_acknowledged_write(portal, clients, database_url, tmp_path,
                                                                 record_figures):
    server = portal(workers=3)
    tally = Tally()
    people = clients(server, tally)
    kills = []
    done = threading.Event()

    def killer():
        rng = random.Random(7)
        while not done.wait(1.5):
            pids = server.worker_pids()
            if pids:
                victim = rng.choice(pids)
                try:
                    os.kill(victim, signal.SIGKILL)
                    kills.append(victim)
                except ProcessLookupError:
                    pass

    thread = threading.Thread(target=killer)
    thread.start()
    try:
        run_for(WRITE_SECONDS, people,
                lambda c, i: c.report(pdf(30_000, f"{id(c)}-{i}") if i % 2 == 0 else None))
    finally:
        done.set()
        thread.join()
    server.stop()
    figures = check(tally, stored(database_url, uploads_of(tmp_path)))
    orphans_before = figures["orphan files"]
    reaped = reap_orphans(database_url, tmp_path)
    figures.update({"workers killed": len(kills), "orphan files after reap-uploads": len(
        stored(database_url, uploads_of(tmp_path)).orphan_files)})
    record_figures(figures)
    assert kills and figures["acknowledged"] > 0, figures
    assert_sound(figures, tally)
    assert figures["orphan files after reap-uploads"] == 0, (figures, orphans_before, reaped)
