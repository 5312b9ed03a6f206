"""Forgotten password: ask for a link by e-mail, then choose a new password with it."""

import logging
import time

from flask import current_app, flash, redirect, render_template, url_for
from flask_babel import force_locale, get_locale, ngettext
from flask_babel import gettext as _

from portal.accounts import reset as resets
from portal.accounts.forms import ResetPasswordForm, ResetRequestForm
from portal.accounts.passwords import password_problem
from portal.accounts.routes import bp
from portal.core.mail import build_message, send_in_background
from portal.core.permissions import public
from portal.core.security import client_address
from portal.core.security_log import security_event
from portal.extensions import db

NO_REFERRER = {"Referrer-Policy": "no-referrer"}


@bp.route("/reset", methods=["GET", "POST"])
@public
def request_reset():
    """Ask for a reset link; the answer is the same whether the e-mail has an account or not."""
    started = time.monotonic()
    form = ResetRequestForm()
    if not form.validate_on_submit():
        return render_template("accounts/reset_request.html", form=form)
    address = client_address()
    wait = resets.seconds_until_allowed(form.email.data, address)
    if wait:
        minutes = -(-wait // 60)
        flash(ngettext("Too many requests. Wait %(num)d minute and try again.",
                       "Too many requests. Wait %(num)d minutes and try again.", minutes), "error")
        security_event("password_reset.throttled", level=logging.WARNING, email=form.email.data, retry_after=wait)
        return render_template("accounts/reset_request.html", form=form), 429, {"Retry-After": str(wait)}
    issued = resets.request_reset(form.email.data, address)
    db.session.commit()
    security_event("password_reset.requested", user=issued.user if issued else None, email=form.email.data,
                   known_account=issued is not None)
    if issued:
        send_in_background(_reset_message(issued))
    # Known or not, the answer leaves no sooner than PASSWORD_RESET_ANSWER_SECONDS after the request came.
    time.sleep(max(0.0, current_app.config["PASSWORD_RESET_ANSWER_SECONDS"] - (time.monotonic() - started)))
    return render_template("accounts/reset_sent.html", email=form.email.data)


def _reset_message(issued: resets.IssuedReset):
    """The reset mail, in the account's language (else the page's); the link is built on BASE_URL,
    never on the request's Host header, which a requester controls."""
    link = current_app.config["BASE_URL"].rstrip("/") + url_for("accounts.reset_password", token=issued.token)
    language = issued.user.locale or str(get_locale())
    minutes = int(current_app.config["PASSWORD_RESET_LIFETIME"].total_seconds() // 60)
    with force_locale(language):
        body = render_template("email/password_reset.txt", link=link, minutes=minutes)
        return build_message(issued.user.email, _("Choose a new password"), body, language)


@bp.route("/reset/<token>", methods=["GET", "POST"])
@public
def reset_password(token: str):
    """Choose a new password with a reset link; every session of the account ends."""
    reset = resets.find_reset(token)
    if reset is None:
        return render_template("accounts/reset_invalid.html"), 404, NO_REFERRER
    form = ResetPasswordForm()
    if form.validate_on_submit():
        if problem := password_problem(form.new_password.data, reset.user.email):
            form.new_password.errors = [problem]
        else:
            user = resets.complete_reset(reset, form.new_password.data)
            db.session.commit()
            security_event("password_reset.used", user=user)
            flash(_("Your password has been changed. Sign in with it."), "success")
            return redirect(url_for("accounts.login"), code=303)
    return render_template("accounts/reset_password.html", form=form), NO_REFERRER
