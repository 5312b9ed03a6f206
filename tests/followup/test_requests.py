"""Update requests: who may ask, what the form refuses, double submissions, and the next update answering them."""

from datetime import date, timedelta

import pytest
from markupsafe import escape
from sqlalchemy import select

from portal.core.audit import AuditEvent
from portal.extensions import db
from portal.followup.models import UpdateRequest
from portal.joint_actions.models import Party
from tests.commitments.support import browser, count, hidden, is_login_redirect, portal_today, post
from tests.helpers import translated
from tests.joint_actions.support import Actions


@pytest.fixture
def cast(factory):
    """An owner ministry, another ministry, an IOM office, and their staff."""
    owner = factory.organisation(slug="sreci", name="Cancillería de Honduras", name_en="Foreign Ministry of Honduras")
    other = factory.organisation(slug="inm", name="Instituto Nacional de Migración", country="MEX",
                                 name_en="National Migration Institute")
    iom = factory.organisation(kind="iom_office", slug="oim", name="OIM Honduras", name_en="IOM Honduras")
    return {
        "owner": owner, "other": other, "iom": iom, "lead": owner, "partner": other,
        "owner_editor": factory.user(owner, email="editor@sreci.example"),
        "lead_editor": factory.user(owner, email="lead@sreci.example"),
        "owner_viewer": factory.user(owner, role="viewer", email="viewer@sreci.example"),
        "other_editor": factory.user(other, email="editor@inm.example"),
        "partner_editor": factory.user(other, email="partner@inm.example"),
        "iom_editor": factory.user(iom, email="editor@oim.example"),
        "iom_admin": factory.user(iom, role="org_admin", email="chief@oim.example"),
        "iom_viewer": factory.user(iom, role="viewer", email="viewer@oim.example"),
        "site_admin": factory.admin(email="root@portal.example"),
    }


def form_url(commitment) -> str:
    return f"/commitments/{commitment.id}/request-update"


def ask(client, url, message="¿Cuántas guías se entregaron?", due=None, key=None):
    """Open the request form and send it as a browser would (its own idempotency key unless given)."""
    page = client.text(url)
    data = {"message": message, "due_date": (due or date.today() + timedelta(days=10)).isoformat(),
            "idempotency_key": key or hidden(page, "idempotency_key")}
    return post(client, url, data)


def requests(app) -> list[UpdateRequest]:
    with app.app_context():
        rows = list(db.session.scalars(select(UpdateRequest).order_by(UpdateRequest.id)))
        db.session.expunge_all()
        return rows


def report(client, commitment, note="Se entregaron 16 000 guías."):
    data = {"reported_on": date.today().isoformat(), "status": "in_progress", "note": note}
    return post(client, f"/commitments/{commitment.id}/updates/new", data)


def test_iom_editor_asks_the_owner_and_everyone_who_may_see_the_commitment_sees_the_request(app, cast, factory):
    commitment = factory.commitment(cast["owner"], "partners", author=cast["owner_editor"], title="Guía consular")
    iom = browser(app, cast["iom_editor"])
    assert "Request an update" in iom.text(f"/commitments/{commitment.id}")
    response = ask(iom, form_url(commitment), message="Please send the delivery figures.")
    assert response.status_code == 303 and response.headers["Location"].endswith("#update-requests")
    assert "Update requested from Foreign Ministry of Honduras." in iom.text(f"/commitments/{commitment.id}")
    [saved] = requests(app)
    assert (saved.commitment_id, saved.party_id, saved.organisation_id, saved.requested_by_id,
            saved.requesting_organisation_id, saved.answered_at) == (
        commitment.id, None, cast["owner"].id, cast["iom_editor"].id, cast["iom"].id, None)
    for reader in ("owner_editor", "owner_viewer", "other_editor", "site_admin"):
        page = browser(app, cast[reader]).text(f"/commitments/{commitment.id}")
        assert "Please send the delivery figures." in page and "IOM Honduras asked Foreign Ministry of Honduras" in page
        assert "Open" in page and "Request an update" not in page, reader
    spanish = browser(app, cast["owner_editor"], language="es").text(f"/commitments/{commitment.id}")
    assert escape(translated(app, "Update requests", "es")) in spanish
    assert translated(app, "Open", "es") in spanish
    with app.app_context():
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.object_type == "update_requests"))
        assert (event.action, event.actor_id, event.object_id) == ("create", cast["iom_editor"].id, saved.id)


def test_the_public_sees_no_request_even_on_a_public_commitment(app, cast, factory):
    commitment = factory.commitment(cast["owner"], "public", author=cast["owner_editor"])
    assert ask(browser(app, cast["iom_editor"]), form_url(commitment), message="Internal question").status_code == 303
    page = browser(app).text(f"/commitments/{commitment.id}")
    assert "Internal question" not in page and "Update requests" not in page


@pytest.mark.parametrize("who", ["owner_editor", "other_editor", "iom_viewer", "site_admin"])
def test_only_iom_follow_up_staff_may_ask_about_a_commitment(app, cast, factory, who):
    commitment = factory.commitment(cast["owner"], "partners", author=cast["owner_editor"])
    client = browser(app, cast[who])
    assert client.get(form_url(commitment)).status_code == 403
    data = {"message": "Hola", "due_date": date.today().isoformat(), "idempotency_key": "x" * 32}
    assert post(client, form_url(commitment), data).status_code == 403
    assert "Request an update" not in client.text(f"/commitments/{commitment.id}")
    assert count(app, UpdateRequest) == 0


def test_iom_org_admin_may_ask_but_not_about_its_own_commitment(app, cast, factory):
    theirs = factory.commitment(cast["owner"], "partners", author=cast["owner_editor"])
    own = factory.commitment(cast["iom"], "partners", author=cast["iom_editor"])
    client = browser(app, cast["iom_admin"])
    assert ask(client, form_url(theirs)).status_code == 303
    assert client.get(form_url(own)).status_code == 403
    assert count(app, UpdateRequest) == 1


def test_signed_out_visitors_are_sent_to_sign_in(app, cast, factory):
    commitment = factory.commitment(cast["owner"], "public", author=cast["owner_editor"])
    assert is_login_redirect(browser(app).get(form_url(commitment)))


def test_a_request_on_a_hidden_commitment_answers_404(app, cast, factory):
    hidden_one = factory.commitment(cast["owner"], "parties", author=cast["owner_editor"])
    client = browser(app, cast["iom_editor"])
    assert client.get(form_url(hidden_one)).status_code == 404
    data = {"message": "Hola", "due_date": date.today().isoformat(), "idempotency_key": "y" * 32}
    assert post(client, form_url(hidden_one), data).status_code == 404
    assert client.get("/commitments/999999/request-update").status_code == 404
    assert count(app, UpdateRequest) == 0


@pytest.mark.parametrize("language", ["en", "es"])
def test_bad_input_shows_a_clear_message_keeps_the_text_and_stores_nothing(app, cast, factory, language):
    commitment = factory.commitment(cast["owner"], "partners", author=cast["owner_editor"])
    client = browser(app, cast["iom_editor"], language=language)
    cases = [
        ({"message": "Cifras, por favor.", "due_date": (portal_today(app) - timedelta(days=1)).isoformat()},
         "The date cannot be in the past.", "Cifras, por favor."),
        ({"message": "   ", "due_date": date.today().isoformat()}, "Write what you would like to know.", None),
        ({"message": "x" * 2001, "due_date": date.today().isoformat()}, "Use at most %(max)d characters.", None),
        ({"message": "Cifras <b>2026</b>", "due_date": "31/02/2026"}, "Enter the date by which you expect an answer.",
         "Cifras &lt;b&gt;2026&lt;/b&gt;"),
        ({"message": "Cifras\x00", "due_date": date.today().isoformat()},
         "This text contains characters that are not allowed.", None),
    ]
    for data, message, kept in cases:
        response = post(client, form_url(commitment), {**data, "idempotency_key": "k" * 32})
        page = response.get_data(as_text=True)
        expected = translated(app, message, language, **({"max": 2000} if "%(max)d" in message else {}))
        assert response.status_code == 200 and str(escape(expected)) in page, (data, language)
        if kept:
            assert kept in page
    assert count(app, UpdateRequest) == 0


def test_a_request_due_today_is_accepted_and_a_double_submission_stores_one(app, cast, factory):
    commitment = factory.commitment(cast["owner"], "partners", author=cast["owner_editor"])
    client = browser(app, cast["iom_editor"])
    page = client.text(form_url(commitment))
    key = hidden(page, "idempotency_key")
    today = portal_today(app)
    first = ask(client, form_url(commitment), message="Only once", due=today, key=key)
    second = ask(client, form_url(commitment), message="Only once", due=today, key=key)
    assert first.status_code == second.status_code == 303
    assert count(app, UpdateRequest) == 1
    assert client.text(f"/commitments/{commitment.id}").count("Only once") == 1


def test_the_next_progress_update_answers_every_open_request_and_only_those(app, cast, factory):
    commitment = factory.commitment(cast["owner"], "partners", author=cast["owner_editor"])
    other = factory.commitment(cast["owner"], "partners", author=cast["owner_editor"])
    iom = browser(app, cast["iom_editor"])
    ask(iom, form_url(commitment), message="First question")
    ask(iom, form_url(commitment), message="Second question")
    ask(iom, form_url(other), message="Another item")
    owner = browser(app, cast["owner_editor"])
    assert report(owner, commitment).status_code == 303
    first, second, third = requests(app)
    with app.app_context():
        from portal.progress.models import ProgressUpdate

        update_id = db.session.scalar(select(ProgressUpdate.id).where(ProgressUpdate.commitment_id == commitment.id))
    assert first.answered_at is not None and second.answered_at is not None and third.answered_at is None
    assert first.answer_update_id == second.answer_update_id == update_id
    page = owner.text(f"/commitments/{commitment.id}")
    assert page.count("Answered on") == 2 and "Late" not in page
    # A later update does not move the answer to itself.
    report(owner, commitment, note="Otra entrega.")
    assert requests(app)[0].answer_update_id == update_id


def test_an_unanswered_request_past_its_date_is_flagged_late(app, cast, factory):
    commitment = factory.commitment(cast["owner"], "partners", author=cast["owner_editor"])
    ask(browser(app, cast["iom_editor"]), form_url(commitment), message="Overdue question")
    [saved] = requests(app)
    factory.change(saved, due_date=date.today() - timedelta(days=3))
    for language in ("en", "es"):
        page = browser(app, cast["owner_editor"], language=language).text(f"/commitments/{commitment.id}")
        assert f'<span class="badge flag-overdue">{translated(app, "Late", language)}</span>' in page


def test_a_joint_action_party_is_asked_by_iom_and_by_the_lead_and_its_update_answers(app, cast, factory):
    actions = Actions(app, cast)
    action_id = actions.create("partners")
    party_id = actions.propose(action_id, "partner")
    lead_party = actions.lead_party(action_id)
    url = f"/actions/{action_id}/parties/{party_id}/request-update"
    lead = browser(app, cast["lead_editor"])
    assert f'href="{url}"' in lead.text(f"/actions/{action_id}")
    assert ask(lead, url, message="¿Cómo va su parte?").status_code == 303
    assert ask(browser(app, cast["iom_editor"]), url, message="Cifras de IOM").status_code == 303
    # The partner may not ask the lead, nor itself; a non-party outsider may not either.
    partner = browser(app, cast["partner_editor"])
    assert partner.get(f"/actions/{action_id}/parties/{lead_party}/request-update").status_code == 403
    assert partner.get(url).status_code == 403
    assert browser(app, cast["iom_viewer"]).get(url).status_code == 403
    page = partner.text(f"/actions/{action_id}")
    assert "¿Cómo va su parte?" in page and "Cifras de IOM" in page and page.count("Answered on") == 0
    assert actions.report(party_id, "partner_editor")
    assert all(r.answered_at is not None and r.party_id == party_id for r in requests(app))
    assert partner.text(f"/actions/{action_id}").count("Answered on") == 2


def test_a_party_of_a_hidden_action_or_an_unaccepted_party_answers_404(app, cast, factory):
    actions = Actions(app, cast)
    hidden_action = actions.create("parties")
    party_id = actions.propose(hidden_action, "partner")
    iom = browser(app, cast["iom_editor"])
    assert iom.get(f"/actions/{hidden_action}/parties/{party_id}/request-update").status_code == 404
    open_action = actions.create("partners", title="Otra acción")
    proposed = actions.propose(open_action, "partner", answer=None)
    assert iom.get(f"/actions/{open_action}/parties/{proposed}/request-update").status_code == 404
    assert iom.get(f"/actions/{open_action}/parties/{party_id}/request-update").status_code == 404
    with app.app_context():
        assert db.session.get(Party, proposed).response == "proposed"
    assert count(app, UpdateRequest) == 0
