"""Sign in, sign out, password change, invitation acceptance and preferences."""

import logging

from flask import Blueprint, abort, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_user, logout_user

from portal.accounts import known_clients, service, throttle
from portal.accounts.forms import AcceptInvitationForm, ChangePasswordForm, LoginForm, PreferencesForm
from portal.accounts.passwords import password_problem, verify_password
from portal.core.db import utcnow
from portal.core.forms import EmptyForm
from portal.core.permissions import login_required, public
from portal.core.security import client_address, safe_next_url
from portal.core.security_log import security_event
from portal.extensions import db

bp = Blueprint("accounts", __name__)


def _start_session(user) -> None:
    """Begin a fresh session for ``user``, dropping whatever the old session held."""
    session.clear()
    login_user(user)
    now = utcnow().timestamp()
    session["signed_in_at"] = now
    session["seen_at"] = now
    if user.locale:
        session["lang"] = user.locale


def throttled_page(wait: int, template: str, **context):
    """Answer a throttled sign-in step: the form again, 429, and how long to wait (in words and Retry-After)."""
    minutes = -(-wait // 60)
    flash(ngettext("Too many failed attempts. Wait %(num)d minute and try again.",
                   "Too many failed attempts. Wait %(num)d minutes and try again.", minutes), "error")
    return render_template(template, **context), 429, {"Retry-After": str(wait)}


def _landing_page(user) -> str:
    """Where a sign-in without ``next`` leads: the organisation's dashboard, or home for a site admin."""
    return url_for("followup.dashboard") if user.organisation_id is not None else url_for("public.home")


@bp.route("/login", methods=["GET", "POST"])
@public
def login():
    """Sign in with e-mail and password."""
    form = LoginForm()
    if request.method == "GET":
        form.next.data = safe_next_url(request.args.get("next")) or ""
    if current_user.is_authenticated:
        return redirect(safe_next_url(form.next.data) or _landing_page(current_user))
    if not form.validate_on_submit():
        return render_template("accounts/login.html", form=form)
    address = client_address()
    known = known_clients.is_known_client(form.email.data, address)
    wait = throttle.seconds_until_allowed(form.email.data, address, known)
    if wait:
        security_event("sign_in.throttled", level=logging.WARNING, email=form.email.data, retry_after=wait)
        return throttled_page(wait, "accounts/login.html", form=form)
    user = service.authenticate(form.email.data, form.password.data)
    if user is None:
        throttle.record_failure(form.email.data, address)
        db.session.commit()
        security_event("sign_in.failed", level=logging.WARNING, email=form.email.data)
        form.password.errors = [_("The e-mail or the password is not right.")]
        return render_template("accounts/login.html", form=form)
    if user.has_mfa:
        security_event("sign_in.password_accepted", user=user)
        # The password was right, but the session is not signed in before the second step.
        session.clear()
        session["mfa_pending"] = {"user": user.id, "epoch": user.session_epoch, "at": utcnow().timestamp(),
                                  "next": safe_next_url(form.next.data) or ""}
        return redirect(url_for("accounts.login_code"), code=303)
    return complete_sign_in(user, address, form.next.data)


def complete_sign_in(user, address: str, next_url: str | None):
    """Sign ``user`` in after every factor was checked: record it, start the session, know the browser."""
    throttle.clear_failures(user.email, address)
    service.note_sign_in(user)
    known_clients.record_sign_in(user.id, address)
    db.session.commit()
    security_event("sign_in.succeeded", user=user, second_factor=user.has_mfa)
    _start_session(user)
    response = redirect(safe_next_url(next_url) or _landing_page(user), code=302)
    known_clients.remember_browser(response, user.id)
    return response


@bp.post("/logout")
@login_required
def logout():
    """Sign out, ending every session of this account."""
    if not EmptyForm().validate_on_submit():
        abort(400)
    service.sign_out_everywhere(current_user)
    db.session.commit()
    security_event("sign_out")
    logout_user()
    session.clear()
    flash(_("You have signed out."), "success")
    response = redirect(url_for("public.home"), code=303)
    response.headers["Clear-Site-Data"] = '"cache"'
    return response


@bp.route("/password", methods=["GET", "POST"])
@login_required
def change_password():
    """Change the password after confirming the current one."""
    form = ChangePasswordForm()
    if form.validate_on_submit():
        if not verify_password(current_user.password_hash, form.current_password.data):
            form.current_password.errors = [_("This is not your current password.")]
        elif problem := password_problem(form.new_password.data, current_user.email):
            form.new_password.errors = [problem]
        else:
            user = current_user._get_current_object()
            service.change_password(user, form.new_password.data)
            db.session.commit()
            security_event("password.changed", user=user)
            _start_session(user)
            flash(_("Your password has been changed. Other sessions have been signed out."), "success")
            return redirect(url_for("accounts.profile"), code=303)
    return render_template("accounts/password.html", form=form)


@bp.route("/invitation/<token>", methods=["GET", "POST"])
@public
def accept_invitation(token: str):
    """Accept an invitation by choosing a password."""
    invitation = service.find_invitation(token)
    if invitation is None or not invitation.is_usable() or service.find_user_by_email(invitation.email):
        return render_template("accounts/invitation_invalid.html"), 404, {"Referrer-Policy": "no-referrer"}
    form = AcceptInvitationForm()
    if form.validate_on_submit():
        if problem := password_problem(form.new_password.data, invitation.email):
            form.new_password.errors = [problem]
        else:
            user = service.accept_invitation(invitation, form.new_password.data)
            db.session.commit()
            _start_session(user)
            flash(_("Welcome. Your account is ready."), "success")
            return redirect(url_for("public.home"), code=303)
    page = render_template("accounts/invitation.html", form=form, invitation=invitation)
    return page, {"Referrer-Policy": "no-referrer"}


@bp.route("/", methods=["GET", "POST"])
@login_required
def profile():
    """Show the account and let the user choose the interface language and how often to get the digest."""
    form = PreferencesForm(locale=current_user.locale or "", digest_frequency=current_user.digest_frequency)
    if form.validate_on_submit():
        current_user.locale = form.locale.data or None
        current_user.digest_frequency = form.digest_frequency.data
        session.pop("lang", None)
        db.session.commit()
        flash(_("Your preferences have been saved."), "success")
        return redirect(url_for("accounts.profile"), code=303)
    return render_template("accounts/profile.html", form=form, sign_ins=known_clients.recent_sign_ins(current_user.id),
                           end_form=EmptyForm())


@bp.post("/sessions/end")
@login_required
def end_other_sessions():
    """Sign out every other session of this account (other browsers, a forgotten computer); keep this one."""
    if not EmptyForm().validate_on_submit():
        abort(400)
    user = current_user._get_current_object()
    user.end_all_sessions()
    db.session.commit()
    security_event("sessions.ended_elsewhere", user=user)
    _start_session(user)
    flash(_("Every other session of your account has been signed out."), "success")
    return redirect(url_for("accounts.profile"), code=303)
