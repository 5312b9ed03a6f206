"""The portal under gunicorn, clients that post through the real forms, a TCP proxy to cut the database off,
and the check of what is stored against what was acknowledged."""

from __future__ import annotations

import collections
import hashlib
import os
import select
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import requests
from sqlalchemy import create_engine, text

ROOT = Path(__file__).resolve().parents[2]
HOST = "127.0.0.1"
TIMEOUT = 20  # seconds per request


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def tool(name: str) -> str:
    return str(Path(sys.executable).parent / name)


class Server:
    """gunicorn (sync workers) serving the portal on a free loopback port."""

    def __init__(self, env: dict, log_path: Path, workers: int = 2, extra_args: tuple = ()):
        self.port = free_port()
        self.base_url = f"http://{HOST}:{self.port}"
        self.log_path = log_path
        self._log = open(log_path, "ab")
        command = [tool("gunicorn"), "--workers", str(workers), "--worker-class", "sync",
                   "--bind", f"{HOST}:{self.port}", "--timeout", "30", "--graceful-timeout", "20", *extra_args]
        if "--no-control-socket" in subprocess.run([command[0], "--help"], capture_output=True, text=True).stdout:
            command.append("--no-control-socket")  # gunicorn 24+: no shared control socket path
        self.proc = subprocess.Popen([*command, "portal:create_app()"], cwd=ROOT, env=env, stdout=self._log,
                                     stderr=subprocess.STDOUT, start_new_session=True)
        self.wait_ready()

    def wait_ready(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {self.proc.returncode}: {self.log_path.read_text()[-2000:]}")
            try:
                if requests.get(self.base_url + "/healthz", timeout=2).status_code == 200:
                    return
            except requests.RequestException:
                pass
            time.sleep(0.2)
        raise RuntimeError(f"gunicorn did not answer in {timeout} s")

    def worker_pids(self) -> list[int]:
        """The master's children, read from /proc (no ps needed)."""
        pids = []
        for entry in os.listdir("/proc"):
            if entry.isdigit():
                try:
                    stat = Path(f"/proc/{entry}/stat").read_text()
                except OSError:
                    continue
                if int(stat.rpartition(")")[2].split()[1]) == self.proc.pid:
                    pids.append(int(entry))
        return pids

    def log_text(self) -> str:
        self._log.flush()
        return self.log_path.read_text(errors="replace")

    def stop(self) -> None:
        """SIGTERM to the master, which lets the workers finish what they are doing."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout=10)
        self._log.close()


class TcpProxy:
    """A loopback TCP proxy to PostgreSQL that can be stopped (every connection cut) and started again."""

    def __init__(self, target_port: int):
        self.target = (HOST, target_port)
        self.port = free_port()
        self._sockets: set[socket.socket] = set()
        self._lock = threading.Lock()
        self._listener: socket.socket | None = None
        self.start()

    def start(self) -> None:
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        for _ in range(50):  # the stopped listener's port may take a moment to be free again
            try:
                listener.bind((HOST, self.port))
                break
            except OSError:
                time.sleep(0.1)
        else:
            listener.close()
            raise RuntimeError(f"port {self.port} stays busy")
        listener.listen(64)
        self._listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def stop(self) -> None:
        """Refuse new connections and cut the open ones, as a stopped server does."""
        listener, self._listener = self._listener, None
        if listener:
            try:
                listener.shutdown(socket.SHUT_RDWR)  # wakes the thread blocked in accept()
            except OSError:
                pass
            listener.close()
        with self._lock:
            for sock in list(self._sockets):
                try:
                    sock.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
                sock.close()
            self._sockets.clear()

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            try:
                upstream = socket.create_connection(self.target, timeout=5)
            except OSError:
                client.close()
                continue
            with self._lock:
                self._sockets.update((client, upstream))
            threading.Thread(target=self._pump, args=(client, upstream), daemon=True).start()

    def _pump(self, a: socket.socket, b: socket.socket) -> None:
        try:
            while True:
                ready, _, _ = select.select([a, b], [], [], 1)
                for sock in ready:
                    data = sock.recv(65536)
                    if not data:
                        raise OSError("closed")
                    (b if sock is a else a).sendall(data)
        except (OSError, ValueError):
            pass
        finally:
            for sock in (a, b):
                with self._lock:
                    self._sockets.discard(sock)
                try:
                    sock.close()
                except OSError:
                    pass


class _FormFields(HTMLParser):
    def __init__(self, action: str):
        super().__init__(convert_charrefs=True)
        self.action, self.inside, self.found, self.fields = action, False, False, {}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and not self.found and (attrs.get("action") or "").endswith(self.action):
            self.inside = self.found = True
        elif tag == "input" and self.inside and attrs.get("name") and attrs.get("type") != "file":
            if attrs.get("type") in ("radio", "checkbox") and "checked" not in attrs:
                return
            self.fields[attrs["name"]] = attrs.get("value") or ""

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False


def form_fields(html: str, action: str) -> dict | None:
    parser = _FormFields(action)
    parser.feed(html)
    return parser.fields if parser.found else None


@dataclass
class Tally:
    """What the clients sent and what they were told."""

    statuses: collections.Counter = field(default_factory=collections.Counter)
    acknowledged: dict = field(default_factory=dict)  # marker -> sha256 of the file sent, or None
    unacknowledged: dict = field(default_factory=dict)
    kept_text_missing: int = 0
    retry_after_missing: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def count(self, label: str) -> None:
        with self.lock:
            self.statuses[label] += 1

    @property
    def server_errors(self) -> int:
        return sum(n for label, n in self.statuses.items() if label.split()[-1] == "500")


class Client:
    """One signed-in person reporting progress on one commitment through the real form."""

    def __init__(self, base_url: str, email: str, password: str, commitment_id: int, tally: Tally):
        self.base_url, self.commitment_id, self.tally = base_url, commitment_id, tally
        self.session = requests.Session()
        self.session.trust_env = False
        self.session.headers["Accept-Language"] = "es"
        page = self.session.get(base_url + "/account/login", timeout=TIMEOUT)
        answer = self.session.post(base_url + "/account/login", allow_redirects=False, timeout=TIMEOUT,
                                   data={**form_fields(page.text, "/account/login"), "email": email, "password": password})
        assert answer.status_code == 302, f"sign-in answered {answer.status_code}"

    def get(self, path: str, label: str) -> int:
        try:
            response = self.session.get(self.base_url + path, timeout=TIMEOUT, allow_redirects=False)
        except requests.RequestException:
            self.tally.count(f"{label} transport-error")
            return 0
        self.tally.count(f"{label} {response.status_code}")
        if response.status_code == 503 and not response.headers.get("Retry-After"):
            self.tally.retry_after_missing += 1
        return response.status_code

    def open_form(self) -> dict | None:
        """GET the report form; return its fields (None when it did not come)."""
        path = f"/commitments/{self.commitment_id}/updates/new"
        try:
            page = self.session.get(self.base_url + path, timeout=TIMEOUT, allow_redirects=False)
        except requests.RequestException:
            self.tally.count("form GET transport-error")
            return None
        self.tally.count(f"form GET {page.status_code}")
        return form_fields(page.text, path) if page.status_code == 200 else None

    def report(self, file_bytes: bytes | None = None, fields: dict | None = None) -> int:
        """GET the form (unless ``fields`` of one opened before are given), POST it with a unique note (and a
        file); record the answer. Returns the status (0: none)."""
        path = f"/commitments/{self.commitment_id}/updates/new"
        fields = fields or self.open_form()
        if not fields:
            return 0
        marker = f"rel-{uuid.uuid4().hex}"
        note = f"Avance {marker} <b>kept</b>"
        data = {**fields, "status": "in_progress", "note": note, "evidence_url": "", "indicator_value": ""}
        files = {"evidence_file": ("evidence.pdf", file_bytes, "application/pdf")} if file_bytes else \
            {"evidence_file": ("", b"", "application/octet-stream")}
        digest = hashlib.sha256(file_bytes).hexdigest() if file_bytes else None
        try:
            answer = self.session.post(self.base_url + path, data=data, files=files, timeout=TIMEOUT,
                                       allow_redirects=False)
        except requests.RequestException:
            self.tally.count("report POST transport-error")
            with self.tally.lock:
                self.tally.unacknowledged[marker] = digest
            return 0
        self.tally.count(f"report POST {answer.status_code}")
        with self.tally.lock:
            (self.tally.acknowledged if answer.status_code == 303 else self.tally.unacknowledged)[marker] = digest
        if answer.status_code == 503:
            if not answer.headers.get("Retry-After"):
                self.tally.retry_after_missing += 1
            if f"Avance {marker} &lt;b&gt;kept&lt;/b&gt;" not in answer.text:
                self.tally.kept_text_missing += 1
        return answer.status_code


def pdf(size: int, seed: str) -> bytes:
    """A PDF-looking file of about ``size`` bytes whose content is unique to ``seed``."""
    body = (seed.encode() * (size // max(len(seed), 1) + 1))[:size]
    return b"%PDF-1.4\n%" + body + b"\n%%EOF\n"


@dataclass
class Stored:
    notes: dict  # marker -> sha256 of the stored file or None (and "missing" when the row's file is not there)
    orphan_files: list


def stored(database_url: str, upload_folder: str) -> Stored:
    """Read what is stored: each reported marker with its file's hash, and files no row names."""
    engine = create_engine(database_url)
    try:
        with engine.connect() as connection:
            rows = connection.execute(text(
                "SELECT p.note, a.storage_name FROM progress_updates p "
                "LEFT JOIN attachments a ON a.id = p.attachment_id WHERE p.note LIKE 'Avance rel-%'")).all()
            names = set(connection.execute(text("SELECT storage_name FROM attachments")).scalars())
    finally:
        engine.dispose()
    notes = {}
    for note, storage_name in rows:
        marker = note.split()[1]
        if storage_name is None:
            notes[marker] = None
            continue
        path = os.path.join(upload_folder, storage_name)
        notes[marker] = hashlib.sha256(Path(path).read_bytes()).hexdigest() if os.path.exists(path) else "missing"
    files = [n for n in os.listdir(upload_folder) if n != "tmp"] if os.path.isdir(upload_folder) else []
    return Stored(notes, sorted(set(files) - names))


def check(tally: Tally, found: Stored) -> dict:
    """Compare what was acknowledged with what is stored; return the figures (asserted by the caller)."""
    lost = [m for m, digest in tally.acknowledged.items() if found.notes.get(m, "absent") != digest]
    half = [m for m, digest in tally.unacknowledged.items() if m in found.notes and found.notes[m] != digest]
    return {
        "acknowledged": len(tally.acknowledged),
        "stored of acknowledged": len(tally.acknowledged) - len(lost),
        "lost": len(lost),
        "unacknowledged": len(tally.unacknowledged),
        "unacknowledged but stored whole": sum(1 for m in tally.unacknowledged if m in found.notes) - len(half),
        "half-written": len(half),
        "orphan files": len(found.orphan_files),
        "answers": dict(sorted(tally.statuses.items())),
        "503 without Retry-After": tally.retry_after_missing,
        "503 without the text kept": tally.kept_text_missing,
    }


def run_for(seconds: float, clients: list, action, stop_event: threading.Event | None = None) -> None:
    """Let each client repeat ``action(client, index)`` for ``seconds`` (or until ``stop_event``)."""
    end = time.monotonic() + seconds

    def loop(client, number):
        index = 0
        while time.monotonic() < end and not (stop_event and stop_event.is_set()):
            action(client, index)
            index += 1

    threads = [threading.Thread(target=loop, args=(c, n)) for n, c in enumerate(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
