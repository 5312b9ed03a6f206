"""Sign-in throttling, per account and per client address, counted in the database.

Counting in the database means every gunicorn worker sees the same numbers and a restart
forgets nothing. Failures expire after LOGIN_THROTTLE_WINDOW, so a real user locked out by
someone else's attempts gets back in once the window has passed.
"""

import hashlib
import math
from datetime import datetime

from flask import current_app
from sqlalchemy import delete, func, select

from portal.accounts.models import FailedLogin
from portal.core.db import utcnow
from portal.extensions import db


def account_key(email: str) -> str:
    """Return the key under which failures for a typed e-mail are counted."""
    return hashlib.sha256(email.strip().lower().encode()).hexdigest()


def seconds_until_allowed(email: str, address: str, now: datetime | None = None) -> int:
    """Return 0 if a sign-in may be tried, else how many seconds to wait."""
    now = now or utcnow()
    window = current_app.config["LOGIN_THROTTLE_WINDOW"]
    since = now - window
    waits = []
    for column, value, limit in (
        (FailedLogin.account, account_key(email), current_app.config["LOGIN_THROTTLE_PER_ACCOUNT"]),
        (FailedLogin.address, address, current_app.config["LOGIN_THROTTLE_PER_ADDRESS"]),
    ):
        recent = select(FailedLogin.attempted_at).where(column == value, FailedLogin.attempted_at > since)
        count = db.session.scalar(select(func.count()).select_from(recent.subquery()))
        if count >= limit:
            # The oldest failure still counted leaves the window first.
            oldest = db.session.scalar(recent.order_by(FailedLogin.attempted_at).offset(count - limit))
            waits.append((oldest + window - now).total_seconds())
    return max(1, math.ceil(max(waits))) if waits else 0


def record_failure(email: str, address: str) -> None:
    """Count one failed sign-in (no commit)."""
    db.session.add(FailedLogin(account=account_key(email), address=address))


def clear_failures(email: str, address: str) -> None:
    """Forget this account's failures from this address after a successful sign-in (no commit)."""
    db.session.execute(
        delete(FailedLogin).where(FailedLogin.account == account_key(email), FailedLogin.address == address)
    )


def prune_failures(now: datetime | None = None) -> None:
    """Drop failures older than the window (no commit)."""
    since = (now or utcnow()) - current_app.config["LOGIN_THROTTLE_WINDOW"]
    db.session.execute(delete(FailedLogin).where(FailedLogin.attempted_at <= since))
