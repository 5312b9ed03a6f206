"""WCAG 2.1 A/AA checks with axe-core in chromium, for every page in PAGES, in both languages."""

import pytest
from axe_playwright_python.base import AxeResults
from axe_playwright_python.sync_playwright import Axe

from .pages import LANGUAGES, PAGES, Page

pytestmark = pytest.mark.e2e

AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "resultTypes": ["violations"],
}
_axe = Axe()
#: Contexts that load axe-core into every page they open (see ``run_axe``).
_contexts_with_axe: set[int] = set()


def run_axe(page) -> AxeResults:
    """Run axe-core on ``page``, as ``Axe().run`` does, but cheaper for many pages.

    Evaluating the 570 kB axe-core script in each page took as long as the check itself; the
    signed_in contexts are shared, so the script is added once per context as an init script
    (run by the browser in each new document, outside the page's Content-Security-Policy).
    """
    if id(page.context) not in _contexts_with_axe:
        page.context.add_init_script(script=_axe.axe_script)
        _contexts_with_axe.add(id(page.context))
    if not page.evaluate("typeof window.axe === 'object'"):  # opened before the script was added
        page.evaluate(_axe.axe_script)
    return AxeResults(page.evaluate("options => axe.run(document, options)", AXE_OPTIONS))


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("target", PAGES, ids=lambda target: target.id)
def test_page_has_no_axe_violations(signed_in, demo_ids, target: Page, lang: str):
    page = signed_in(target.account, lang).new_page()
    try:
        response = page.goto(target.url(demo_ids))
        assert response is not None and response.status == target.status, (
            f"{target.describe(lang)} answered {response.status if response else 'nothing'} "
            f"(expected {target.status}) at {page.url}"
        )
        assert page.locator("html").get_attribute("lang") == lang
        results = run_axe(page)
        assert results.violations_count == 0, (
            f"axe-core on {target.describe(lang)}:\n" + results.generate_report()
        )
    finally:
        page.close()


def test_axe_reports_a_known_violation(signed_in):
    """axe-core really runs in this browser: a page with an unlabelled image and no lang fails."""
    page = signed_in(None, "es").new_page()
    try:
        page.set_content('<!doctype html><html><title>t</title><main><img src="a.png"></main></html>')
        results = _axe.run(page, options=AXE_OPTIONS)
        found = {violation["id"] for violation in results.response["violations"]}
        assert {"image-alt", "html-has-lang"} <= found, results.generate_report()
    finally:
        page.close()
