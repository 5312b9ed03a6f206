"""The demo loads the approved minutes of the Tegucigalpa symposium and circulated follow-up minutes."""

import pytest
from sqlalchemy import select

from portal.commitments.models import Commitment
from portal.demo.data import DEMO_PASSWORD, ORGANISATIONS
from portal.demo.loader import load_demo
from portal.extensions import db
from portal.minutes.models import Minutes
from portal.symposia.models import Symposium
from tests.helpers import Browser


@pytest.fixture
def demo(app):
    with app.app_context():
        load_demo()
        db.session.commit()


def demo_browser(app, slug=None):
    browser = Browser(app)
    if slug:
        assert browser.login(f"{slug}@portal-demo.example", DEMO_PASSWORD).status_code == 302
    return browser


def test_the_symposium_minutes_are_approved_public_and_linked_to_commitments(app, demo):
    with app.app_context():
        symposium = db.session.scalar(select(Symposium).where(Symposium.slug == "tegucigalpa-corresponsabilidad"))
        minutes = db.session.scalar(select(Minutes).where(Minutes.symposium_id == symposium.id))
        assert minutes.status == "approved" and minutes.visibility == "public"
        assert minutes.author_organisation.slug == "oim-slv-gtm-hnd"
        assert len(minutes.attendees) == len(ORGANISATIONS)
        assert 0 < minutes.endorsement_count < len(minutes.attendees)
        # Approved, then corrected once: revision 2 is the current text, with its reason.
        assert [revision.number for revision in minutes.revisions] == [1, 2]
        assert minutes.revisions[1].body == minutes.body != minutes.revisions[0].body
        assert minutes.revisions[1].reason and not minutes.revisions[0].reason
        for phrase in ("corresponsabilidad", "retorno seguro", "reintegración", "Triángulo Norte", "México",
                       "Guía del Migrante", "64.000"):
            assert phrase in minutes.body, phrase
        assert 3 <= len(minutes.action_items) <= 4
        converted = [item for item in minutes.action_items if item.commitment_id]
        assert len(converted) == 2
        for item in converted:
            commitment = db.session.get(Commitment, item.commitment_id)
            assert commitment.source_minutes_id == minutes.id
            assert commitment.organisation_id == item.responsible_organisation_id
        assert minutes.meeting_date == symposium.start_date
        assert minutes.approved_at > minutes.circulated_at > minutes.created_at
        minutes_id, commitment_id = minutes.id, converted[0].commitment_id
    reader = demo_browser(app)
    page = reader.text(f"/minutes/{minutes_id}", headers={"Accept-Language": "en"})
    assert "Endorsed by 6 of 9 delegations" in page and "Guía del Migrante" in page
    assert f'href="/commitments/{commitment_id}"' in page
    assert f'href="/minutes/{minutes_id}"' in reader.text(f"/commitments/{commitment_id}")
    diff = reader.text(f"/minutes/{minutes_id}/compare?old=1&new=2")
    assert "<del>" in diff and "<ins>" in diff


def test_the_follow_up_minutes_circulate_among_their_attendees_only(app, demo):
    with app.app_context():
        minutes = db.session.scalar(select(Minutes).where(Minutes.status == "circulated"))
        assert minutes.is_virtual and minutes.symposium_id is None
        assert minutes.author_organisation.slug == "sreci-hnd"
        attending = {org.slug for org in minutes.attendees}
        assert {"sreci-hnd", "oim-slv-gtm-hnd", "dgpm-hnd"} <= attending and "minex-gtm" not in attending
        assert minutes.endorsements and minutes.comments and minutes.action_items
        minutes_id = minutes.id
    assert demo_browser(app).get(f"/minutes/{minutes_id}").status_code == 404
    assert demo_browser(app, "minex-gtm").get(f"/minutes/{minutes_id}").status_code == 404
    page = demo_browser(app, "ceniss-hnd").text(f"/minutes/{minutes_id}", headers={"Accept-Language": "en"})
    assert "Endorse for" in page and "Circulated for endorsement" in page
    assert "Reunión virtual" not in demo_browser(app).text("/minutes/")
