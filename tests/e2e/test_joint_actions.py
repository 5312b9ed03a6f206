"""Joint actions end to end: Mexico's OAS mission starts a joint action between Honduras and Mexico and
proposes Mexico's embassy in Honduras as a partner; the embassy accepts and reports on its share with a
PDF; the action page and the Honduras–Mexico corridor show the embassy's part to a signed-out visitor."""

import re
import secrets

import pytest
from playwright.sync_api import Page, expect

from portal.demo.data import DEMO_EMAIL_DOMAIN
from tests.core import samples

from .pages import PROPOSED_PARTNER
from .support import tr

pytestmark = pytest.mark.e2e

#: No page check and no other journey uses the lead's account (the e2e database is shared by the session).
LEAD = f"mision-oea-mex@{DEMO_EMAIL_DOMAIN}"
PARTNER_NAMES = ("Embajada de México en Honduras", "Embassy of Mexico in Honduras")


def t(msgid: str) -> re.Pattern:
    """The portal's text for ``msgid`` in either language, as a whole-string pattern."""
    return re.compile("^(?:" + "|".join(re.escape(text) for text in {tr("es", msgid), tr("en", msgid)}) + ")$")


def contains(msgid: str) -> re.Pattern:
    """Like ``t`` but matching inside a longer text (flash messages)."""
    return re.compile("|".join(re.escape(text) for text in {tr("es", msgid), tr("en", msgid)}))


def partner_name() -> re.Pattern:
    return re.compile("|".join(map(re.escape, PARTNER_NAMES)))


def test_lead_proposes_partner_accepts_and_reports_corridor_shows_it(page: Page, signed_in):
    title = f"Notificación consular coordinada México–Honduras {secrets.token_hex(3)}"
    deliverable = f"Procedimiento de notificación consular firmado ({secrets.token_hex(3)})."
    note = f"Procedimiento acordado con la cancillería hondureña; se adjunta el acta ({secrets.token_hex(4)})."

    # ------------------------------------------------------------------ the lead starts the joint action
    lead = signed_in(LEAD, "es").new_page()
    lead.goto("/actions/")
    lead.locator("main").get_by_role("link", name=t("Start a joint action")).click()
    form = lead.locator("main form")
    # The Spanish half of each language pair; the English one stays empty.
    form.locator("#title_es").fill(title)
    form.locator("#description_es").fill("Notificación a los consulados de personas hondureñas **detenidas**.")
    form.get_by_label(t("Public: anyone can read it")).check()
    form.get_by_label(t("End date")).fill("2027-12-31")
    form.get_by_role("button", name=t("Start joint action")).click()
    expect(lead).to_have_url(re.compile(r"/actions/\d+$"))
    action_path = re.search(r"/actions/\d+$", lead.url).group(0)
    expect(lead.locator(".flash")).to_contain_text(contains("Joint action started. Now propose its partners."))
    expect(lead.get_by_role("heading", level=1)).to_have_text(title)

    # ... records the countries and their roles on the route
    lead.locator("main").get_by_role("link", name=t("Countries, milestones and commitments")).click()
    for code, role in (("HND", "origin"), ("MEX", "transit")):
        countries = lead.locator("main form", has=lead.locator("select[name='country-country_iso3']"))
        countries.locator("select[name='country-country_iso3']").select_option(code)
        countries.locator("select[name='country-role']").select_option(role)
        countries.get_by_role("button", name=t("Add country")).click()
        expect(lead.locator(".flash")).to_contain_text(contains("Country added."))
    lead.goto(action_path)
    expect(lead.locator("main a[href='/corridors/HND-MEX']")).to_have_count(1)

    # ... and proposes Mexico's embassy as a partner
    lead.locator("main").get_by_role("link", name=t("Propose a partner")).click()
    form = lead.locator("main form")
    form.get_by_label(t("Organisation")).select_option(label=PARTNER_NAMES[0])
    form.get_by_label(t("Role"), exact=True).select_option("partner")
    form.locator("#deliverable_es").fill(deliverable)
    form.get_by_role("button", name=t("Propose")).click()
    expect(lead).to_have_url(re.compile(re.escape(action_path) + "#parties$"))
    expect(lead.locator("section[aria-labelledby=proposals]")).to_contain_text(partner_name())
    lead.close()

    # ------------------------------------------------------------------ not a party until it accepts
    page.goto(action_path)
    expect(page.locator("main article.party")).to_have_count(1)  # the lead's share only
    expect(page.locator("section[aria-labelledby=parties]")).not_to_contain_text(partner_name())

    # ------------------------------------------------------------------ the partner accepts ...
    partner = signed_in(PROPOSED_PARTNER, "es").new_page()
    partner.goto("/actions/")
    partner.locator("section[aria-labelledby=proposals]").get_by_role("link", name=title, exact=True).click()
    expect(partner.locator("main")).to_contain_text(deliverable)
    partner.locator("main form").get_by_label(t("Accept: we take part with this role and deliverable")).check()
    partner.locator("main form").get_by_role("button", name=t("Send answer")).click()
    expect(partner).to_have_url(re.compile(re.escape(action_path) + r"#party-\d+$"))
    expect(partner.locator(".flash")).to_contain_text(contains("Your organisation is now a party of this joint action."))

    # ... and reports progress on its own share, with a PDF
    share = partner.locator("main article.party", has=partner.get_by_role("heading", name=partner_name()))
    share.get_by_role("link", name=t("Report progress on our share")).click()
    form = partner.locator("main form")
    form.get_by_label(t("Status now")).select_option("in_progress")
    form.get_by_label(t("What happened")).fill(note)
    form.get_by_label(t("Evidence file")).set_input_files(
        {"name": "acta.pdf", "mimeType": "application/pdf", "buffer": samples.pdf()})
    form.get_by_role("button", name=t("Send update")).click()
    expect(partner.locator(".flash")).to_contain_text(contains("Progress reported."))
    share = partner.locator("main article.party", has=partner.get_by_role("heading", name=partner_name()))
    expect(share.locator("ol.timeline > li").first).to_contain_text(note)
    expect(share.get_by_role("link", name=re.compile(r"acta\.pdf$"))).to_have_count(1)
    partner.close()

    # ------------------------------------------------------------------ the public sees it on the corridor page
    page.goto(action_path)
    share = page.locator("main article.party", has=page.get_by_role("heading", name=partner_name()))
    expect(share).to_contain_text(deliverable)
    expect(share.locator("ol.timeline > li").first).to_contain_text(note)
    expect(page.locator("main")).to_contain_text(contains("In progress"))
    page.goto("/corridors/mex-hnd")
    expect(page).to_have_url(re.compile(r"/corridors/HND-MEX$"))
    item = page.locator("main ol.item-list > li").filter(has=page.get_by_role("link", name=title, exact=True))
    expect(item).to_have_count(1)
    expect(item).to_contain_text(partner_name())
    expect(item).to_contain_text(contains("In progress"))
    item.get_by_role("link", name=title, exact=True).click()
    expect(page).to_have_url(re.compile(re.escape(action_path) + "$"))
