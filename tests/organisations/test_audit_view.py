"""The audit view: site admins only, filters by organisation, person, record type and date, 50 a page."""

from datetime import timedelta

from sqlalchemy import select

from portal.core.audit import AuditEvent, record_event
from portal.core.db import utcnow
from portal.extensions import db
from tests.factories import PASSWORD
from tests.helpers import Browser

EN = {"Accept-Language": "en"}


def admin_browser(app, factory):
    factory.user(email="admin@portal.example", is_site_admin=True, role="viewer")
    browser = Browser(app)
    browser.login("admin@portal.example", PASSWORD)
    return browser


def rows(page: str) -> int:
    return page.split("<tbody>")[1].split("</tbody>")[0].count("<tr>")


def test_only_site_admins_see_the_audit_trail(app, factory):
    factory.user(email="boss@sreci.example", role="org_admin")
    boss = Browser(app)
    boss.login("boss@sreci.example", PASSWORD)
    assert boss.get("/admin/audit/").status_code == 403
    assert "/admin/audit/" not in boss.text("/")
    assert Browser(app).get("/admin/audit/").status_code == 302


def test_filters_by_organisation_person_record_type_and_date(app, factory):
    sreci = factory.organisation(name="SRECI")
    inm = factory.organisation(name="INM", country="MEX")
    focal = factory.user(email="focal@sreci.example", organisation=sreci)
    other = factory.user(email="agent@inm.example", organisation=inm)
    with app.app_context():
        record_event(focal, "update", sreci, {"name": ["Old name", "SRECI"]})
        record_event(other, "update", inm, {})
        old = record_event(other, "archive", focal)
        db.session.flush()
        old.created_at = utcnow() - timedelta(days=40)
        db.session.commit()
    browser = admin_browser(app, factory)
    everything = browser.text("/admin/audit/", headers=EN)
    assert rows(everything) >= 3
    by_org = browser.text(f"/admin/audit/?organisation={sreci.id}", headers=EN)
    assert rows(by_org) == 1 and "Old name → SRECI" in by_org
    by_person = browser.text("/admin/audit/?person=AGENT@inm", headers=EN)
    assert rows(by_person) == 2 and "focal@sreci.example" not in by_person.split("<tbody>")[1]
    by_type = browser.text("/admin/audit/?record_type=users&person=agent", headers=EN)
    assert rows(by_type) == 1 and "Archived" in by_type
    since = (utcnow() - timedelta(days=10)).date().isoformat()
    recent = browser.text(f"/admin/audit/?person=agent&since={since}", headers=EN)
    assert rows(recent) == 1
    until = (utcnow() - timedelta(days=30)).date().isoformat()
    assert rows(browser.text(f"/admin/audit/?person=agent&until={until}", headers=EN)) == 1


def test_bad_filters_answer_a_message_not_an_error(app, factory):
    browser = admin_browser(app, factory)
    response = browser.get("/admin/audit/?since=not-a-date&organisation=abc", headers=EN)
    assert response.status_code == 200 and "Not a valid date value" in response.get_data(as_text=True)


def test_pages_of_fifty(app, factory):
    organisation = factory.organisation()
    with app.app_context():
        for n in range(120):
            record_event(None, "update", organisation, {"n": [n, n + 1]})
        db.session.commit()
        total = len(db.session.scalars(select(AuditEvent.id)).all())
    browser = admin_browser(app, factory)
    first = browser.text("/admin/audit/?record_type=organisations", headers=EN)
    assert rows(first) == 50 and "Page 1 of 3" in first and 'rel="next"' in first
    assert 'href="/admin/audit/?page=2&amp;record_type=organisations"' in first
    last = browser.text("/admin/audit/?record_type=organisations&page=3", headers=EN)
    assert rows(last) == 20 and total >= 120
