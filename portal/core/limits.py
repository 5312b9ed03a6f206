"""Limits on costly actions (invitations, reset requests, update requests, uploads, exports), with Flask-Limiter.

The counts live in Redis when REDIS_URL is set, so every worker and server shares them; without it
they live in each worker's memory, which suits the single-process development server. Every limited
endpoint is named here, in one place, with its limit from RATE_LIMITS; a refused request answers 429
with Retry-After and the error page in the reader's language (portal.core.errors).
"""

from flask import Flask, request
from flask_limiter import Limiter
from flask_login import current_user

#: Endpoint -> (name of its limit in RATE_LIMITS, HTTP methods counted).
COSTLY_ACTIONS = {
    "people.invite": ("invitations", ["POST"]),
    "accounts.request_reset": ("reset_requests", ["POST"]),
    "followup.request_commitment_update": ("update_requests", ["POST"]),
    "followup.request_party_update": ("update_requests", ["POST"]),
    "commitments.report": ("uploads", ["POST"]),
    "joint_actions.report": ("uploads", ["POST"]),
    "minutes.attach": ("uploads", ["POST"]),
    "followup.board_csv": ("exports", ["GET"]),
}


def on_unlimited_page() -> bool:
    """A GET of a page no limit applies to (the public pages the page cache keeps, static files): the limiter
    need not look for limits, which costs as much as serving the page from the cache."""
    from portal.core.cache import CACHED_ENDPOINTS

    return request.method == "GET" and (request.endpoint in CACHED_ENDPOINTS or request.endpoint == "static")


def skip_unlimited_pages(limiter: Limiter) -> None:
    """Have ``limiter`` pass over ``on_unlimited_page`` requests (once per limiter, which tests share)."""
    if on_unlimited_page not in limiter._request_filters:
        limiter.request_filter(on_unlimited_page)


def requester() -> str:
    """Count per signed-in account, else per client address."""
    if current_user and current_user.is_authenticated:
        return f"user:{current_user.id}"
    return f"address:{request.remote_addr or 'unknown'}"


def configure_limits(app: Flask) -> Limiter:
    """Create this app's limiter (Redis or memory) and put each costly endpoint under its limit."""
    limiter = Limiter(
        requester,
        storage_uri=app.config.get("REDIS_URL") or "memory://",
        key_prefix=app.config["RATE_LIMIT_KEY_PREFIX"],
        headers_enabled=True,
        strategy="moving-window",
        # If Redis is unreachable, count in memory meanwhile rather than fail the request.
        in_memory_fallback_enabled=True,
    )
    limiter.init_app(app)
    skip_unlimited_pages(limiter)
    # Kept on the app: the wrapped views hold the limiter only by a weak reference, and with
    # RATELIMIT_ENABLED off Flask-Limiter keeps none of its own, so it would be collected and every
    # costly view would fail.
    app.extensions["costly_actions_limiter"] = limiter
    limits = app.config["RATE_LIMITS"]
    for endpoint, (name, methods) in COSTLY_ACTIONS.items():
        # Each limit is shared by the endpoints of its kind (scope), e.g. all three upload forms.
        decorate = limiter.shared_limit(limits[name], scope=name, methods=methods)
        app.view_functions[endpoint] = decorate(app.view_functions[endpoint])
    return limiter
