"""Action items of a draft, turning an item into a commitment, and the files attached to minutes."""

from functools import partial
from uuid import uuid4

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.exc import IntegrityError

from portal.commitments.choices import fill_commitment_choices
from portal.commitments.forms import CommitmentForm
from portal.commitments.service import find_by_idempotency_key as find_commitment
from portal.core.forms import AttachmentForm, EmptyForm
from portal.core.locking import apply_or_conflict
from portal.core.permissions import login_required, public, require, require_visible
from portal.core.uploads import UploadRejected, discard_stored_file, save_upload, send_attachment
from portal.extensions import db
from portal.minutes import service
from portal.minutes.blueprint import bp
from portal.minutes.choices import fill_item_choices
from portal.minutes.forms import ActionItemForm
from portal.minutes.models import ActionItem
from portal.minutes.permissions import can_convert_action_item, can_edit_minutes
from portal.minutes.routes import conflict, load_visible, to_detail


def load_item(minutes_id: int, action_item_id: int) -> ActionItem:
    """Load an action item of minutes the current user may see, or answer 404."""
    minutes = load_visible(minutes_id)
    item = db.get_or_404(ActionItem, action_item_id)
    require_visible(item.minutes_id == minutes.id)
    return item


def _save_or_conflict(minutes, change, message: str, anchor: str = "action-items"):
    """Apply the change and commit; when the minutes changed meanwhile (e.g. were circulated), answer 409
    with the minutes as they are now, and keep nothing."""
    minutes_id = minutes.id
    if not apply_or_conflict(change):
        return conflict(minutes_id)
    flash(message, "success")
    return to_detail(minutes, anchor)


@bp.route("/<id:minutes_id>/actions/new", methods=["GET", "POST"])
@login_required
def add_action_item(minutes_id: int):
    """Add an action item to a draft: what is to be done, by which attending organisation, by when."""
    minutes = load_visible(minutes_id)
    require(can_edit_minutes(current_user, minutes))
    form = ActionItemForm()
    fill_item_choices(form, minutes)
    if not form.is_submitted():
        form.idempotency_key.data = uuid4().hex
    elif form.validate():
        key = (form.idempotency_key.data or "")[:64] or None
        if service.find_by_idempotency_key(ActionItem, key):
            return to_detail(minutes, "action-items")
        add = partial(service.add_action_item, current_user, minutes, form.data, key)
        return _save_or_conflict(minutes, add, _("Action item added."))
    return render_template("minutes/action_item.html", form=form, minutes=minutes, item=None)


@bp.route("/<id:minutes_id>/actions/<id:action_item_id>/edit", methods=["GET", "POST"])
@login_required
def edit_action_item(minutes_id: int, action_item_id: int):
    """Change an action item of a draft."""
    item = load_item(minutes_id, action_item_id)
    require(can_edit_minutes(current_user, item.minutes))
    form = ActionItemForm(obj=item)
    fill_item_choices(form, item.minutes)
    if not form.is_submitted():
        form.responsible_organisation_id.data = str(item.responsible_organisation_id)
    elif form.validate():
        change = partial(service.update_action_item, current_user, item, form.data)
        return _save_or_conflict(item.minutes, change, _("Action item saved."))
    return render_template("minutes/action_item.html", form=form, minutes=item.minutes, item=item)


@bp.post("/<id:minutes_id>/actions/<id:action_item_id>/delete")
@login_required
def delete_action_item(minutes_id: int, action_item_id: int):
    """Remove an action item from a draft."""
    item = load_item(minutes_id, action_item_id)
    minutes = item.minutes
    require(can_edit_minutes(current_user, minutes))
    if not EmptyForm().validate_on_submit():
        abort(400)
    return _save_or_conflict(minutes, lambda: service.remove_action_item(current_user, item),
                             _("Action item removed."))


def _prefill(form: CommitmentForm, item: ActionItem) -> None:
    """Fill the commitment form from the action item and its minutes."""
    for name, text in item.suggested_texts().items():  # each language the item is written in
        form[name].data = text
    form.symposium_id.data = str(item.minutes.symposium_id or "")
    form.target_date.data = item.due_date
    form.visibility.data = item.minutes.visibility
    form.idempotency_key.data = uuid4().hex


@bp.route("/<id:minutes_id>/actions/<id:action_item_id>/commitment", methods=["GET", "POST"])
@login_required
def convert_action_item(minutes_id: int, action_item_id: int):
    """Turn an action item into a commitment of the responsible organisation, prefilled, linked both ways."""
    item = load_item(minutes_id, action_item_id)
    minutes = item.minutes
    if item.commitment_id is not None:
        sent_key = (request.form.get("idempotency_key") or "")[:64]
        if sent_key and sent_key == item.commitment.idempotency_key:
            # This very form was sent twice: the first submission created the commitment.
            return redirect(url_for("commitments.detail", commitment_id=item.commitment_id), code=303)
        flash(_("This action item has already become a commitment."), "info")
        return to_detail(minutes, f"action-item-{item.id}")
    if item.joint_action_id is not None:
        flash(_("This action item has already become a joint action."), "info")
        return to_detail(minutes, f"action-item-{item.id}")
    require(can_convert_action_item(current_user, item))
    form = CommitmentForm()
    fill_commitment_choices(form)
    if not form.is_submitted():
        _prefill(form, item)
    elif form.validate():
        key = (form.idempotency_key.data or "")[:64] or None
        if existing := find_commitment(key):
            return redirect(url_for("commitments.detail", commitment_id=existing.id), code=303)
        try:
            commitment = service.convert_action_item(current_user, item, form.data, key)
            if commitment is None:
                db.session.rollback()
                flash(_("This action item has already become a commitment."), "info")
                return to_detail(minutes, "action-items")
            db.session.commit()
        except IntegrityError:
            # The same form arrived twice at once (the key clashes at the flush or at the commit);
            # the other request created the commitment.
            db.session.rollback()
            item = db.session.get(ActionItem, action_item_id)
            existing = find_commitment(key) or item.commitment or abort(409)
            return redirect(url_for("commitments.detail", commitment_id=existing.id), code=303)
        flash(_("Commitment logged from the minutes' action item."), "success")
        return redirect(url_for("commitments.detail", commitment_id=commitment.id), code=303)
    return render_template("minutes/convert.html", form=form, minutes=minutes, item=item)


@bp.route("/<id:minutes_id>/attachments/new", methods=["GET", "POST"])
@login_required
def attach(minutes_id: int):
    """Attach a file (checked by its content) to a draft."""
    minutes = load_visible(minutes_id)
    require(can_edit_minutes(current_user, minutes))
    form = AttachmentForm()
    if form.validate_on_submit():
        try:
            attachment = save_upload(form.file.data, current_user, minutes.author_organisation_id)
        except UploadRejected as rejected:
            db.session.rollback()
            form.file.errors = [str(rejected)]
            return render_template("minutes/attachment.html", form=form, minutes=minutes)
        if not apply_or_conflict(lambda: service.attach_file(current_user, minutes, attachment)):
            discard_stored_file(attachment)
            return conflict(minutes_id)
        flash(_("File attached."), "success")
        return to_detail(minutes, "attachments")
    return render_template("minutes/attachment.html", form=form, minutes=minutes)


def load_attachment(minutes_id: int, attachment_id: int):
    """Load a file of minutes the current user may see, or answer 404."""
    minutes = load_visible(minutes_id)
    attachment = next((a for a in minutes.attachments if a.id == attachment_id), None)
    require_visible(attachment is not None)
    return minutes, attachment


@bp.get("/<id:minutes_id>/attachments/<id:attachment_id>")
@public
def download(minutes_id: int, attachment_id: int):
    """Download a file of the minutes, for those who may see them."""
    _minutes, attachment = load_attachment(minutes_id, attachment_id)
    return send_attachment(attachment)


@bp.post("/<id:minutes_id>/attachments/<id:attachment_id>/delete")
@login_required
def detach(minutes_id: int, attachment_id: int):
    """Remove a file from a draft."""
    minutes, attachment = load_attachment(minutes_id, attachment_id)
    require(can_edit_minutes(current_user, minutes))
    if not EmptyForm().validate_on_submit():
        abort(400)
    return _save_or_conflict(minutes, lambda: service.detach_file(current_user, minutes, attachment),
                             _("File removed."), "attachments")
