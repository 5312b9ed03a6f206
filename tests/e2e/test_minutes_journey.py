"""Minutes end to end: El Salvador's foreign ministry drafts minutes (with a preview), circulates them,
Guatemala and Mexico's migration institute endorse, the author approves, Guatemala turns its action item
into a commitment, and a signed-out visitor reads the public minutes."""

import re
import secrets

import pytest
from playwright.sync_api import Page, expect

from portal.demo.data import DEMO_EMAIL_DOMAIN

from .support import tr

pytestmark = pytest.mark.e2e

#: Accounts no page check and no other journey uses (the e2e database is shared by the session).
AUTHOR = f"rree-slv@{DEMO_EMAIL_DOMAIN}"
GUATEMALA = f"minex-gtm@{DEMO_EMAIL_DOMAIN}"
MEXICO_INM = f"inm-mex@{DEMO_EMAIL_DOMAIN}"
GUATEMALA_NAME = "Ministerio de Relaciones Exteriores de Guatemala"
INM_NAME = "Instituto Nacional de Migración"


def t(msgid: str) -> re.Pattern:
    """The portal's text for ``msgid`` in either language, as a whole-string pattern (accounts may keep a language)."""
    return re.compile("^(?:" + "|".join(re.escape(text) for text in {tr("es", msgid), tr("en", msgid)}) + ")$")


def contains(msgid: str) -> re.Pattern:
    """Like ``t`` but matching inside a longer text."""
    return re.compile("|".join(re.escape(text) for text in {tr("es", msgid), tr("en", msgid)}))


def as_user(signed_in, account: str) -> Page:
    """A new tab in the cached, signed-in browser context of ``account``."""
    return signed_in(account, "es").new_page()


def test_draft_circulate_endorse_approve_convert_and_read(page: Page, signed_in):
    title = f"Reunión bilateral de seguimiento sobre retorno {secrets.token_hex(3)}"
    action = f"Enviar el protocolo de recepción de niñez retornada {secrets.token_hex(3)}"

    # ------------------------------------------------------------------ the author drafts, with a preview
    author = as_user(signed_in, AUTHOR)
    author.goto("/minutes/new")
    form = author.locator("main form")
    form.get_by_label(t("Title"), exact=True).fill(title)
    form.get_by_label(t("Date of the meeting")).fill("2026-05-20")
    form.get_by_label(t("Place"), exact=True).fill("San Salvador")
    form.get_by_label(GUATEMALA_NAME, exact=True).check()
    form.get_by_label(INM_NAME, exact=True).check()
    form.get_by_label(t("Text of the minutes")).fill("Se revisó el **protocolo** de recepción.\n\n- Punto uno")
    form.get_by_label(t("Decisions")).fill("1. Compartir el protocolo.")
    form.get_by_label(t("Public: anyone can read it")).check()
    form.get_by_role("button", name=t("Preview")).click()
    preview = author.locator("section.preview")
    expect(preview.locator("strong", has_text="protocolo")).to_be_visible()
    expect(preview.locator("li", has_text="Punto uno")).to_be_visible()
    author.locator("main form").get_by_role("button", name=t("Save draft")).click()
    expect(author.locator(".flash")).to_contain_text(contains("Draft minutes saved."))
    expect(author.locator("h1")).to_have_text(title)
    minutes_url = author.url

    # An action item for Guatemala, then circulate.
    author.get_by_role("link", name=t("Add an action item")).click()
    author.locator("#description_es").fill(action)
    author.get_by_label(t("Responsible organisation")).select_option(label=GUATEMALA_NAME)
    author.get_by_label(t("Due date")).fill("2026-09-30")
    author.locator("main form").get_by_role("button", name=t("Save action item")).click()
    expect(author.locator("#action-items")).to_contain_text(action)
    author.get_by_role("button", name=t("Circulate to the attending organisations")).click()
    expect(author.locator(".badge.status-circulated")).to_be_visible()

    # ------------------------------------------------------------------ two delegations endorse
    for account, name in ((GUATEMALA, GUATEMALA_NAME), (MEXICO_INM, INM_NAME)):
        delegate = as_user(signed_in, account)
        delegate.goto(minutes_url)
        endorse = {tr(lang, "Endorse for %(organisation)s") % {"organisation": name} for lang in ("es", "en")}
        delegate.get_by_role("button", name=re.compile("^(?:" + "|".join(map(re.escape, endorse)) + ")$")).click()
        expect(delegate.locator(".flash")).to_contain_text(contains("Your organisation has endorsed these minutes."))
        delegate.close()
    author.reload()
    # "Endorsed by 2 of 3 delegations": the author's ministry, Guatemala and the INM attended.
    expect(author.locator(".endorsement-count")).to_have_text(re.compile(r"\b2\D+3\b"))

    # ------------------------------------------------------------------ the author approves
    author.get_by_role("button", name=t("Approve the minutes")).click()
    expect(author.locator(".flash")).to_contain_text(contains("The minutes are approved."))
    expect(author.locator(".badge.status-approved").first).to_be_visible()
    expect(author.get_by_role("link", name=t("Edit draft"))).to_have_count(0)
    author.close()

    # ------------------------------------------------------------------ Guatemala turns its item into a commitment
    guatemala = as_user(signed_in, GUATEMALA)
    guatemala.goto(minutes_url)
    guatemala.locator("#action-items").get_by_role("link", name=t("Turn into a commitment")).click()
    form = guatemala.locator("main form")
    expect(form.locator("#title_es")).to_have_value(action)
    expect(form.get_by_label(t("Target date"))).to_have_value("2026-09-30")
    form.get_by_role("button", name=t("Log commitment")).click()
    expect(guatemala.locator(".flash")).to_contain_text(contains("Commitment logged from the minutes' action item."))
    expect(guatemala.locator("h1")).to_have_text(action)
    source = guatemala.locator("dl.facts").get_by_role("link", name=title)
    expect(source).to_be_visible()
    source.click()
    expect(guatemala.locator("#action-items").get_by_role("link", name=action)).to_be_visible()
    expect(guatemala.locator("#action-items .badge.status-planned")).to_be_visible()
    guatemala.close()

    # ------------------------------------------------------------------ a signed-out visitor reads them
    page.goto(minutes_url)
    expect(page.locator("h1")).to_have_text(title)
    expect(page.locator("header a[href$='/account/login']")).to_be_visible()
    expect(page.locator(".prose strong", has_text="protocolo")).to_be_visible()
    expect(page.locator("#action-items")).to_contain_text(action)
    page.goto("/minutes/")
    expect(page.get_by_role("link", name=title)).to_be_visible()
