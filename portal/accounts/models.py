"""User accounts, invitations, sign-ins and failed sign-in records."""

import secrets
from datetime import datetime
from enum import StrEnum

from flask_login import UserMixin
from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.core.cache_generations import unseen_by_cached_pages
from portal.core.db import TimestampMixin, VersionedMixin, utcnow
from portal.core.permissions import Role
from portal.extensions import db


def new_session_epoch() -> str:
    """Return a fresh random session epoch (128 bits)."""
    return secrets.token_hex(16)


class DigestFrequency(StrEnum):
    """How often a user receives the e-mail digest of what concerns their organisation."""

    DAILY = "daily"
    WEEKLY = "weekly"
    NEVER = "never"


class User(UserMixin, TimestampMixin, VersionedMixin, db.Model):
    __tablename__ = "users"
    __table_args__ = (
        CheckConstraint("is_site_admin OR organisation_id IS NOT NULL", name="member_or_admin"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Stored lower-cased; sign-in compares lower-cased.
    email: Mapped[str] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str | None] = mapped_column(String(256))
    #: Position or title shown beside the account (e.g. "Consular focal point").
    position: Mapped[str] = mapped_column(String(200), default="")
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"), index=True)
    role: Mapped[str] = mapped_column(String(20), default=Role.VIEWER)
    is_site_admin: Mapped[bool] = mapped_column(Boolean, default=False)
    #: Disabled accounts cannot sign in and lose their sessions at once.
    is_enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    #: Preferred interface language, or None to follow the browser.
    locale: Mapped[str | None] = mapped_column(String(5))
    #: Changes on sign-out, password change and disabling; every older session cookie stops working.
    session_epoch: Mapped[str] = mapped_column(String(32), default=new_session_epoch)
    last_login_at: Mapped[datetime | None]
    #: How often ``flask send-reminders`` mails this user a digest (see portal/followup).
    digest_frequency: Mapped[str] = mapped_column(String(10), default=DigestFrequency.WEEKLY,
                                                  server_default=DigestFrequency.WEEKLY.value)

    #: Base32 TOTP secret once a second factor is enrolled, else None (see portal/accounts/mfa.py).
    totp_secret: Mapped[str | None] = mapped_column(String(64))
    #: The last TOTP time step accepted: a code is never accepted twice (replay).
    totp_last_step: Mapped[int | None]

    organisation = relationship("Organisation", lazy="joined")

    @property
    def has_mfa(self) -> bool:
        return self.totp_secret is not None

    @property
    def is_active(self) -> bool:
        return self.is_enabled

    def get_id(self) -> str:
        return f"{self.id}:{self.session_epoch}"

    def end_all_sessions(self) -> None:
        """Invalidate every session cookie issued to this user so far."""
        self.session_epoch = new_session_epoch()

    def __repr__(self) -> str:
        return f"<User {self.id}>"


class Invitation(TimestampMixin, db.Model):
    __tablename__ = "invitations"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), index=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    role: Mapped[str] = mapped_column(String(20))
    position: Mapped[str] = mapped_column(String(200), default="")
    #: SHA-256 of the token; the token itself is only ever in the link.
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    invited_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    expires_at: Mapped[datetime]
    accepted_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]

    organisation = relationship("Organisation")
    invited_by = relationship("User", foreign_keys=[invited_by_id])

    def is_usable(self, now: datetime | None = None) -> bool:
        """Tell whether the invitation can still be accepted."""
        now = now or utcnow()
        return self.accepted_at is None and self.revoked_at is None and self.expires_at > now


class FailedLogin(db.Model):
    """One failed sign-in; counted per account and per client address over a sliding window.

    Kept in the database so that every worker sees the same count and a restart resets nothing.
    """

    __tablename__ = "failed_logins"
    __table_args__ = (
        Index("ix_failed_logins_account_at", "account", "attempted_at"),
        Index("ix_failed_logins_address_at", "address", "attempted_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: SHA-256 of the lower-cased e-mail typed, so that typos of passwords are not stored.
    account: Mapped[str] = mapped_column(String(64))
    address: Mapped[str] = mapped_column(String(64))
    attempted_at: Mapped[datetime] = mapped_column(default=utcnow)


class SignIn(db.Model):
    """One successful sign-in: shown to its owner, and what makes an address known for the account.

    The sign-in throttle lets a known address past the per-account limit, so that failures sent
    from elsewhere cannot lock the owner out.
    """

    __tablename__ = "sign_ins"
    __table_args__ = (
        Index("ix_sign_ins_user_at", "user_id", "signed_in_at"),
        Index("ix_sign_ins_user_address", "user_id", "address"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    address: Mapped[str] = mapped_column(String(64))
    #: The browser's User-Agent, cut to 200 characters, shown on the profile page.
    user_agent: Mapped[str] = mapped_column(String(200), default="")
    signed_in_at: Mapped[datetime] = mapped_column(default=utcnow)


class PasswordReset(db.Model):
    """One request for a password reset link, kept whether or not the e-mail belongs to an account.

    Every request writes the same row (for an unknown e-mail without user or token), so that
    the answer costs the same, and so that requests are counted per typed e-mail and address.
    """

    __tablename__ = "password_resets"
    __table_args__ = (
        Index("ix_password_resets_account_at", "account", "requested_at"),
        Index("ix_password_resets_address_at", "address", "requested_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: SHA-256 of the lower-cased e-mail typed (as for failed sign-ins).
    account: Mapped[str] = mapped_column(String(64))
    address: Mapped[str] = mapped_column(String(64))
    requested_at: Mapped[datetime] = mapped_column(default=utcnow)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    #: SHA-256 of the token; the token itself is only ever in the e-mailed link.
    token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    expires_at: Mapped[datetime | None]
    used_at: Mapped[datetime | None]

    user = relationship("User")

    def is_usable(self, now: datetime | None = None) -> bool:
        """Tell whether the link can still set a password."""
        return self.used_at is None and self.expires_at is not None and self.expires_at > (now or utcnow())


class RecoveryCode(db.Model):
    """A single-use recovery code for the second factor, stored as a salted scrypt hash."""

    __tablename__ = "recovery_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(String(256))
    used_at: Mapped[datetime | None]


# Sign-in bookkeeping is shown on no cached public page: writing it must not empty every page cache
# (a stream of wrong passwords would otherwise keep the public pages cold).
unseen_by_cached_pages(FailedLogin.__tablename__)
unseen_by_cached_pages(RecoveryCode.__tablename__)
unseen_by_cached_pages(PasswordReset.__tablename__)
unseen_by_cached_pages(SignIn.__tablename__)
unseen_by_cached_pages(User.__tablename__, columns={
    "password_hash", "session_epoch", "last_login_at", "locale", "digest_frequency", "updated_at", "version",
    "totp_secret", "totp_last_step"})
unseen_by_cached_pages("audit_events", rows=lambda event: event.object_type == User.__tablename__)
