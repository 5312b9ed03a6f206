"""Joint actions: the list and page, and starting and editing the shared part."""

from uuid import uuid4

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from portal.core.clock import local_today
from portal.core.locking import create_once, save_unless_stale
from portal.core.params import page_number
from portal.core.permissions import login_required, public, require, require_visible
from portal.extensions import db
from portal.joint_actions import queries, service
from portal.joint_actions.blueprint import bp
from portal.joint_actions.choices import fill_action_choices, fill_action_filter_choices, read_filters
from portal.joint_actions.dates import other_parties
from portal.joint_actions.forms import ActionFilterForm, JointActionForm
from portal.joint_actions.models import JointAction
from portal.joint_actions.permissions import (
    can_create_joint_action,
    can_edit_joint_action,
    can_respond_to_proposal,
    can_view_joint_action,
)
from portal.progress.models import STATUS_LABELS


def load_visible(action_id: int) -> JointAction:
    """Load a joint action the current user may see, or answer 404."""
    action = db.get_or_404(JointAction, action_id)
    require_visible(can_view_joint_action(current_user, action))
    return action


def detail_url(action_id: int, **anchor) -> str:
    return url_for("joint_actions.detail", action_id=action_id, **anchor)


@bp.get("/")
@public
def index():
    """List the joint actions the reader may see, filtered from the URL, with proposals awaiting an answer."""
    form = ActionFilterForm(request.args)
    fill_action_filter_choices(form)
    filters = read_filters(form)
    pagination = queries.action_page(current_user, filters, page=page_number())
    return render_template("joint_actions/index.html", form=form, page=pagination, today=local_today(),
                           counts=queries.status_counts(current_user, filters), statuses=STATUS_LABELS,
                           proposals=queries.proposals_for(current_user), args=request.args)


@bp.get("/<id:action_id>")
@public
def detail(action_id: int):
    """Show a joint action: parties with their shares and progress, countries, milestones, links, history."""
    action = load_visible(action_id)
    # Proposals are not parties: the lead's editors see them all, a proposed organisation its own.
    may_edit = can_edit_joint_action(current_user, action)
    proposals = [party for party in action.parties if not party.is_accepted
                 and (may_edit or can_respond_to_proposal(current_user, party))]
    return render_template("joint_actions/detail.html", action=action, today=local_today(), proposals=proposals,
                           updates=queries.party_updates(action),
                           commitments=queries.linked_commitments(current_user, [action.id])[action.id],
                           history=queries.history(action, with_proposals=may_edit))


@bp.route("/new", methods=["GET", "POST"])
@login_required
def create():
    """Start a joint action led by the user's organisation."""
    require(can_create_joint_action(current_user))
    form = JointActionForm()
    fill_action_choices(form, current_user)
    if not form.is_submitted():
        form.idempotency_key.data = uuid4().hex
    elif form.validate():
        key = (form.idempotency_key.data or "")[:64]
        action, created = create_once(key, service.find_by_idempotency_key,
                                      lambda: service.create_action(current_user, form.data, key))
        if created:
            flash(_("Joint action started. Now propose its partners."), "success")
        return redirect(detail_url(action.id), code=303)
    return render_template("joint_actions/form.html", form=form, action=None)


@bp.route("/<id:action_id>/edit", methods=["GET", "POST"])
@login_required
def edit(action_id: int):
    """Edit the shared part, refusing an edit made on an outdated page (the text is kept)."""
    action = load_visible(action_id)
    require(can_edit_joint_action(current_user, action))
    form = JointActionForm(obj=action)
    fill_action_choices(form, current_user, action)
    # Once other parties share the action, its end date moves only by a proposal they agree to.
    end_date_agreed = bool(action.end_date and other_parties(action))
    if end_date_agreed:
        form.end_date.render_kw = {"readonly": True}
        form.end_date.description = _l("Agreed with the other parties: propose a new date to change it.")
    if not form.is_submitted():
        form.version.data = action.version
        form.themes.data = [theme.id for theme in action.themes]
        form.framework_tags.data = [tag.id for tag in action.framework_tags]
        form.symposium_id.data = str(action.symposium_id or "")
        form.source_minutes_id.data = str(action.source_minutes_id or "")
    elif form.validate():
        if end_date_agreed:
            form.end_date.data = action.end_date
        if save_unless_stale(form.version.data, action, lambda: service.update_action(current_user, action, form.data)):
            flash(_("Joint action saved."), "success")
            return redirect(detail_url(action.id), code=303)
        current = db.session.get(JointAction, action_id)
        form.version.data = current.version
        flash(_("Someone else saved this joint action while you were editing. Your text is kept below; "
                "compare it with the current version and save again."), "error")
        return render_template("joint_actions/form.html", form=form, action=current, current=current), 409
    return render_template("joint_actions/form.html", form=form, action=action)
