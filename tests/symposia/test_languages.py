"""Symposia and their programme items in Spanish, English or both: each page, list, feed, calendar file and
API answer gives the reader's language where it exists, else the other marked with its lang; forms, the
history and the lock cover both languages; the migration keeps every row."""

import json
from datetime import date, time

import pytest
from flask_migrate import downgrade, upgrade
from icalendar import Calendar
from markupsafe import escape
from sqlalchemy import select, text

from portal.core.audit import AuditEvent
from portal.extensions import db
from portal.symposia.models import AgendaItem, Symposium
from tests.commitments.support import browser, count, hidden, load, post
from tests.helpers import translated

#: The revision before symposia had a column per language.
BEFORE_LANGUAGES = "a3f8d1c6e2b7-1"
DAY = date(2026, 5, 4)


def add_item(app, symposium, **texts) -> int:
    with app.app_context():
        item = AgendaItem(symposium_id=symposium.id, day=symposium.start_date, starts_at=time(9, 30),
                          speaker_role="Cancillería", **texts)
        db.session.add(item)
        db.session.commit()
        return item.id


@pytest.fixture
def meetings(app, factory):
    """A symposium written only in English, one only in Spanish and one in both, each with a programme item."""
    only_en = factory.symposium(slug="only-en", title=None, title_en="Follow-up meeting",
                                description_en="Review of the **commitments**.", original_language="en",
                                start_date=DAY)
    only_es = factory.symposium(slug="only-es", title="Reunión de seguimiento",
                                description_es="Revisión de los **compromisos**.", start_date=DAY)
    both = factory.symposium(slug="both", title="Simposio regional", title_en="Regional symposium",
                             description_es="Diálogo regional.", description_en="Regional dialogue.", start_date=DAY)
    add_item(app, only_en, title_en="Opening session", original_language="en")
    add_item(app, only_es, title_es="Inauguración")
    add_item(app, both, title_es="Próximos pasos", title_en="Next steps")
    return {"only_en": only_en, "only_es": only_es, "both": both}


def marked(text_: str, lang: str, reader: str) -> str:
    only = {"es": {"en": "solo en inglés"}, "en": {"es": "only in Spanish"}}[reader][lang]
    return f'<span lang="{lang}">{text_}</span> <small class="only-in">({only})</small>'


def test_the_page_reads_the_readers_language_and_marks_the_other_with_its_lang(app, meetings):
    spanish, english = browser(app, language="es"), browser(app, language="en")

    page = spanish.text("/symposia/only-en")
    assert f"<h1>{marked('Follow-up meeting', 'en', 'es')}</h1>" in page
    assert "<title>Follow-up meeting" in page
    assert '<div lang="en"><p>Review of the <strong>commitments</strong>.</p>\n</div>\n' \
           '<p class="only-in">(solo en inglés)</p>' in page
    assert f"<td>{marked('Opening session', 'en', 'es')}</td>" in page
    page = english.text("/symposia/only-en")
    assert "<h1>Follow-up meeting</h1>" in page and "<td>Opening session</td>" in page
    assert "only-in" not in page and '<span lang="es">' not in page

    page = english.text("/symposia/only-es")
    assert f"<h1>{marked('Reunión de seguimiento', 'es', 'en')}</h1>" in page
    assert '<div lang="es"><p>Revisión de los <strong>compromisos</strong>.</p>' in page
    assert f"<td>{marked('Inauguración', 'es', 'en')}</td>" in page

    for client, title, description, item in ((spanish, "Simposio regional", "Diálogo regional.", "Próximos pasos"),
                                             (english, "Regional symposium", "Regional dialogue.", "Next steps")):
        page = client.text("/symposia/both")
        assert f"<h1>{title}</h1>" in page and f"<p>{description}</p>" in page and f"<td>{item}</td>" in page
        assert "only-in" not in page


@pytest.mark.parametrize("reader, shown, fallback", [
    ("es", ["Simposio regional", "Reunión de seguimiento"], ("Follow-up meeting", "en")),
    ("en", ["Regional symposium", "Follow-up meeting"], ("Reunión de seguimiento", "es")),
])
def test_the_list_reads_the_readers_language_and_marks_the_other(app, meetings, reader, shown, fallback):
    page = browser(app, language=reader).text("/symposia/")
    titles = [part.split("</a></h2>", 1)[0].split('">', 1)[1] for part in page.split('<h2 class="item-title">')[1:]]
    assert set(titles) == {*shown, marked(*fallback, reader)}
    assert page.count('class="only-in"') == 1


@pytest.mark.parametrize("reader", ["es", "en"])
def test_the_programme_editor_reads_the_readers_language_and_marks_the_other(app, factory, meetings, reader):
    client = browser(app, factory.admin(), language=reader)
    page = client.text("/symposia/only-en/programme")
    if reader == "es":
        assert f"<td>{marked('Opening session', 'en', 'es')}</td>" in page
        assert f'<a href="/symposia/only-en">{marked("Follow-up meeting", "en", "es")}</a>' in page
    else:
        assert "<td>Opening session</td>" in page and "only-in" not in page
    page = client.text("/symposia/both/programme")
    assert f"<td>{'Próximos pasos' if reader == 'es' else 'Next steps'}</td>" in page and "only-in" not in page


def test_forms_take_both_languages_side_by_side_and_need_one(app, factory):
    client = browser(app, factory.admin(), language="es")
    page = client.text("/symposia/new")
    assert '<input id="title_es" lang="es"' in page and '<input id="title_en" lang="en"' in page
    assert 'id="description_es" lang="es"' in page and 'id="description_en" lang="en"' in page
    base = {"start_date": "2026-05-04", "end_date": "2026-05-05", "city": "Ciudad de Guatemala",
            "country_iso3": "GTM", "timezone": "America/Guatemala", "previous_id": ""}
    message = str(escape(translated(app, "Write it in Spanish, in English or in both.", "es")))
    refused = post(client, "/symposia/new", {**base, "title_es": " ", "title_en": "", "description_en": "Kept.",
                                              "idempotency_key": hidden(page, "idempotency_key")})
    assert refused.status_code == 200 and message in refused.get_data(as_text=True)
    assert count(app, Symposium) == 0
    created = post(client, "/symposia/new", {**base, "title_en": "Regional follow-up",
                                              "idempotency_key": hidden(page, "idempotency_key")})
    assert created.status_code == 303
    slug = created.headers["Location"].rsplit("/", 1)[1]
    with app.app_context():
        saved = db.session.scalar(select(Symposium).where(Symposium.slug == slug))
        assert (saved.title_es, saved.title_en, saved.description_es, saved.original_language) == \
            (None, "Regional follow-up", None, "en")

    url = f"/symposia/{slug}/programme"
    page = client.text(url)
    assert '<input id="title_es" lang="es"' in page and '<input id="title_en" lang="en"' in page
    item = {"day": "2026-05-04", "starts_at": "09:00", "speaker_role": "OIM"}
    refused = post(client, url, {**item, "title_es": "", "title_en": "", "idempotency_key": hidden(page, "idempotency_key")})
    assert refused.status_code == 200 and message in refused.get_data(as_text=True)
    assert count(app, AgendaItem) == 0
    added = post(client, url, {**item, "title_en": "Opening session", "idempotency_key": hidden(page, "idempotency_key")})
    assert added.status_code == 303
    with app.app_context():
        saved = db.session.scalar(select(AgendaItem))
        assert (saved.title_es, saved.title_en, saved.original_language) == (None, "Opening session", "en")


def test_a_refused_stale_edit_keeps_both_texts_and_a_translation_is_recorded(app, factory):
    symposium = factory.symposium(slug="antes", title="Antes", start_date=DAY)
    url = "/symposia/antes/edit"
    first, second = browser(app, factory.admin()), browser(app, factory.admin())
    base = {"start_date": "2026-05-04", "end_date": "2026-05-04", "city": "Tegucigalpa", "country_iso3": "HND",
            "timezone": "America/Tegucigalpa", "previous_id": ""}
    stale = hidden(first.text(url), "version")
    assert post(second, url, {**base, "version": hidden(second.text(url), "version"), "title_es": "Antes",
                              "title_en": "Before", "description_en": "Their **notes**."}).status_code == 303
    refused = post(first, url, {**base, "version": stale, "title_es": "Mi versión", "title_en": "My version",
                                "description_es": "Mis notas.", "description_en": "My notes."})
    page = refused.get_data(as_text=True)
    form = page.split("Your version", 1)[1]
    assert refused.status_code == 409
    for kept in ('value="Mi versión"', 'value="My version"', "Mis notas.", "My notes."):
        assert kept in form, kept
    current = page.split("current-version", 1)[1].split("Your version", 1)[0]
    assert '<span lang="en">Before</span>' in current and '<div class="prose" lang="en"><p>Their <strong>notes' in current
    saved = load(app, Symposium, symposium.id)
    assert (saved.title_es, saved.title_en, saved.description_en) == ("Antes", "Before", "Their **notes**.")
    with app.app_context():
        changes = db.session.scalars(select(AuditEvent.changes).where(
            AuditEvent.object_type == "symposia", AuditEvent.object_id == symposium.id,
            AuditEvent.action == "update")).all()
    assert len(changes) == 1
    assert changes[0]["title_en"] == [None, "Before"] and changes[0]["description_en"] == [None, "Their **notes**."]


def test_the_api_carries_both_languages_and_the_programme(app, meetings):
    client = browser(app, language="es")
    item = json.loads(client.text("/api/v1/symposia/both"))
    assert (item["title"], item["title_es"], item["title_en"], item["original_language"]) == \
        ("Simposio regional", "Simposio regional", "Regional symposium", "es")
    assert (item["description"], item["description_es"], item["description_en"]) == \
        ("Diálogo regional.", "Diálogo regional.", "Regional dialogue.")
    assert [(row["title"], row["title_es"], row["title_en"], row["original_language"]) for row in item["programme"]] \
        == [("Próximos pasos", "Próximos pasos", "Next steps", "es")]
    item = json.loads(client.text("/api/v1/symposia/only-en"))
    assert (item["title"], item["title_es"], item["title_en"], item["original_language"]) == \
        ("Follow-up meeting", None, "Follow-up meeting", "en")
    assert item["description_es"] is None and item["programme"][0]["title_es"] is None
    listing = json.loads(browser(app, language="en").text("/api/v1/symposia"))
    by_slug = {row["slug"]: row for row in listing["items"]}
    assert (by_slug["only-es"]["title"], by_slug["only-es"]["title_en"]) == ("Reunión de seguimiento", None)
    assert by_slug["both"]["title"] == "Regional symposium"


def test_the_calendar_and_feed_give_the_readers_language_else_the_other_marked(app, meetings):
    spanish, english = browser(app, language="es"), browser(app, language="en")
    event = Calendar.from_ical(spanish.get("/symposia/only-en/calendar.ics").data).walk("VEVENT")[0]
    assert str(event["summary"]) == "Follow-up meeting (solo en inglés)"
    assert event["summary"].params["LANGUAGE"] == "en"
    assert str(event["description"]) == "Review of the **commitments**. (solo en inglés)"
    event = Calendar.from_ical(english.get("/symposia/both/calendar.ics").data).walk("VEVENT")[0]
    assert (str(event["summary"]), event["summary"].params["LANGUAGE"]) == ("Regional symposium", "en")
    events = {str(e["url"]).rsplit("/", 1)[1]: str(e["summary"])
              for e in Calendar.from_ical(english.get("/symposia.ics").data).walk("VEVENT")}
    assert events == {"only-en": "Follow-up meeting", "only-es": "Reunión de seguimiento (only in Spanish)",
                      "both": "Regional symposium"}
    feed = english.text("/symposia/only-es/feed.atom")
    assert "<title>Reunión de seguimiento (only in Spanish)</title>" in feed


def test_the_migration_keeps_every_symposium_and_item_as_spanish_and_back(app, factory, meetings):
    with app.app_context():
        symposia, items = count(app, Symposium), count(app, AgendaItem)
        downgrade(directory="migrations", revision=BEFORE_LANGUAGES)
        rows = {slug: (title, title_en, description) for slug, title, title_en, description in db.session.execute(
            text("SELECT slug, title, title_en, description FROM symposia")).all()}
        agenda = set(db.session.execute(text("SELECT title FROM agenda_items")).scalars())
        db.session.rollback()
        # Down: the old shape, its Spanish title beside its English one; every other text in its original language.
        assert rows == {"only-en": ("Follow-up meeting", "Follow-up meeting", "Review of the **commitments**."),
                        "only-es": ("Reunión de seguimiento", None, "Revisión de los **compromisos**."),
                        "both": ("Simposio regional", "Regional symposium", "Diálogo regional.")}
        assert agenda == {"Opening session", "Inauguración", "Próximos pasos"}
        db.session.execute(text("UPDATE symposia SET description = '' WHERE slug = 'only-es'"))
        db.session.commit()
        upgrade(directory="migrations")
        assert (count(app, Symposium), count(app, AgendaItem)) == (symposia, items)
        after = db.session.execute(text("SELECT slug, title_es, title_en, description_es, description_en, "
                                        "original_language FROM symposia ORDER BY slug")).all()
        agenda = db.session.execute(text("SELECT title_es, title_en, original_language FROM agenda_items "
                                         "ORDER BY title_es")).all()
        db.session.rollback()
    # Up: the text already there is Spanish, the portal's default; the English title stays; blank is none.
    assert [tuple(row) for row in after] == [
        ("both", "Simposio regional", "Regional symposium", "Diálogo regional.", None, "es"),
        ("only-en", "Follow-up meeting", "Follow-up meeting", "Review of the **commitments**.", None, "es"),
        ("only-es", "Reunión de seguimiento", None, None, None, "es")]
    assert [tuple(row) for row in agenda] == [("Inauguración", None, "es"), ("Opening session", None, "es"),
                                              ("Próximos pasos", None, "es")]
