"""Date changes of a joint action: the lead proposes, the other parties answer."""

from uuid import uuid4

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy.exc import IntegrityError

from portal.commitments.renegotiation import agreement_choices
from portal.core.forms import EmptyForm, options
from portal.core.locking import create_once
from portal.core.permissions import login_required, require, require_visible
from portal.core.translated import marked
from portal.extensions import db
from portal.joint_actions import dates
from portal.joint_actions.blueprint import bp
from portal.joint_actions.date_models import DateProposal, ProposalState
from portal.joint_actions.forms import DateProposalForm
from portal.joint_actions.permissions import can_answer_date_proposal, can_edit_joint_action
from portal.joint_actions.routes import detail_url, load_visible

ASK_EVERY_PARTY = _l("Ask every other party to agree")


def _fill(form: DateProposalForm, action) -> None:
    form.what.choices = options([("", str(_l("End date of the joint action")))]
                                + [(str(m.id), marked(m.title)) for m in action.milestones])
    form.agreed_at.choices = options([("", str(ASK_EVERY_PARTY))]
                                     + [(value, label) for value, label in agreement_choices(current_user)
                                        if value.startswith(("symposium:", "minutes:"))])


@bp.route("/<id:action_id>/dates/propose", methods=["GET", "POST"])
@login_required
def propose_date(action_id: int):
    """Propose a new end date or milestone date to the other parties (the lead's editors)."""
    action = load_visible(action_id)
    require(can_edit_joint_action(current_user, action))
    form = DateProposalForm()
    _fill(form, action)
    if not form.is_submitted():
        form.idempotency_key.data = uuid4().hex
    elif form.validate():
        milestone = next((m for m in action.milestones if str(m.id) == form.what.data), None)
        key = (form.idempotency_key.data or "")[:64]
        proposal, created = create_once(key, dates.find_by_idempotency_key, lambda: dates.propose_date(
            current_user, action, milestone, form.data, key))
        if created:
            flash(_("The new date applies.") if proposal.state == ProposalState.AGREED
                  else _("Date change proposed: it applies when every other party agrees."), "success")
        return redirect(detail_url(action.id) + "#dates", code=303)
    return render_template("joint_actions/propose_date.html", form=form, action=action)


@bp.post("/<id:action_id>/dates/<id:proposal_id>/answer")
@login_required
def answer_date(action_id: int, proposal_id: int):
    """Agree to a proposed date change, or decline it (an accepted party other than the lead)."""
    action = load_visible(action_id)
    proposal = db.get_or_404(DateProposal, proposal_id)
    require_visible(proposal.action_id == action.id)
    require(can_answer_date_proposal(current_user, proposal))
    if not EmptyForm().validate_on_submit() or request.form.get("answer") not in ("agree", "decline"):
        abort(400)
    agrees = request.form["answer"] == "agree"
    try:
        dates.answer_date(current_user, proposal, agrees)
        db.session.commit()
    except IntegrityError:
        # The same answer was sent twice at once; the first one counts.
        db.session.rollback()
        return redirect(url_for("joint_actions.detail", action_id=action.id, _anchor="dates"), code=303)
    flash(_("Your organisation agreed.") if agrees else _("Your organisation declined the new date."), "success")
    return redirect(url_for("joint_actions.detail", action_id=action.id, _anchor="dates"), code=303)
