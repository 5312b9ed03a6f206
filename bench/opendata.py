"""Open data at scale: the API's first and a deep page, and the full exports (time and memory).

    .venv/bin/python bench/opendata.py /tmp/portal-bench/big.sqlite3
    .venv/bin/python bench/opendata.py postgresql+psycopg://postgres@127.0.0.1:5432/perf_bench

Run on a database made by ``bench/generate.py`` (it adds one personal access token to it). In process,
through the Flask test client:

- ``/api/v1/commitments`` (50 items) anonymously and with a token of an IOM editor (who sees the partners'
  commitments too): the first page, and a deep page (a cursor 95 % of the way through the ids); the median
  and 95th percentile of ``--requests`` requests after ``--warmup``.
- ``/commitments.csv``, ``/commitments.xlsx`` (every public commitment) and ``/actions/iati.xml`` (every
  public joint action), each read to the end chunk by chunk without keeping it: the wall time, the bytes,
  and the growth of this process's resident memory (VmRSS sampled every 10 ms) over its RSS before.
"""

import argparse
import os
import statistics
import sys
import tempfile
import threading
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import func, select  # noqa: E402


def database_url(target: str) -> str:
    return target if "://" in target else f"sqlite:///{Path(target).resolve()}"


def make_app(url: str):
    os.environ.setdefault("PORTAL_INSTANCE_PATH", tempfile.mkdtemp(prefix="portal-bench-"))
    from portal import create_app

    return create_app({"ENVIRONMENT": "testing", "SECRET_KEY": "bench-secret-key-long-enough-for-the-checks-2026",
                       "SQLALCHEMY_DATABASE_URI": url, "PAGE_CACHE_SECONDS": 0,
                       "RATELIMIT_API_PER_ADDRESS": "1000000 per minute",
                       "RATELIMIT_API_PER_TOKEN": "1000000 per minute"})


def rss_mb() -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def setup(app) -> tuple[str, int]:
    """A token of an IOM office's editor, and the cursor of a page 95 % of the way through the public ids."""
    from portal.accounts.models import User
    from portal.api.models import ApiToken, hash_token, new_token
    from portal.commitments.models import Commitment
    from portal.core.clock import local_today
    from portal.extensions import db
    from portal.organisations.models import Organisation

    with app.app_context():
        user = db.session.scalars(select(User).join(Organisation, Organisation.id == User.organisation_id)
                                  .where(Organisation.kind == "iom_office", User.role == "editor").limit(1)).one()
        raw = new_token()
        db.session.add(ApiToken(user_id=user.id, name="bench", token_hash=hash_token(raw), hint=raw[:8],
                                expires_on=local_today() + timedelta(days=1)))
        public = select(Commitment.id).where(Commitment.visibility == "public", Commitment.is_archived.is_(False))
        total = db.session.scalar(select(func.count()).select_from(public.subquery()))
        deep = db.session.scalar(public.order_by(Commitment.id).offset(int(total * 0.95)).limit(1))
        db.session.commit()
    return raw, deep


def time_api(client, url: str, headers: dict, warmup: int, requests: int) -> dict:
    for _ in range(warmup):
        assert client.get(url, headers=headers).status_code == 200
    times = []
    for _ in range(requests):
        started = time.perf_counter()
        response = client.get(url, headers=headers)
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200 and len(response.json["items"]) == 50, url
    times.sort()
    return {"p50": statistics.median(times), "p95": times[int(len(times) * 0.95) - 1]}


def read_export(client, url: str) -> dict:
    """Read the whole download without keeping it, sampling this process's RSS meanwhile."""
    before = rss_mb()
    peak = [before]
    done = threading.Event()

    def sample():
        while not done.is_set():
            peak[0] = max(peak[0], rss_mb())
            time.sleep(0.01)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    started = time.perf_counter()
    response = client.get(url, buffered=False)
    size = 0
    for chunk in response.response:
        size += len(chunk)
    response.close()
    seconds = time.perf_counter() - started
    done.set()
    sampler.join()
    assert response.status_code == 200, url
    return {"seconds": seconds, "mb": size / 1e6, "rss_before": before, "rss_growth": peak[0] - before}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("target", help="SQLite file path or PostgreSQL URL of a generated database")
    parser.add_argument("--requests", type=int, default=40)
    parser.add_argument("--warmup", type=int, default=3)
    args = parser.parse_args(argv)
    app = make_app(database_url(args.target))
    token, deep = setup(app)
    client = app.test_client()
    print(f"{'API request':<52} {'p50 ms':>8} {'p95 ms':>8}")
    for who, headers in (("anonymous", {}), ("token (IOM editor)", {"Authorization": f"Bearer {token}"})):
        for page, url in (("first page", "/api/v1/commitments"),
                          ("deep page (95 %)", f"/api/v1/commitments?cursor={deep}")):
            figures = time_api(client, url, headers, args.warmup, args.requests)
            print(f"{who + ', ' + page:<52} {figures['p50']:>8.1f} {figures['p95']:>8.1f}")
    print(f"\n{'export (anonymous)':<30} {'seconds':>8} {'MB':>8} {'RSS before MB':>14} {'RSS growth MB':>14}")
    for url in ("/commitments.csv", "/commitments.xlsx", "/actions/iati.xml", "/actions.csv"):
        figures = read_export(client, url)
        print(f"{url:<30} {figures['seconds']:>8.1f} {figures['mb']:>8.1f} {figures['rss_before']:>14.0f} "
              f"{figures['rss_growth']:>14.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
