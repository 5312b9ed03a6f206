"""Importing commitments from a table: upload and preview, then confirm (all rows, or only the valid ones)."""

from flask import Response, current_app, flash, redirect, render_template, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user
from sqlalchemy.orm.exc import StaleDataError

from portal.commitments.blueprint import FIELD_LABELS, bp
from portal.commitments.importing import store
from portal.commitments.importing.apply import apply_preview
from portal.commitments.importing.forms import ImportConfirmForm, ImportUploadForm
from portal.commitments.importing.parsing import ImportFileError, read_table
from portal.commitments.importing.preview import build_preview
from portal.commitments.importing.template import template_workbook
from portal.commitments.permissions import can_import_commitments
from portal.core.exports import XLSX_TYPE
from portal.core.permissions import login_required, require
from portal.extensions import db


OUTCOME_LABELS = {"new": _l("New"), "proposed": _l("Proposed to the organisation"), "changed": _l("Changed"), "unchanged": _l("Unchanged"),
                  "conflict": _l("Changed by someone else since the export"), "error": _l("Error")}
COLUMN_LABELS = {**FIELD_LABELS, "id": _l("Id"), "version": _l("Version"), "organisation": _l("Organisation"),
                 "symposium": _l("Symposium"), "status": _l("Status"), "indicator_achieved": _l("Achieved"),
                 "original_language": _l("Original language")}


@bp.app_template_global()
def import_outcome_label(kind: str) -> str:
    """What an import does with a row, in the reader's language."""
    return str(OUTCOME_LABELS[kind])


@bp.app_template_global()
def import_column_label(column: str) -> str:
    """A column of an imported table, in the reader's language."""
    return str(COLUMN_LABELS.get(column, column))


def _read(filename: str, data: bytes):
    return read_table(filename, data, current_app.config["IMPORT_MAX_BYTES"])


def _preview_of(data: bytes, meta: dict):
    return build_preview(current_user, _read(meta["filename"], data), meta["filename"])


@bp.route("/import", methods=["GET", "POST"])
@login_required
def import_upload():
    """Send a table of commitments and see what importing it would do; nothing is written yet."""
    require(can_import_commitments(current_user))
    form = ImportUploadForm()
    if form.validate_on_submit():
        upload = form.table.data
        data = upload.read(current_app.config["IMPORT_MAX_BYTES"] + 1) if upload else b""
        if upload:
            upload.close()
        filename = (getattr(upload, "filename", "") or "")[-200:]
        try:
            preview = build_preview(current_user, _read(filename, data), filename)
        except ImportFileError as error:
            form.table.errors = [str(error)]
            return render_template("commitments/import.html", form=form), 422
        token = store.keep(data, filename, current_user.id)
        confirm = ImportConfirmForm(formdata=None, token=token)
        return render_template("commitments/import_preview.html", preview=preview, form=confirm)
    return render_template("commitments/import.html", form=form)


@bp.post("/import/confirm")
@login_required
def import_confirm():
    """Carry out a previewed import in one transaction: every row or none, or only the valid rows."""
    require(can_import_commitments(current_user))
    form = ImportConfirmForm()
    kept = store.load(form.token.data, current_user.id) if form.validate_on_submit() else None
    if kept is None or not store.claim(form.token.data):
        flash(_("This import was already carried out or has expired. Send the file again."), "error")
        return redirect(url_for("commitments.import_upload"), code=303)
    try:
        preview = _preview_of(*kept)
        if form.scope.data != "valid" and not preview.is_clean:
            store.release(form.token.data)
            flash(_("Some rows have problems, so nothing was imported. Correct the file, or import only the "
                    "valid rows."), "error")
            return render_template("commitments/import_preview.html", preview=preview, form=form), 409
        outcome = apply_preview(current_user, preview, form.token.data)
        db.session.commit()
    except (ImportFileError, StaleDataError):
        db.session.rollback()
        store.release(form.token.data)
        flash(_("Someone changed these commitments meanwhile; nothing was imported. Export them again."), "error")
        return redirect(url_for("commitments.import_upload"), code=303)
    store.discard(form.token.data)
    flash(_("Imported: %(created)s new, %(changed)s changed.", created=outcome.created, changed=outcome.changed)
          + (" " + _("%(num)s proposed to other organisations, who will accept or decline them.",
                     num=outcome.proposed) if outcome.proposed else "")
          + (" " + ngettext("%(num)s row skipped.", "%(num)s rows skipped.", outcome.skipped)
             if outcome.skipped else ""), "success")
    return redirect(url_for("commitments.index", sort="recent"), code=303)


@bp.get("/import/template.xlsx")
@login_required
def import_template():
    """Download the import template in the reader's language, with drop-down lists and an example row."""
    require(can_import_commitments(current_user))
    data = template_workbook(current_user.organisation, str(get_locale()))
    name = _("commitments-template") + ".xlsx"
    return Response(data, mimetype=XLSX_TYPE, headers={"Content-Disposition": f'attachment; filename="{name}"',
                                                        "Cache-Control": "private, no-store"})
