"""Second factor: a time-based one-time code (TOTP, pyotp) and ten single-use recovery codes.

A code is accepted for the time step before, at or after now (clocks drift), and only for a step
later than the last one accepted, recorded with a conditional UPDATE so that two workers cannot
both accept the same code (ASVS V6.5.1). Recovery codes come from ``secrets`` and are stored as
salted scrypt hashes (V6.5.2, V6.5.3). The functions flush and leave the commit to the caller.
"""

import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import datetime

import pyotp
import segno
from flask import current_app
from sqlalchemy import delete, or_, select, update

from portal.accounts.models import RecoveryCode, User
from portal.accounts.passwords import hash_password, verify_password
from portal.core.audit import record_event
from portal.core.db import utcnow
from portal.core.permissions import Role
from portal.extensions import db

ISSUER = "Portal de corresponsabilidad"
RECOVERY_CODE_COUNT = 10
#: Letters and digits that cannot be mistaken for one another when copied by hand.
_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
_NOT_CODE = re.compile(r"[\s-]")


def new_secret() -> str:
    """Return a random base32 TOTP secret (160 bits)."""
    return pyotp.random_base32()


def provisioning_uri(secret: str, email: str) -> str:
    """The otpauth:// address an authenticator app reads from the QR code."""
    return pyotp.TOTP(secret).provisioning_uri(name=email, issuer_name=ISSUER)


@dataclass(frozen=True)
class QrCode:
    """A QR code to draw as inline SVG in the page (no image from another host, nothing the CSP blocks)."""

    #: Width and height in modules, the quiet zone included.
    size: int
    #: SVG path data: one horizontal stroke per run of dark modules (numbers and letters only).
    path: str


def qr_code(uri: str) -> QrCode:
    """Encode ``uri`` with segno and describe its dark modules as SVG path data."""
    qr = segno.make(uri, error="m")
    border = 4
    strokes = []
    for y, row in enumerate(qr.matrix):
        x = 0
        while x < len(row):
            if row[x]:
                start = x
                while x < len(row) and row[x]:
                    x += 1
                strokes.append(f"M{start + border} {y + border + 0.5}h{x - start}")
            else:
                x += 1
    return QrCode(size=len(qr.matrix) + 2 * border, path="".join(strokes))


def _normalise(code: str) -> str:
    return _NOT_CODE.sub("", code or "").lower()


def _matching_step(secret: str, code: str, after: int | None, now: datetime | None = None) -> int | None:
    """Return the time step (now ±1) whose code is ``code`` and which is later than ``after``, or None."""
    totp = pyotp.TOTP(secret)
    current = totp.timecode(now or utcnow())
    for step in (current - 1, current, current + 1):
        if (after is None or step > after) and hmac.compare_digest(totp.generate_otp(step), code):
            return step
    return None


def verify(user: User, code: str) -> str | None:
    """Check a second-factor code; return "totp" or "recovery" when accepted (and used up), else None."""
    code = _normalise(code)
    if code.isdigit() and len(code) == 6:
        step = _matching_step(user.totp_secret, code, user.totp_last_step)
        if step is None:
            return None
        claimed = db.session.execute(
            update(User).where(User.id == user.id, or_(User.totp_last_step.is_(None), User.totp_last_step < step))
            .values(totp_last_step=step)
        )
        return "totp" if claimed.rowcount == 1 else None
    if len(code) != 12:
        return None
    unused = db.session.scalars(select(RecoveryCode).where(RecoveryCode.user_id == user.id,
                                                           RecoveryCode.used_at.is_(None)))
    for recovery in unused:
        if verify_password(recovery.code_hash, code):
            claimed = db.session.execute(
                update(RecoveryCode).where(RecoveryCode.id == recovery.id, RecoveryCode.used_at.is_(None))
                .values(used_at=utcnow())
            )
            return "recovery" if claimed.rowcount == 1 else None
    return None


def enrol(user: User, secret: str, code: str) -> list[str] | None:
    """Turn the second factor on if ``code`` matches ``secret``; return the new recovery codes, shown once."""
    step = _matching_step(secret, _normalise(code), None)
    if step is None:
        return None
    user.totp_secret = secret
    user.totp_last_step = step
    codes = _new_recovery_codes(user)
    record_event(user, "enrol_mfa", user)
    return codes


def _new_recovery_codes(user: User) -> list[str]:
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    codes = ["".join(secrets.choice(_ALPHABET) for _ in range(12)) for _ in range(RECOVERY_CODE_COUNT)]
    db.session.add_all(RecoveryCode(user_id=user.id, code_hash=hash_password(code)) for code in codes)
    return [f"{c[:4]}-{c[4:8]}-{c[8:]}" for c in codes]


def remaining_recovery_codes(user: User) -> int:
    """How many recovery codes the user has left."""
    return len(db.session.scalars(select(RecoveryCode.id).where(RecoveryCode.user_id == user.id,
                                                                 RecoveryCode.used_at.is_(None))).all())


def turn_off(actor: User, user: User) -> None:
    """Remove the second factor and its recovery codes (by its owner, or by a site admin: a reset).

    A reset by someone else also ends the person's sessions: whoever held the factor is signed out."""
    user.totp_secret = None
    user.totp_last_step = None
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    if actor.id != user.id:
        user.end_all_sessions()
    record_event(actor, "disable_mfa" if actor.id == user.id else "reset_mfa", user)


def is_required(user: User) -> bool:
    """Tell whether MFA_REQUIRED_ROLES obliges this user to enrol a second factor.

    Names: ``site_admin``, ``org_admin``, ``editor``, ``viewer``, and ``iom_editor`` (an editor or
    organisation admin of an IOM office)."""
    required = set(current_app.config["MFA_REQUIRED_ROLES"])
    if not required:
        return False
    names = {user.role}
    if user.is_site_admin:
        names.add("site_admin")
    organisation = user.organisation
    if organisation is not None and organisation.is_iom_office and user.role in (Role.EDITOR, Role.ORG_ADMIN):
        names.add("iom_editor")
    return bool(names & required)
