"""Security headers, proxy handling, caching rules and safe redirects."""

import re
from urllib.parse import unquote, urlsplit

from flask import Flask, abort, request
from flask_login import current_user
from flask_talisman import Talisman
from werkzeug.middleware.proxy_fix import ProxyFix

CONTENT_SECURITY_POLICY = {
    "default-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'none'",
    "frame-ancestors": "'none'",
    "form-action": "'self'",
}
_CONTROL_OR_SPACE = re.compile(r"[\x00-\x20\x7f]")
_LOCAL_PATH = re.compile(r"^/(?![/\\])[^\\]*$")


class PortalTalisman(Talisman):
    """Talisman, except that a view may send a stricter Referrer-Policy or CSP of its own.

    Pages whose URL carries a secret (invitation links) send ``no-referrer``; file downloads
    send a sandboxing policy.
    """

    def _set_referrer_policy_headers(self, headers):
        headers.setdefault("Referrer-Policy", self.referrer_policy)

    def _set_content_security_policy_headers(self, headers, options):
        # File downloads send a stricter policy of their own (default-src 'none'; sandbox).
        own_policy = headers.get("Content-Security-Policy")
        super()._set_content_security_policy_headers(headers, options)
        if own_policy:
            headers["Content-Security-Policy"] = own_policy


def configure_security(app: Flask) -> None:
    """Install the security headers, ProxyFix and the no-store rule for signed-in users."""
    production = app.config["IS_PRODUCTION"]
    PortalTalisman(
        app,
        force_https=app.config["FORCE_HTTPS"],
        strict_transport_security=production,
        strict_transport_security_max_age=31536000,
        session_cookie_secure=production,
        session_cookie_http_only=True,
        content_security_policy=CONTENT_SECURITY_POLICY,
        referrer_policy="strict-origin-when-cross-origin",
        frame_options="DENY",
    )
    if app.config["PROXY_COUNT"]:
        count = app.config["PROXY_COUNT"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count, x_host=count)
    app.before_request(_refuse_nul_bytes)
    app.after_request(_no_store_for_signed_in)


def _refuse_nul_bytes():
    """Refuse NUL bytes in the query string: no field needs one and PostgreSQL cannot store them."""
    if any("\x00" in value for value in request.args.values()):
        abort(400)


def _no_store_for_signed_in(response):
    """Keep pages seen by signed-in users out of every cache."""
    response.vary.add("Cookie")
    if current_user and current_user.is_authenticated:
        response.headers["Cache-Control"] = "no-store, private"
    return response


def from_this_site() -> bool:
    """Whether a POST comes from one of the portal's own pages, by the headers every current browser sends
    with a form: ``Sec-Fetch-Site: same-origin``, or else an ``Origin`` equal to the portal's own.

    The CSRF defence of the one form that carries no token (the language switch, on every public page, so that
    a first-time reader gets a page without a session); a request with neither header is refused.
    """
    site = request.headers.get("Sec-Fetch-Site")
    if site is not None:
        return site == "same-origin"
    origin = request.headers.get("Origin")
    return origin is not None and origin.rstrip("/") == request.host_url.rstrip("/")


def safe_next_url(raw: str | None) -> str | None:
    """Return ``raw`` if it is a path on this site, otherwise None.

    Browsers drop tabs and newlines from URLs and treat a backslash like a slash, so
    those are removed or refused before the check, not after.
    """
    if not raw:
        return None
    value = _CONTROL_OR_SPACE.sub("", raw)
    # Check the decoded form too: a proxy or a later redirect might decode "%2F" or "%5C".
    for candidate in (value, _CONTROL_OR_SPACE.sub("", unquote(value))):
        parts = urlsplit(candidate)
        if parts.scheme or parts.netloc or not _LOCAL_PATH.match(candidate):
            return None
    return value


def client_address() -> str:
    """Return the client's address as seen after ProxyFix."""
    return request.remote_addr or "unknown"
