"""Rate limits of the API: per client address for anonymous requests, per token for requests with one.

The counters live in the limiter's storage (Redis when configured), so every worker and host shares them.
A token is counted by a fingerprint of what was sent, before the database is asked, so a flood of bad
tokens is counted too without a query per request.
"""

from flask import current_app, request
from flask_limiter.util import get_remote_address

from portal.api.models import hash_token
from portal.extensions import limiter


def _sent_token() -> str | None:
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


def _token_key() -> str:
    return "token:" + hash_token(_sent_token() or "")[:32]


def limit_api(bp) -> None:
    """Attach the per-address and per-token limits to every route of the API blueprint."""
    limiter.limit(lambda: current_app.config["RATELIMIT_API_PER_ADDRESS"], key_func=get_remote_address,
                  exempt_when=lambda: _sent_token() is not None, scope="api-address")(bp)
    limiter.limit(lambda: current_app.config["RATELIMIT_API_PER_TOKEN"], key_func=_token_key,
                  exempt_when=lambda: _sent_token() is None, scope="api-token")(bp)
