"""Managing organisations and people: who may, what is recorded, no lost edit."""

import re

import pytest
from sqlalchemy import select

from portal.accounts.models import User
from portal.core.audit import AuditEvent
from portal.extensions import db
from portal.organisations.models import Organisation
from tests.factories import PASSWORD
from tests.helpers import Browser

NEW_ORG = {"name": "Ministerio de Desarrollo Social", "name_en": "Ministry of Social Development",
           "acronym": "MIDES", "kind": "ministry", "country_iso3": "GTM", "host_country_iso3": "", "website": ""}


def signed_in(app, user):
    browser = Browser(app)
    assert browser.login(user.email, PASSWORD).status_code == 302
    return browser


def version_on(html: str) -> str:
    return re.search(r'name="version" type="hidden" value="(\d+)"', html).group(1)


@pytest.fixture
def people(factory):
    home = factory.organisation(slug="sreci", name="Cancillería de Honduras")
    other = factory.organisation(slug="minex", name="Cancillería de Guatemala", country="GTM")
    return {
        "home": home, "other": other,
        "admin": factory.admin(email="root@portal.example"),
        "org_admin": factory.user(home, role="org_admin", email="chief@sreci.example"),
        "editor": factory.user(home, role="editor", email="editor@sreci.example"),
        "viewer": factory.user(home, role="viewer", email="viewer@sreci.example"),
        "outsider": factory.user(other, role="org_admin", email="chief@minex.example"),
    }


def test_site_admin_creates_an_organisation_with_its_public_page(app, people):
    browser = signed_in(app, people["admin"])
    response = browser.submit("/admin/organisations/new", NEW_ORG)
    assert response.status_code == 303
    page = Browser(app).text(response.headers["Location"], headers={"Accept-Language": "en"})
    assert "Ministry of Social Development" in page and "Guatemala" in page
    with app.app_context():
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "create"))
        assert event.actor_id == people["admin"].id and event.changes["name"][1] == NEW_ORG["name"]


def test_embassy_has_a_host_country_and_others_do_not(app, people):
    browser = signed_in(app, people["admin"])
    refused = browser.submit("/admin/organisations/new", {**NEW_ORG, "host_country_iso3": "HND"})
    assert refused.status_code == 200
    embassy = {**NEW_ORG, "name": "Embajada de Guatemala en México", "kind": "embassy", "host_country_iso3": "MEX"}
    assert browser.submit("/admin/organisations/new", embassy).status_code == 303
    with app.app_context():
        saved = db.session.scalar(select(Organisation).where(Organisation.kind == "embassy"))
        assert saved.host_country_iso3 == "MEX"


@pytest.mark.parametrize("who", ["org_admin", "editor", "viewer"])
def test_only_site_admins_manage_organisations(app, people, who):
    browser = signed_in(app, people[who])
    assert browser.get("/admin/organisations/").status_code == 403
    assert browser.get("/admin/organisations/new").status_code == 403
    assert browser.get(f"/admin/organisations/{people['home'].id}/edit").status_code == 403
    token = browser.token("/")
    assert browser.post("/admin/organisations/new", data={**NEW_ORG, "csrf_token": token}).status_code == 403
    assert browser.post(f"/admin/organisations/{people['home'].id}/active", data={"csrf_token": token}).status_code == 403
    with app.app_context():
        assert db.session.get(Organisation, people["home"].id).is_active


def test_second_editor_of_an_organisation_is_refused_with_text_kept(app, people, factory):
    second_admin = factory.admin(email="root2@portal.example")
    first, second = signed_in(app, people["admin"]), signed_in(app, second_admin)
    url = f"/admin/organisations/{people['home'].id}/edit"
    version = version_on(first.text(url))
    assert version_on(second.text(url)) == version
    base = {"name": "Cancillería de Honduras", "kind": "ministry", "country_iso3": "HND", "version": version}
    assert first.submit(url, {**base, "acronym": "SRECI"}).status_code == 303
    refused = second.submit(url, {**base, "acronym": "SRE", "name_en": "Foreign Ministry (my careful text)"},
                            headers={"Accept-Language": "en"})
    html = refused.get_data(as_text=True)
    assert refused.status_code == 409
    assert "Someone else saved this organisation" in html
    assert "Foreign Ministry (my careful text)" in html
    assert "Current version" in html and "SRECI" in html
    with app.app_context():
        assert db.session.get(Organisation, people["home"].id).acronym == "SRECI"
    # Saving again from the refreshed form, now aware of the other change, succeeds.
    retry = second.submit(url, {**base, "acronym": "SRE", "version": version_on(html)})
    assert retry.status_code == 303


def test_disabling_an_organisation_hides_its_public_page(app, people):
    browser = signed_in(app, people["admin"])
    assert Browser(app).get("/orgs/sreci").status_code == 200
    assert browser.submit(f"/admin/organisations/{people['home'].id}/active", page="/admin/organisations/").status_code == 303
    assert Browser(app).get("/orgs/sreci").status_code == 404
    with app.app_context():
        assert db.session.get(Organisation, people["home"].id) is not None


@pytest.mark.parametrize("who, target, allowed", [
    ("admin", "editor", True), ("admin", "outsider", True),
    ("org_admin", "editor", True), ("org_admin", "viewer", True), ("org_admin", "outsider", False),
    ("org_admin", "admin", False), ("editor", "viewer", False), ("viewer", "editor", False),
    ("outsider", "editor", False),
])
def test_who_may_edit_and_disable_whom(app, people, who, target, allowed):
    browser = signed_in(app, people[who])
    member = people[target]
    edit = browser.get(f"/admin/people/{member.id}/edit")
    assert (edit.status_code == 200) is allowed
    response = browser.post(f"/admin/people/{member.id}/enabled", data={"csrf_token": browser.token("/")})
    assert response.status_code == (303 if allowed else 403)
    with app.app_context():
        assert db.session.get(User, member.id).is_enabled is (not allowed)


def test_people_list_shows_only_what_the_org_admin_manages(app, people):
    html = signed_in(app, people["org_admin"]).text("/admin/people/")
    assert "editor@sreci.example" in html and "chief@minex.example" not in html and "root@portal.example" not in html
    assert signed_in(app, people["editor"]).get("/admin/people/").status_code == 403


def test_org_admin_cannot_move_a_member_to_another_organisation(app, people):
    browser = signed_in(app, people["org_admin"])
    url = f"/admin/people/{people['editor'].id}/edit"
    response = browser.submit(url, {"position": "Analyst", "organisation_id": people["other"].id, "role": "org_admin",
                                    "version": version_on(browser.text(url))})
    assert response.status_code == 200
    with app.app_context():
        member = db.session.get(User, people["editor"].id)
        assert member.organisation_id == people["home"].id and member.role == "editor"


def test_role_change_takes_effect_at_once(app, people):
    editor_session = signed_in(app, people["editor"])
    browser = signed_in(app, people["org_admin"])
    url = f"/admin/people/{people['editor'].id}/edit"
    response = browser.submit(url, {"position": "Analyst", "organisation_id": people["home"].id, "role": "viewer",
                                    "version": version_on(browser.text(url))})
    assert response.status_code == 303
    # The old session was issued under the old role; it ends so the new one applies.
    assert editor_session.get("/account/").status_code == 302
    with app.app_context():
        assert db.session.get(User, people["editor"].id).role == "viewer"


def test_public_pages_of_organisations(app, people):
    client = Browser(app)
    html = client.text("/orgs/", headers={"Accept-Language": "en"})
    assert "Cancillería de Honduras" in html and "Cancillería de Guatemala" in html
    assert client.get("/orgs/no-such-org").status_code == 404
    country = client.text("/countries/GTM", headers={"Accept-Language": "en"})
    assert "Cancillería de Guatemala" in country and "Cancillería de Honduras" not in country
    assert client.get("/countries/XYZ").status_code == 404
    assert client.get("/countries/gtm").headers["Location"].endswith("/countries/GTM")
