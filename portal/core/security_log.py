"""Security events as JSON lines on the ``portal.security`` logger (python-json-logger), to standard error.

Each event carries the request id (also sent back as ``X-Request-ID``), the user and organisation,
the client address and the path; callers add what the event needs and never a password, token or
code. JSON encoding keeps any newline or control character typed by a user inside its string, so
input cannot forge a second entry.
"""

import logging
import sys
import uuid

from flask import Flask, g, has_request_context, request
from flask_login import current_user
from pythonjsonlogger.json import JsonFormatter

log = logging.getLogger("portal.security")


def json_handler(stream=None) -> logging.Handler:
    """A handler writing one JSON object per line to ``stream`` (standard error by default)."""
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(JsonFormatter(
        "{asctime}{levelname}{name}{message}", style="{", datefmt="%Y-%m-%dT%H:%M:%S%z",
        rename_fields={"asctime": "time", "levelname": "level", "name": "logger"},
    ))
    handler.portal_security = True
    return handler


def configure_security_log(app: Flask) -> None:
    """Send ``portal.security`` to standard error as JSON lines (once per process) and number requests."""
    if not any(getattr(h, "portal_security", False) for h in log.handlers):
        log.addHandler(json_handler())
        log.setLevel(logging.INFO)
        # The root logger (gunicorn's, Flask's) would print each event a second time as plain text.
        log.propagate = False
    app.after_request(_send_request_id)


def request_id() -> str:
    """This request's id, made on first use (CSRF checks run before any other hook)."""
    if "request_id" not in g:
        g.request_id = uuid.uuid4().hex
    return g.request_id


def _send_request_id(response):
    response.headers["X-Request-ID"] = request_id()
    return response


def security_event(event: str, *, user=None, level: int = logging.INFO, **fields) -> None:
    """Emit one security event; ``user`` defaults to the signed-in user, if any."""
    if user is None and has_request_context() and current_user and current_user.is_authenticated:
        user = current_user
    context = {}
    if has_request_context():
        # A path carrying a secret (a reset or invitation link) is logged as its route pattern.
        secret_path = request.url_rule is not None and "token" in (request.view_args or {})
        context = {"request_id": request_id(), "client_address": request.remote_addr or "unknown",
                   "path": request.url_rule.rule if secret_path else request.path,
                   "user_agent": (request.user_agent.string or "")[:200]}
    log.log(level, event, extra={
        "event": event, **context,
        "user_id": getattr(user, "id", None), "organisation_id": getattr(user, "organisation_id", None),
        **fields,
    })
