"""Atom feeds (read with feedparser) of new commitments and verified progress, each linked from its page,
showing only what the reader may see; and the calendar of every symposium (read with icalendar)."""

import feedparser
import pytest
from icalendar import Calendar

from tests.commitments.support import browser


@pytest.fixture
def news(app, world, factory):
    """A public commitment made at a symposium with verified progress, and a partners-only one."""
    iom = factory.organisation(kind="iom_office", slug="oim")
    reviewer = factory.user(iom, role="editor", email="editor@oim.example")
    symposium = factory.symposium(slug="tegucigalpa")
    shown = factory.commitment(world["owner"], "public", author=world["owner_editor"], title="Guía del migrante",
                               symposium_id=symposium.id)
    factory.review(factory.update(shown, world["owner_editor"]), reviewer)
    factory.commitment(world["owner"], "partners", author=world["owner_editor"], title="Sólo socios",
                       symposium_id=symposium.id)
    return {"shown": shown, "symposium": symposium}


FEEDS = ["/feeds/progress.atom", "/countries/HND/feed.atom", "/symposia/tegucigalpa/feed.atom", "/orgs/sreci/feed.atom"]


@pytest.mark.parametrize("url", FEEDS)
def test_each_feed_is_valid_atom_with_the_readers_items_only(app, news, url):
    response = app.test_client().get(url)
    assert response.status_code == 200 and response.mimetype == "application/atom+xml"
    feed = feedparser.parse(response.data)
    assert not feed.bozo, feed.get("bozo_exception")
    titles = [entry.title for entry in feed.entries]
    assert any("Guía del migrante" in title for title in titles)
    assert sum("Guía del migrante" in title for title in titles) == 2  # the new commitment and its verified update
    assert not any("Sólo socios" in title for title in titles)
    assert all(entry.id.startswith("tag:") for entry in feed.entries)
    assert all(entry.link.startswith("http://localhost/commitments/") for entry in feed.entries)


def test_a_signed_in_partner_gets_the_partners_items_too(app, world, news):
    titles = [e.title for e in feedparser.parse(browser(app, world["other_editor"]).get(FEEDS[0]).data).entries]
    assert any("Sólo socios" in title for title in titles)


def test_unknown_feeds_answer_404(app, world):
    client = app.test_client()
    for url in ("/countries/ZZZ/feed.atom", "/symposia/nothing/feed.atom", "/orgs/nothing/feed.atom"):
        assert client.get(url).status_code == 404


@pytest.mark.parametrize("page, feed", [("/", FEEDS[0]), ("/countries/HND", FEEDS[1]),
                                        ("/symposia/tegucigalpa", FEEDS[2]), ("/orgs/sreci", FEEDS[3]),
                                        ("/symposia/", "/symposia.ics")])
def test_pages_announce_their_feed(app, news, page, feed):
    html = app.test_client().get(page).get_data(as_text=True)
    assert f'rel="alternate"' in html and f'href="{feed}"' in html


def test_the_symposia_calendar_has_every_symposium_with_the_uids_of_their_own_files(app, news, factory):
    factory.symposium(slug="san-salvador", city="San Salvador", country="SLV", timezone="America/El_Salvador")
    client = app.test_client()
    response = client.get("/symposia.ics")
    assert response.status_code == 200 and response.mimetype == "text/calendar"
    events = Calendar.from_ical(response.data).walk("VEVENT")
    assert len(events) == 2
    own = {}
    for slug in ("tegucigalpa", "san-salvador"):
        single = Calendar.from_ical(client.get(f"/symposia/{slug}/calendar.ics").data).walk("VEVENT")[0]
        own[str(single["uid"])] = single
    assert {str(event["uid"]) for event in events} == set(own)
    for event in events:
        assert event["dtstart"].dt == own[str(event["uid"])]["dtstart"].dt
