"""Bad input on every form: a clear message in the user's language, the typed text kept, nothing written."""

import re
from html import escape

import pytest
from sqlalchemy import func, inspect, select, table

from portal.extensions import db
from tests.factories import PASSWORD
from tests.helpers import Browser, translated

OVERLONG = "Comisión " * 600
CONTROL = "Informe\x00 con\x1b caracteres \u202e ocultos"


def valid_forms(data):
    """(name, url, who signs in, valid form data, text fields whose typed value must come back)."""
    org = data["organisation"]
    return [
        ("login", "/account/login", None, {"email": "someone@partner.example", "password": "whatever it is"}, ["email"]),
        ("password", "/account/password", "member", {"current_password": PASSWORD, "new_password": "a new long phrase 77",
                                                    "confirm_password": "a new long phrase 77"}, []),
        ("profile", "/account/", "member", {"locale": "en"}, []),
        ("organisation", "/admin/organisations/new", "admin", {
            "name": "Ministerio de Trabajo", "name_en": "Ministry of Labour", "acronym": "MT", "kind": "ministry",
            "country_iso3": "GTM", "host_country_iso3": "", "website": "https://mintrabajo.example"},
         ["name", "name_en", "acronym", "website"]),
        ("organisation-edit", f"/admin/organisations/{org.id}/edit", "admin", {
            "name": "Cancillería", "name_en": "", "acronym": "", "kind": "ministry", "country_iso3": "HND",
            "host_country_iso3": "", "website": "", "version": "1"}, ["name"]),
        ("invite", "/admin/people/invite", "admin", {
            "email": "new@partner.example", "position": "Consular focal point",
            "organisation_id": str(org.id), "role": "editor"}, ["email", "position"]),
        ("member", f"/admin/people/{data['member'].id}/edit", "admin", {
            "position": "Protection officer", "organisation_id": str(org.id), "role": "viewer",
            "version": "1"}, ["position"]),
    ]


def counts():
    # A refused sign-in is recorded on purpose (throttling); every other table must stay as it was.
    names = [name for name in inspect(db.engine).get_table_names() if name != "failed_logins"]
    result = {name: db.session.scalar(select(func.count()).select_from(table(name))) for name in names}
    db.session.rollback()
    return result


@pytest.fixture
def data(factory):
    organisation = factory.organisation()
    return {
        "organisation": organisation,
        "member": factory.user(organisation, email="member@partner.example"),
        "admin": factory.admin(email="root@portal.example"),
    }


def browser_for(app, data, who):
    browser = Browser(app)
    if who:
        assert browser.login(data[who].email, PASSWORD).status_code == 302
    return browser


CHOICE_FIELDS = {"organisation_id", "role", "kind", "country_iso3", "host_country_iso3", "locale"}


def mutations(fields):
    for field in fields:
        if field == "version":
            continue
        yield field, "missing", None
        yield field, "overlong", OVERLONG
        yield field, "control characters", CONTROL
        if field in CHOICE_FIELDS:
            yield field, "wrong type", "not-a-choice-or-number"


FORM_NAMES = ["login", "password", "profile", "organisation", "organisation-edit", "invite", "member"]


@pytest.mark.parametrize("form_name", FORM_NAMES)
@pytest.mark.parametrize("language", ["es", "en"])
def test_bad_input_is_refused_clearly_and_changes_nothing(app, data, form_name, language):
    name, url, who, valid, kept = next(form for form in valid_forms(data) if form[0] == form_name)
    browser = browser_for(app, data, who)
    headers = {"Accept-Language": language}
    browser.submit("/language", {"lang": language}, page="/")
    for field, kind, value in mutations(list(valid)):
        submitted = dict(valid)
        if "version" in submitted:
            # Earlier valid submissions may have saved; edit from the current version like a person would.
            submitted["version"] = re.search(r'name="version" type="hidden" value="(\d+)"', browser.text(url)).group(1)
        if value is None:
            submitted.pop(field)
        else:
            submitted[field] = value
        with app.app_context():
            before = counts()
        response = browser.submit(url, submitted, headers=headers)
        html = response.get_data(as_text=True)
        context = f"{name}.{field} {kind}"
        if response.status_code != 200:
            # A wrong value in a select or a mistyped address may still be valid input for some fields.
            assert response.status_code in (302, 303), context
            continue
        assert f'<html lang="{language}">' in html, context
        assert 'class="field-error"' in html or 'class="error-summary"' in html, context
        with app.app_context():
            assert counts() == before, f"{context} wrote to the database"
        if field in kept and value is not None and kind != "control characters":
            assert escape(value.strip(), quote=True) in html, f"{context}: typed text lost"


def test_error_messages_are_translated(app, data):
    browser = browser_for(app, data, "admin")
    response = browser.submit("/admin/organisations/new", {"name": "", "kind": "ministry", "country_iso3": ""})
    html = response.get_data(as_text=True)
    spanish = translated(app, "This field is required.", "es")
    assert spanish != "This field is required." and spanish in html


def test_control_characters_get_their_own_message(app, data):
    browser = browser_for(app, data, "admin")
    response = browser.submit("/admin/organisations/new", {
        "name": CONTROL, "kind": "ministry", "country_iso3": "HND"}, headers={"Accept-Language": "en"})
    assert "This text contains characters that are not allowed." in response.get_data(as_text=True)


@pytest.mark.parametrize("url", ["/admin/organisations/abc/edit", "/admin/people/1e3/edit",
                                 "/admin/organisations/99999999999999999999/edit", "/countries/H%00D", "/orgs/%FF"])
def test_malformed_ids_in_urls_give_404(app, data, url):
    browser = browser_for(app, data, "admin")
    assert browser.get(url).status_code == 404


def test_duplicate_query_parameters_do_not_break_lists(app, data):
    browser = browser_for(app, data, "admin")
    response = browser.get("/admin/people/?organisation=1&organisation=x&q=%25&q=_&page=-3")
    assert response.status_code == 200


def test_search_matches_percent_and_underscore_literally(app, data, factory):
    factory.user(data["organisation"], email="under_score@partner.example")
    browser = browser_for(app, data, "admin")
    html = browser.text("/admin/people/?q=_")
    assert "under_score@partner.example" in html and "member@partner.example" not in html
