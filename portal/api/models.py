"""Personal access tokens: a partner's scripts read the API as their owner, read-only, until expiry or revocation."""

import hashlib
import secrets
from datetime import date, datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.core.clock import local_today
from portal.core.db import utcnow
from portal.extensions import db

#: Shown before the random part so that leaked tokens are easy to recognise (secret scanners, logs).
TOKEN_PREFIX = "pat_"


def hash_token(token: str) -> str:
    """SHA-256 of a token: the token has 256 random bits, so a fast hash is enough and lookups stay indexed."""
    return hashlib.sha256(token.encode()).hexdigest()


def new_token() -> str:
    """Return a fresh token; only its hash is stored."""
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


class ApiToken(db.Model):
    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    #: SHA-256 of the token; the token itself is shown once, at creation.
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    #: The first characters of the token, so the owner can tell tokens apart in the list.
    hint: Mapped[str] = mapped_column(String(12))
    #: The last day the token works (in the portal's time zone).
    expires_on: Mapped[date]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    revoked_at: Mapped[datetime | None]

    user = relationship("User", lazy="joined")

    def is_usable(self, today: date | None = None) -> bool:
        """Not revoked, not expired, and its owner's account still enabled."""
        today = today or local_today()
        return self.revoked_at is None and self.expires_on >= today and self.user.is_enabled
