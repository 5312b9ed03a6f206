"""The plan of a joint action, kept by the lead's editors: countries and their roles on the route,
milestones, and the parties' commitments that contribute to it."""

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from portal.commitments.models import Commitment
from portal.core.clock import local_today
from portal.core.forms import EmptyForm, toggled
from portal.core.locking import create_from_form, offer_key
from portal.core.permissions import login_required, require, require_visible
from portal.extensions import db
from portal.joint_actions import service
from portal.joint_actions.blueprint import bp
from portal.joint_actions.choices import fill_commitment_link_choices, fill_country_choices
from portal.joint_actions.forms import CountryForm, LinkCommitmentForm, MilestoneForm
from portal.joint_actions.models import ActionCountry, JointAction, Milestone, joint_action_commitments
from portal.joint_actions.permissions import can_edit_joint_action
from portal.joint_actions.queries import linked_commitments
from portal.joint_actions.routes import load_visible


def load_editable(action_id: int) -> JointAction:
    """Load a joint action whose plan the current user may change (404 if hidden, 403 if not the lead)."""
    action = load_visible(action_id)
    require(can_edit_joint_action(current_user, action))
    return action


def plan_forms(action: JointAction) -> dict:
    """The three forms of the plan page, with their options."""
    forms = {"country_form": CountryForm(prefix="country"), "milestone_form": MilestoneForm(prefix="milestone"),
             "link_form": LinkCommitmentForm(prefix="link")}
    offer_key(forms["milestone_form"])
    fill_country_choices(forms["country_form"])
    fill_commitment_link_choices(forms["link_form"], current_user, action)
    return forms


def show_plan(action: JointAction, forms: dict):
    """Render the plan page (after a refused form: with its errors and the text as typed)."""
    return render_template("joint_actions/plan.html", action=action, button_form=EmptyForm(), today=local_today(),
                           commitments=linked_commitments(current_user, [action.id])[action.id], **forms)


def back_to_plan(action: JointAction, message: str):
    flash(message, "success")
    return redirect(url_for("joint_actions.plan", action_id=action.id), code=303)


@bp.get("/<id:action_id>/plan")
@login_required
def plan(action_id: int):
    """Show the plan page: countries, milestones and linked commitments, with their forms."""
    action = load_editable(action_id)
    return show_plan(action, plan_forms(action))


@bp.post("/<id:action_id>/countries")
@login_required
def add_country(action_id: int):
    """Add a country with its role on the migration route."""
    action = load_editable(action_id)
    forms = plan_forms(action)
    form = forms["country_form"]
    if not form.validate_on_submit():
        return show_plan(action, forms)
    if any(entry.country_iso3 == form.country_iso3.data and entry.role == form.role.data for entry in action.countries):
        form.country_iso3.errors = [_("This country already has this role in the joint action.")]
        return show_plan(action, forms)
    service.add_country(current_user, action, form.country_iso3.data, form.role.data)
    db.session.commit()
    return back_to_plan(action, _("Country added."))


@bp.post("/<id:action_id>/countries/<id:entry_id>/remove")
@login_required
def remove_country(action_id: int, entry_id: int):
    """Take a country's role off the joint action."""
    action = load_editable(action_id)
    entry = db.get_or_404(ActionCountry, entry_id)
    require_visible(entry.action_id == action.id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    service.remove_country(current_user, entry)
    db.session.commit()
    return back_to_plan(action, _("Country removed."))


@bp.post("/<id:action_id>/milestones")
@login_required
def add_milestone(action_id: int):
    """Add a milestone with its due date."""
    action = load_editable(action_id)
    forms = plan_forms(action)
    if not forms["milestone_form"].validate_on_submit():
        return show_plan(action, forms)
    create_from_form(forms["milestone_form"], Milestone,
                     lambda key: service.add_milestone(current_user, action, forms["milestone_form"].data, key))
    return back_to_plan(action, _("Milestone added."))


@bp.post("/<id:action_id>/milestones/<id:milestone_id>/done")
@login_required
def toggle_milestone(action_id: int, milestone_id: int):
    """Mark a milestone reached today, or open a reached one again."""
    action = load_editable(action_id)
    milestone = db.get_or_404(Milestone, milestone_id)
    require_visible(milestone.action_id == action.id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    if (wanted := toggled(milestone.done_on is not None)) != (milestone.done_on is not None):
        service.set_milestone_done(current_user, milestone, local_today() if wanted else None)
        db.session.commit()
    return back_to_plan(action, _("Milestone reached.") if milestone.done_on else _("Milestone reopened."))


@bp.post("/<id:action_id>/commitments")
@login_required
def link(action_id: int):
    """Link a visible commitment of one of the parties to the joint action."""
    action = load_editable(action_id)
    forms = plan_forms(action)
    if not forms["link_form"].validate_on_submit():
        return show_plan(action, forms)
    try:
        service.link_commitment(current_user, action,
                                db.session.get(Commitment, int(forms["link_form"].commitment_id.data)))
        db.session.commit()
    except IntegrityError:
        # The same link sent twice at once: the other request made it; the answer is the same.
        db.session.rollback()
    return back_to_plan(action, _("Commitment linked."))


@bp.post("/<id:action_id>/commitments/<id:commitment_id>/unlink")
@login_required
def unlink(action_id: int, commitment_id: int):
    """Remove a commitment's link to the joint action; the commitment itself stays."""
    action = load_editable(action_id)
    linked = db.session.scalar(select(joint_action_commitments.c.commitment_id).where(
        joint_action_commitments.c.joint_action_id == action.id,
        joint_action_commitments.c.commitment_id == commitment_id))
    require_visible(linked is not None)
    if not EmptyForm().validate_on_submit():
        abort(400)
    service.unlink_commitment(current_user, action, db.session.get(Commitment, commitment_id))
    db.session.commit()
    return back_to_plan(action, _("Commitment unlinked."))
