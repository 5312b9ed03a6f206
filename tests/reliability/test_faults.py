"""Faults under gunicorn, through the real forms: every acknowledged write is stored, nothing is half there,
and no answer is a 500.

Each scenario runs for a few seconds (bounded) and records its figures (see conftest.py).
"""

import os
import random
import signal
import sqlite3
import subprocess
import threading
import time

import requests
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from tests.factories import PASSWORD
from tests.reliability.harness import ROOT, Tally, TcpProxy, check, form_fields, pdf, run_for, stored, tool

WRITE_SECONDS = 6
#: Where no tmpfs can be mounted: the largest file gunicorn may write (the database and its WAL stay below it).
FILE_SIZE_LIMIT = 8_000_000


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


def assert_sound(figures: dict, tally: Tally, text_kept: bool = True) -> None:
    assert figures["lost"] == 0, figures
    assert figures["half-written"] == 0, figures
    assert tally.server_errors == 0, figures
    assert figures["503 without Retry-After"] == 0, figures
    if text_kept:
        assert figures["503 without the text kept"] == 0, figures


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


class Unwritable:
    """Make this test's database refuse writes while it can still be read, and writable again.

    SQLite: another process holds the write lock longer than the portal's busy timeout. PostgreSQL: the
    database's new transactions are read-only (ALTER DATABASE ... SET default_transaction_read_only) and
    its open sessions are ended, so the pool's pre-ping reconnects; only this test's own database is touched.
    """

    def __init__(self, database_url: str):
        self.url = make_url(database_url)
        self.holder = None

    def on(self) -> None:
        if self.url.get_backend_name() == "sqlite":
            self.holder = sqlite3.connect(self.url.database, isolation_level=None)
            self.holder.execute("BEGIN IMMEDIATE")
        else:
            self._postgres(f'ALTER DATABASE "{self.url.database}" SET default_transaction_read_only = on')

    def off(self) -> None:
        if self.url.get_backend_name() == "sqlite":
            if self.holder is not None:
                self.holder.execute("ROLLBACK")
                self.holder.close()
                self.holder = None
        else:
            self._postgres(f'ALTER DATABASE "{self.url.database}" RESET default_transaction_read_only')

    def _postgres(self, statement: str) -> None:
        engine = create_engine(self.url.set(database="postgres"), isolation_level="AUTOCOMMIT")
        try:
            with engine.connect() as connection:
                connection.execute(text(statement))
                connection.execute(text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                                        "WHERE datname = :name AND pid <> pg_backend_pid()"),
                                   {"name": self.url.database})
        finally:
            engine.dispose()


def readyz(server) -> tuple[int, dict]:
    response = requests.get(server.base_url + "/readyz", timeout=20)
    return response.status_code, response.json()


def test_a_read_only_database_refuses_writes_with_503_keeps_reads_and_recovers(portal, clients, database_url,
                                                                                tmp_path, people, record_figures):
    server = portal(SQLITE_BUSY_TIMEOUT_MS=500)
    tally = Tally()
    people_clients = clients(server, tally)
    fault = Unwritable(database_url)
    assert readyz(server)[0] == 200
    run_for(1.5, people_clients, lambda c, i: c.report(pdf(5_000, f"before-{id(c)}-{i}")))
    fault.on()
    try:
        # The first read after the change needs no retry: a dead pooled connection is replaced before use.
        assert people_clients[0].get(f"/commitments/{people[0][1]}", "read while read-only") == 200
        status, body = readyz(server)
        assert status == 503 and not body["checks"]["database_write"]["ok"] and body["checks"]["database_read"]["ok"]
        during = Tally()
        for client in people_clients:
            client.tally = during
        run_for(3, people_clients, lambda c, i: (
            c.report(pdf(5_000, f"during-{id(c)}-{i}")),
            c.get(f"/commitments/{c.commitment_id}", "page GET"), c.get("/", "home GET")))
        # Signing in works, or says it cannot now (503, the e-mail kept, never the password).
        newcomer = requests.Session()
        page = newcomer.get(server.base_url + "/account/login", timeout=20)
        sign_in = newcomer.post(server.base_url + "/account/login", timeout=20, allow_redirects=False, data={
            **form_fields(page.text, "/account/login"), "email": people[0][0], "password": PASSWORD})
        during.count(f"sign-in POST {sign_in.status_code}")
        assert sign_in.status_code in (302, 503), sign_in.status_code
        if sign_in.status_code == 503:
            assert people[0][0] in sign_in.text and PASSWORD not in sign_in.text and sign_in.headers["Retry-After"]
        assert requests.get(server.base_url + "/healthz", timeout=5).status_code == 200
    finally:
        fault.off()
    for client in people_clients:
        client.tally = tally
    if make_url(database_url).get_backend_name() == "postgresql":
        Unwritable(database_url)._postgres("SELECT 1")  # end the read-only sessions, as a restart would
    deadline = time.monotonic() + 20
    while readyz(server)[0] != 200 and time.monotonic() < deadline:
        time.sleep(0.2)
    assert readyz(server)[0] == 200
    run_for(1.5, people_clients, lambda c, i: c.report(pdf(5_000, f"after-{id(c)}-{i}")))
    server.stop()
    found = stored(database_url, uploads_of(tmp_path))
    for part in (tally, during):
        figures = check(part, found)
        assert_sound(figures, part)
    figures = {"before and after": check(tally, found), "while read-only": check(during, found)}
    record_figures(figures)
    assert figures["while read-only"]["acknowledged"] == 0 and during.statuses["report POST 503"] > 0, figures
    assert during.statuses["page GET 200"] > 0 and during.statuses["home GET 200"] > 0, figures
    assert figures["before and after"]["acknowledged"] > 0 and figures["while read-only"]["orphan files"] == 0


def _an_unreachable_postgresql_answers_503_then_serves_again(portal, clients, database_url, tmp_path, people,
                                                             record_figures):
    """PostgreSQL cut off behind a TCP proxy that is stopped and started (the shared server keeps running)."""
    url = make_url(database_url)
    proxy = TcpProxy(url.port or 5432)
    through_proxy = url.set(port=proxy.port).render_as_string(hide_password=False)
    server = portal(database_url=through_proxy)
    tally = Tally()
    people_clients = clients(server, tally)
    run_for(1.5, people_clients, lambda c, i: c.report(pdf(5_000, f"before-{id(c)}-{i}")))
    # A restart (every connection cut, the server back at once) costs the next reader nothing.
    proxy.stop()
    proxy.start()
    assert people_clients[0].get(f"/commitments/{people[0][1]}", "first read after a restart") == 200
    opened = [client.open_form() for client in people_clients]  # forms open in the browsers when it goes
    proxy.stop()
    during = Tally()
    for client in people_clients:
        client.tally = during
    try:
        status, body = readyz(server)
        assert status == 503 and not body["checks"]["database_read"]["ok"], body
        assert requests.get(server.base_url + "/healthz", timeout=5).status_code == 200
        for client, fields in zip(people_clients, opened):
            assert client.report(pdf(5_000, f"open-{id(client)}"), fields=fields) == 503
        run_for(3, people_clients, lambda c, i: (
            c.report(pdf(5_000, f"during-{id(c)}-{i}")), c.get("/", "home GET"),
            c.get(f"/commitments/{c.commitment_id}", "page GET")))
    finally:
        proxy.start()
    for client in people_clients:
        client.tally = tally
    deadline = time.monotonic() + 20
    while readyz(server)[0] != 200 and time.monotonic() < deadline:
        time.sleep(0.2)
    assert readyz(server)[0] == 200
    run_for(1.5, people_clients, lambda c, i: c.report(pdf(5_000, f"after-{id(c)}-{i}")))
    server.stop()
    proxy.stop()
    found = stored(database_url, uploads_of(tmp_path))
    figures = {"before and after": check(tally, found), "while unreachable": check(during, found)}
    record_figures(figures)
    for part in (tally, during):
        assert_sound(check(part, found), part)
    assert figures["while unreachable"]["acknowledged"] == 0 and figures["while unreachable"]["orphan files"] == 0
    assert during.statuses["home GET 503"] > 0 and set(during.statuses) <= {
        "form GET 503", "home GET 503", "page GET 503", "report POST 503"}, figures
    assert during.statuses["report POST 503"] == len(people_clients), figures
    assert figures["before and after"]["acknowledged"] > 0


# SQLite is a file in the portal's own process: it has no connection to lose, so this scenario is PostgreSQL's.
if os.environ.get("PORTAL_TEST_DB") == "postgresql":
    test_an_unreachable_postgresql_answers_503_then_serves_again = \
        _an_unreachable_postgresql_answers_503_then_serves_again


def test_a_full_disk_for_uploads_refuses_the_file_with_503_and_keeps_the_rest(portal, clients, database_url,
                                                                              tmp_path, record_figures):
    uploads = tmp_path / "instance" / "uploads"
    uploads.mkdir(parents=True)
    small_disk = _mount_small_tmpfs(uploads)
    server = portal() if small_disk else _portal_with_file_size_limit(portal)
    tally = Tally()
    people_clients = clients(server, tally)
    try:
        assert readyz(server)[0] == 200
        # Files of 200 KB until the 1 MB disk is full (with the file-size limit instead: every other file is
        # larger than the limit), then text-only reports, which still work.
        size = (lambda i: 200_000) if small_disk else (lambda i: 100_000 if i % 2 else FILE_SIZE_LIMIT + 1_000_000)
        run_for(4, people_clients, lambda c, i: c.report(pdf(size(i), f"full-{id(c)}-{i}")))
        refused = tally.statuses["report POST 503"]
        status, body = readyz(server)
        text_only = Tally()
        for client in people_clients:
            client.tally = text_only
            client.report(None)
        server.stop()
        found = stored(database_url, str(uploads))
        tmp_left = os.listdir(uploads / "tmp") if (uploads / "tmp").is_dir() else []
    finally:
        if small_disk:
            subprocess.run(["umount", str(uploads)], check=False)
    figures = {"with files": check(tally, found), "text only after": check(text_only, found),
               "disk": "tmpfs 1 MB" if small_disk else f"RLIMIT_FSIZE {FILE_SIZE_LIMIT // 1_000_000} MB", "temporary files left": len(tmp_left),
               "readyz when full": status}
    record_figures(figures)
    # With the file-size limit, the form itself may not fit where it is received: then it cannot be shown again.
    assert_sound(figures["with files"], tally, text_kept=small_disk)
    assert refused > 0 and figures["with files"]["acknowledged"] > 0, figures
    assert figures["with files"]["orphan files"] == 0 and not tmp_left, figures
    assert text_only.statuses["report POST 303"] == len(people_clients), figures
    assert status == 200 or "uploads" in body["reason"], body


def _mount_small_tmpfs(folder) -> bool:
    """Mount a 1 MB tmpfs on ``folder`` where the machine allows it (root, mount namespace)."""
    try:
        run = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(folder)], capture_output=True,
                             timeout=10)
    except (OSError, subprocess.TimeoutExpired):
        return False
    return run.returncode == 0


def _portal_with_file_size_limit(portal):
    """Where no tmpfs can be mounted, a file-size limit on gunicorn makes a large upload fail as a full disk would."""
    import resource

    previous = resource.getrlimit(resource.RLIMIT_FSIZE)
    resource.setrlimit(resource.RLIMIT_FSIZE, (FILE_SIZE_LIMIT, previous[1]))  # inherited by gunicorn
    try:
        return portal()
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, previous)
