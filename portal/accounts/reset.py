"""Forgotten passwords: a single-use link by e-mail, stored hashed, valid for PASSWORD_RESET_LIFETIME.

Every request writes one row, whether the e-mail belongs to an enabled account, a disabled one
or none, so the answer is the same in words and close to it in time; the mail itself leaves from
a thread (see portal.core.mail.send_in_background). The functions flush and leave the commit to
the caller.
"""

import secrets
from dataclasses import dataclass
from datetime import timedelta

from flask import current_app
from sqlalchemy import select, update

from portal.accounts import throttle
from portal.accounts.models import PasswordReset, User
from portal.accounts.passwords import hash_password
from portal.accounts.service import find_user_by_email, token_digest
from portal.core.audit import record_event
from portal.core.db import utcnow
from portal.extensions import db

WINDOW = timedelta(hours=1)


def seconds_until_allowed(email: str, address: str) -> int:
    """Return 0 if a reset may be requested for this typed e-mail from this address, else seconds to wait."""
    config = current_app.config
    rules = [
        (PasswordReset.account == throttle.account_key(email), config["PASSWORD_RESET_PER_ACCOUNT"]),
        (PasswordReset.address == address, config["PASSWORD_RESET_PER_ADDRESS"]),
    ]
    return throttle.seconds_until_below(PasswordReset.requested_at, rules, WINDOW, utcnow())


@dataclass
class IssuedReset:
    user: User
    #: The secret part of the link: e-mailed, never stored.
    token: str


def request_reset(email: str, address: str) -> IssuedReset | None:
    """Record a reset request; return the link's token when the e-mail belongs to an enabled account."""
    user = find_user_by_email(email)
    token = secrets.token_urlsafe(32)
    issue = user is not None and user.is_enabled
    now = utcnow()
    db.session.add(PasswordReset(
        account=throttle.account_key(email),
        address=address,
        requested_at=now,
        user_id=user.id if issue else None,
        token_hash=token_digest(token) if issue else None,
        expires_at=now + current_app.config["PASSWORD_RESET_LIFETIME"] if issue else None,
    ))
    db.session.flush()
    return IssuedReset(user, token) if issue else None


def find_reset(token: str) -> PasswordReset | None:
    """Return the usable reset behind a link token (unused, unexpired, enabled account), or None."""
    if not token or len(token) > 100:
        return None
    reset = db.session.scalar(select(PasswordReset).where(PasswordReset.token_hash == token_digest(token)))
    if reset is None or not reset.is_usable() or not reset.user.is_enabled:
        return None
    return reset


def complete_reset(reset: PasswordReset, new_password: str) -> User:
    """Set the new password, end every session, and use up every open link of the account."""
    user = reset.user
    user.password_hash = hash_password(new_password)
    user.end_all_sessions()
    db.session.execute(
        update(PasswordReset)
        .where(PasswordReset.user_id == user.id, PasswordReset.used_at.is_(None))
        .values(used_at=utcnow())
    )
    throttle.forget_account_failures(user.email)
    record_event(user, "reset_password", user)
    return user
