"""Proposed commitments: listed to the organisation they are proposed to, to whoever drafted them and to IOM;
the organisation's editors edit, accept or decline them."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal.commitments.blueprint import bp
from portal.commitments.choices import fill_commitment_choices
from portal.commitments.forms import CommitmentForm
from portal.commitments.importing.apply import accept_proposal, decline_proposal, edit_proposal, proposal_form_data
from portal.commitments.importing.forms import DeclineProposalForm
from portal.commitments.permissions import can_decide_proposal, can_view_proposal, open_proposals
from portal.commitments.proposal_models import CommitmentProposal
from portal.core.forms import EmptyForm
from portal.core.locking import save_unless_stale
from portal.core.permissions import login_required, require, require_visible
from portal.extensions import db


def _load(proposal_id: int) -> CommitmentProposal:
    proposal = db.get_or_404(CommitmentProposal, proposal_id)
    require_visible(can_view_proposal(current_user, proposal))
    return proposal


@bp.get("/proposals")
@login_required
def proposals():
    """List the open proposed commitments the user may see: their organisation's, their own drafts, or all (IOM)."""
    items = list(db.session.scalars(open_proposals(current_user).limit(500)))
    return render_template("commitments/proposals.html", proposals=items)


@bp.route("/proposals/<id:proposal_id>", methods=["GET", "POST"])
@login_required
def proposal(proposal_id: int):
    """Show a proposed commitment; its organisation's editors may edit it before accepting it."""
    item = _load(proposal_id)
    form = CommitmentForm(data={**proposal_form_data(item), "version": item.version}) \
        if request.method == "GET" else CommitmentForm()
    fill_commitment_choices(form)
    if request.method == "POST":
        require(can_decide_proposal(current_user, item))
        if form.validate():
            if save_unless_stale(form.version.data, item, lambda: edit_proposal(current_user, item, form.data)):
                flash(_("Proposal saved."), "success")
                return redirect(url_for("commitments.proposal", proposal_id=item.id), code=303)
            flash(_("Someone else saved this proposal while you were editing. Your text is kept below; "
                    "compare it with the current version and save again."), "error")
            item = db.session.get(CommitmentProposal, proposal_id)
            form.version.data = item.version
    return render_template("commitments/proposal.html", proposal=item, form=form, accept_form=EmptyForm(),
                           decline_form=DeclineProposalForm(formdata=None), can_decide=can_decide_proposal(
                               current_user, item)), 422 if form.errors else 200


@bp.post("/proposals/<id:proposal_id>/accept")
@login_required
def accept(proposal_id: int):
    """Accept a proposal: it becomes a commitment of the user's organisation (once, however often sent)."""
    item = _load(proposal_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    if item.commitment_id:
        return redirect(url_for("commitments.detail", commitment_id=item.commitment_id), code=303)
    require(can_decide_proposal(current_user, item))
    commitment = accept_proposal(current_user, item)
    db.session.commit()
    flash(_("Proposal accepted: the commitment is now your organisation's."), "success")
    return redirect(url_for("commitments.detail", commitment_id=commitment.id), code=303)


@bp.post("/proposals/<id:proposal_id>/decline")
@login_required
def decline(proposal_id: int):
    """Decline a proposal with a reason, shown to whoever drafted it."""
    item = _load(proposal_id)
    require(can_decide_proposal(current_user, item))
    form = DeclineProposalForm()
    if not form.validate_on_submit():
        fill_commitment_choices(edit := CommitmentForm(data=proposal_form_data(item)))
        return render_template("commitments/proposal.html", proposal=item, form=edit, accept_form=EmptyForm(),
                               decline_form=form, can_decide=True), 422
    decline_proposal(current_user, item, form.reason.data.strip())
    db.session.commit()
    flash(_("Proposal declined."), "success")
    return redirect(url_for("commitments.proposals"), code=303)
