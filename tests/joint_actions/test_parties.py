"""Parties: the proposal workflow, each party alone with its share, no right before accepting or after
declining, and ids in URLs or forms that point elsewhere change nothing."""

import io
from datetime import date

import pytest

from portal.core.audit import AuditEvent
from portal.joint_actions.models import JointAction, Party
from portal.progress.models import ProgressUpdate, UpdateReview
from tests.core import samples
from tests.helpers import translated
from tests.joint_actions.support import Actions, browser, count, listed, load, post

OWN_SHARE_POSTS = {
    "edit": ("edit", {"deliverable_es": "Reescrito por otra parte."}),
    "report": ("updates/new", {"reported_on": date.today().isoformat(), "status": "completed",
                               "note": "Marcado como completado por otra organización, con una explicación larga."}),
}


@pytest.fixture
def actions(app, cast):
    return Actions(app, cast)


def test_a_proposed_partner_becomes_a_party_only_when_it_accepts(app, cast, actions):
    action_id = actions.create("public", title="Guía del Migrante")
    lead = browser(app, cast["lead_editor"])
    response = post(lead, f"/actions/{action_id}/parties/new", {
        "organisation_id": str(cast["partner"].id), "role": "co-lead", "deliverable_es": "Distribuir en **México**.",
        "deliverable_due": "2027-06-30"})
    assert response.status_code == 303
    party = next(p for p in actions.load(action_id).parties if p.organisation_id == cast["partner"].id)
    assert (party.response, party.role) == ("proposed", "co-lead")
    page = browser(app).text(f"/actions/{action_id}")
    assert "National Migration Institute" not in page, "a proposal is not shown as a party"
    assert "National Migration Institute" in lead.text(f"/actions/{action_id}"), "the lead sees whom it proposed"

    partner = browser(app, cast["partner_editor"])
    assert "Guía del Migrante" in partner.text("/actions/").split('id="proposals"')[1].split("</section>")[0]
    form = partner.text(f"/actions/{action_id}/parties/{party.id}/respond")
    assert "Distribuir en <strong>México</strong>." in form and "Co-lead" in form
    assert post(partner, f"/actions/{action_id}/parties/{party.id}/respond", {"answer": "accept"}).status_code == 303
    assert load(app, Party, party.id).response == "accepted"
    page = browser(app).text(f"/actions/{action_id}")
    assert f'id="party-{party.id}"' in page and "National Migration Institute" in page
    assert 'id="proposals"' not in partner.text("/actions/"), "nothing left to answer"
    # Answered once: the answer form is gone (a second answer would change nothing).
    assert partner.get(f"/actions/{action_id}/parties/{party.id}/respond").status_code == 404
    assert post(partner, f"/actions/{action_id}/parties/{party.id}/respond", {"answer": "decline"}).status_code == 404
    assert load(app, Party, party.id).response == "accepted"


def test_a_declined_partner_is_not_shown_and_may_be_proposed_again(app, cast, actions):
    action_id = actions.create("public")
    party_id = actions.propose(action_id, "declined", answer="decline")
    anonymous = browser(app).text(f"/actions/{action_id}")
    assert "Cancillería de El Salvador" not in anonymous
    lead = browser(app, cast["lead_editor"])
    assert "Declined" in lead.text(f"/actions/{action_id}")
    assert post(lead, f"/actions/{action_id}/parties/new", {
        "organisation_id": str(cast["declined"].id), "role": "partner", "deliverable_es": "Una nueva propuesta."
    }).status_code == 303
    party = load(app, Party, party_id)
    assert (party.response, party.deliverable) == ("proposed", "Una nueva propuesta.")
    assert count(app, Party, Party.action_id == action_id) == 2, "the same row is proposed again"


@pytest.mark.parametrize("who", ["pending_editor", "declined_editor"])
def test_a_pending_or_declined_partner_gains_no_right(app, cast, actions, who):
    action_id = actions.create("parties", title="Solo para las partes")
    pending = actions.propose(action_id, "pending", answer=None)
    declined = actions.propose(action_id, "declined", answer="decline")
    own = pending if who == "pending_editor" else declined
    client = browser(app, cast[who])
    assert client.get(f"/actions/{action_id}").status_code == 404
    assert action_id not in listed(client.text("/actions/"))
    for path, data in OWN_SHARE_POSTS.values():
        assert client.get(f"/actions/{action_id}/parties/{own}/{path}").status_code == 404
        assert post(client, f"/actions/{action_id}/parties/{own}/{path}", data).status_code == 404
    assert count(app, ProgressUpdate) == 0 and load(app, Party, own).deliverable == "Su parte."
    # The same action made public: they read it, and still change nothing.
    with app.app_context():
        from portal.extensions import db

        db.session.get(JointAction, action_id).visibility = "public"
        db.session.commit()
    assert client.get(f"/actions/{action_id}").status_code == 200
    for path, data in OWN_SHARE_POSTS.values():
        assert post(client, f"/actions/{action_id}/parties/{own}/{path}", data).status_code == 404
    assert post(client, f"/actions/{action_id}/edit", {"title_es": "Tomada", "visibility": "public",
                                                         "version": "1"}).status_code == 403
    assert count(app, ProgressUpdate) == 0 and load(app, JointAction, action_id).title == "Solo para las partes"


def test_a_party_cannot_change_another_partys_share(app, cast, actions):
    action_id = actions.create("public")
    lead_party = actions.lead_party(action_id)
    partner_party = actions.propose(action_id, "partner")
    update = actions.report(lead_party, "lead_editor", note="Informe de la cancillería.")
    partner = browser(app, cast["partner_editor"])
    lead = browser(app, cast["lead_editor"])
    events = count(app, AuditEvent)
    for client, other in ((partner, lead_party), (lead, partner_party)):
        for path, data in OWN_SHARE_POSTS.values():
            assert client.get(f"/actions/{action_id}/parties/{other}/{path}").status_code == 403
            assert post(client, f"/actions/{action_id}/parties/{other}/{path}", data).status_code == 403
    assert "Report progress on our share" not in partner.text(f"/actions/{action_id}").split(f'id="party-{lead_party}"')[1] \
        .split("</article>")[0]
    for party_id in (lead_party, partner_party):
        assert load(app, Party, party_id).deliverable in ("", "Su parte.")
    assert count(app, ProgressUpdate) == 1 and load(app, ProgressUpdate, update).note == "Informe de la cancillería."
    assert load(app, Party, lead_party).status == "in_progress" and load(app, Party, partner_party).status == "planned"
    assert count(app, AuditEvent) == events


def test_posting_another_partys_id_changes_nothing(app, cast, actions):
    """Ids are taken from the URL and checked against the signed-in organisation; form fields naming others are ignored."""
    first = actions.create("public", title="Primera")
    second = actions.create("public", title="Segunda")
    partner_first = actions.propose(first, "partner")
    partner_second = actions.propose(second, "partner")
    other_update = actions.report(actions.lead_party(second), "lead_editor")
    partner = browser(app, cast["partner_editor"])
    # Its own party, but under the other action's URL: 404.
    assert post(partner, f"/actions/{first}/parties/{partner_second}/edit", {"deliverable_es": "Cruzado"}).status_code == 404
    assert post(partner, f"/actions/{first}/parties/{partner_second}/updates/new",
                OWN_SHARE_POSTS["report"][1]).status_code == 404
    # An update of another action reached through a visible party: 404, for the reviewer too.
    iom = browser(app, cast["iom_editor"])
    assert post(iom, f"/actions/{first}/parties/{partner_first}/updates/{other_update}/review",
                {"verdict": "questioned", "comment": "No."}).status_code == 404
    assert iom.get(f"/actions/{first}/parties/{partner_first}/updates/{other_update}/evidence").status_code == 404
    # Its own share, with fields that name another party, organisation, status or author.
    tampered = {"party_id": str(actions.lead_party(first)), "organisation_id": str(cast["lead"].id),
                "action_id": str(second), "status": "completed", "response": "accepted", "role": "lead",
                "author_id": str(cast["lead_editor"].id), "review_state": "verified", "indicator_value": "999",
                "commitment_id": "1"}
    assert post(partner, f"/actions/{first}/parties/{partner_first}/edit",
                {**tampered, "deliverable_es": "Nuestra parte."}).status_code == 303
    mine = load(app, Party, partner_first)
    assert (mine.deliverable, mine.role, mine.status, mine.organisation_id, mine.action_id) == \
        ("Nuestra parte.", "partner", "planned", cast["partner"].id, first)
    assert post(partner, f"/actions/{first}/parties/{partner_first}/updates/new",
                {**tampered, **OWN_SHARE_POSTS["report"][1], "status": "in_progress"}).status_code == 303
    with app.app_context():
        from sqlalchemy import select

        from portal.extensions import db

        update = db.session.scalars(select(ProgressUpdate).where(ProgressUpdate.party_id == partner_first)).one()
        assert (update.organisation_id, update.author_id, update.review_state, update.commitment_id,
                update.indicator_value) == (cast["partner"].id, cast["partner_editor"].id, "pending", None, None)
    assert load(app, Party, actions.lead_party(first)).status == "planned"
    # The respond form of another organisation's proposal: 404, and nothing answered.
    pending = actions.propose(first, "pending", answer=None)
    assert post(partner, f"/actions/{first}/parties/{pending}/respond", {"answer": "accept"}).status_code == 404
    assert load(app, Party, pending).response == "proposed"
    # Proposing an organisation that is already a party, or one that does not exist, is refused on the form.
    lead = browser(app, cast["lead_editor"])
    for organisation_id in (str(cast["partner"].id), "987654", "not-a-number"):
        response = post(lead, f"/actions/{first}/parties/new", {"organisation_id": organisation_id, "role": "partner",
                                                                "deliverable_es": "Otra vez."})
        assert response.status_code == 200 and "Not a valid choice" in response.get_data(as_text=True)
    assert count(app, Party, Party.action_id == first) == 3


def test_iom_reviews_party_updates_but_not_its_own(app, cast, actions):
    action_id = actions.create("public")
    iom_party = actions.propose(action_id, "iom", role="technical support")
    partner_party = actions.propose(action_id, "partner")
    own = actions.report(iom_party, "iom_editor")
    other = actions.report(partner_party, "partner_editor")
    iom = browser(app, cast["iom_editor"])
    base = f"/actions/{action_id}/parties"
    assert post(iom, f"{base}/{iom_party}/updates/{own}/review", {"verdict": "verified"}).status_code == 403
    response = post(iom, f"{base}/{partner_party}/updates/{other}/review", {"verdict": "questioned",
                                                                            "comment": "¿Cuántas guías?"})
    assert response.status_code == 303 and response.headers["Location"].endswith(f"#update-{other}")
    assert count(app, UpdateReview) == 1
    assert load(app, Party, partner_party).review_state == "questioned"
    assert load(app, ProgressUpdate, other).review_state == "questioned"
    page = browser(app).text(f"/actions/{action_id}")
    assert "¿Cuántas guías?" in page and "Questioned" in page


def test_an_oversized_file_shows_the_form_again_with_the_reason(make_app, cast):
    app = make_app(MAX_CONTENT_LENGTH=8 * 1024)
    actions = Actions(app, cast)
    action_id = actions.create("public")
    party = actions.propose(action_id, "partner")
    client = browser(app, cast["partner_editor"], language="es")
    url = f"/actions/{action_id}/parties/{party}/updates/new"
    response = post(client, url, {"reported_on": date.today().isoformat(), "status": "in_progress", "note": "Acta.",
                                  "evidence_file": (io.BytesIO(samples.pdf() + b"%" * 20_000), "enorme.pdf")},
                    content_type="multipart/form-data")
    assert response.status_code == 413
    page = response.get_data(as_text=True)
    assert 'name="evidence_file"' in page and 'name="indicator_value"' not in page
    assert translated(app, "The file is larger than %(limit)s.", "es", limit="20 MB") in page
    assert count(app, ProgressUpdate) == 0
