"""The action page, the corridor page, the list and the symposium page cost the same number of SQL
statements with 10 or 200 parties, updates, milestones, linked commitments and actions."""

from datetime import date, timedelta
from uuid import uuid4

import pytest
from sqlalchemy import insert

from portal.commitments.models import Commitment
from portal.core.audit import AuditEvent
from portal.core.uploads import Attachment
from portal.extensions import db
from portal.joint_actions.models import (
    ActionCountry,
    JointAction,
    Milestone,
    Party,
    joint_action_commitments,
)
from portal.organisations.models import Organisation
from portal.progress.models import ProgressUpdate, UpdateReview
from tests.helpers import budget
from tests.joint_actions.support import Actions, browser, listed

SMALL, LARGE = 10, 200


def grow(app, cast, action_id: int, number: int) -> None:
    """Give the action ``number`` more accepted parties (new organisations), each with an update carrying a
    file and a review, ``number`` milestones, ``number`` linked commitments, and their audit events."""
    key = uuid4().hex[:8]
    lead, editor, iom = cast["lead"], cast["lead_editor"], cast["iom_editor"]
    with app.app_context():
        org_ids = db.session.scalars(insert(Organisation).returning(Organisation.id), [
            {"slug": f"org-{key}-{n}", "name": f"Institución {key} {n}", "kind": "ministry",
             "country_iso3": "MEX" if n % 2 else "HND", "is_active": True} for n in range(number)]).all()
        party_ids = db.session.scalars(insert(Party).returning(Party.id), [
            {"action_id": action_id, "organisation_id": org_id, "role": "partner", "deliverable_es": f"Parte {n}.",
             "status": "in_progress", "response": "accepted", "proposed_by_id": editor.id, "review_state": "verified",
             "position": 10 + n} for n, org_id in enumerate(org_ids)]).all()
        file_ids = db.session.scalars(insert(Attachment).returning(Attachment.id), [
            {"storage_name": uuid4().hex, "original_name": f"acta-{n}.pdf", "mimetype": "application/pdf",
             "extension": "pdf", "size_bytes": 100, "sha256": "0" * 64, "uploaded_by_id": editor.id,
             "organisation_id": lead.id} for n in range(number)]).all()
        update_ids = db.session.scalars(insert(ProgressUpdate).returning(ProgressUpdate.id), [
            {"party_id": party_id, "reported_on": date.today() - timedelta(days=n), "status": "in_progress",
             "note": f"Paso {n}.", "author_id": editor.id, "organisation_id": lead.id, "review_state": "verified",
             "attachment_id": file_id} for n, (party_id, file_id) in enumerate(zip(party_ids, file_ids))]).all()
        db.session.execute(insert(UpdateReview), [
            {"update_id": update_id, "verdict": "verified", "comment": "Visto.", "reviewer_id": iom.id,
             "reviewer_organisation_id": iom.organisation_id} for update_id in update_ids])
        db.session.execute(insert(Milestone), [{"action_id": action_id, "title_es": f"Hito {n}",
                                                "due_date": date.today() + timedelta(days=n)} for n in range(number)])
        commitment_ids = db.session.scalars(insert(Commitment).returning(Commitment.id), [
            {"title_es": f"Compromiso {key} {n}", "organisation_id": org_id, "created_by_id": editor.id,
             "visibility": "public", "status": "in_progress", "review_state": "none", "is_archived": False}
            for n, org_id in enumerate(org_ids)]).all()
        db.session.execute(insert(joint_action_commitments), [
            {"joint_action_id": action_id, "commitment_id": commitment_id} for commitment_id in commitment_ids])
        db.session.execute(insert(AuditEvent), [
            {"actor_id": editor.id, "actor_organisation_id": lead.id, "action": "report_progress",
             "object_type": "joint_action_parties", "object_id": party_id, "changes": {"update": n}}
            for n, party_id in enumerate(party_ids)])
        db.session.commit()


def more_actions(app, cast, number: int) -> None:
    """Add ``number`` public actions between Honduras and Mexico, each with the lead party and two countries."""
    editor = cast["lead_editor"]
    with app.app_context():
        ids = db.session.scalars(insert(JointAction).returning(JointAction.id), [
            {"title_es": f"Acción {uuid4().hex[:6]}", "lead_organisation_id": cast["lead"].id,
             "visibility": "public", "status": "in_progress", "created_by_id": editor.id,
             "end_date": date.today() - timedelta(days=1)} for _ in range(number)]).all()
        db.session.execute(insert(Party), [
            {"action_id": action_id, "organisation_id": cast["lead"].id, "role": "lead", "deliverable_es": "",
             "status": "in_progress", "response": "accepted", "proposed_by_id": editor.id, "review_state": "none",
             "position": 0} for action_id in ids])
        db.session.execute(insert(ActionCountry), [
            {"action_id": action_id, "country_iso3": iso3, "role": role, "position": n}
            for action_id in ids for n, (iso3, role) in enumerate((("HND", "origin"), ("MEX", "transit")))])
        db.session.commit()


@pytest.fixture
def readers(app, cast):
    return {"anonymous": browser(app), "lead_editor": browser(app, cast["lead_editor"]),
            "iom_editor": browser(app, cast["iom_editor"]), "site_admin": browser(app, cast["site_admin"])}


def test_action_and_corridor_pages_do_not_grow_with_parties_and_updates(app, cast, factory, readers):
    actions = Actions(app, cast)
    symposium = factory.symposium(slug="tegucigalpa")
    action_id = actions.create("public", symposium_id=symposium.id)
    actions.plan(action_id)
    actions.propose(action_id, "pending", answer=None)
    grow(app, cast, action_id, SMALL)
    more_actions(app, cast, SMALL)
    urls = [f"/actions/{action_id}", "/corridors/HND-MEX", "/actions/", "/actions/?country=MEX&flag=overdue",
            "/symposia/tegucigalpa", f"/actions/{action_id}/plan"]
    measure = {(who, url) for who in readers for url in urls if not url.endswith("/plan") or who == "lead_editor"}
    small = {(who, url): budget(app, readers[who], url) for who, url in sorted(measure)}
    grow(app, cast, action_id, LARGE - SMALL)
    more_actions(app, cast, LARGE - SMALL)
    page = readers["iom_editor"].text(f"/actions/{action_id}")
    assert page.count("Download evidence") == LARGE and page.count("Verify or question this update") == LARGE
    assert len(listed(readers["anonymous"].text("/corridors/HND-MEX"))) == LARGE + 1
    large = {(who, url): budget(app, readers[who], url) for who, url in sorted(measure)}
    for (who, url), count in sorted(small.items()):
        print(f"{who:12} {url:40} {count:3} statements with {SMALL}, {large[who, url]:3} with {LARGE}")
    assert large == small
