"""Starting and editing joint actions: no lost edit on the shared part, no double creation, append-only
updates, an audit event for every change, and the plan (countries, milestones, links) through its forms."""

import re
from datetime import date, timedelta

from markupsafe import escape

from portal.core.audit import AuditEvent
from portal.joint_actions.models import ActionCountry, JointAction, Milestone, Party
from portal.progress.models import ProgressUpdate
from tests.helpers import translated
from tests.joint_actions.support import Actions, browser, count, hidden, listed, load, post

CONFLICT = ("Someone else saved this joint action while you were editing. Your text is kept below; "
            "compare it with the current version and save again.")


def edit_form(page: str) -> dict:
    """The fields of the edit page as the browser would send them back unchanged."""
    title = re.search(r'name="title_es"[^>]*value="([^"]*)"', page).group(1)
    return {"title_es": title, "description_es": "", "symposium_id": "", "source_minutes_id": "", "visibility": "public",
            "version": hidden(page, "version")}


def test_starting_a_joint_action_through_the_form(app, cast, factory):
    symposium = factory.symposium(title="Simposio de Tegucigalpa")
    themes = factory.theme_ids()
    client = browser(app, cast["lead_editor"])
    page = client.text("/actions/new")
    data = {"title_es": "Retorno seguro desde México", "description_es": "Con **consulados móviles**.",
            "themes": [str(themes["safe_return"])], "symposium_id": str(symposium.id), "source_minutes_id": "",
            "start_date": "2026-01-10", "end_date": "2027-01-10", "visibility": "partners",
            "idempotency_key": hidden(page, "idempotency_key")}
    response = post(client, "/actions/new", data)
    assert response.status_code == 303
    # The same form sent again (a double click, a reload) creates nothing more.
    assert post(client, "/actions/new", data).headers["Location"] == response.headers["Location"]
    assert count(app, JointAction) == 1
    detail = client.text(response.headers["Location"])
    assert "<strong>consulados móviles</strong>" in detail and "Simposio de Tegucigalpa" in detail
    assert "Safe and dignified return" in detail and "Partners only" in detail
    action = Actions(app, cast).load(int(response.headers["Location"].rsplit("/", 1)[1]))
    assert [(p.organisation_id, p.role, p.response) for p in action.parties] == [(cast["lead"].id, "lead", "accepted")]
    assert (action.lead_organisation_id, action.created_by_id, action.status) == \
        (cast["lead"].id, cast["lead_editor"].id, "planned")


def test_an_edit_based_on_an_old_page_is_refused_and_the_text_kept(app, cast):
    action_id = Actions(app, cast).create("public", title="Antes")
    first, second = browser(app, cast["lead_editor"]), browser(app, cast["lead_admin"])
    url = f"/actions/{action_id}/edit"
    stale = edit_form(first.text(url))
    assert post(second, url, {**edit_form(second.text(url)), "title_es": "Guardado primero"}).status_code == 303
    response = post(first, url, {**stale, "title_es": "Mi versión", "description_es": "Mi texto largo."})
    assert response.status_code == 409
    page = response.get_data(as_text=True)
    assert str(escape(translated(app, CONFLICT, "en"))) in page
    assert 'value="Mi versión"' in page and "Mi texto largo." in page and "Guardado primero" in page
    assert load(app, JointAction, action_id).title == "Guardado primero"
    # Sent again from the conflict page (which carries the current version), it is saved.
    assert post(first, url, {**stale, "title_es": "Mi versión", "version": hidden(page, "version")}).status_code == 303
    assert load(app, JointAction, action_id).title == "Mi versión"


def test_a_partys_progress_does_not_turn_the_leads_open_form_into_a_conflict(app, cast):
    actions = Actions(app, cast)
    action_id = actions.create("public", title="Antes")
    partner = actions.propose(action_id, "partner")
    client = browser(app, cast["lead_editor"])
    form = edit_form(client.text(f"/actions/{action_id}/edit"))
    actions.report(partner, "partner_editor", "stalled")
    assert load(app, JointAction, action_id).status == "stalled"
    assert post(client, f"/actions/{action_id}/edit", {**form, "title_es": "Después"}).status_code == 303
    saved = load(app, JointAction, action_id)
    assert (saved.title, saved.status) == ("Después", "stalled"), "the edit keeps the derived status"


def test_party_updates_are_append_only(app, cast):
    """No route edits or deletes an update; a correction is a new update."""
    routes = {(rule.rule, method) for rule in app.url_map.iter_rules()
              if "update_id" in rule.arguments and rule.rule.startswith("/actions/")
              for method in rule.methods - {"HEAD", "OPTIONS"}}
    base = "/actions/<id:action_id>/parties/<id:party_id>/updates/<id:update_id>"
    assert routes == {(f"{base}/review", "GET"), (f"{base}/review", "POST"), (f"{base}/evidence", "GET")}
    actions = Actions(app, cast)
    action_id = actions.create("public")
    party = actions.lead_party(action_id)
    update = actions.report(party, "lead_editor", note="Tal como se informó.")
    client = browser(app, cast["lead_editor"])
    path = f"/actions/{action_id}/parties/{party}/updates/{update}"
    for suffix in ("", "/edit", "/delete"):
        for method in ("post", "put", "patch", "delete"):
            assert getattr(client, method)(path + suffix, data={"note": "Reescrito."}).status_code in (400, 404, 405)
    for method in ("put", "patch", "delete"):
        assert getattr(client, method)(f"/actions/{action_id}").status_code == 405
    assert load(app, ProgressUpdate, update).note == "Tal como se informó." and count(app, JointAction) == 1


def test_every_change_leaves_an_audit_event_and_the_history_tells_it(app, cast, factory):
    actions = Actions(app, cast)
    action_id = actions.create("public", title="Antes")
    commitment = factory.commitment(cast["lead"], "public", author=cast["lead_editor"])
    lead, partner = browser(app, cast["lead_editor"]), browser(app, cast["partner_editor"])
    base = f"/actions/{action_id}"
    steps = [
        (lead, f"{base}/edit", lambda: {**edit_form(lead.text(f"{base}/edit")), "title_es": "Después"}, "update"),
        (lead, f"{base}/parties/new", lambda: {"organisation_id": str(cast["partner"].id), "role": "partner",
                                               "deliverable_es": "Datos."}, "propose_party"),
        (partner, lambda: f"{base}/parties/{party_of(app, action_id, 'partner', cast)}/respond",
         lambda: {"answer": "accept"}, "accept_party"),
        (partner, lambda: f"{base}/parties/{party_of(app, action_id, 'partner', cast)}/edit",
         lambda: {"deliverable_es": "Datos mensuales."}, "update_party"),
        (partner, lambda: f"{base}/parties/{party_of(app, action_id, 'partner', cast)}/updates/new",
         lambda: {"reported_on": date.today().isoformat(), "status": "in_progress", "note": "Enviado."},
         "report_progress"),
        (lead, f"{base}/countries", lambda: {"country-country_iso3": "MEX", "country-role": "transit"}, "add_country"),
        (lead, lambda: f"{base}/countries/{first_id(app, ActionCountry, action_id)}/remove", dict, "remove_country"),
        (lead, f"{base}/milestones", lambda: {"milestone-title_es": "Taller", "milestone-due_date": "2027-02-01"},
         "add_milestone"),
        (lead, lambda: f"{base}/milestones/{first_id(app, Milestone, action_id)}/done", dict, "milestone_done"),
        (lead, lambda: f"{base}/milestones/{first_id(app, Milestone, action_id)}/done", dict, "milestone_reopened"),
        (lead, f"{base}/commitments", lambda: {"link-commitment_id": str(commitment.id)}, "link_commitment"),
        (lead, f"{base}/commitments/{commitment.id}/unlink", dict, "unlink_commitment"),
    ]
    for client, url, data, action in steps:
        before = count(app, AuditEvent, AuditEvent.action == action)
        response = post(client, url() if callable(url) else url, data())
        assert response.status_code == 303, action
        assert count(app, AuditEvent, AuditEvent.action == action) == before + 1, action
    history = browser(app).text(base).split('id="history"')[1]
    for label in ("Changed", "Partner proposed", "Proposal accepted", "Deliverable changed", "Progress reported",
                  "Country added", "Country removed", "Milestone added", "Milestone reached", "Milestone reopened",
                  "Commitment linked", "Commitment unlinked", "Created"):
        assert label in history, label
    assert "Title in Spanish: <del>Antes</del> → <ins>Después</ins>" in history
    assert "Deliverable in Spanish: <del>Datos.</del> → <ins>Datos mensuales.</ins>" in history


def party_of(app, action_id, organisation, cast) -> int:
    from sqlalchemy import select

    from portal.extensions import db

    with app.app_context():
        return db.session.scalar(select(Party.id).where(Party.action_id == action_id,
                                                        Party.organisation_id == cast[organisation].id))


def first_id(app, model, action_id) -> int:
    from sqlalchemy import select

    from portal.extensions import db

    with app.app_context():
        return db.session.scalar(select(model.id).where(model.action_id == action_id).order_by(model.id).limit(1))


def test_the_plan_page_adds_countries_milestones_and_links(app, cast, factory):
    actions = Actions(app, cast)
    action_id = actions.create("public")
    actions.propose(action_id, "partner")
    mine = factory.commitment(cast["partner"], "public", author=cast["partner_editor"], title="Compromiso del INM")
    hidden_one = factory.commitment(cast["partner"], "parties", author=cast["partner_editor"], title="Reservado")
    stranger = factory.commitment(cast["outsider"], "public", author=cast["outsider_editor"], title="Ajeno")
    client = browser(app, cast["lead_editor"])
    plan = client.text(f"/actions/{action_id}/plan")
    assert "Compromiso del INM" in plan and "Reservado" not in plan and "Ajeno" not in plan
    for country, role in (("HND", "origin"), ("HND", "return"), ("MEX", "transit")):
        assert post(client, f"/actions/{action_id}/countries",
                    {"country-country_iso3": country, "country-role": role}).status_code == 303
    again = post(client, f"/actions/{action_id}/countries", {"country-country_iso3": "MEX", "country-role": "transit"})
    assert again.status_code == 200 and "already has this role" in again.get_data(as_text=True)
    assert count(app, ActionCountry) == 3
    for commitment in (hidden_one, stranger):
        response = post(client, f"/actions/{action_id}/commitments", {"link-commitment_id": str(commitment.id)})
        assert response.status_code == 200 and "Not a valid choice" in response.get_data(as_text=True)
    assert post(client, f"/actions/{action_id}/commitments", {"link-commitment_id": str(mine.id)}).status_code == 303
    done = (date.today() - timedelta(days=3)).isoformat()
    assert post(client, f"/actions/{action_id}/milestones", {"milestone-title_es": "Protocolo firmado",
                                                             "milestone-done_on": done}).status_code == 303
    page = client.text(f"/actions/{action_id}")
    words = re.sub(r"<[^>]+>", "", page)
    assert "Honduras (Origin, Return) · Mexico (Transit)" in words
    assert 'href="/corridors/HND-MEX"' in page and "Compromiso del INM" in page and "Protocolo firmado" in page
    assert action_id in listed(client.text("/actions/?country=HND&country_role=return"))
    assert action_id not in listed(client.text("/actions/?country=MEX&country_role=origin"))
