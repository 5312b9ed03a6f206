"""Parties of a joint action: propose a partner, answer a proposal, change one's own deliverable,
report progress on one's own share, verify or question it (IOM), download its evidence."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.exceptions import RequestEntityTooLarge

from portal.core.errors import render_error
from portal.core.locking import create_from_form, is_stale, offer_key
from portal.core.permissions import login_required, public, require, require_visible
from portal.core.uploads import send_attachment
from portal.extensions import db
from portal.joint_actions import service
from portal.joint_actions.blueprint import bp
from portal.joint_actions.choices import fill_partner_choices
from portal.joint_actions.forms import PartyForm, ProposePartnerForm, RespondForm
from portal.joint_actions.models import Party
from portal.joint_actions.permissions import (
    can_edit_joint_action,
    can_edit_party,
    can_respond_to_proposal,
    can_review_party_update,
)
from portal.joint_actions.routes import detail_url, load_visible
from portal.progress.forms import ReviewForm
from portal.progress.models import ProgressUpdate, UpdateReview
from portal.progress.service import review_update
from portal.progress.submission import (new_progress_form, save_progress_and_commit,
                                       too_large_progress_form)


def load_party(action_id: int, party_id: int) -> Party:
    """Load an accepted party of a joint action the current user may see, or answer 404."""
    action = load_visible(action_id)
    party = db.get_or_404(Party, party_id)
    require_visible(party.action_id == action.id and party.is_accepted)
    return party


def load_update(action_id: int, party_id: int, update_id: int) -> ProgressUpdate:
    """Load a progress update of a visible party's share, or answer 404."""
    party = load_party(action_id, party_id)
    update = db.get_or_404(ProgressUpdate, update_id)
    require_visible(update.party_id == party.id)
    return update


@bp.route("/<id:action_id>/parties/new", methods=["GET", "POST"])
@login_required
def propose(action_id: int):
    """Propose an organisation as a partner, with its role and deliverable (the lead's editors)."""
    action = load_visible(action_id)
    require(can_edit_joint_action(current_user, action))
    form = ProposePartnerForm()
    fill_partner_choices(form, action)
    if form.validate_on_submit():
        party = service.propose_partner(current_user, action, form.data)
        db.session.commit()
        flash(_("%(organisation)s has been proposed as a partner; it becomes a party once it accepts.",
                organisation=party.organisation.display_name), "success")
        return redirect(detail_url(action.id, _anchor="parties"), code=303)
    return render_template("joint_actions/propose.html", form=form, action=action)


@bp.route("/<id:action_id>/parties/<id:party_id>/respond", methods=["GET", "POST"])
@login_required
def respond(action_id: int, party_id: int):
    """Accept or decline a proposal to take part (the proposed organisation's editors).

    The proposal is shown even when the action is visible to its parties only: the proposed
    organisation must be able to read what it is asked to do. Anyone else gets 404.
    """
    party = db.get_or_404(Party, party_id)
    require_visible(party.action_id == action_id and can_respond_to_proposal(current_user, party))
    form = RespondForm()
    if form.validate_on_submit():
        accept = form.answer.data == "accept"
        service.respond(current_user, party, accept)
        db.session.commit()
        if accept:
            flash(_("Your organisation is now a party of this joint action."), "success")
            return redirect(detail_url(action_id, _anchor=f"party-{party.id}"), code=303)
        flash(_("You declined to take part."), "success")
        return redirect(url_for("joint_actions.index"), code=303)
    return render_template("joint_actions/respond.html", form=form, party=party, action=party.action)


@bp.route("/<id:action_id>/parties/<id:party_id>/edit", methods=["GET", "POST"])
@login_required
def edit_party(action_id: int, party_id: int):
    """Change one's own deliverable and its due date (the party's editors)."""
    party = load_party(action_id, party_id)
    require(can_edit_party(current_user, party))
    form = PartyForm(obj=party)
    if not form.is_submitted():
        form.version.data = party.version
    elif form.validate():
        if not is_stale(form.version.data, party) and service.update_party(current_user, party, form.data,
                                                                           party.version):
            db.session.commit()
            flash(_("Your share of the joint action has been saved."), "success")
            return redirect(detail_url(action_id, _anchor=f"party-{party.id}"), code=303)
        db.session.rollback()
        current = load_party(action_id, party_id)
        form.version.data = current.version
        flash(_("Someone else saved this share while you were editing. Your text is kept below; "
                "compare it with the current version and save again."), "error")
        return render_template("joint_actions/party_form.html", form=form, party=current, action=current.action,
                               current=current), 409
    return render_template("joint_actions/party_form.html", form=form, party=party, action=party.action)


@bp.route("/<id:action_id>/parties/<id:party_id>/updates/new", methods=["GET", "POST"])
@login_required
def report(action_id: int, party_id: int):
    """Report progress on one's own share, with evidence as a file or a link (append-only)."""
    party = load_party(action_id, party_id)
    require(can_edit_party(current_user, party))
    form = without_indicator(new_progress_form(party.status))
    if form.is_submitted() and form.validate():
        outcome = save_progress_and_commit(form, lambda attachment, key: service.report_party_progress(
            current_user, party, form.data, attachment, key))
        if outcome != "refused":
            if outcome == "saved":
                flash(_("Progress reported."), "success")
            return redirect(detail_url(action_id, _anchor=f"party-{party.id}"), code=303)
    return _report_page(party, form)


@bp.errorhandler(RequestEntityTooLarge)
def report_too_large(error):
    """Answer an oversized upload with the party's progress form again and the reason, so it can be retried."""
    if request.endpoint != "joint_actions.report" or not current_user.is_authenticated:
        return render_error(413)
    party = load_party(**request.view_args)
    require(can_edit_party(current_user, party))
    return _report_page(party, without_indicator(too_large_progress_form(party.status))), 413


def without_indicator(form):
    """A party's share has no indicator of its own: its progress form has no indicator field."""
    del form.indicator_value
    return form


def _report_page(party: Party, form) -> str:
    """Render the progress form of a party's share."""
    return render_template("commitments/report.html", form=form, skip=(), back_url=detail_url(party.action_id),
                           back_title=f"{party.action.title} · {party.organisation.display_name}")


@bp.route("/<id:action_id>/parties/<id:party_id>/updates/<id:update_id>/review", methods=["GET", "POST"])
@login_required
def review(action_id: int, party_id: int, update_id: int):
    """Verify or question a party's progress update (IOM follow-up staff)."""
    update = load_update(action_id, party_id, update_id)
    require(can_review_party_update(current_user, update))
    form = ReviewForm()
    offer_key(form)
    if form.validate_on_submit():
        create_from_form(form, UpdateReview, lambda key: review_update(
            current_user, update, form.verdict.data, form.comment.data, key))
        flash(_("Your review has been recorded."), "success")
        return redirect(detail_url(action_id, _anchor=f"update-{update.id}"), code=303)
    return render_template("commitments/review.html", form=form, update=update, back_url=detail_url(action_id),
                           back_title=f"{update.party.action.title} · {update.party.organisation.display_name}")


@bp.get("/<id:action_id>/parties/<id:party_id>/updates/<id:update_id>/evidence")
@public
def evidence(action_id: int, party_id: int, update_id: int):
    """Download a party update's evidence file, for those who may see the joint action."""
    update = load_update(action_id, party_id, update_id)
    require_visible(update.attachment is not None)
    return send_attachment(update.attachment)
