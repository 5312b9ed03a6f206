"""Second factor: the code step of signing in, and enrolling or turning off the authenticator app."""

import logging

from flask import abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from portal.accounts import known_clients, mfa, throttle
from portal.accounts.forms import CodeForm, EnrolForm
from portal.accounts.models import User
from portal.accounts.passwords import verify_password
from portal.accounts.routes import bp, complete_sign_in, throttled_page
from portal.core.db import utcnow
from portal.core.permissions import login_required, public
from portal.core.security import client_address
from portal.core.security_log import security_event
from portal.extensions import db


def _pending_user() -> User | None:
    """The user whose password was accepted in this session and who still owes a code, or None."""
    pending = session.get("mfa_pending")
    if not isinstance(pending, dict):
        return None
    lifetime = current_app.config["MFA_STEP_LIFETIME"].total_seconds()
    user = db.session.get(User, pending.get("user", 0))
    if (utcnow().timestamp() - pending.get("at", 0) > lifetime or user is None or not user.is_enabled
            or user.session_epoch != pending.get("epoch") or not user.has_mfa):
        return None
    return user


@bp.route("/login/code", methods=["GET", "POST"])
@public
def login_code():
    """Second sign-in step: a code from the authenticator app or a recovery code."""
    user = _pending_user()
    if user is None:
        session.pop("mfa_pending", None)
        flash(_("Sign in again: the time for the code has run out."), "info")
        return redirect(url_for("accounts.login"), code=303)
    form = CodeForm()
    if not form.validate_on_submit():
        return render_template("accounts/login_code.html", form=form)
    address = client_address()
    wait = throttle.seconds_until_allowed(user.email, address, known_clients.is_known_client(user.email, address))
    if wait:
        security_event("second_factor.throttled", user=user, level=logging.WARNING, retry_after=wait)
        return throttled_page(wait, "accounts/login_code.html", form=form)
    used = mfa.verify(user, form.code.data)
    if used is None:
        throttle.record_failure(user.email, address)
        db.session.commit()
        security_event("second_factor.failed", user=user, level=logging.WARNING)
        form.code.errors = [_("This code is not right, or has already been used.")]
        return render_template("accounts/login_code.html", form=form)
    security_event("second_factor.used", user=user, kind=used)
    response = complete_sign_in(user, address, session["mfa_pending"].get("next"))
    if used == "recovery":  # after the new session began, which starts empty
        left = mfa.remaining_recovery_codes(user)
        flash(ngettext("You signed in with a recovery code. %(num)d code is left.",
                       "You signed in with a recovery code. %(num)d codes are left.", left), "info")
    return response


@bp.route("/mfa", methods=["GET", "POST"])
@login_required
def mfa_settings():
    """Enrol an authenticator app (secret as text and QR code, confirmed with a code), or see its state."""
    user = current_user._get_current_object()
    if user.has_mfa:
        return render_template("accounts/mfa_on.html", form=CodeForm(), required=mfa.is_required(user),
                               remaining=mfa.remaining_recovery_codes(user))
    secret = session.get("mfa_enrol_secret") or mfa.new_secret()
    session["mfa_enrol_secret"] = secret
    form = EnrolForm()
    if form.validate_on_submit():
        # Changing how the account signs in asks for the password again (ASVS V7.5.1): a session left
        # open on a shared computer must not be enough to tie the account to someone else's phone.
        address = client_address()
        if throttle.seconds_until_allowed(user.email, address, known_clients.is_known_client(user.email, address)):
            abort(429)
        if not verify_password(user.password_hash, form.password.data):
            throttle.record_failure(user.email, address)
            db.session.commit()
            form.password.errors = [_("This is not your current password.")]
        elif (codes := mfa.enrol(user, secret, form.code.data)) is not None:
            db.session.commit()
            session.pop("mfa_enrol_secret", None)
            security_event("second_factor.enrolled", user=user)
            return render_template("accounts/mfa_recovery_codes.html", codes=codes)
        else:
            form.code.errors = [_("This code is not right. Check the time on your phone and try the next code.")]
    uri = mfa.provisioning_uri(secret, user.email)
    return render_template("accounts/mfa_enrol.html", form=form, secret=secret, required=mfa.is_required(user),
                           qr_code=mfa.qr_code(uri))


@bp.post("/mfa/off")
@login_required
def mfa_off():
    """Turn the second factor off with a current code, unless the account's role requires it."""
    user = current_user._get_current_object()
    if not user.has_mfa or mfa.is_required(user):
        abort(403)
    form = CodeForm()
    address = client_address()
    if form.validate_on_submit():
        if throttle.seconds_until_allowed(user.email, address, known_clients.is_known_client(user.email, address)):
            abort(429)
        if mfa.verify(user, form.code.data):
            mfa.turn_off(user, user)
            db.session.commit()
            security_event("second_factor.disabled", user=user)
            flash(_("Two-step sign-in is off."), "success")
            return redirect(url_for("accounts.profile"), code=303)
        throttle.record_failure(user.email, address)
        db.session.commit()
        security_event("second_factor.failed", user=user, level=logging.WARNING)
        form.code.errors = [_("This code is not right, or has already been used.")]
    return render_template("accounts/mfa_on.html", form=form, required=False,
                           remaining=mfa.remaining_recovery_codes(user))


ENROLMENT_ENDPOINTS = {"accounts.mfa_settings", "accounts.logout", "core.switch_language", "core.health", "static"}


def require_enrolment():
    """Send a signed-in user whose role requires a second factor to enrol before anything else."""
    if not current_user.is_authenticated or current_user.has_mfa or not mfa.is_required(current_user):
        return None
    if request.endpoint in ENROLMENT_ENDPOINTS:
        return None
    flash(_("Your role requires two-step sign-in. Set it up to continue."), "info")
    return redirect(url_for("accounts.mfa_settings"), code=303)
