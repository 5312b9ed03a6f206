#!/usr/bin/env python3
"""Concurrent progress updates against the portal under gunicorn: is every acknowledged update stored?

Starts the portal with gunicorn (3 sync workers) on a free loopback port against a fresh database
(SQLite in a temporary instance folder, or PostgreSQL), loads the demo, then lets N clients
(threads, one ``requests.Session`` each, talking only to 127.0.0.1) sign in as the demo
organisations' accounts and report progress on their organisations' commitments for S seconds,
exactly as the form does: GET the report-progress form (CSRF token, idempotency key), POST it.

A POST answered ``303 See Other`` is an acknowledged update. After the run gunicorn is stopped and
the database is asked for the progress_updates carrying the acknowledged idempotency keys: every one
must be there (with the note that was sent with it). Exit code 1 if any acknowledged update is
missing or wrong, or if any response was a 5xx.

    .venv/bin/python bench/concurrent_updates.py                          # SQLite, 16 clients, 30 s
    .venv/bin/python bench/concurrent_updates.py --database postgresql    # PORTAL_BENCH_DATABASE_URL

The PostgreSQL database's ``public`` schema is DROPPED and rebuilt: never point it at real data.
"""

from __future__ import annotations

import argparse
import collections
import datetime as dt
import os
import platform
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import requests
from sqlalchemy import create_engine, text

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from portal.core.backup import empty_postgres_schema  # noqa: E402
DEFAULT_POSTGRES_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
HOST = "127.0.0.1"
REQUEST_TIMEOUT = 60  # seconds; a request slower than this counts as a transport error


# --------------------------------------------------------------------------- options and setup


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--clients", type=int, default=16, help="concurrent clients (default 16)")
    parser.add_argument("--seconds", type=float, default=30, help="length of the run (default 30)")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn sync workers (default 3)")
    parser.add_argument("--seed", type=int, default=None, help="random seed for the clients' choices")
    parser.add_argument("--hotspot", action="store_true",
                        help="all clients use one account and one commitment (worst contention)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary instance folder and logs")
    args = parser.parse_args(argv)
    if args.clients < 1 or args.seconds <= 0 or args.workers < 1:
        parser.error("--clients, --seconds and --workers must be positive")
    return args


def venv_tool(name: str) -> str:
    """The tool next to this Python (the project's .venv when run with .venv/bin/python), else .venv's."""
    for candidate in (Path(sys.executable).parent / name, ROOT / ".venv" / "bin" / name):
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return str(candidate)
    found = shutil.which(name)
    if not found:
        sys.exit(f"{name} not found: run `make install` (it is installed in .venv)")
    return found


def sqlalchemy_url(url: str) -> str:
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def run_flask(env: dict, *args: str, log) -> None:
    command = [venv_tool("flask"), "--app", "portal", *args]
    proc = subprocess.run(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, timeout=600)
    if proc.returncode != 0:
        raise RuntimeError(f"`{' '.join(command[1:])}` failed (exit {proc.returncode}); see {log.name}")


def demo_targets(url: str) -> dict[str, list[int]]:
    """The demo organisations' accounts (e-mail) and the ids of their organisation's commitments."""
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            rows = connection.execute(text(
                "SELECT u.email, c.id FROM users u "
                "JOIN organisations o ON o.id = u.organisation_id "
                "JOIN commitments c ON c.organisation_id = o.id "
                "WHERE u.role IN ('editor', 'org_admin') AND NOT c.is_archived "
                "ORDER BY u.email, c.id"
            )).all()
    finally:
        engine.dispose()
    targets: dict[str, list[int]] = collections.defaultdict(list)
    for email, commitment_id in rows:
        targets[email].append(commitment_id)
    if not targets:
        raise RuntimeError("the demo has no organisation account with a commitment")
    return dict(targets)


def stored_updates(url: str) -> dict[str, str]:
    """idempotency_key -> note of every progress update that has a key."""
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            rows = connection.execute(text(
                "SELECT idempotency_key, note FROM progress_updates WHERE idempotency_key IS NOT NULL"
            )).all()
    finally:
        engine.dispose()
    return {key: note for key, note in rows}


def database_version(url: str) -> str:
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            if engine.dialect.name == "sqlite":
                return "SQLite " + connection.execute(text("SELECT sqlite_version()")).scalar_one()
            return "PostgreSQL " + connection.execute(text("SHOW server_version")).scalar_one().split()[0]
    finally:
        engine.dispose()


# --------------------------------------------------------------------------- gunicorn


class Server:
    """gunicorn serving the portal on a free loopback port."""

    def __init__(self, env: dict, workers: int, log_path: Path):
        self.port = free_port()
        self.base_url = f"http://{HOST}:{self.port}"
        self.log_path = log_path
        self._log = open(log_path, "ab")
        command = [venv_tool("gunicorn"), "--workers", str(workers), "--worker-class", "sync",
                   "--bind", f"{HOST}:{self.port}", "--timeout", "60", "--graceful-timeout", "30",
                   "portal:create_app()"]
        usage = subprocess.run([command[0], "--help"], capture_output=True, text=True).stdout
        if "--no-control-socket" in usage:
            # gunicorn 24+ opens a control socket at one fixed path per user: keep out of other servers' way.
            command.insert(-1, "--no-control-socket")
        self.proc = subprocess.Popen(command, cwd=ROOT, env=env, stdout=self._log, stderr=subprocess.STDOUT,
                                     start_new_session=True)

    def wait_ready(self, timeout: float = 90) -> None:
        deadline = time.monotonic() + timeout
        probe = requests.Session()
        probe.trust_env = False
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {self.proc.returncode}; see {self.log_path}")
            try:
                if probe.get(self.base_url + "/account/login", timeout=5).status_code == 200:
                    return
            except requests.RequestException:
                pass
            time.sleep(0.2)
        raise RuntimeError(f"gunicorn did not answer within {timeout:.0f} s; see {self.log_path}")

    def stop(self) -> None:
        """Graceful stop (SIGTERM to the master, which lets the workers finish their requests)."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=40)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout=10)
        self._log.close()


# --------------------------------------------------------------------------- clients


class _Form(HTMLParser):
    """The fields of the <form method=post> whose action ends with ``action_suffix``."""

    def __init__(self, action_suffix: str):
        super().__init__(convert_charrefs=True)
        self.action_suffix = action_suffix
        self.inside = False
        self.found = False
        self.fields: dict[str, str] = {}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and not self.found and (attrs.get("method") or "").lower() == "post" \
                and (attrs.get("action") or "").endswith(self.action_suffix):
            self.inside = self.found = True
        elif tag == "input" and self.inside and attrs.get("name"):
            self.fields[attrs["name"]] = attrs.get("value") or ""

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False


def form_fields(html: str, action_suffix: str) -> dict[str, str] | None:
    parser = _Form(action_suffix)
    parser.feed(html)
    return parser.fields if parser.found else None


@dataclass
class ClientResult:
    account: str
    posts: int = 0
    gets: int = 0
    acknowledged: dict[str, str] = field(default_factory=dict)  # idempotency key -> marker sent
    statuses: collections.Counter = field(default_factory=collections.Counter)  # "update POST 303"...
    latencies_ms: list[float] = field(default_factory=list)  # of the POSTs that got an answer
    server_errors: int = 0
    transport_errors: int = 0
    error_samples: list[str] = field(default_factory=list)
    sign_in_error: str | None = None

    def note_error(self, text_: str) -> None:
        if len(self.error_samples) < 5:
            self.error_samples.append(text_)


def sign_in(session: requests.Session, base_url: str, email: str, password: str, result: ClientResult,
            attempts: int = 3) -> None:
    """Sign in through the form, as a person would: trying again (up to ``attempts``) after a server error."""
    for attempt in range(1, attempts + 1):
        try:
            page = session.get(base_url + "/account/login", timeout=REQUEST_TIMEOUT)
            result.statuses[f"sign-in GET {page.status_code}"] += 1
            fields = form_fields(page.text, "/account/login") or {}
            if page.status_code >= 500 or not fields.get("csrf_token"):
                raise _ServerError(f"sign-in form: HTTP {page.status_code}", page.status_code)
            answer = session.post(base_url + "/account/login", timeout=REQUEST_TIMEOUT, allow_redirects=False,
                                  data={**fields, "email": email, "password": password})
            result.statuses[f"sign-in POST {answer.status_code}"] += 1
            if answer.status_code >= 500:
                raise _ServerError(f"sign-in as {email}: HTTP {answer.status_code}", answer.status_code)
        except requests.RequestException as error:
            result.transport_errors += 1
            result.note_error(f"sign-in as {email}: {type(error).__name__}: {error}")
        except _ServerError as error:
            if error.status >= 500:
                result.server_errors += 1
            result.note_error(str(error))
        else:
            location = answer.headers.get("Location", "")
            if answer.status_code in (302, 303) and "/account/login" not in location:
                return
            raise RuntimeError(f"sign-in as {email} answered {answer.status_code} "
                               "(wrong password, or throttled after failures?)")
        time.sleep(0.2 * attempt)
    raise RuntimeError(f"could not sign in as {email} in {attempts} attempts")


class _ServerError(Exception):
    def __init__(self, message: str, status: int):
        super().__init__(message)
        self.status = status


def run_client(number: int, base_url: str, email: str, password: str, commitments: list[int], run_id: str,
               signed_in: threading.Barrier, window: dict, seed: int) -> ClientResult:
    result = ClientResult(account=email)
    session = requests.Session()
    session.trust_env = False  # no proxy from the environment: only 127.0.0.1 is spoken to
    session.headers["Accept-Language"] = "es-HN,es;q=0.9"
    rng = random.Random(seed * 1000 + number)
    try:
        sign_in(session, base_url, email, password, result)
    except Exception as error:  # noqa: BLE001 - reported, and the run is refused below
        result.sign_in_error = f"{type(error).__name__}: {error}"
    signed_in.wait()
    if result.sign_in_error or window.get("abort"):
        return result

    sequence = 0
    while time.monotonic() < window["end"]:
        commitment_id = rng.choice(commitments)
        path = f"/commitments/{commitment_id}/updates/new"
        # GET the form: CSRF token, idempotency key, the date the server suggests.
        try:
            form_page = session.get(base_url + path, timeout=REQUEST_TIMEOUT, allow_redirects=False)
        except requests.RequestException as error:
            result.gets += 1
            result.transport_errors += 1
            result.note_error(f"GET {path}: {type(error).__name__}: {error}")
            time.sleep(0.05)
            continue
        result.gets += 1
        result.statuses[f"form GET {form_page.status_code}"] += 1
        if form_page.status_code >= 500:
            result.server_errors += 1
            result.note_error(f"GET {path}: HTTP {form_page.status_code}")
        fields = form_fields(form_page.text, path) if form_page.status_code == 200 else None
        if not fields or not fields.get("csrf_token") or not fields.get("idempotency_key"):
            if form_page.status_code < 500:
                result.note_error(f"GET {path}: HTTP {form_page.status_code} without the report form")
            time.sleep(0.05)
            continue

        # POST the update, as a browser sends the form (multipart, no file chosen).
        sequence += 1
        key = fields["idempotency_key"]
        marker = f"bench-{run_id}-c{number:02d}-{sequence:05d}-{uuid.uuid4().hex[:8]}"
        data = {
            **fields,
            "status": "in_progress",
            "note": f"Avance de prueba de carga ({marker}).",
            "evidence_url": "",
        }
        if "indicator_value" in fields:
            data["indicator_value"] = str(rng.randint(1, 60000))
        started = time.perf_counter()
        try:
            answer = session.post(base_url + path, data=data, timeout=REQUEST_TIMEOUT, allow_redirects=False,
                                  files={"evidence_file": ("", b"", "application/octet-stream")})
        except requests.RequestException as error:
            result.posts += 1
            result.transport_errors += 1
            result.note_error(f"POST {path}: {type(error).__name__}: {error}")
            continue
        result.posts += 1
        result.latencies_ms.append((time.perf_counter() - started) * 1000)
        result.statuses[f"update POST {answer.status_code}"] += 1
        if answer.status_code == 303:
            result.acknowledged[key] = marker
        elif answer.status_code >= 500:
            result.server_errors += 1
            result.note_error(f"POST {path}: HTTP {answer.status_code}")
        else:
            result.note_error(f"POST {path}: HTTP {answer.status_code} (not acknowledged)")
    return result


# --------------------------------------------------------------------------- report


def percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile; NaN without values."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = max(1, min(len(ordered), round(share * len(ordered) + 0.5)))
    return ordered[rank - 1]


HEADER = ("database", "clients", "seconds", "requests", "acknowledged", "found in DB", "missing", "5xx",
          "errors", "updates/s", "p50 ms", "p95 ms", "p99 ms")


def markdown_table(row: list[str]) -> str:
    widths = [max(len(h), len(v)) for h, v in zip(HEADER, row)]
    line = lambda cells: "| " + " | ".join(c.rjust(w) for c, w in zip(cells, widths)) + " |"  # noqa: E731
    return "\n".join([line(HEADER), "|" + "|".join("-" * (w + 1) + ":" for w in widths) + "|", line(row)])


# --------------------------------------------------------------------------- main


def main(argv=None) -> int:
    args = parse_args(argv)
    seed = args.seed if args.seed is not None else random.SystemRandom().randrange(10**6)
    work = Path(tempfile.mkdtemp(prefix=f"portal-bench-{args.database}-"))
    instance = work / "instance"
    instance.mkdir()
    if args.database == "sqlite":
        url = f"sqlite:///{instance / 'bench.sqlite3'}"
        shown_url = url
    else:
        url = sqlalchemy_url(os.environ.get("PORTAL_BENCH_DATABASE_URL") or DEFAULT_POSTGRES_URL)
        shown_url = re.sub(r"//([^:/@]+):[^@]*@", r"//\1:***@", url)

    env = {key: value for key, value in os.environ.items() if not key.startswith("PORTAL_")}
    env.update(PORTAL_INSTANCE_PATH=str(instance), PORTAL_ENVIRONMENT="development", PORTAL_DATABASE_URL=url)
    # This checkout's portal, whichever one the virtualenv was installed from.
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    sys.path.insert(0, str(ROOT))
    from portal.demo.data import DEMO_PASSWORD  # the published demo password

    setup_log = open(work / "setup.log", "ab")
    print(f"database: {args.database} ({shown_url}); instance folder {instance}", flush=True)
    if args.database == "postgresql":
        print("dropping and recreating the public schema", flush=True)
        empty_postgres_schema(url)
    run_flask(env, "db", "upgrade", log=setup_log)
    run_flask(env, "demo", log=setup_log)
    setup_log.close()
    targets = demo_targets(url)
    accounts = sorted(targets)
    if args.hotspot:
        accounts = accounts[:1]
        targets = {accounts[0]: targets[accounts[0]][:1]}
    version = database_version(url)

    load_before = os.getloadavg()[0]
    server = Server(env, args.workers, work / "gunicorn.log")
    results: list[ClientResult] = []
    try:
        server.wait_ready()
        print(f"gunicorn: {args.workers} sync workers on {server.base_url}; {args.clients} clients over "
              f"{len(accounts)} organisation account(s), {sum(map(len, targets.values()))} commitment(s); "
              f"{args.seconds:g} s; seed {seed}", flush=True)
        run_id = uuid.uuid4().hex[:6]
        window: dict = {"end": float("inf")}

        def open_window():
            window["start"] = time.monotonic()
            window["end"] = window["start"] + args.seconds

        signed_in = threading.Barrier(args.clients + 1, action=open_window)
        slots: list[ClientResult | None] = [None] * args.clients

        def client(number: int):
            email = accounts[number % len(accounts)]
            slots[number] = run_client(number, server.base_url, email, DEMO_PASSWORD, targets[email], run_id,
                                       signed_in, window, seed)

        threads = [threading.Thread(target=client, args=(number,), name=f"client-{number}")
                   for number in range(args.clients)]
        for thread in threads:
            thread.start()
        signed_in.wait()
        for thread in threads:
            thread.join()
        elapsed = time.monotonic() - window["start"]
        results = [slot for slot in slots if slot is not None]
    finally:
        server.stop()

    failed_sign_ins = [(r.account, r.sign_in_error) for r in results if r.sign_in_error]
    for account, error in failed_sign_ins:
        print(f"FAILED to sign in (this client sent no update): {account}: {error}")

    acknowledged: dict[str, str] = {}
    for result in results:
        acknowledged.update(result.acknowledged)
    stored = stored_updates(url)
    found = [key for key in acknowledged if key in stored]
    missing = [key for key in acknowledged if key not in stored]
    wrong = [key for key in found if acknowledged[key] not in stored[key]]
    unacknowledged_but_stored = sum(
        1 for key, note in stored.items() if key not in acknowledged and f"bench-{run_id}-" in note
    )
    posts = sum(r.posts for r in results)
    gets = sum(r.gets for r in results)
    server_errors = sum(r.server_errors for r in results)
    transport_errors = sum(r.transport_errors for r in results)
    latencies = [ms for r in results for ms in r.latencies_ms]
    statuses = collections.Counter()
    for result in results:
        statuses.update(result.statuses)

    row = [args.database, str(args.clients), f"{args.seconds:g}", str(posts), str(len(acknowledged)),
           str(len(found)), str(len(missing)), str(server_errors), str(transport_errors),
           f"{len(acknowledged) / elapsed:.1f}" if elapsed > 0 else "-",
           *(f"{percentile(latencies, share):.0f}" for share in (0.50, 0.95, 0.99))]
    print()
    print(f"{dt.datetime.now().astimezone():%Y-%m-%d %H:%M %Z} · {version} · "
          f"gunicorn {args.workers} sync workers · "
          f"{os.cpu_count()} CPUs (load average {load_before:.1f} before, {os.getloadavg()[0]:.1f} after) · "
          f"Python {platform.python_version()}")
    print(markdown_table(row))
    print()
    print(f"requests: update POSTs; the clients also sent {gets} form GETs. Latency: of the POSTs answered. "
          f"Window {elapsed:.1f} s (requests in flight at the end were waited for).")
    print("responses: " + ", ".join(f"{status} x{count}" for status, count in sorted(statuses.items())))
    if wrong:
        print(f"WRONG: {len(wrong)} acknowledged update(s) stored with another note than the one sent")
    if unacknowledged_but_stored:
        print(f"note: {unacknowledged_but_stored} update(s) stored though no acknowledgement reached "
              "the client (e.g. a transport error after the commit); not a loss")
    samples = [sample for r in results for sample in r.error_samples][:10]
    if samples:
        print("first problems seen:\n  " + "\n  ".join(samples))
    if server_errors:
        print(f"gunicorn log (tracebacks of the 5xx): {server.log_path}")

    ok = not missing and not wrong and not server_errors and not failed_sign_ins and bool(acknowledged)
    if not args.keep and ok:
        shutil.rmtree(work, ignore_errors=True)
    else:
        print(f"kept: {work}")
    problems = [text_ for count, text_ in (
        (len(missing), "acknowledged update(s) missing from the database"),
        (len(wrong), "acknowledged update(s) stored wrong"),
        (server_errors, "5xx response(s)"),
        (len(failed_sign_ins), "client(s) could not sign in"),
    ) if count for text_ in [f"{count} {text_}"]]
    if not acknowledged:
        problems.append("no update was acknowledged")
    print("FAILED: " + "; ".join(problems) if problems else "OK: every acknowledged update is stored; no 5xx")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
