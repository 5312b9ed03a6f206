"""An action item of approved minutes becomes a joint action in one step, led by the responsible organisation."""

from uuid import uuid4

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.exc import IntegrityError

from portal.core.permissions import login_required, require, require_visible
from portal.extensions import db
from portal.joint_actions import service
from portal.joint_actions.blueprint import bp
from portal.joint_actions.choices import fill_action_choices
from portal.joint_actions.forms import JointActionForm
from portal.joint_actions.routes import detail_url
from portal.minutes.models import ActionItem
from portal.minutes.permissions import can_convert_action_item, can_view_minutes


def _item_url(item: ActionItem) -> str:
    return url_for("minutes.detail", minutes_id=item.minutes_id, _anchor=f"action-item-{item.id}")


def _prefill(form: JointActionForm, item: ActionItem) -> None:
    """Fill the joint-action form from the action item and its minutes."""
    for name, text in item.suggested_texts().items():  # each language the item is written in
        form[name].data = text
    form.symposium_id.data = str(item.minutes.symposium_id or "")
    form.source_minutes_id.data = str(item.minutes_id)
    form.end_date.data = item.due_date
    form.visibility.data = item.minutes.visibility
    form.idempotency_key.data = uuid4().hex


@bp.route("/from-minutes/<id:minutes_id>/items/<id:action_item_id>", methods=["GET", "POST"])
@login_required
def from_action_item(minutes_id: int, action_item_id: int):
    """Turn an action item into a joint action led by the responsible organisation, linked both ways."""
    item = db.get_or_404(ActionItem, action_item_id)
    require_visible(item.minutes_id == minutes_id and can_view_minutes(current_user, item.minutes))
    if item.is_converted:
        sent_key = (request.form.get("idempotency_key") or "")[:64]
        if sent_key and item.joint_action_id and sent_key == item.joint_action.idempotency_key:
            return redirect(detail_url(item.joint_action_id), code=303)  # this very form, sent twice
        flash(_("This action item has already become a commitment or a joint action."), "info")
        return redirect(_item_url(item), code=303)
    require(can_convert_action_item(current_user, item))
    form = JointActionForm()
    fill_action_choices(form, current_user)
    if not form.is_submitted():
        _prefill(form, item)
    elif form.validate():
        key = (form.idempotency_key.data or "")[:64] or None
        try:
            action = service.create_from_action_item(current_user, item, form.data, key)
            if action is None:
                db.session.rollback()
                flash(_("This action item has already become a commitment or a joint action."), "info")
                return redirect(_item_url(item), code=303)
            db.session.commit()
        except IntegrityError:
            # The same form arrived twice at once; the other request created the joint action.
            db.session.rollback()
            existing = service.find_by_idempotency_key(key)
            return redirect(detail_url(existing.id) if existing else _item_url(item), code=303)
        flash(_("Joint action started from the minutes' action item. Now propose its partners."), "success")
        return redirect(detail_url(action.id), code=303)
    return render_template("joint_actions/from_action_item.html", form=form, item=item, minutes=item.minutes)
