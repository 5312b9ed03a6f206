"""Account operations. They flush, write the audit trail, and leave the commit to the caller."""

import hashlib
import secrets
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import func, select, update

from portal.accounts.models import Invitation, User, new_session_epoch
from portal.accounts.passwords import hash_password, verify_password
from portal.core.audit import record_event
from portal.core.db import utcnow
from portal.extensions import db


def find_user_by_email(email: str) -> User | None:
    """Return the account with this e-mail (case-insensitive), or None."""
    return db.session.scalar(select(User).where(func.lower(User.email) == email.strip().lower()))


def authenticate(email: str, password: str) -> User | None:
    """Return the enabled user whose password matches, or None; unknown accounts cost the same time."""
    user = find_user_by_email(email)
    valid = verify_password(user.password_hash if user else None, password)
    if user is None or not valid or not user.is_enabled:
        return None
    return user


def note_sign_in(user: User) -> None:
    """Record a successful sign-in.

    The time is written with a plain UPDATE, outside the account's optimistic lock: two
    sign-ins at once must not collide, and an administrator's open edit of the account
    must not become outdated because its owner signed in.
    """
    db.session.execute(update(User).where(User.id == user.id).values(last_login_at=utcnow()))
    record_event(user, "sign_in", user)


def sign_out_everywhere(user: User) -> None:
    """End every session of this user, this one included (a plain UPDATE, like note_sign_in)."""
    db.session.execute(update(User).where(User.id == user.id).values(session_epoch=new_session_epoch()))


def change_password(user: User, new_password: str) -> None:
    """Set a new password and end every other session of the user."""
    user.password_hash = hash_password(new_password)
    user.end_all_sessions()
    record_event(user, "change_password", user)


def set_enabled(actor: User, user: User, enabled: bool) -> None:
    """Enable or disable an account; disabling ends its sessions at once."""
    user.is_enabled = enabled
    if not enabled:
        user.end_all_sessions()
    record_event(actor, "enable_user" if enabled else "disable_user", user)


def token_digest(token: str) -> str:
    """Return the stored form of an invitation token."""
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass
class IssuedInvitation:
    invitation: Invitation
    #: The secret part of the link; shown once to the inviter and e-mailed, never stored.
    token: str


def create_invitation(actor: User, email: str, organisation_id: int, role: str, position: str) -> IssuedInvitation:
    """Create a single-use invitation that expires after INVITATION_LIFETIME."""
    token = secrets.token_urlsafe(32)
    invitation = Invitation(
        email=email.strip().lower(),
        organisation_id=organisation_id,
        role=role,
        position=position,
        token_hash=token_digest(token),
        invited_by_id=actor.id,
        expires_at=utcnow() + current_app.config["INVITATION_LIFETIME"],
    )
    db.session.add(invitation)
    db.session.flush()
    record_event(actor, "invite", invitation, {"email": invitation.email, "role": role})
    return IssuedInvitation(invitation, token)


def find_invitation(token: str) -> Invitation | None:
    """Return the invitation behind a link token, whatever its state."""
    if not token or len(token) > 100:
        return None
    return db.session.scalar(select(Invitation).where(Invitation.token_hash == token_digest(token)))


def accept_invitation(invitation: Invitation, password: str) -> User:
    """Create the invited account with its password and use up the invitation."""
    user = User(
        email=invitation.email,
        organisation_id=invitation.organisation_id,
        role=invitation.role,
        position=invitation.position,
        password_hash=hash_password(password),
    )
    db.session.add(user)
    invitation.accepted_at = utcnow()
    db.session.flush()
    record_event(user, "accept_invitation", user, {"invitation": invitation.id})
    return user
