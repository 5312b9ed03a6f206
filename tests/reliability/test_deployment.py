"""The documented setup holds: nginx (deploy/nginx/portal-proxy.conf) in front of sync workers keeps 50 idle
client connections from starving real users; on SIGTERM a request in flight finishes; the workers' metrics
add up in prometheus_client's multiprocess mode (deploy/gunicorn.conf.py)."""

import os
import shutil
import signal
import socket
import statistics
import subprocess
import threading
import time

import pytest
import requests
from prometheus_client.parser import text_string_to_metric_families

from tests.reliability.harness import HOST, ROOT, Tally, free_port, pdf, stored

GUNICORN_CONF = str(ROOT / "deploy" / "gunicorn.conf.py")
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"


@pytest.fixture
def nginx(tmp_path):
    """Start nginx with the documented proxy settings in front of ``upstream_port``; return its base URL."""
    started = []

    def start(upstream_port: int) -> str:
        port = free_port()
        prefix = tmp_path / "nginx"
        for folder in ("logs", "body", "proxy", "fastcgi", "uwsgi", "scgi"):
            (prefix / folder).mkdir(parents=True, exist_ok=True)
            os.chmod(prefix / folder, 0o777)
        temp = "".join(f"{kind}_temp_path {prefix / folder};\n" for kind, folder in (
            ("client_body", "body"), ("proxy", "proxy"), ("fastcgi", "fastcgi"), ("uwsgi", "uwsgi"),
            ("scgi", "scgi")))
        (prefix / "nginx.conf").write_text(f"""
daemon off;
worker_processes 1;
pid {prefix}/nginx.pid;
error_log {prefix}/logs/error.log warn;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    {temp}
    upstream portal_app {{ server {HOST}:{upstream_port} fail_timeout=0; keepalive 8; }}
    server {{
        listen {HOST}:{port};
        include {ROOT / "deploy" / "nginx" / "portal-proxy.conf"};
    }}
}}
""")
        proc = subprocess.Popen([NGINX, "-p", str(prefix), "-c", str(prefix / "nginx.conf")],
                                stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
        started.append(proc)
        base = f"http://{HOST}:{port}"
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            try:
                requests.get(base + "/healthz", timeout=2)
                return base
            except requests.RequestException:
                time.sleep(0.1)
        raise RuntimeError((prefix / "logs" / "error.log").read_text())

    yield start
    for proc in started:
        proc.terminate()
        proc.wait(timeout=10)


def idle_connections(port: int, count: int) -> list[socket.socket]:
    """Open ``count`` connections that send half a request and then nothing, as slow or idle clients do."""
    held = []
    for _ in range(count):
        sock = socket.create_connection((HOST, port), timeout=5)
        sock.sendall(b"GET / HTTP/1.1\r\nHost: portal\r\n")
        held.append(sock)
    return held


def timed_gets(base: str, paths: list[str], timeout: float) -> list[float | None]:
    times = []
    for path in paths:
        started = time.perf_counter()
        try:
            ok = requests.get(base + path, timeout=timeout).status_code == 200
        except requests.RequestException:
            ok = False
        times.append(time.perf_counter() - started if ok else None)
    return times


def test_fifty_idle_connections_do_not_starve_real_users_behind_nginx(portal, nginx, people, record_figures):
    server = portal(workers=2)
    base = nginx(server.port)
    held = idle_connections(int(base.rsplit(":", 1)[1]), 50)
    try:
        behind_nginx = timed_gets(base, ["/", "/healthz", f"/commitments/{people[0][1]}"] * 4, timeout=5)
    finally:
        for sock in held:
            sock.close()
    # The same idle connections straight to the sync workers, for comparison (not the documented setup).
    held = idle_connections(server.port, 50)
    try:
        direct = timed_gets(server.base_url, ["/healthz"] * 2, timeout=2)
    finally:
        for sock in held:
            sock.close()
    answered = [t for t in behind_nginx if t is not None]
    record_figures({
        "behind nginx: answered": f"{len(answered)} of {len(behind_nginx)}",
        "behind nginx: median ms": round(statistics.median(answered) * 1000, 1) if answered else None,
        "behind nginx: slowest ms": round(max(answered) * 1000, 1) if answered else None,
        "straight to gunicorn: answered within 2 s": f"{sum(t is not None for t in direct)} of {len(direct)}",
    })
    assert len(answered) == len(behind_nginx) and max(answered) < 3, behind_nginx


def test_sigterm_lets_a_request_in_flight_finish_and_metrics_add_up_across_workers(portal, people, database_url,
                                                                                   tmp_path, record_figures):
    metrics_dir = tmp_path / "metrics"
    server = portal(workers=2, extra_args=("-c", GUNICORN_CONF), env_extra={"PROMETHEUS_MULTIPROC_DIR": str(metrics_dir)})
    before = _healthz_count(server)
    for _ in range(20):
        assert requests.get(server.base_url + "/healthz", timeout=5).status_code == 200
    assert _healthz_count(server) == before + 20  # whichever worker answered each

    # A report whose evidence file arrives slowly: SIGTERM comes while it is being received.
    from tests.factories import PASSWORD
    from tests.reliability.harness import Client

    tally = Tally()
    client = Client(server.base_url, people[0][0], PASSWORD, people[0][1], tally)
    fields = client.open_form()
    request = requests.Request("POST", server.base_url + f"/commitments/{people[0][1]}/updates/new", data={
        **fields, "status": "in_progress", "note": "Avance rel-inflight <b>kept</b>", "evidence_url": "",
        "indicator_value": ""}, files={"evidence_file": ("evidence.pdf", pdf(400_000, "inflight"), "application/pdf")},
        cookies=client.session.cookies).prepare()
    answer = {}

    def slow_post():
        sock = socket.create_connection((HOST, server.port), timeout=30)
        head = f"POST {request.path_url} HTTP/1.1\r\nHost: {HOST}\r\nConnection: close\r\n" + "".join(
            f"{k}: {v}\r\n" for k, v in request.headers.items()) + "\r\n"
        sock.sendall(head.encode())
        body = request.body
        for start in range(0, len(body), len(body) // 20 + 1):
            sock.sendall(body[start:start + len(body) // 20 + 1])
            time.sleep(0.1)
        answer["raw"] = sock.recv(4096)
        sock.close()

    thread = threading.Thread(target=slow_post)
    thread.start()
    time.sleep(0.6)
    server.proc.send_signal(signal.SIGTERM)
    stopped_at = time.monotonic()
    thread.join(timeout=40)
    server.proc.wait(timeout=40)
    status_line = answer.get("raw", b"").split(b"\r\n", 1)[0].decode()
    found = stored(database_url, str(tmp_path / "instance" / "uploads"))
    record_figures({"request in flight at SIGTERM": status_line, "stored": "rel-inflight" in found.notes,
                    "gunicorn stopped after s": round(time.monotonic() - stopped_at, 1)})
    assert status_line.endswith("303 SEE OTHER") or " 303 " in status_line, answer
    assert found.notes.get("rel-inflight") not in (None, "missing")



def _healthz_count(server) -> float:
    body = requests.get(server.base_url + "/metrics", timeout=5).text
    return sum(s.value for f in text_string_to_metric_families(body) for s in f.samples
               if s.name == "portal_requests_total" and s.labels.get("route") == "/healthz")
