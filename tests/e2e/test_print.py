"""Printing a symposium or a country page gives a clean report (print media emulated in chromium)."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e

SYMPOSIUM = "/symposia/tegucigalpa-corresponsabilidad"
COUNTRY = "/countries/HND"

#: The text a pseudo-element adds after an element; chromium gives attr() already resolved: '" (/orgs/x)"'.
AFTER = "(element) => getComputedStyle(element, '::after').content"


def style(locator, prop: str) -> str:
    return locator.evaluate("(element, property) => getComputedStyle(element)[property]", prop)


def after(locator) -> str:
    return locator.evaluate(AFTER)


@pytest.fixture
def page_at(signed_in):
    """Open ``path`` signed out, in Spanish, in a fresh page; closed after the test."""
    pages = []

    def open_page(path: str):
        page = signed_in(None, "es").new_page()
        pages.append(page)
        response = page.goto(path)
        assert response is not None and response.status == 200, path
        return page

    yield open_page
    for page in pages:
        page.close()


@pytest.mark.parametrize("path", [SYMPOSIUM, COUNTRY])
def test_printed_page_has_no_navigation_forms_or_buttons(page_at, path):
    page = page_at(path)
    # On screen first, so that the test fails if these selectors stop matching anything.
    chrome = ["header.site-header", "nav.site-nav", "a.skip-link", "header form", "footer.site-footer"]
    for selector in chrome:
        assert page.locator(selector).count() >= 1, selector
    expect(page.locator("nav.site-nav")).to_be_visible()
    expect(page.locator("main .print-only")).to_be_hidden()

    page.emulate_media(media="print")
    for selector in chrome + ["main .breadcrumbs", "main form", "main button", "main .button"]:
        for element in page.locator(selector).all():
            expect(element).to_be_hidden()
    # What remains is the page's content, black on white, with where it came from at the top.
    expect(page.locator("main h1")).to_be_visible()
    source = page.locator("main .print-only")
    expect(source).to_be_visible()
    expect(source).to_contain_text(path)
    assert style(page.locator("body"), "color") == "rgb(0, 0, 0)"
    assert style(page.locator("main h1"), "color") == "rgb(0, 0, 0)"
    assert style(page.locator("body"), "backgroundColor") in ("rgba(0, 0, 0, 0)", "rgb(255, 255, 255)")

    page.emulate_media(media="screen")
    expect(page.locator("nav.site-nav")).to_be_visible()


@pytest.mark.parametrize("path", [SYMPOSIUM, COUNTRY])
def test_printed_links_carry_their_address_but_anchors_and_navigation_do_not(page_at, path):
    page = page_at(path)
    content_links = page.locator("main a[href^='/']:not(nav a)")
    assert content_links.count() >= 3
    first = content_links.first
    assert after(first) in ("none", "normal"), "on screen no address is added"

    page.emulate_media(media="print")
    for link in content_links.all()[:40]:
        assert after(link) == f'" ({link.get_attribute("href")})"'
    for selector in ("header a", "main nav a", "a.skip-link", "main a[href^='#']"):
        for link in page.locator(selector).all():
            assert after(link) in ("none", "normal"), (selector, link.get_attribute("href"))


def test_printed_symposium_keeps_figures_rows_and_headings_whole(page_at):
    page = page_at(SYMPOSIUM)
    page.emulate_media(media="print")
    figures = page.locator("main figure.chart")
    assert figures.count() == 2
    for figure in figures.all():
        expect(figure).to_be_visible()
        assert style(figure, "breakInside") == "avoid"
        expect(figure.locator("svg")).to_be_visible()
        expect(figure.locator("table")).to_be_visible()
    assert style(page.locator("main table tr").first, "breakInside") == "avoid"
    assert style(page.locator("main h2").first, "breakAfter") == "avoid"
    assert style(page.locator("main thead").first, "display") == "table-header-group"


def test_symposium_page_prints_to_pdf(page_at):
    page = page_at(SYMPOSIUM)
    pdf = page.pdf(format="A4", print_background=False)
    assert pdf.startswith(b"%PDF-")
    pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf))
    assert 1 <= pages <= 12, pages
    # Printing leaves the page as it was on screen.
    page.emulate_media(media="screen")
    expect(page.locator("nav.site-nav")).to_be_visible()
