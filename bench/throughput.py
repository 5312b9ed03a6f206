"""Requests per second of the home page and a country page under gunicorn, beside a trivial "hello" route.

    .venv/bin/python bench/throughput.py /tmp/perf/big.sqlite3
    .venv/bin/python bench/throughput.py postgresql+psycopg://postgres@127.0.0.1:5432/perf_bench --cache off

Starts gunicorn (``--workers`` sync workers, 2 by default) on a free port of 127.0.0.1 serving
bench/wsgi.py: the portal with production settings (HTTPS redirect off, since wrk speaks plain HTTP)
on the given database, and a Flask app answering "Hello, world!" on /bench-hello/ from the same
workers. Then it runs ``wrk`` (``--connections`` 16, 2 threads, ``--seconds`` each) against hello,
the home page, the country page with the most public commitments, and hello again, and prints
requests/s, latency percentiles, non-2xx answers and each page's throughput as a share of hello's
(the mean of the two hello runs). wrk sends no cookies: every request is a first-time visitor.
"""

import argparse
import os
import re
import secrets
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_up(base: str, process, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit("gunicorn exited; see its log")
        try:
            opener.open(base + "/bench-hello/", timeout=2).read()
            return
        except OSError:
            time.sleep(0.3)
    raise SystemExit("gunicorn did not answer in time")


def drain(base: str, timeout: float = 120) -> None:
    """Wait until the workers have answered what wrk left queued (hello answers at once again)."""
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        began = time.perf_counter()
        opener.open(base + "/bench-hello/", timeout=timeout).read()
        if time.perf_counter() - began < 0.05:
            return
        time.sleep(0.5)


def run_wrk(url: str, seconds: int, connections: int) -> dict:
    # A long timeout: an uncached page answered in seconds still counts, with its latency.
    out = subprocess.run(["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--timeout", "30s", "--latency", url],
                         capture_output=True, text=True, check=True).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    non_2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    errors = re.search(r"Socket errors:(.*)", out)

    def percentile(name):
        match = re.search(rf"^\s+{name}%\s+([\d.]+)(us|ms|s)", out, re.M)
        if not match:
            return float("nan")
        value, unit = float(match.group(1)), match.group(2)
        return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value

    return {"rate": rate, "p50": percentile("50"), "p99": percentile("99"),
            "non_2xx": int(non_2xx.group(1)) if non_2xx else 0, "errors": errors.group(1).strip() if errors else ""}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("target", help="SQLite file path or PostgreSQL URL of a generated database")
    parser.add_argument("--cache", choices=("on", "off"), default="on")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--seconds", type=int, default=5)
    args = parser.parse_args(argv)
    from public_pages import database_url, make_app, pick_pages

    url = database_url(args.target)
    country = next(path for label, path in pick_pages(make_app(url, cache=False)) if label.startswith("country page"))
    instance = tempfile.mkdtemp(prefix="portal-throughput-")
    env = {**os.environ, "PORTAL_ENVIRONMENT": "production", "PORTAL_SECRET_KEY": secrets.token_urlsafe(48),
           "PORTAL_FORCE_HTTPS": "false", "PORTAL_SQLALCHEMY_DATABASE_URI": url, "PORTAL_INSTANCE_PATH": instance,
           "PORTAL_PAGE_CACHE_SECONDS": "60" if args.cache == "on" else "0", "NO_PROXY": "127.0.0.1"}
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    log = open(Path(instance) / "gunicorn.log", "w")
    process = subprocess.Popen([str(ROOT / ".venv" / "bin" / "gunicorn"), "--workers", str(args.workers),
                                "--bind", f"127.0.0.1:{port}", "--pythonpath", str(ROOT / "bench"),
                                "wsgi:application"], env=env, stdout=log, stderr=log, cwd=str(ROOT))
    try:
        wait_until_up(base, process)
        runs = [("hello", "/bench-hello/"), ("home", "/"), ("country page", country), ("hello (again)", "/bench-hello/")]
        results = {}
        for label, path in runs:
            run_wrk(base + path, 1, args.connections)  # warm-up: every worker has loaded and cached its pages
            drain(base)
            results[label] = run_wrk(base + path, args.seconds, args.connections)
            drain(base)
    finally:
        process.terminate()
        process.wait(timeout=30)
        log.close()
    hello = (results["hello"]["rate"] + results["hello (again)"]["rate"]) / 2
    print(f"database: {url.split('@')[-1]}, page cache {args.cache}, gunicorn {args.workers} sync workers, wrk "
          f"{args.connections} connections x {args.seconds} s, load average (1 min) at the end: {os.getloadavg()[0]:.1f}\n")
    print("| route | path | requests/s | share of hello | p50 ms | p99 ms | non-2xx | socket errors |")
    print("|---|---|---:|---:|---:|---:|---:|---|")
    for label, path in runs:
        result = results[label]
        print(f"| {label} | `{path}` | {result['rate']:.0f} | {result['rate'] / hello:.0%} | {result['p50']:.1f} | "
              f"{result['p99']:.1f} | {result['non_2xx']} | {result['errors'] or '-'} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
