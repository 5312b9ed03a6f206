"""/dashboard: what waits for the user's organisation, each item with the action the user may take,
nothing of another organisation's, in both languages, at a cost that does not grow with the data."""

import html
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import insert

from portal.extensions import db
from portal.followup.models import UpdateRequest
from tests.commitments.support import browser, is_login_redirect
from tests.factories import PASSWORD
from tests.followup.dashboard_support import Scene, section
from tests.helpers import budget, translated

SECTIONS = ("due_soon", "overdue", "unreported", "questioned", "requests", "minutes", "proposals")


@pytest.fixture
def scene(app, factory):
    return Scene(app, factory)


@pytest.fixture
def full(scene):
    """One real item of ours in every section, and the same kinds of items belonging to the other ministry."""
    s = scene
    TODAY = s.today
    items = {}
    for org, tag in ((s.ours, "OURS"), (s.other, "THEIRS")):
        items[tag] = {
            "due_soon": s.commitment(org, f"{tag} due soon", "parties", target=TODAY + timedelta(days=10)),
            "overdue": s.commitment(org, f"{tag} overdue", "parties", target=TODAY - timedelta(days=3)),
            "unreported": s.commitment(org, f"{tag} unreported", "parties", age_days=120),
            "questioned": s.questioned(org, f"{tag} questioned", "parties"),
        }
        asked = s.commitment(org, f"{tag} asked for news", "parties")
        items[tag]["request"] = s.request(asked, due=TODAY - timedelta(days=1))
        items[tag]["asked"] = asked
        lead = s.iom if org is s.ours else s.ours
        action = s.action(lead, f"{tag} joint action", "parties", end=TODAY + timedelta(days=200))
        items[tag]["party"] = s.party(action, org, due=TODAY - timedelta(days=2))
        items[tag]["party_action"] = action
        invite = s.action(s.iom, f"{tag} invitation", "parties")
        items[tag]["proposal"] = s.party(invite, org, accept=False)
        items[tag]["proposal_action"] = invite
        author = s.iom
        items[tag]["minutes"] = s.minutes(author, f"{tag} minutes to endorse", attendees=[org])
    return items


def test_each_section_shows_our_item_with_its_action_link(app, scene, full):
    page = browser(app, scene.editor).text("/dashboard")
    ours = full["OURS"]
    assert "OURS due soon" in section(page, "due_soon")
    assert f'href="/commitments/{ours["due_soon"].id}/updates/new"' in section(page, "due_soon")
    assert "OURS overdue" in section(page, "overdue")
    assert f'href="/commitments/{ours["overdue"].id}/updates/new"' in section(page, "overdue")
    # Our share of a joint action, late: its own report form.
    overdue = section(page, "overdue")
    assert "OURS joint action" in overdue
    assert f'href="/actions/{ours["party_action"]}/parties/{ours["party"]}/updates/new"' in overdue
    assert "OURS unreported" in section(page, "unreported")
    questioned = section(page, "questioned")
    assert "OURS questioned" in questioned and "Answer with an update" in questioned
    requests = section(page, "requests")
    assert "OURS asked for news" in requests and "Envíen el informe trimestral." in requests
    assert "Late" in requests and f'href="/commitments/{ours["asked"].id}/updates/new"' in requests
    minutes = section(page, "minutes")
    assert "OURS minutes to endorse" in minutes and "Read and endorse" in minutes
    assert f'href="/minutes/{ours["minutes"]}"' in minutes
    proposals = section(page, "proposals")
    assert "OURS invitation" in proposals
    assert f'href="/actions/{ours["proposal_action"]}/parties/{ours["proposal"]}/respond"' in proposals
    # The links lead where they say, for this editor.
    client = browser(app, scene.editor)
    for url in (f"/commitments/{ours['overdue'].id}/updates/new",
                f"/actions/{ours['party_action']}/parties/{ours['party']}/updates/new",
                f"/actions/{ours['proposal_action']}/parties/{ours['proposal']}/respond",
                f"/minutes/{ours['minutes']}"):
        assert client.get(url).status_code == 200, url


def test_nothing_of_another_organisation_appears(app, scene, full):
    page = browser(app, scene.editor).text("/dashboard")
    assert "OURS overdue" in page
    assert "THEIRS" not in page
    # And the other ministry sees its own, never ours (all of ours are visible to the parties only).
    theirs = browser(app, scene.other_editor).text("/dashboard")
    assert "THEIRS overdue" in theirs and "THEIRS minutes to endorse" in theirs
    assert "OURS" not in theirs


def test_minutes_already_endorsed_and_answered_requests_leave_the_dashboard(app, scene, full):
    scene.endorse(full["OURS"]["minutes"], scene.ours)
    scene.factory.update(full["OURS"]["asked"], scene.editor)
    page = browser(app, scene.editor).text("/dashboard")
    assert "OURS minutes to endorse" not in page
    assert "OURS asked for news" not in section(page, "requests")
    assert "No update request is waiting for an answer." in page


def test_a_viewer_sees_the_items_but_no_action_link(app, scene, full):
    page = browser(app, scene.viewer).text("/dashboard")
    for name in SECTIONS:
        assert "OURS" in section(page, name), name
    assert "/updates/new" not in page and "/respond" not in page
    assert "Read and endorse" not in page and "Post an update" not in page


def test_closed_archived_and_far_items_stay_off(app, scene):
    s = scene
    TODAY = s.today
    s.commitment(s.ours, "Far away", target=TODAY + timedelta(days=60))
    s.commitment(s.ours, "Due today", target=TODAY)
    done = s.commitment(s.ours, "Done already", target=TODAY - timedelta(days=5))
    s.factory.update(done, s.editor, status="completed")
    draft = s.minutes(s.iom, "Still a draft", attendees=[s.ours], circulate=False)
    page = browser(app, s.editor).text("/dashboard")
    assert "Due today" in section(page, "due_soon")
    assert "Far away" not in page and "Done already" not in page and "Still a draft" not in page
    assert draft


def test_headings_in_both_languages(app, scene, full):
    spanish = browser(app, scene.editor, language="es").text("/dashboard")
    english = browser(app, scene.editor, language="en").text("/dashboard")
    for message in ("Overdue", "Minutes waiting for our endorsement", "Update requests addressed to us"):
        es = translated(app, message, "es")
        assert es != message
        assert f">{html.escape(es, quote=False)}</h2>" in spanish
        assert f">{message}</h2>" in english
    assert '<html lang="es">' in spanish and "Panel" in spanish


def test_site_admin_without_organisation_gets_an_explanation(app, factory):
    page = browser(app, factory.admin()).get("/dashboard")
    assert page.status_code == 200
    assert "Your account belongs to no organisation" in page.get_data(as_text=True)


def test_the_dashboard_needs_a_sign_in_and_is_in_the_menu(app, scene):
    assert is_login_redirect(browser(app).get("/dashboard"))
    assert 'href="/dashboard"' not in browser(app).text("/")
    assert 'href="/dashboard"' in browser(app, scene.viewer).text("/")


def test_sign_in_lands_on_the_dashboard_unless_a_page_was_asked_for(app, scene, factory):
    client = browser(app)
    response = client.login(scene.editor.email, PASSWORD)
    assert response.headers["Location"] == "/dashboard"
    client = browser(app)
    response = client.submit("/account/login?next=/commitments/", {"email": scene.editor.email, "password": PASSWORD,
                                                                 "next": "/commitments/"})
    assert response.headers["Location"] == "/commitments/"
    admin = factory.admin()
    assert browser(app).login(admin.email, PASSWORD).headers["Location"] == "/"


def _add_items(app, scene, number: int) -> None:
    """``number`` items of ours in each item section, and as many open update requests (in a few statements)."""
    old = datetime.now(timezone.utc) - timedelta(days=200)
    TODAY = scene.today
    for fields in ({"target_date": TODAY + timedelta(days=5)}, {"target_date": TODAY - timedelta(days=5)},
                   {"created_at": old}, {"review_state": "questioned", "last_reported_on": TODAY}):
        ids = scene.factory.bulk_commitments(scene.ours, scene.editor, number, visibility="parties", **fields)
    with app.app_context():
        db.session.execute(insert(UpdateRequest), [
            {"commitment_id": cid, "organisation_id": scene.ours.id, "requested_by_id": scene.iom_editor.id,
             "requesting_organisation_id": scene.iom.id, "message": "¿Avances?", "due_date": TODAY} for cid in ids])
        db.session.commit()


def test_query_count_does_not_grow_with_the_number_of_items(app, scene, full):
    client = browser(app, scene.editor)
    _add_items(app, scene, 10)
    small = budget(app, client, "/dashboard")
    _add_items(app, scene, 490)
    large = budget(app, client, "/dashboard")
    page = client.text("/dashboard")
    print("dashboard statements with 10 and 500 items per section:", small, large)
    assert large == small
    # Bounded lists: ten rows a section, the rest counted, and the filtered list a click away.
    assert section(page, "overdue").count('<li class="item">') == 10
    assert "more are not shown here." in section(page, "overdue")
    assert f'href="/commitments/?organisation={scene.ours.id}&amp;flag=overdue"' in section(page, "overdue")
    assert ">Overdue</a>: 502</li>" in page
