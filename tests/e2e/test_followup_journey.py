"""Follow-up end to end: the IOM mission asks the DGPM for an update on a commitment; the DGPM's official
finds the request on the dashboard and answers it with a progress update; the IOM's board shows it answered."""

import re
import secrets
from datetime import date, timedelta

import pytest
from playwright.sync_api import Page, expect

from .pages import IOM, JOURNEY_OFFICIAL
from .support import sign_in, tr

pytestmark = pytest.mark.e2e

#: A DGPM commitment no other browser test reads or changes.
TITLE = "Asistencia integral a familias retornadas y a niñas, niños y adolescentes no acompañados"


def t(msgid: str) -> re.Pattern:
    """The portal's text for ``msgid`` in either language (an account's saved language wins over the browser's)."""
    return re.compile("^(?:" + "|".join(re.escape(text) for text in {tr("es", msgid), tr("en", msgid)}) + ")$")


def contains(msgid: str) -> re.Pattern:
    return re.compile("|".join(re.escape(text) for text in {tr("es", msgid), tr("en", msgid)}))


def sign_out(page: Page) -> None:
    page.locator("header").get_by_role("button", name=t("Sign out")).click()
    expect(page.locator("header a[href$='/account/']")).to_have_count(0)


def test_iom_requests_an_update_the_owner_answers_from_the_dashboard_the_board_shows_it(page: Page, demo_ids):
    commitment_path = f"/commitments/{demo_ids['commitment_by_title'][TITLE]}"
    message = f"¿Cuántas familias fueron referidas este trimestre? ({secrets.token_hex(3)})"
    note = f"Se refirieron 212 familias a programas de reintegración ({secrets.token_hex(3)})."
    main = page.locator("main")

    # ------------------------------------------------------------------ the IOM asks for an update
    sign_in(page, IOM)
    page.goto(commitment_path)
    main.get_by_role("link", name=t("Request an update")).click()
    expect(page).to_have_url(re.compile(re.escape(commitment_path) + r"/request-update$"))
    main.get_by_label(t("What would you like to know?")).fill(message)
    main.get_by_label(t("Answer expected by")).fill((date.today() + timedelta(days=7)).isoformat())
    main.get_by_role("button", name=t("Send the request")).click()
    expect(page).to_have_url(re.compile(re.escape(commitment_path) + r"#update-requests$"))
    organisation = re.compile("Dirección General de Protección al Hondureño Migrante|Directorate-General")
    expect(page.locator(".flash")).to_contain_text(organisation)
    request = main.locator("#update-requests li").filter(has_text=message)
    expect(request).to_have_count(1)
    expect(request.locator(".badge")).to_have_text(t("Open"))
    sign_out(page)

    # ------------------------------------------------------------------ the owner sees it and answers
    sign_in(page, JOURNEY_OFFICIAL)
    page.goto("/dashboard")
    waiting = main.locator("li").filter(has_text=message)
    expect(waiting).to_have_count(1)
    waiting.get_by_role("link", name=t("Answer with an update")).click()
    expect(page).to_have_url(re.compile(re.escape(commitment_path) + r"/updates/new$"))
    main.get_by_label(t("Status now")).select_option("in_progress")
    main.get_by_label(t("What happened")).fill(note)
    main.get_by_role("button", name=t("Send update")).click()
    expect(page.locator(".flash")).to_contain_text(contains("Progress reported."))
    page.goto(commitment_path)
    answered = main.locator("#update-requests li").filter(has_text=message)
    expect(answered.locator(".badge")).to_have_text(t("Answered"))
    page.goto("/dashboard")
    expect(main.locator("li").filter(has_text=message)).to_have_count(0)
    sign_out(page)

    # ------------------------------------------------------------------ the board shows it answered
    sign_in(page, IOM)
    page.locator("nav.site-nav").get_by_role("link", name=t("Follow-up board")).click()
    expect(page).to_have_url(re.compile(r"/followup$"))
    latest = main.locator("#recent-requests").locator("xpath=..").locator("tbody tr").filter(has_text=TITLE).first
    expect(latest.locator(".badge")).to_have_text(t("Answered"))
