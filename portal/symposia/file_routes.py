"""Files of a symposium (concept note, programme, presentations): attached by those who edit it, downloaded
by anyone through this view, with the same checks as evidence files."""

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal.core.forms import AttachmentForm, EmptyForm
from portal.core.permissions import login_required, public, require, require_visible
from portal.core.uploads import UploadRejected, save_upload, send_attachment
from portal.extensions import db
from portal.symposia import service
from portal.symposia.permissions import can_edit_symposium
from portal.symposia.routes import bp, load


def _to_files(slug: str):
    return redirect(url_for("public.symposium", slug=slug, _anchor="files"), code=303)


@bp.route("/<slug:slug>/files/new", methods=["GET", "POST"])
@login_required
def attach(slug: str):
    """Attach a file to a symposium (those who edit it)."""
    symposium = load(slug)
    require(can_edit_symposium(current_user, symposium))
    form = AttachmentForm()
    if form.validate_on_submit():
        # Files belong to an organisation: the uploader's, or for a site admin the first organiser.
        owner = current_user.organisation_id or next((o.organisation_id for o in symposium.organisers), None)
        try:
            if owner is None:
                raise UploadRejected(_("Add an organiser to the symposium before attaching files."))
            attachment = save_upload(form.file.data, current_user, owner)
        except UploadRejected as rejected:
            db.session.rollback()
            form.file.errors = [str(rejected)]
            return render_template("symposia/attachment.html", form=form, symposium=symposium)
        service.attach_file(current_user, symposium, attachment)
        db.session.commit()  # a file left without its row by a failed commit is reaped by `flask reap-uploads`
        flash(_("File attached."), "success")
        return _to_files(slug)
    return render_template("symposia/attachment.html", form=form, symposium=symposium)


def _attachment_of(slug: str, attachment_id: int):
    symposium = load(slug)
    attachment = next((a for a in symposium.attachments if a.id == attachment_id), None)
    require_visible(attachment is not None)
    return symposium, attachment


@bp.get("/<slug:slug>/files/<id:attachment_id>")
@public
def download(slug: str, attachment_id: int):
    """Download a file of a symposium (symposia are public)."""
    _symposium, attachment = _attachment_of(slug, attachment_id)
    return send_attachment(attachment)


@bp.post("/<slug:slug>/files/<id:attachment_id>/delete")
@login_required
def detach(slug: str, attachment_id: int):
    """Take a file off a symposium's page (those who edit it)."""
    symposium, attachment = _attachment_of(slug, attachment_id)
    require(can_edit_symposium(current_user, symposium))
    if not EmptyForm().validate_on_submit():
        abort(400)
    service.detach_file(current_user, symposium, attachment)
    db.session.commit()
    flash(_("File removed."), "success")
    return _to_files(slug)
