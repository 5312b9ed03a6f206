"""Symposia: who may create and edit them, no lost edit, the page, the series and the calendar file."""

import re
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar
from sqlalchemy import select

from portal.extensions import db
from portal.symposia.models import AgendaItem, Symposium
from tests.factories import PASSWORD
from tests.helpers import Browser

FORM = {"title_es": "Simposio de seguimiento", "title_en": "Follow-up symposium", "start_date": "2026-05-04",
        "end_date": "2026-05-05", "city": "Ciudad de Guatemala", "country_iso3": "GTM",
        "timezone": "America/Guatemala", "description_es": "Revisión de compromisos.", "previous_id": ""}


def signed_in(app, user):
    browser = Browser(app)
    assert browser.login(user.email, PASSWORD).status_code == 302
    return browser


def version_on(html: str) -> str:
    return re.search(r'name="version" type="hidden" value="(\d+)"', html).group(1)


@pytest.fixture
def people(factory):
    organiser = factory.organisation(slug="minex", country="GTM")
    other = factory.organisation(slug="rree", country="SLV")
    iom = factory.organisation(slug="oim", kind="iom_office", country="SLV")
    return {
        "organiser_org": organiser, "other_org": other,
        "organiser": factory.user(organiser, role="editor"), "organiser_viewer": factory.user(organiser, role="viewer"),
        "other": factory.user(other, role="editor"), "iom": factory.user(iom, role="editor"),
        "admin": factory.admin(),
    }


def create(app, user, **changes):
    return signed_in(app, user).submit("/symposia/new", {**FORM, **changes})


def test_editor_creates_a_symposium_and_becomes_organiser(app, people):
    response = create(app, people["organiser"], participants=[str(people["other_org"].id)])
    assert response.status_code == 303
    page = Browser(app).text(response.headers["Location"], headers={"Accept-Language": "en"})
    assert "Follow-up symposium" in page and "Ciudad de Guatemala" in page
    with app.app_context():
        symposium = db.session.scalar(select(Symposium))
        roles = {p.organisation_id: p.is_organiser for p in symposium.participants}
        assert roles == {people["organiser_org"].id: True, people["other_org"].id: False}


@pytest.mark.parametrize("who, can_edit", [("organiser", True), ("iom", True), ("admin", True),
                                           ("other", False), ("organiser_viewer", False)])
def test_who_may_edit_a_symposium(app, people, who, can_edit):
    slug = create(app, people["organiser"]).headers["Location"].rsplit("/", 1)[1]
    browser = signed_in(app, people[who])
    for url in (f"/symposia/{slug}/edit", f"/symposia/{slug}/delegates", f"/symposia/{slug}/programme"):
        assert browser.get(url).status_code == (200 if can_edit else 403), url
    response = browser.submit(f"/symposia/{slug}/programme",
                              {"day": "2026-05-04", "starts_at": "09:30", "title_es": "Apertura", "speaker_role": "Host"},
                              page="/")
    assert response.status_code == (303 if can_edit else 403)
    with app.app_context():
        assert len(db.session.scalars(select(AgendaItem)).all()) == (1 if can_edit else 0)


def test_viewers_and_anonymous_cannot_create(app, people):
    assert signed_in(app, people["organiser_viewer"]).get("/symposia/new").status_code == 403
    assert Browser(app).get("/symposia/new").status_code == 302


def test_second_editor_is_refused_with_text_kept(app, people):
    slug = create(app, people["organiser"]).headers["Location"].rsplit("/", 1)[1]
    url = f"/symposia/{slug}/edit"
    first, second = signed_in(app, people["organiser"]), signed_in(app, people["iom"])
    version = version_on(first.text(url))
    assert first.submit(url, {**FORM, "city": "Antigua Guatemala", "version": version}).status_code == 303
    refused = second.submit(url, {**FORM, "description_es": "Mi texto cuidadoso", "version": version},
                            headers={"Accept-Language": "en"})
    html = refused.get_data(as_text=True)
    assert refused.status_code == 409
    assert "Someone else saved this symposium" in html and "Mi texto cuidadoso" in html and "Antigua Guatemala" in html
    with app.app_context():
        assert db.session.scalar(select(Symposium.city)) == "Antigua Guatemala"


def test_dates_must_make_sense(app, people):
    response = create(app, people["organiser"], end_date="2026-05-01")
    assert response.status_code == 200
    with app.app_context():
        assert db.session.scalar(select(Symposium)) is None


def test_delegates_are_recorded_by_position(app, people):
    slug = create(app, people["organiser"], participants=[str(people["other_org"].id)]).headers["Location"].rsplit("/", 1)[1]
    browser = signed_in(app, people["organiser"])
    field = f"delegates_{people['other_org'].id}"
    response = browser.submit(f"/symposia/{slug}/delegates", {field: "Viceministra de Asuntos Consulares\n\n  Director de migración  "})
    assert response.status_code == 303
    page = Browser(app).text(f"/symposia/{slug}")
    assert "Viceministra de Asuntos Consulares" in page and "Director de migración" in page


def test_programme_item_must_fall_on_a_day_of_the_symposium(app, people):
    slug = create(app, people["organiser"]).headers["Location"].rsplit("/", 1)[1]
    browser = signed_in(app, people["organiser"])
    response = browser.submit(f"/symposia/{slug}/programme", {"day": "2026-06-01", "title_es": "Fuera de fecha"},
                              headers={"Accept-Language": "en"})
    assert "Choose a day of the symposium." in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(AgendaItem)) is None


def test_calendar_file_parses_with_dates_time_zone_and_stable_uid(app, people):
    slug = create(app, people["organiser"]).headers["Location"].rsplit("/", 1)[1]
    response = Browser(app).get(f"/symposia/{slug}/calendar.ics")
    assert response.mimetype == "text/calendar"
    event = Calendar.from_ical(response.data).walk("VEVENT")[0]
    assert event.decoded("dtstart") == datetime(2026, 5, 4, 9, 0, tzinfo=ZoneInfo("America/Guatemala"))
    assert event.decoded("dtend") == datetime(2026, 5, 5, 18, 0, tzinfo=ZoneInfo("America/Guatemala"))
    assert str(event["dtstart"].params["TZID"]) == "America/Guatemala"
    uid = str(event["uid"])
    url = f"/symposia/{slug}/edit"
    browser = signed_in(app, people["organiser"])
    browser.submit(url, {**FORM, "city": "Quetzaltenango", "version": version_on(browser.text(url))})
    again = Calendar.from_ical(Browser(app).get(f"/symposia/{slug}/calendar.ics").data)
    assert str(again.walk("VEVENT")[0]["uid"]) == uid


def test_symposium_list_filters_by_country_and_year(app, people):
    create(app, people["organiser"])
    create(app, people["organiser"], title_es="Encuentro en San Salvador", title_en="", city="San Salvador",
           country_iso3="SLV", timezone="America/El_Salvador", start_date="2025-03-01", end_date="2025-03-01")
    client = Browser(app)
    both = client.text("/symposia/")
    assert "Simposio de seguimiento" in both and "Encuentro en San Salvador" in both
    only_2025 = client.text("/symposia/?year=2025")
    assert "Encuentro en San Salvador" in only_2025 and "Simposio de seguimiento" not in only_2025
    only_gtm = client.text("/symposia/?country=gtm")
    assert "Simposio de seguimiento" in only_gtm and "Encuentro en San Salvador" not in only_gtm
    assert client.get("/symposia/?year=abcd&country=%25%25%25").status_code == 200
    assert client.get("/symposia/no-such-meeting").status_code == 404


def test_series_links_both_ways_and_carries_open_commitments_over(app, people, factory):
    first = factory.symposium(start_date=date.today() - timedelta(days=200), title="Primer simposio")
    second_response = create(app, people["organiser"], previous_id=str(first.id), title_es="Segundo simposio")
    second_path = second_response.headers["Location"]
    open_one = factory.commitment(people["organiser_org"], symposium_id=first.id, title="Compromiso abierto")
    done = factory.commitment(people["organiser_org"], symposium_id=first.id, title="Compromiso cumplido")
    factory.update(done, people["organiser"], status="completed", note="Cumplido según el acta de la reunión final.")
    factory.commitment(people["organiser_org"], symposium_id=first.id, title="Compromiso reservado",
                       visibility="partners")
    page = Browser(app).text(second_path)
    assert "Primer simposio" in page
    carried = page.split('id="carried-over"')[1].split("</section>")[0]
    assert "Compromiso abierto" in carried and "Compromiso cumplido" not in carried
    assert "Compromiso reservado" not in page
    assert "Segundo simposio" in Browser(app).text(f"/symposia/{first.slug}")
    del open_one
