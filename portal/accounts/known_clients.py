"""Known clients: browsers and addresses an account has signed in from before.

The sign-in throttle spares them the per-account limit (see throttle.py). A browser is known by a
signed cookie listing the accounts that signed in with it (itsdangerous, as Flask's own session);
an address by the account's recent sign-in records.
"""

from datetime import timedelta

from flask import Response, current_app, request
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy import func, select

from portal.accounts.models import SignIn, User
from portal.core.db import utcnow
from portal.extensions import db

#: Accounts remembered by one browser; the oldest is forgotten first.
MAX_ACCOUNTS_PER_BROWSER = 5


def cookie_name() -> str:
    """The device cookie's name: ``__Host-`` prefixed (Secure, no Domain) in production."""
    return "__Host-device" if current_app.config["IS_PRODUCTION"] else "portal_device"


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="portal.known-device")


def _known_days() -> timedelta:
    return timedelta(days=current_app.config["LOGIN_KNOWN_CLIENT_DAYS"])


def browser_accounts() -> list[int]:
    """Return the account ids this browser's device cookie vouches for (empty if none or forged)."""
    raw = request.cookies.get(cookie_name())
    if not raw:
        return []
    try:
        ids = _serializer().loads(raw, max_age=int(_known_days().total_seconds()))
    except BadSignature:
        return []
    return [i for i in ids if isinstance(i, int)] if isinstance(ids, list) else []


def is_known_client(email: str, address: str) -> bool:
    """Tell whether the account with ``email`` signed in before from this browser or this address."""
    user_id = db.session.scalar(select(User.id).where(func.lower(User.email) == email.strip().lower()))
    if user_id is None:
        return False
    if user_id in browser_accounts():
        return True
    since = utcnow() - _known_days()
    return db.session.scalar(
        select(SignIn.id).where(SignIn.user_id == user_id, SignIn.address == address, SignIn.signed_in_at > since)
        .limit(1)
    ) is not None


def remember_browser(response: Response, user_id: int) -> None:
    """Add the account to this browser's device cookie."""
    ids = [i for i in browser_accounts() if i != user_id][-(MAX_ACCOUNTS_PER_BROWSER - 1):] + [user_id]
    response.set_cookie(
        cookie_name(), _serializer().dumps(ids), max_age=int(_known_days().total_seconds()), path="/",
        secure=current_app.config["IS_PRODUCTION"], httponly=True, samesite="Lax",
    )


def recent_sign_ins(user_id: int, limit: int = 10) -> list[SignIn]:
    """The account's latest successful sign-ins, newest first, for its owner to check."""
    return db.session.scalars(
        select(SignIn).where(SignIn.user_id == user_id).order_by(SignIn.signed_in_at.desc(), SignIn.id.desc())
        .limit(limit)
    ).all()


def record_sign_in(user_id: int, address: str) -> None:
    """Keep a successful sign-in (no commit); records older than LOGIN_KNOWN_CLIENT_DAYS are dropped."""
    agent = (request.user_agent.string or "")[:200]
    db.session.add(SignIn(user_id=user_id, address=address, user_agent=agent))
    db.session.execute(
        SignIn.__table__.delete().where(SignIn.user_id == user_id, SignIn.signed_in_at <= utcnow() - _known_days())
    )
