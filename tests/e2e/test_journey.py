"""An official signs in, switches the interface language both ways with the header button, signs out."""

import re
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, expect

from portal.demo.data import DEMO_PASSWORD

from .pages import JOURNEY_OFFICIAL
from .support import either, tr

pytestmark = pytest.mark.e2e


def expect_language(page: Page, lang: str) -> None:
    """The page is in ``lang``: <html lang> and the header strings of that language."""
    other = {"es": "en", "en": "es"}[lang]
    expect(page.locator("html")).to_have_attribute("lang", lang)
    # The switch offers the other language, named in that language: "English" on Spanish pages.
    switch = page.locator("header form[action$='/language'] button")
    expect(switch).to_have_text({"en": "English", "es": "Español"}[other])
    expect(switch).to_have_attribute("lang", other)
    header = page.locator("header")
    expect(header.get_by_role("link", name=tr(lang, "My account"), exact=True)).to_be_visible()
    expect(header.get_by_role("button", name=tr(lang, "Sign out"), exact=True)).to_be_visible()
    expect(page.locator("nav.site-nav")).to_contain_text(tr(lang, "Organisations"))


def test_sign_in_switch_language_and_sign_out(page: Page):
    # Signed out, a Spanish-speaking browser gets Spanish.
    page.goto("/account/login")
    expect(page.locator("html")).to_have_attribute("lang", "es")

    page.get_by_label(tr("es", "E-mail"), exact=True).fill(JOURNEY_OFFICIAL)
    page.get_by_label(tr("es", "Password"), exact=True).fill(DEMO_PASSWORD)
    page.locator("main").get_by_role("button", name=tr("es", "Sign in"), exact=True).click()

    # Signed in: the account menu is there, still in Spanish.
    expect(page.locator("header").get_by_role("link", name=either("My account", "Mi cuenta"))).to_be_visible()
    expect_language(page, "es")

    # Header button: Español -> English; the page comes back in English, on the same page.
    before = urlsplit(page.url).path
    spanish_header = page.locator("header").inner_text()
    page.locator("header").get_by_role("button", name="English", exact=True).click()
    expect_language(page, "en")
    assert urlsplit(page.url).path == before
    assert page.locator("header").inner_text() != spanish_header
    # ...and the choice sticks on the next page.
    page.goto("/orgs/")
    expect_language(page, "en")

    # English -> Español.
    page.locator("header").get_by_role("button", name="Español", exact=True).click()
    expect_language(page, "es")

    # Sign out with the header button.
    page.locator("header").get_by_role("button", name=either("Sign out", "Cerrar sesión")).click()
    expect(page.locator("header a[href$='/account/']")).to_have_count(0)
    expect(page.get_by_role("button", name=either("Sign out", "Cerrar sesión"))).to_have_count(0)
    expect(page.locator("header a[href$='/account/login']")).to_be_visible()
    expect(page.locator(".flash")).to_contain_text(tr("es", "You have signed out."))

    # The account page now asks to sign in again.
    page.goto("/account/")
    expect(page).to_have_url(re.compile(r"^http://[^/]+/account/login(?:\?.*)?$"))


def test_a_first_time_visitor_switches_language_without_a_cookie_beforehand(page: Page):
    """The public pages set no cookie; the header button switches the language all the same (the browser
    says the form comes from the portal's own page)."""
    page.goto("/countries/HND")
    expect(page.locator("html")).to_have_attribute("lang", "es")
    assert page.context.cookies() == []
    page.locator("header").get_by_role("button", name="English", exact=True).click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    assert urlsplit(page.url).path == "/countries/HND"
    page.goto("/commitments/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
