"""Accounts of an organisation's people: list, invite, edit, disable (site and org admins)."""

import logging

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import force_locale, ngettext
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import or_, select

from portal.accounts import mfa
from portal.accounts import service as accounts
from portal.accounts.models import User
from portal.core.forms import EmptyForm, options, toggled
from portal.core.locking import commit_or_conflict, is_stale
from portal.core.mail import send_mail
from portal.core.permissions import is_site_admin, login_required, require
from portal.core.security_log import security_event
from portal.core.text import like_pattern
from portal.core.params import bounded_id, page_number
from portal.extensions import db
from portal.organisations import service
from portal.organisations.forms import InvitationForm, MemberForm, PeopleFilterForm
from portal.organisations.models import Organisation, active_organisations
from portal.organisations.permissions import can_edit_member, can_manage_people, can_reset_second_factor

bp = Blueprint("people", __name__)
bp.add_app_template_global(can_reset_second_factor)
log = logging.getLogger("portal.people")


def _organisation_choices():
    """Organisations the current user may manage accounts for."""
    query = active_organisations()
    if not is_site_admin(current_user):
        query = query.where(Organisation.id == current_user.organisation_id)
    return [(org.id, org.display_name) for org in db.session.scalars(query)]


def _organisation_options():
    return options(_organisation_choices())


def visible_people(user, organisation_id: str | None, term: str | None):
    """Query the accounts ``user`` may manage, optionally filtered."""
    query = select(User).order_by(User.email)
    if not is_site_admin(user):
        query = query.where(User.organisation_id == user.organisation_id)
    if (wanted := bounded_id(organisation_id)) is not None:
        query = query.where(User.organisation_id == wanted)
    if term:
        pattern = like_pattern(term.lower())
        query = query.where(or_(User.email.ilike(pattern, escape="\\"), User.position.ilike(pattern, escape="\\")))
    return query


@bp.get("/")
@login_required
def index():
    """List the accounts the user may manage."""
    require(can_manage_people(current_user))
    filters = PeopleFilterForm(request.args)
    filters.organisation.choices = options([("", _("All"))] + [(str(i), n) for i, n in _organisation_choices()])
    valid = filters.validate()
    query = visible_people(current_user, filters.organisation.data, filters.q.data if valid else None)
    page = db.paginate(query, page=page_number(), per_page=50, error_out=False)
    return render_template("admin/people.html", page=page, filters=filters, toggle_form=EmptyForm())


@bp.route("/invite", methods=["GET", "POST"])
@login_required
def invite():
    """Invite someone to open an account for an organisation."""
    require(can_manage_people(current_user))
    form = InvitationForm()
    form.organisation_id.choices = _organisation_options()
    if form.validate_on_submit():
        organisation = db.get_or_404(Organisation, form.organisation_id.data)
        require(can_manage_people(current_user, organisation))
        if accounts.find_user_by_email(form.email.data):
            form.email.errors = [_("An account with this e-mail already exists.")]
        else:
            issued = accounts.create_invitation(
                current_user, form.email.data, organisation.id, form.role.data, form.position.data
            )
            db.session.commit()
            link = url_for("accounts.accept_invitation", token=issued.token, _external=True)
            emailed = _send_invitation(issued.invitation, link)
            return render_template("admin/invitation_created.html", invitation=issued.invitation, link=link, emailed=emailed)
    return render_template("admin/invite.html", form=form)


def _send_invitation(invitation, link: str) -> bool:
    """E-mail the invitation link in Spanish and English; return whether it reached an SMTP server."""
    parts = []
    days = current_app.config["INVITATION_LIFETIME"].days
    for language in ("es", "en"):
        with force_locale(language):
            parts.append(
                ngettext("You have been invited to the co-responsibility portal for %(organisation)s. "
                         "Open this link within %(num)d day to choose your password:",
                         "You have been invited to the co-responsibility portal for %(organisation)s. "
                         "Open this link within %(num)d days to choose your password:",
                         days, organisation=invitation.organisation.name)
            )
    body = f"{parts[0]}\n{link}\n\n{parts[1]}\n{link}\n"
    try:
        return send_mail(invitation.email, "Invitación / Invitation", body)
    except OSError:
        log.exception("mail.failed invitation=%d", invitation.id)
        return False


@bp.route("/<id:user_id>/edit", methods=["GET", "POST"])
@login_required
def edit(user_id: int):
    """Change a member's position, organisation or role."""
    member = db.get_or_404(User, user_id)
    require(can_edit_member(current_user, member))
    form = MemberForm(obj=member)
    form.organisation_id.choices = _organisation_options()
    if not form.is_submitted():
        form.version.data = member.version
    elif form.validate():
        if not is_stale(form.version.data, member):
            changes = service.update_member(current_user, member, form.data)
            if commit_or_conflict():
                if rights := {k: v for k, v in changes.items() if k in ("role", "organisation_id")}:
                    security_event("account.rights_changed", target_user_id=member.id, changes=rights)
                flash(_("Account saved."), "success")
                return redirect(url_for("people.index"), code=303)
        db.session.refresh(member)
        form.version.data = member.version
        flash(_("Someone else changed this account while you were editing. Check the values and save again."), "error")
        return render_template("admin/member_form.html", form=form, member=member, reset_form=EmptyForm()), 409
    return render_template("admin/member_form.html", form=form, member=member, reset_form=EmptyForm())


@bp.post("/<id:user_id>/enabled")
@login_required
def toggle_enabled(user_id: int):
    """Disable or re-enable an account; disabling signs it out everywhere."""
    member = db.get_or_404(User, user_id)
    require(can_edit_member(current_user, member))
    if not EmptyForm().validate_on_submit():
        abort(400)
    if (wanted := toggled(member.is_enabled)) != member.is_enabled:
        accounts.set_enabled(current_user, member, wanted)
        db.session.commit()
        security_event("account.enabled" if member.is_enabled else "account.disabled", target_user_id=member.id)
    flash(_("Account enabled.") if member.is_enabled else _("Account disabled."), "success")
    return redirect(url_for("people.index"), code=303)


@bp.post("/<id:user_id>/second-factor")
@login_required
def reset_second_factor(user_id: int):
    """Reset a member's second factor (audited); the person is signed out and told by mail."""
    member = db.get_or_404(User, user_id)
    require(can_reset_second_factor(current_user, member))
    if not EmptyForm().validate_on_submit():
        abort(400)
    mfa.turn_off(current_user, member)
    db.session.commit()
    security_event("second_factor.reset", target_user_id=member.id)
    _tell_second_factor_reset(member)
    flash(_("Two-step sign-in was reset. The person can set it up again at the next sign-in."), "success")
    return redirect(url_for("people.edit", user_id=member.id), code=303)


def _tell_second_factor_reset(member: User) -> None:
    """Tell the person by mail, in their language (else Spanish), that their second factor was reset."""
    language = member.locale or current_app.config["BABEL_DEFAULT_LOCALE"]
    with force_locale(language):
        body = _("A site administrator of the co-responsibility portal reset the two-step sign-in of your "
                 "account. If you did not ask for it, tell the administrators at once.")
        try:
            send_mail(member.email, _("Your two-step sign-in was reset"), body, language)
        except OSError:
            log.exception("mail.failed second-factor reset user=%d", member.id)
