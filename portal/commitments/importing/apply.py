"""Carrying out a previewed import: create and change commitments through the commitment service, and report a
changed status or value reached as a progress update through the progress service, as the forms do.

Flushes only; the route or command commits once (all rows, or only the valid ones).
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from flask_babel import gettext as _

from portal.commitments import service
from portal.commitments.importing.preview import CHANGED, NEW, PROPOSED, Preview, RowPreview
from portal.commitments.importing.texts import TEXT_FIELDS, form_texts
from portal.commitments.models import AgreedAt, Commitment
from portal.commitments.proposal_models import CommitmentProposal, ProposalState
from portal.core.audit import record_event
from portal.core.clock import local_today
from portal.core.db import utcnow
from portal.extensions import db
from portal.progress.service import report_progress, report_progress_many

SCALAR_FIELDS = ("target_date", "visibility", "indicator_unit", "indicator_baseline", "indicator_target")


@dataclass
class Outcome:
    created: int = 0
    proposed: int = 0
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


def _progress(commitment: Commitment, values: dict, note: str) -> dict | None:
    """The progress update a new status or value reached makes (never an edit of an earlier one), or None."""
    status = values.get("status")
    achieved = values.get("indicator_achieved")
    new_status = status is not None and status != commitment.status
    new_value = achieved is not None and achieved != commitment.indicator_achieved
    if new_status or new_value:
        return {"reported_on": local_today(), "status": status or commitment.status, "note": note,
                "indicator_value": achieved if new_value else None}
    return None


def _report(actor, commitment: Commitment, values: dict, note: str) -> None:
    if (data := _progress(commitment, values, note)) is not None:
        report_progress(actor, commitment, data)


def _note(filename: str, row: RowPreview) -> str:
    return _("Imported from %(file)s, row %(line)s.", file=filename, line=row.line)


def _imported(actor, commitment: Commitment, row: RowPreview, filename: str, token: str) -> None:
    _report(actor, commitment, row.values, _note(filename, row))
    record_event(actor, "import", commitment, {"file": filename, "import": token, "row": row.line})


def create_rows(actor, rows: list[RowPreview], filename: str, token: str) -> None:
    """Create the commitments of new rows, together, and record the import on each."""
    created = service.create_commitments(actor, [_form_data(row, None, "") for row in rows])
    reports = [(commitment, data) for commitment, row in zip(created, rows)
               if (data := _progress(commitment, row.values, _note(filename, row))) is not None]
    report_progress_many(actor, reports)
    for commitment, row in zip(created, rows):
        record_event(actor, "import", commitment, {"file": filename, "import": token, "row": row.line})


def change_row(actor, row: RowPreview, filename: str, token: str) -> Commitment:
    """Change the row's commitment and record the import on it."""
    commitment = db.session.get(Commitment, row.commitment_id)
    service.update_commitment(actor, commitment, _form_data(row, commitment, _note(filename, row)))
    _imported(actor, commitment, row, filename, token)
    return commitment


def _stored(value):
    if isinstance(value, (date, Decimal)):
        return str(value)
    return value


def propose_row(actor, row: RowPreview, filename: str, token: str) -> CommitmentProposal:
    """Draft the row's commitment for its organisation: a proposal, until their editors accept it."""
    data = _form_data(row, None, "")
    values = {name: _stored(data[name]) for name in (*TEXT_FIELDS, "symposium_id", "themes",
                                                     "framework_tags", *SCALAR_FIELDS)}
    values["status"] = row.values.get("status")
    values["indicator_achieved"] = _stored(row.values.get("indicator_achieved"))
    symposium = row.values.get("symposium")
    proposal = CommitmentProposal(organisation_id=row.organisation.id, symposium_id=symposium.id if symposium else None,
                                  values=values, drafted_by_id=actor.id,
                                  drafted_by_organisation_id=actor.organisation_id,
                                  source=f"{filename}, {row.line}"[:300])
    db.session.add(proposal)
    db.session.flush()
    record_event(actor, "propose", proposal, {"file": filename, "import": token, "row": row.line})
    return proposal


def proposal_form_data(proposal: CommitmentProposal) -> dict:
    """A proposal's values as the commitment form sends them."""
    values = proposal.values
    data = {name: values.get(name) for name in (*TEXT_FIELDS, "symposium_id", "themes", "framework_tags",
                                                 "visibility", "indicator_unit")}
    data["target_date"] = date.fromisoformat(values["target_date"]) if values.get("target_date") else None
    for name in ("indicator_baseline", "indicator_target"):
        data[name] = Decimal(values[name]) if values.get(name) else None
    return data


def accept_proposal(actor, proposal: CommitmentProposal) -> Commitment:
    """The proposal becomes a commitment of the actor's organisation; its history names who drafted it."""
    commitment = service.create_commitment(actor, proposal_form_data(proposal), None)
    values = proposal.values
    achieved = Decimal(values["indicator_achieved"]) if values.get("indicator_achieved") else None
    _report(actor, commitment, {"status": values.get("status"), "indicator_achieved": achieved},
            _("Reported when the proposal was accepted."))
    proposal.state = ProposalState.ACCEPTED
    proposal.decided_by_id, proposal.decided_at, proposal.commitment_id = actor.id, utcnow(), commitment.id
    record_event(actor, "accept_proposal", commitment, {
        "drafted_by": proposal.drafted_by_organisation.display_name,
        "drafted_on": proposal.created_at.date().isoformat(), "source": proposal.source})
    return commitment


def decline_proposal(actor, proposal: CommitmentProposal, reason: str) -> None:
    """Decline a proposal with a reason; it is kept, and shown to whoever drafted it."""
    proposal.state = ProposalState.DECLINED
    proposal.decided_by_id, proposal.decided_at, proposal.decline_reason = actor.id, utcnow(), reason
    record_event(actor, "decline_proposal", proposal, {"reason": reason})


def edit_proposal(actor, proposal: CommitmentProposal, data: dict) -> None:
    """Change a proposal's values before accepting it (the status and value reached are kept)."""
    values = dict(proposal.values)
    values.update({name: _stored(data.get(name)) for name in (*TEXT_FIELDS, "symposium_id", "themes",
                                                               "framework_tags", *SCALAR_FIELDS)})
    proposal.values = values
    record_event(actor, "update", proposal, {})


def apply_preview(actor, preview: Preview, token: str) -> Outcome:
    """Carry out every new or changed row of ``preview``; the others are counted as skipped."""
    outcome = Outcome()
    with db.session.no_autoflush:
        # The services flush where they must; an autoflush before each of their look-ups would flush every row
        # again and again (an import of thousands of rows spent most of its time there).
        _apply_rows(actor, preview, token, outcome)
    db.session.flush()
    return outcome


#: Rows written between two flushes that let go of the written records.
BATCH = 100


def _let_go(actor) -> None:
    """Flush, and let go of the records written: they stay in the transaction, but kept in the session they made
    each flush slower than the last. The actor stays, for the rows to come."""
    db.session.flush()
    kept = actor._get_current_object() if hasattr(actor, "_get_current_object") else actor
    for record in [obj for obj in db.session.identity_map.values() if obj is not kept]:
        db.session.expunge(record)


def _apply_rows(actor, preview: Preview, token: str, outcome: Outcome) -> None:
    new = [row for row in preview.rows if row.kind == NEW]
    for start in range(0, len(new), BATCH):
        create_rows(actor, new[start:start + BATCH], preview.filename, token)
        outcome.created += len(new[start:start + BATCH])
        _let_go(actor)
    for number, row in enumerate(preview.rows, 1):
        if row.kind == NEW:
            continue
        if number % BATCH == 0:
            _let_go(actor)
        if row.kind not in (NEW, PROPOSED, CHANGED):
            outcome.skipped += row.kind != "unchanged"
            continue
        if row.kind == PROPOSED:
            propose_row(actor, row, preview.filename, token)
            outcome.proposed += 1
            continue
        change_row(actor, row, preview.filename, token)
        outcome.changed += 1
