"""Who is asking: a personal access token in ``Authorization: Bearer``, or no one. A session cookie is ignored."""

from flask import g, request
from flask_login import AnonymousUserMixin
from sqlalchemy import select

from portal.api.models import ApiToken, hash_token
from portal.api.problems import InvalidToken
from portal.extensions import db


def token_from_header() -> str | None:
    """The bearer token of the request, None without an Authorization header; 401 for any other scheme."""
    header = request.headers.get("Authorization")
    if header is None:
        return None
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise InvalidToken("Send a personal access token as 'Authorization: Bearer <token>'.")
    return token.strip()


def authenticate() -> None:
    """Set the API reader for this request: the token's owner, or an anonymous reader.

    Flask-Login keeps the request's user in ``g._login_user``; replacing it means every rule, list filter and
    header hook that reads ``current_user`` sees the token's owner, and never the user of a session cookie.
    """
    g.api_token_id = None
    if request.endpoint == "api.reference":
        return  # an HTML page of the site, read with the site's own session
    g._login_user = AnonymousUserMixin()
    raw = token_from_header()
    if raw is None:
        return
    token = db.session.scalar(select(ApiToken).where(ApiToken.token_hash == hash_token(raw)))
    if token is None or not token.is_usable():
        raise InvalidToken()
    g.api_token_id = token.id
    g._login_user = token.user


def api_reader():
    """The reader the rules are applied to (set by :func:`authenticate`)."""
    return g._login_user


def is_anonymous() -> bool:
    return not api_reader().is_authenticated
