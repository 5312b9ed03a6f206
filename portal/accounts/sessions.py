"""Session handling: the user loader checks the session epoch; idle sessions end."""

from datetime import datetime, timezone

from flask import Flask, current_app, session
from flask_babel import lazy_gettext as _l
from flask_login import LoginManager, current_user, logout_user

from portal.extensions import db


def load_user(session_id: str):
    """Return the user for a session id ``<user id>:<epoch>``, or None if the epoch is stale."""
    from portal.accounts.models import User

    user_id, _, epoch = session_id.partition(":")
    if not user_id.isdigit() or not epoch:
        return None
    user = db.session.get(User, int(user_id))
    if user is None or user.session_epoch != epoch or not user.is_enabled:
        return None
    return user


def configure_login(app: Flask, login_manager: LoginManager) -> None:
    """Bind Flask-Login: sign-in page, messages, loader and session timeouts."""
    login_manager.init_app(app)
    login_manager.login_view = "accounts.login"
    login_manager.login_message = _l("Please sign in to see this page.")
    login_manager.login_message_category = "info"
    # Without remember-me cookies, every session is bounded by the session lifetime.
    login_manager.session_protection = "basic"
    login_manager.user_loader(load_user)
    app.before_request(_end_idle_session)


def _end_idle_session():
    """Sign out a session idle for longer than SESSION_IDLE_TIMEOUT or older than its lifetime."""
    if not current_user.is_authenticated:
        return
    now = datetime.now(timezone.utc).timestamp()
    last_seen = session.get("seen_at", now)
    signed_in = session.get("signed_in_at", now)
    idle = current_app.config["SESSION_IDLE_TIMEOUT"].total_seconds()
    lifetime = current_app.config["PERMANENT_SESSION_LIFETIME"].total_seconds()
    if now - last_seen > idle or now - signed_in > lifetime:
        logout_user()
        session.clear()
        return
    # Refresh at most once a minute so that reads do not rewrite the cookie on every page.
    if now - last_seen > 60:
        session["seen_at"] = now
