"""Both languages complete, the locale chosen in the documented order, dates and countries localised."""

import os
from datetime import date
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from flask_babel import force_locale, format_date

from portal.countries.names import country_name
from portal.extensions import db
from tests.factories import PASSWORD
from tests.helpers import Browser

CATALOGS = Path("portal/translations")


def load(language):
    with open(CATALOGS / language / "LC_MESSAGES" / "messages.po", "rb") as handle:
        return read_po(handle, locale=language)


def source_messages() -> set:
    """Extract the current source strings, to compare with what the catalogs hold."""
    from babel.messages.extract import extract_from_dir

    method_map = [("portal/**.py", "python"), ("templates/**.html", "jinja2"), ("templates/**.txt", "jinja2")]
    keywords = {"_": None, "gettext": None, "ngettext": (1, 2), "_l": None, "lazy_gettext": None}
    found = set()
    for directory in ("portal", "templates"):
        for _, _, message, _, _ in extract_from_dir(
            directory, method_map=[(p.split("/", 1)[1], m) for p, m in method_map if p.startswith(directory)],
            keywords=keywords,
            # As in babel.cfg: without the app's {% do %} extension a template would fail to parse, silently.
            options_map={"**.html": {"extensions": "jinja2.ext.do"}, "**.txt": {"extensions": "jinja2.ext.do"}},
            # Unlike the default, look inside folders starting with "_" (templates/_macros).
            directory_filter=lambda path: not os.path.basename(path).startswith("."),
        ):
            found.add(message[0] if isinstance(message, tuple) else message)
    return found


@pytest.mark.parametrize("language", ["es", "en"])
def test_catalog_is_complete(language):
    catalog = load(language)
    empty = [m.id for m in catalog if m.id and (not all(m.string) if isinstance(m.string, tuple) else not m.string)]
    fuzzy = [m.id for m in catalog if m.id and m.fuzzy]
    assert not empty, f"untranslated in {language}: {empty}"
    assert not fuzzy, f"fuzzy in {language}: {fuzzy}"


@pytest.mark.parametrize("language", ["es", "en"])
def test_every_source_string_is_in_the_catalog(language):
    catalog_ids = {m.id[0] if isinstance(m.id, tuple) else m.id for m in load(language) if m.id}
    missing = sorted(source_messages() - catalog_ids)
    assert not missing, f"run `make messages` and translate: {missing}"


def test_spanish_plurals_have_all_three_forms():
    catalog = load("es")
    assert "nplurals=3" in catalog.plural_forms
    plurals = [m for m in catalog if m.id and isinstance(m.id, tuple)]
    assert plurals
    for message in plurals:
        assert len(message.string) == 3 and all(message.string), message.id


def test_spanish_plural_is_used_for_three(app):
    with app.test_request_context(), force_locale("es"):
        from flask_babel import ngettext

        text = ngettext("%(num)d organisation", "%(num)d organisations", 3)
    assert text.startswith("3 ") and "organisations" not in text


def test_default_language_is_spanish(client):
    assert '<html lang="es">' in client.text("/")


def test_browser_language_is_followed(client):
    assert '<html lang="en">' in client.text("/", headers={"Accept-Language": "en-GB,en;q=0.9"})


def test_explicit_switch_beats_the_browser_and_is_kept(client):
    client.submit("/language", {"lang": "en", "next": "/orgs/"}, page="/")
    assert '<html lang="en">' in client.text("/", headers={"Accept-Language": "es"})
    assert '<html lang="en">' in client.text("/countries/", headers={"Accept-Language": "es"})


def test_a_first_time_reader_switches_without_a_session_cookie(client):
    home = client.get("/")
    assert "Set-Cookie" not in home.headers and 'name="csrf_token"' not in home.get_data(as_text=True)
    assert client.submit("/language", {"lang": "en"}, page="/").status_code == 303
    assert '<html lang="en">' in client.text("/", headers={"Accept-Language": "es"})


@pytest.mark.parametrize("headers", [
    {},  # neither header: an old client, or a forged request that strips them
    {"Sec-Fetch-Site": "cross-site"},
    {"Sec-Fetch-Site": "same-site"},
    {"Origin": "https://evil.example"},
    {"Origin": "https://evil.example", "Referer": "http://localhost/"},
    {"Sec-Fetch-Site": "cross-site", "Origin": "http://localhost"},
])
def test_a_switch_sent_from_another_site_is_refused(client, headers):
    response = client.post("/language", data={"lang": "en"}, headers=headers)
    assert response.status_code == 400
    assert '<html lang="es">' in client.text("/", headers={"Accept-Language": "es"})


def test_a_switch_with_this_sites_origin_is_accepted(client):
    response = client.post("/language", data={"lang": "en"}, headers={"Origin": "http://localhost"})
    assert response.status_code == 303
    assert '<html lang="en">' in client.text("/", headers={"Accept-Language": "es"})


def test_switch_redirects_back_only_to_local_pages(client):
    response = client.submit("/language", {"lang": "en", "next": "//evil.example/"}, page="/")
    assert response.headers["Location"] == "/"
    response = client.submit("/language", {"lang": "en", "next": "/orgs/"}, page="/")
    assert response.headers["Location"] == "/orgs/"


def test_unknown_language_is_refused_quietly(client):
    client.submit("/language", {"lang": "xx"}, page="/")
    assert '<html lang="es">' in client.text("/")


def test_user_preference_beats_the_switch(app, factory):
    user = factory.user(locale="en")
    browser = Browser(app)
    browser.submit("/language", {"lang": "es"}, page="/")
    browser.login(user.email, PASSWORD)
    assert '<html lang="en">' in browser.text("/", headers={"Accept-Language": "es"})


def test_switching_while_signed_in_saves_the_preference(app, factory):
    from portal.accounts.models import User

    user = factory.user()
    browser = Browser(app)
    browser.login(user.email, PASSWORD)
    browser.submit("/language", {"lang": "en"}, page="/")
    with app.app_context():
        assert db.session.get(User, user.id).locale == "en"


def test_dates_are_localised(app):
    with app.test_request_context():
        with force_locale("es"):
            assert format_date(date(2016, 6, 10), "long") == "10 de junio de 2016"
        with force_locale("en"):
            assert format_date(date(2016, 6, 10), "long") == "June 10, 2016"


def test_country_names_follow_the_language(app, factory):
    factory.organisation(country="MEX")
    client = app.test_client()
    assert "México" in client.get("/countries/", headers={"Accept-Language": "es"}).get_data(as_text=True)
    english = client.get("/countries/", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "Mexico" in english and "México" not in english
    with app.test_request_context():
        assert country_name("USA", "es") == "Estados Unidos"
        assert country_name("BOL", "en") == "Bolivia"
