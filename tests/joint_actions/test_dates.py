"""A joint action's dates change only when every other accepted party agrees, or when the partners agreed
the change at a meeting; until then it waits on each party's dashboard."""

from datetime import date, timedelta

import pytest

from portal.extensions import db
from portal.joint_actions.date_models import DateProposal
from portal.joint_actions.models import JointAction, Milestone
from tests.commitments.support import browser, hidden, post
from tests.joint_actions.support import Actions

END = date.today() + timedelta(days=100)
LATER = date.today() + timedelta(days=200)


@pytest.fixture
def actions(app, cast):
    return Actions(app, cast)


def action_with_partners(app, actions, cast, factory):
    action_id = actions.create("public", end_date=END)
    actions.propose(action_id, "partner")
    actions.propose(action_id, "pending", answer=None)  # not a party until it accepts: not asked
    actions.plan(action_id, milestones=("Protocolo firmado",))
    return action_id


def propose(app, client, action_id: int, **fields):
    page = client.text(f"/actions/{action_id}/dates/propose")
    return post(client, f"/actions/{action_id}/dates/propose", {
        "what": "", "new_date": LATER.isoformat(), "reason": "La firma se retrasó", "agreed_at": "",
        "idempotency_key": hidden(page, "idempotency_key"), **fields})


def end_date(app, action_id: int):
    with app.app_context():
        return db.session.get(JointAction, action_id).end_date


def test_the_end_date_changes_only_when_every_other_party_agrees(app, cast, factory, actions):
    action_id = action_with_partners(app, actions, cast, factory)
    lead = browser(app, cast["lead_editor"])
    assert propose(app, lead, action_id).status_code == 303
    assert end_date(app, action_id) == END  # pending

    partner = browser(app, cast["partner_editor"])
    dashboard = partner.text("/dashboard")
    assert "Date changes waiting for our agreement" in dashboard and "La firma" not in dashboard
    with app.app_context():
        proposal_id = db.session.query(DateProposal.id).scalar()
    assert f"#proposal-{proposal_id}" in dashboard
    page = partner.text(f"/actions/{action_id}")
    assert "Waiting for the parties" in page and "We agree" in page
    assert "We agree" not in lead.text(f"/actions/{action_id}")  # the lead proposed; it does not answer
    answered = post(partner, f"/actions/{action_id}/dates/{proposal_id}/answer", {"answer": "agree"})
    assert answered.status_code == 303
    assert end_date(app, action_id) == LATER
    assert "Agreed: in effect" in browser(app).text(f"/actions/{action_id}")
    assert f"#proposal-{proposal_id}" not in partner.text("/dashboard")
    # Answered once: a second answer is refused.
    assert post(partner, f"/actions/{action_id}/dates/{proposal_id}/answer", {"answer": "agree"}).status_code == 403


def test_a_party_that_declines_keeps_the_date(app, cast, factory, actions):
    action_id = action_with_partners(app, actions, cast, factory)
    propose(app, browser(app, cast["lead_editor"]), action_id)
    with app.app_context():
        proposal_id = db.session.query(DateProposal.id).scalar()
    partner = browser(app, cast["partner_editor"])
    assert post(partner, f"/actions/{action_id}/dates/{proposal_id}/answer", {"answer": "decline"}).status_code == 303
    assert end_date(app, action_id) == END
    assert "Declined by a party" in partner.text(f"/actions/{action_id}")


def test_agreed_at_a_meeting_applies_at_once_to_a_milestone(app, cast, factory, actions):
    symposium = factory.symposium(title="Reunión de seguimiento")
    action_id = action_with_partners(app, actions, cast, factory)
    with app.app_context():
        milestone_id = db.session.query(Milestone.id).filter_by(action_id=action_id).scalar()
    lead = browser(app, cast["lead_editor"])
    assert propose(app, lead, action_id, what=str(milestone_id), agreed_at=f"symposium:{symposium.id}").status_code == 303
    with app.app_context():
        assert db.session.get(Milestone, milestone_id).due_date == LATER
    # The meeting is named only in Spanish: the English page marks it so.
    assert 'Agreed at <span lang="es">Reunión de seguimiento</span> <small class="only-in">(only in Spanish)</small>.' \
        in browser(app).text(f"/actions/{action_id}")


def test_the_edit_form_cannot_move_an_agreed_end_date_and_others_cannot_propose(app, cast, factory, actions):
    action_id = action_with_partners(app, actions, cast, factory)
    lead = browser(app, cast["lead_editor"])
    page = lead.text(f"/actions/{action_id}/edit")
    assert "propose a new date to change it" in page
    saved = post(lead, f"/actions/{action_id}/edit", {
        "title_es": "Acción conjunta public", "description_es": "", "visibility": "public", "symposium_id": "",
        "source_minutes_id": "", "end_date": (END + timedelta(days=1)).isoformat(), "version": hidden(page, "version")})
    assert saved.status_code == 303 and end_date(app, action_id) == END
    partner = browser(app, cast["partner_editor"])
    assert partner.get(f"/actions/{action_id}/dates/propose").status_code == 403
    assert browser(app).get(f"/actions/{action_id}/dates/propose").status_code in (302, 401)
    assert propose(app, lead, action_id, reason="  ").status_code == 200  # a reason is required
    with app.app_context():
        assert db.session.query(DateProposal).count() == 0


def test_a_stale_deliverable_form_is_refused_with_the_text_kept(app, cast, factory, actions):
    action_id = actions.create("public")
    party_id = actions.propose(action_id, "partner")
    url = f"/actions/{action_id}/parties/{party_id}/edit"
    first, second = browser(app, cast["partner_editor"]), browser(app, cast["partner_editor"])
    first_page, second_page = first.text(url), second.text(url)
    saved = post(first, url, {"deliverable_es": "Intercambio mensual de datos.", "version": hidden(first_page, "version")})
    assert saved.status_code == 303
    stale = post(second, url, {"deliverable_es": "Texto que escribí mientras tanto.",
                               "version": hidden(second_page, "version")})
    page = stale.get_data(as_text=True)
    assert stale.status_code == 409 and "Texto que escribí mientras tanto." in page
    assert "Intercambio mensual de datos." in page  # the current version beside it
    with app.app_context():
        from portal.joint_actions.models import Party

        assert db.session.get(Party, party_id).deliverable == "Intercambio mensual de datos."
    # Saving again from the refreshed form works.
    again = post(second, url, {"deliverable_es": "Texto final.", "version": hidden(page, "version")})
    assert again.status_code == 303
