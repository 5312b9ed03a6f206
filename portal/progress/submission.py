"""Steps shared by every progress form (commitments, joint-action parties): open it, store it with its file."""

from uuid import uuid4

from flask import current_app
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from portal.core.clock import local_today
from portal.core.uploads import UploadRejected, discard_stored_file, save_upload
from portal.extensions import db
from portal.progress.forms import ProgressUpdateForm
from portal.progress.models import ProgressUpdate


def save_progress_and_commit(form: ProgressUpdateForm, record) -> str:
    """Store a validated progress form and its evidence file, then commit once.

    ``record(attachment, key)`` appends the update through the subject's service. Returns "saved";
    "repeated" when a double submission of the same form was already stored (nothing more is kept);
    or "refused" when the file was refused (the message is on the form, nothing is stored).
    """
    key = (form.idempotency_key.data or "")[:64] or None
    if key and db.session.scalar(select(ProgressUpdate.id).where(ProgressUpdate.idempotency_key == key)):
        return "repeated"
    attachment = None
    try:
        if form.evidence_file.data and form.evidence_file.data.filename:
            attachment = save_upload(form.evidence_file.data, current_user, current_user.organisation_id)
        record(attachment, key)
        db.session.commit()
    except UploadRejected as rejected:
        db.session.rollback()
        form.evidence_file.errors = [str(rejected)]
        return "refused"
    except IntegrityError:
        # A double submission raced this one and was stored first; keep one, drop our file.
        db.session.rollback()
        if attachment:
            discard_stored_file(attachment)
        return "repeated"
    return "saved"


def too_large_progress_form(status: str) -> ProgressUpdateForm:
    """A fresh progress form saying the last file was too large to receive.

    The request body was refused before it was read, so the note typed cannot be shown again.
    """
    form = ProgressUpdateForm(formdata=None, reported_on=local_today(), status=status,
                              idempotency_key=uuid4().hex)
    size = "{} MB".format(current_app.config["UPLOAD_MAX_BYTES"] // (1024 * 1024))
    form.evidence_file.errors = [_("The file is larger than %(limit)s.", limit=size)]
    return form


def new_progress_form(status: str) -> ProgressUpdateForm:
    """The progress form, opened at today's date where the partners are, at the subject's current
    status, with a fresh idempotency key."""
    form = ProgressUpdateForm()
    if not form.is_submitted():
        form.reported_on.data = local_today()
        form.status.data = status
        form.idempotency_key.data = uuid4().hex
    return form
