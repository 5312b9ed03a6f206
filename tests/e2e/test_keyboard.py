"""Keyboard use: the skip link is the first Tab stop and takes focus to the main content."""

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize("path", ["/", "/account/login", "/orgs/sreci-hnd"])
def test_skip_link_is_first_tab_stop_and_moves_focus_to_main(page: Page, path: str):
    page.goto(path)
    page.keyboard.press("Tab")
    skip = page.locator("a.skip-link")
    expect(skip).to_be_focused()
    assert skip.get_attribute("href") == "#main"
    # Focused, it is on screen (a visually hidden link that stays hidden on focus fails keyboard users).
    expect(skip).to_be_in_viewport()

    page.keyboard.press("Enter")
    expect(page.locator("main#main")).to_be_focused()
    # The next Tab continues from the main content, not from the top of the page.
    page.keyboard.press("Tab")
    assert page.evaluate("document.querySelector('main').contains(document.activeElement)"), (
        "after the skip link, Tab should move into the main content, not back to the header: "
        + page.evaluate("document.activeElement.outerHTML")
    )
