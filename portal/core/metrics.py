"""Prometheus metrics at /metrics and one JSON line per request on the ``portal.request`` logger.

Metrics: requests and their latency by route, method and status; database errors (the 503s of
portal/core/degrade.py) by kind; page cache lookups by result; mails by outcome. Under gunicorn each
worker counts on its own: with PROMETHEUS_MULTIPROC_DIR set (see deploy/gunicorn.conf.py), the workers
write their counts there and /metrics adds them up (prometheus_client's multiprocess mode).

/metrics answers only the addresses in METRICS_ALLOWED_ADDRESSES, or a request carrying
``Authorization: Bearer <METRICS_TOKEN>``; anyone else gets 404, as for a page that is not there.
"""

import hmac
import logging
import os
import re
import time

from flask import Flask, abort, current_app, g, request
from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, CollectorRegistry, Counter, Histogram, generate_latest

from portal.core.security_log import json_handler, request_id

REQUESTS = Counter("portal_requests_total", "Requests answered.", ["route", "method", "status"])
LATENCY = Histogram("portal_request_duration_seconds", "Time to answer a request.", ["route", "method", "status"],
                    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30))
DATABASE_ERRORS = Counter("portal_database_errors_total", "Requests the database could not serve (503).", ["kind"])
CACHE_LOOKUPS = Counter("portal_page_cache_lookups_total", "Public page cache lookups.", ["result"])
MAILS = Counter("portal_mails_total", "Mails handed to the SMTP server, or that failed.", ["outcome"])

request_log = logging.getLogger("portal.request")
_SAFE_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


def count_database_error(kind: str) -> None:
    DATABASE_ERRORS.labels(kind).inc()


def count_cache_lookup(hit: bool) -> None:
    CACHE_LOOKUPS.labels("hit" if hit else "miss").inc()


def count_mail(sent: bool) -> None:
    MAILS.labels("sent" if sent else "failed").inc()


def configure_metrics(app: Flask) -> None:
    """Time and log every request, count it, and serve /metrics."""
    if app.config["REQUEST_LOG"] and not any(getattr(h, "portal_security", False) for h in request_log.handlers):
        request_log.addHandler(json_handler())
        request_log.setLevel(logging.INFO)
        request_log.propagate = False
    # First of all hooks, so that the time includes the others and the incoming id is taken before any use.
    app.before_request_funcs.setdefault(None, []).insert(0, _start)
    app.after_request(_finish)
    app.add_url_rule("/metrics", "metrics", metrics)
    metrics.access = "public"  # guarded by address or token below, not by sign-in


def _start():
    g.request_started = time.perf_counter()
    incoming = request.headers.get("X-Request-ID", "")
    if _SAFE_REQUEST_ID.match(incoming) and "request_id" not in g:
        g.request_id = incoming  # a proxy's id, so one request can be followed through every log


def _finish(response):
    started = g.pop("request_started", None)
    duration = time.perf_counter() - started if started is not None else 0.0
    route = request.url_rule.rule if request.url_rule is not None else "(unmatched)"
    status = str(response.status_code)
    REQUESTS.labels(route, request.method, status).inc()
    LATENCY.labels(route, request.method, status).observe(duration)
    if current_app.config["REQUEST_LOG"]:
        request_log.info("request", extra={
            "request_id": request_id(), "method": request.method, "route": route, "path": _loggable_path(),
            "status": response.status_code, "duration_ms": round(duration * 1000, 1), "user_id": _user_id(),
        })
    return response


def _loggable_path() -> str:
    # A path carrying a secret (a reset or invitation link) is logged as its route pattern.
    if request.url_rule is not None and "token" in (request.view_args or {}):
        return request.url_rule.rule
    return request.path


def _user_id():
    # Only a user already loaded: logging must not query a database that may be failing.
    user = g.get("_login_user")
    return getattr(user, "id", None) if user is not None and user.is_authenticated else None


def metrics():
    """Prometheus metrics of every worker, for the configured addresses or the metrics token."""
    if not _may_read_metrics():
        abort(404)
    registry = REGISTRY
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
    return generate_latest(registry), 200, {"Content-Type": CONTENT_TYPE_LATEST, "Cache-Control": "no-store"}


def _may_read_metrics() -> bool:
    token = current_app.config.get("METRICS_TOKEN")
    sent = request.headers.get("Authorization", "")
    if token and sent.startswith("Bearer ") and hmac.compare_digest(sent[7:].encode(), token.encode()):
        return True
    return request.remote_addr in current_app.config["METRICS_ALLOWED_ADDRESSES"]
