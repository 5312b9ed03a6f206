"""Server time, SQL queries and HTML size of every public page, signed out, measured in process.

    .venv/bin/python bench/public_pages.py /tmp/perf/big.sqlite3
    .venv/bin/python bench/public_pages.py postgresql+psycopg://postgres@127.0.0.1:5432/perf_bench --cache on

Each page is requested through the Flask test client, without cookies (a new visitor each time),
``--warmup`` times and then ``--requests`` times; the table gives the median and the 95th percentile
of the wall time of ``client.get`` (routing, queries, template, response), the median CPU time of this
process over the same call (less sensitive to other load on the machine; it leaves out the work of a
PostgreSQL server process), the SQL statements sent
per request (a ``before_cursor_execute`` listener) and the bytes of HTML. ``--cache off`` (the default)
measures every request as a first hit; ``--cache on`` turns the page cache on, so after the first
request every one is a hit (the figure is then the cost of a hit: one query and a token swap).
The pages are chosen in the data: the country, symposium, commitment and corridor with the most
public items (the heaviest pages, not typical ones).
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import event, func, select  # noqa: E402


def database_url(target: str) -> str:
    return target if "://" in target else f"sqlite:///{Path(target).resolve()}"


def make_app(url: str, cache: bool):
    os.environ.setdefault("PORTAL_INSTANCE_PATH", tempfile.mkdtemp(prefix="portal-bench-"))
    from portal import create_app

    return create_app({"ENVIRONMENT": "testing", "SECRET_KEY": "bench-secret-key-long-enough-for-the-checks-2026",
                       "SQLALCHEMY_DATABASE_URI": url, "WTF_CSRF_ENABLED": True,
                       "PAGE_CACHE_SECONDS": 3600 if cache else 0})


def pick_pages(app) -> list[tuple[str, str]]:
    """Return (label, path) of every public page, with the heaviest examples found in the data."""
    from portal.commitments.models import Commitment, Theme
    from portal.extensions import db
    from portal.joint_actions.models import ActionCountry, JointAction
    from portal.organisations.models import Organisation
    from portal.progress.models import ProgressUpdate
    from portal.symposia.models import Symposium

    public = Commitment.visibility == "public"
    with app.app_context():
        country = db.session.execute(
            select(Organisation.country_iso3).join(Commitment, Commitment.organisation_id == Organisation.id)
            .where(public).group_by(Organisation.country_iso3).order_by(func.count().desc()).limit(1)).scalar()
        symposium = db.session.execute(
            select(Symposium.slug).join(Commitment, Commitment.symposium_id == Symposium.id).where(public)
            .group_by(Symposium.id, Symposium.slug).order_by(func.count().desc()).limit(1)).scalar()
        commitment = db.session.execute(
            select(Commitment.id).join(ProgressUpdate, ProgressUpdate.commitment_id == Commitment.id)
            .where(public, Commitment.is_archived.is_(False)).group_by(Commitment.id)
            .order_by(func.count().desc()).limit(1)).scalar()
        theme = db.session.scalar(select(Theme.id).order_by(Theme.position).limit(1))
        # The report of the latest meeting of the longest series is the heaviest: it reads every earlier one.
        report = db.session.scalar(select(Symposium.slug).where(Symposium.previous_id.is_not(None))
                                   .order_by(Symposium.start_date.desc()).limit(1)) or symposium
        first, second = ActionCountry.__table__.alias(), ActionCountry.__table__.alias()
        pair = db.session.execute(
            select(first.c.country_iso3, second.c.country_iso3)
            .join(second, (first.c.action_id == second.c.action_id) & (first.c.country_iso3 < second.c.country_iso3))
            .join(JointAction, JointAction.id == first.c.action_id).where(JointAction.visibility == "public")
            .group_by(first.c.country_iso3, second.c.country_iso3).order_by(func.count().desc()).limit(1)).first()
        db.session.rollback()
    return [
        ("home", "/"),
        ("countries index", "/countries/"),
        (f"country page ({country})", f"/countries/{country}"),
        ("symposia list", "/symposia/"),
        ("symposium page", f"/symposia/{symposium}"),
        ("commitment list", "/commitments/"),
        ("commitment list, filters", f"/commitments/?country={country}&status=in_progress&theme={theme}&sort=target"),
        ("commitment list, search", "/commitments/?q=consular&flag=overdue&page=3"),
        ("commitment list, search only", "/commitments/?q=consular"),
        ("commitment page", f"/commitments/{commitment}"),
        (f"corridor ({pair[0]}-{pair[1]})", f"/corridors/{pair[0]}-{pair[1]}"),
        ("frameworks (crosswalk)", "/frameworks/"),
        ("framework tag page (GCM 21)", "/frameworks/gcm/21"),
        ("commitment list, tag", "/commitments/?tag=gcm-21&flag=renegotiated"),
        ("follow-up report", f"/symposia/{report}/report"),
    ]


def measure(app, path: str, warmup: int, requests: int) -> dict:
    from portal.extensions import db

    with app.app_context():
        engine = db.engine
    counter = {"n": 0}

    def count(*_args):
        counter["n"] += 1

    event.listen(engine, "before_cursor_execute", count)
    client = app.test_client(use_cookies=False)
    try:
        for _ in range(warmup):
            response = client.get(path)
            assert response.status_code == 200, (path, response.status_code)
        times, cpu, queries = [], [], []
        size = 0
        for _ in range(requests):
            counter["n"] = 0
            began, began_cpu = time.perf_counter(), time.process_time()
            response = client.get(path)
            times.append((time.perf_counter() - began) * 1000)
            cpu.append((time.process_time() - began_cpu) * 1000)
            queries.append(counter["n"])
            size = len(response.data)
            assert response.status_code == 200, (path, response.status_code)
    finally:
        event.remove(engine, "before_cursor_execute", count)
    times.sort()
    return {"median": statistics.median(times), "cpu": statistics.median(cpu), "p95": times[max(int(len(times) * 0.95 + 0.5) - 1, 0)],
            "queries": max(queries), "queries_min": min(queries), "bytes": size}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("target", help="SQLite file path or PostgreSQL URL of a generated database")
    parser.add_argument("--cache", choices=("on", "off"), default="off")
    parser.add_argument("--requests", type=int, default=40)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--only", metavar="TEXT", help="measure only the pages whose path contains TEXT")
    args = parser.parse_args(argv)
    url = database_url(args.target)
    app = make_app(url, args.cache == "on")
    pages = [(label, path) for label, path in pick_pages(app) if not args.only or args.only in path]
    css = (ROOT / "static" / "css" / "portal.css").stat().st_size
    print(f"database: {url.split('@')[-1]}, page cache {args.cache}, {args.requests} requests per page after "
          f"{args.warmup} warm-up, signed out, no cookies\n")
    print("| page | path | median ms | p95 ms | CPU median ms | queries | HTML KB |")
    print("|---|---|---:|---:|---:|---:|---:|")
    for label, path in pages:
        result = measure(app, path, args.warmup, args.requests)
        queries = str(result["queries"]) if result["queries"] == result["queries_min"] else \
            f"{result['queries_min']}–{result['queries']}"
        print(f"| {label} | `{path}` | {result['median']:.1f} | {result['p95']:.1f} | {result['cpu']:.1f} | {queries} | "
              f"{result['bytes'] / 1024:.1f} |", flush=True)
    print(f"\nstylesheet static/css/portal.css: {css / 1024:.1f} KB; load average (1 min) at the end: "
          f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    return 0


if __name__ == "__main__":
    sys.exit(main())
