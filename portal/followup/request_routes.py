"""Update requests: asking an organisation for news on a commitment or a joint-action share."""

from uuid import uuid4

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal.commitments.routes import load_visible as load_commitment
from portal.core.clock import local_today
from portal.core.locking import create_once
from portal.core.permissions import login_required, require
from portal.followup import requests as service
from portal.followup.blueprint import bp
from portal.followup.forms import UpdateRequestForm
from portal.followup.permissions import can_request_update
from portal.joint_actions.party_routes import load_party


@bp.app_template_global()
def update_requests_about(subject) -> list:
    """The update requests about a commitment or a party that the current user may see."""
    return service.requests_about(current_user, subject)


# Templates use the same rule as the routes, only to show or hide the link.
bp.add_app_template_global(can_request_update)
bp.add_app_template_global(local_today, "followup_today")


@bp.route("/commitments/<id:commitment_id>/request-update", methods=["GET", "POST"])
@login_required
def request_commitment_update(commitment_id: int):
    """Ask the owner of a commitment for an update by a date (IOM follow-up staff)."""
    commitment = load_commitment(commitment_id)
    require(can_request_update(current_user, commitment))
    back = url_for("commitments.detail", commitment_id=commitment.id)
    return _request_form(commitment, commitment.title, back, back + "#update-requests")


@bp.route("/actions/<id:action_id>/parties/<id:party_id>/request-update", methods=["GET", "POST"])
@login_required
def request_party_update(action_id: int, party_id: int):
    """Ask a party of a joint action for an update on its share (IOM follow-up staff, or the action's lead)."""
    party = load_party(action_id, party_id)
    require(can_request_update(current_user, party))
    back = url_for("joint_actions.detail", action_id=action_id)
    return _request_form(party, f"{party.action.title} · {party.organisation.display_name}", back,
                         f"{back}#party-{party.id}")


def _request_form(subject, title: str, back_url: str, done_url: str):
    """Show the request form; store a valid request once however often it is sent, then go back to the item."""
    form = UpdateRequestForm()
    if not form.is_submitted():
        form.due_date.data = form.default_due_date()
        form.idempotency_key.data = uuid4().hex
    elif form.validate():
        key = (form.idempotency_key.data or "")[:64] or None
        _request, created = create_once(key, service.find_by_idempotency_key,
                                 lambda: service.request_update(current_user, subject, form.data, key))
        if created:
            flash(_("Update requested from %(organisation)s.", organisation=subject.organisation.display_name),
                  "success")
        return redirect(done_url, code=303)
    return render_template("followup/request_form.html", form=form, subject=subject, back_title=title,
                           back_url=back_url)
