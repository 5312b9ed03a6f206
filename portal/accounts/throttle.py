"""Sign-in throttling that slows an attacker without locking the owner out (ASVS V6.1.1, V6.3.1).

Failures are counted in the database, so every gunicorn worker sees the same numbers and a
restart forgets nothing. Three limits apply over LOGIN_THROTTLE_WINDOW:

- per client address, whatever the account (one address guessing many accounts);
- per account *and* address (one address guessing one account);
- per account from every address, but only for a client the account does not know. A client is
  known when its browser carries the account's signed device cookie, or when the account signed
  in successfully from its address within LOGIN_KNOWN_CLIENT_DAYS. So failures sent from other
  addresses (someone who knows an e-mail address) slow every stranger down, yet the owner signing
  in from their usual browser or office is never refused because of them.

A refused attempt answers 429 with Retry-After: the time until the oldest counted failure leaves
the window. Nothing is ever locked for longer than the window.
"""

import hashlib
import math
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import and_, delete, func, select

from portal.accounts.models import FailedLogin
from portal.core.db import utcnow
from portal.extensions import db


def account_key(email: str) -> str:
    """Return the key under which failures for a typed e-mail are counted."""
    return hashlib.sha256(email.strip().lower().encode()).hexdigest()


def seconds_until_allowed(email: str, address: str, known_client: bool, now: datetime | None = None) -> int:
    """Return 0 if a sign-in may be tried, else how many seconds to wait."""
    config = current_app.config
    now = now or utcnow()
    window = config["LOGIN_THROTTLE_WINDOW"]
    key = account_key(email)
    rules = [
        (FailedLogin.address == address, config["LOGIN_THROTTLE_PER_ADDRESS"]),
        (and_(FailedLogin.account == key, FailedLogin.address == address), config["LOGIN_THROTTLE_PER_PAIR"]),
    ]
    if not known_client:
        rules.append((FailedLogin.account == key, config["LOGIN_THROTTLE_PER_ACCOUNT"]))
    return seconds_until_below(FailedLogin.attempted_at, rules, window, now)


def seconds_until_below(time_column, rules, window: timedelta, now: datetime) -> int:
    """Return 0 if every (condition, limit) rule counts fewer than ``limit`` rows in the window, else
    the seconds until they all do: the time until the oldest row still counted leaves the window."""
    waits = [0.0]
    for condition, limit in rules:
        recent = select(time_column).where(condition, time_column > now - window)
        count = db.session.scalar(select(func.count()).select_from(recent.subquery()))
        if count >= limit:
            oldest = db.session.scalar(recent.order_by(time_column).offset(count - limit).limit(1))
            waits.append((oldest + window - now).total_seconds())
    longest = max(waits)
    return max(1, math.ceil(longest)) if longest > 0 else 0


def record_failure(email: str, address: str) -> None:
    """Count one failed sign-in (no commit)."""
    db.session.add(FailedLogin(account=account_key(email), address=address))


def clear_failures(email: str, address: str) -> None:
    """Forget this account's failures from this address after a successful sign-in (no commit)."""
    db.session.execute(
        delete(FailedLogin).where(FailedLogin.account == account_key(email), FailedLogin.address == address)
    )


def forget_account_failures(email: str) -> None:
    """Forget every failure counted for this account, from any address (no commit).

    Used once the owner proved they hold the mailbox (a reset link): whoever typed those
    passwords, the owner must not then wait for the window to pass.
    """
    db.session.execute(delete(FailedLogin).where(FailedLogin.account == account_key(email)))


def prune_failures(now: datetime | None = None) -> None:
    """Drop failures older than the window (no commit)."""
    since = (now or utcnow()) - current_app.config["LOGIN_THROTTLE_WINDOW"]
    db.session.execute(delete(FailedLogin).where(FailedLogin.attempted_at <= since))
