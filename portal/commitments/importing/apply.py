"""Carrying out a previewed import: create and change commitments through the commitment service, and report a
changed status or value reached as a progress update through the progress service, as the forms do.

Flushes only; the route or command commits once (all rows, or only the valid ones).
"""

from dataclasses import dataclass

from flask_babel import gettext as _

from portal.commitments import service
from portal.commitments.importing.preview import CHANGED, NEW, Preview, RowPreview
from portal.commitments.importing.texts import form_texts
from portal.commitments.models import AgreedAt, Commitment
from portal.core.audit import record_event
from portal.core.clock import local_today
from portal.extensions import db
from portal.progress.service import report_progress

SCALAR_FIELDS = ("target_date", "visibility", "indicator_unit", "indicator_baseline", "indicator_target")


@dataclass
class Outcome:
    created: int = 0
    changed: int = 0
    skipped: int = 0


def _form_data(row: RowPreview, commitment: Commitment | None, note: str) -> dict:
    """The row's values as the commitment form would send them; columns the file lacks keep their value."""
    values = row.values
    data = form_texts(values, commitment)
    for name in SCALAR_FIELDS:
        data[name] = values[name] if name in values else getattr(commitment, name, None)
    symposium = values["symposium"] if "symposium" in values else getattr(commitment, "symposium", None)
    data["symposium_id"] = str(symposium.id) if symposium else None
    themes = values["themes"] if "themes" in values else getattr(commitment, "themes", [])
    tags = values["framework_tags"] if "framework_tags" in values else getattr(commitment, "framework_tags", [])
    data["themes"] = [theme.id for theme in themes]
    data["framework_tags"] = [tag.id for tag in tags]
    data["change_reason"] = note
    data["agreed_at"] = AgreedAt.PARTNERS.value
    return data


def _report(actor, commitment: Commitment, row: RowPreview, note: str) -> None:
    """A new status or value reached becomes a progress update, never an edit of an earlier one."""
    status = row.values.get("status")
    achieved = row.values.get("indicator_achieved")
    new_status = status is not None and status != commitment.status
    new_value = achieved is not None and achieved != commitment.indicator_achieved
    if new_status or new_value:
        report_progress(actor, commitment, {"reported_on": local_today(), "status": status or commitment.status,
                                            "note": note, "indicator_value": achieved if new_value else None})


def apply_row(actor, row: RowPreview, filename: str, token: str) -> Commitment:
    """Create or change the row's commitment and record the import on it."""
    note = _("Imported from %(file)s, row %(line)s.", file=filename, line=row.line)
    if row.kind == NEW:
        commitment = service.create_commitment(actor, _form_data(row, None, note), None)
    else:
        commitment = db.session.get(Commitment, row.commitment_id)
        service.update_commitment(actor, commitment, _form_data(row, commitment, note))
    _report(actor, commitment, row, note)
    record_event(actor, "import", commitment, {"file": filename, "import": token, "row": row.line})
    return commitment


def apply_preview(actor, preview: Preview, token: str) -> Outcome:
    """Carry out every new or changed row of ``preview``; the others are counted as skipped."""
    outcome = Outcome()
    for row in preview.rows:
        if row.kind not in (NEW, CHANGED):
            outcome.skipped += row.kind != "unchanged"
            continue
        apply_row(actor, row, preview.filename, token)
        if row.kind == NEW:
            outcome.created += 1
        else:
            outcome.changed += 1
    db.session.flush()
    return outcome
