"""Commitments end to end: an official logs one and reports progress with a file, the IOM verifies it,
and the public sees it (but not a partners-only commitment)."""

import re
import secrets
from datetime import date, timedelta

import pytest
from playwright.sync_api import Page, expect

from .pages import IOM, JOURNEY_OFFICIAL
from .support import sign_in, tr

pytestmark = pytest.mark.e2e

#: The demo's partners-only commitment (SRECI's): hidden from the public, 404 on its own URL.
PARTNERS_ONLY_TITLE = "Mesa de coordinación intersectorial sobre gestión migratoria"
THEME_CODE = "information_awareness"
#: A small but well-formed PDF: the portal checks an upload's type by its content.
EVIDENCE_PDF = (
    b"%PDF-1.4\n"
    b"1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
    b"2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj\n"
    b"3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >> endobj\n"
    b"trailer << /Root 1 0 R >>\n"
    b"%%EOF\n"
)


def t(msgid: str) -> re.Pattern:
    """The portal's text for ``msgid`` in either interface language, as a whole-string pattern.

    The journey reads Spanish pages (an es-HN browser), but an account's saved language wins over
    the browser's, so either language is accepted; the language journey covers the switching.
    """
    texts = {tr("es", msgid), tr("en", msgid)}
    return re.compile("^(?:" + "|".join(re.escape(text) for text in texts) + ")$")


def contains(msgid: str) -> re.Pattern:
    """Like ``t`` but matching inside a longer text (flash messages)."""
    return re.compile("|".join(re.escape(text) for text in {tr("es", msgid), tr("en", msgid)}))


def sign_out(page: Page) -> None:
    page.locator("header").get_by_role("button", name=t("Sign out")).click()
    expect(page.locator(".flash")).to_contain_text(contains("You have signed out."))
    expect(page.locator("header a[href$='/account/']")).to_have_count(0)


@pytest.fixture()
def theme_names(e2e_app) -> tuple[str, str]:
    """The Spanish and English names of the theme the journey ticks."""
    from sqlalchemy import select

    from portal.commitments.models import Theme
    from portal.extensions import db

    with e2e_app.app_context():
        theme = db.session.scalar(select(Theme).where(Theme.code == THEME_CODE))
        names = (theme.name_es, theme.name_en)
        db.session.remove()
    return names


def test_official_logs_and_reports_iom_verifies_public_reads(page: Page, demo_ids, theme_names):
    title = f"Campaña informativa en los centros de atención al migrante retornado {secrets.token_hex(3)}"
    target = date.today() + timedelta(days=180)
    note = f"Primera jornada informativa realizada; se adjunta el acta ({secrets.token_hex(4)})."
    main = page.locator("main")

    # ------------------------------------------------------------------ the official logs a commitment
    sign_in(page, JOURNEY_OFFICIAL)
    page.goto("/commitments/")
    main.get_by_role("link", name=t("Log a commitment")).click()
    expect(page).to_have_url(re.compile(r"/commitments/new$"))
    # The Spanish half of each language pair ("Title in Spanish"); the English one stays empty.
    main.locator("#title_es").fill(title)
    main.locator("#description_es").fill(
        "Sesiones informativas sobre **derechos** y programas de reintegración.\n\n"
        "- Tegucigalpa\n- San Pedro Sula"
    )
    themes = main.get_by_role("group", name=t("Themes"))
    theme = re.compile("^(?:%s)$" % "|".join(map(re.escape, theme_names)))
    themes.get_by_role("checkbox", name=theme).check()
    main.get_by_role("group", name=t("Who can read it")).get_by_role(
        "radio", name=t("Public: anyone can read it")).check()
    main.get_by_label(t("Target date")).fill(target.isoformat())
    main.get_by_role("button", name=t("Log commitment")).click()

    expect(page).to_have_url(re.compile(r"/commitments/\d+$"))
    commitment_path = re.search(r"/commitments/\d+$", page.url).group(0)
    expect(page.locator(".flash")).to_contain_text(contains("Commitment logged."))
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    facts = page.locator("dl.facts")
    expect(facts).to_contain_text(re.compile("|".join(map(re.escape, theme_names))))
    expect(facts).to_contain_text(str(target.year))
    expect(main.locator(".prose strong")).to_have_text("derechos")  # the Markdown was rendered

    # ------------------------------------------------------------------ ... and reports progress with a PDF
    main.get_by_role("link", name=t("Report progress")).click()
    expect(page).to_have_url(re.compile(re.escape(commitment_path) + r"/updates/new$"))
    main.get_by_label(t("Status now")).select_option("in_progress")
    main.get_by_label(t("What happened")).fill(note)
    main.get_by_label(t("Evidence file")).set_input_files(
        {"name": "acta.pdf", "mimeType": "application/pdf", "buffer": EVIDENCE_PDF}
    )
    main.get_by_role("button", name=t("Send update")).click()

    expect(page).to_have_url(re.compile(re.escape(commitment_path) + r"#progress$"))
    expect(page.locator(".flash")).to_contain_text(contains("Progress reported."))
    update = main.locator("ol.timeline > li").first
    expect(update).to_contain_text(note)
    expect(update).to_contain_text(contains("Pending verification"))
    evidence = update.get_by_role("link", name=re.compile(r"acta\.pdf$"))
    with page.expect_download() as download_info:
        evidence.click()
    download = download_info.value
    assert download.suggested_filename.endswith(".pdf")
    with open(download.path(), "rb") as stored:
        assert stored.read() == EVIDENCE_PDF, "the evidence downloaded is not the file uploaded"
    sign_out(page)

    # ------------------------------------------------------------------ the IOM verifies the update
    sign_in(page, IOM)
    page.goto(commitment_path)
    update = main.locator("ol.timeline > li").first
    expect(update).to_contain_text(note)
    update.get_by_role("link", name=t("Verify or question this update")).click()
    expect(page).to_have_url(re.compile(re.escape(commitment_path) + r"/updates/\d+/review$"))
    expect(main).to_contain_text(note)
    main.get_by_role("group", name=t("Your review")).get_by_role(
        "radio", name=t("Verify: the progress is confirmed")).check()
    main.get_by_label(t("Comment")).fill("Confirmado con el acta de la jornada.")
    main.get_by_role("button", name=t("Record review")).click()

    expect(page).to_have_url(re.compile(re.escape(commitment_path) + r"#update-\d+$"))
    expect(page.locator(".flash")).to_contain_text(contains("Your review has been recorded."))
    update = main.locator("ol.timeline > li").first
    review = update.locator("div.review")
    expect(review).to_have_count(1)
    expect(review).to_have_class(re.compile(r"\breview-verified\b"))
    expect(review.locator("strong")).to_have_text(t("Verified"))
    expect(review).to_contain_text("Confirmado con el acta de la jornada.")
    expect(update.locator(".item-meta")).to_contain_text(contains("Verified"))
    # Signed in, a partner sees the partners-only commitment in the list: its absence below means something.
    page.goto("/commitments/")
    expect(main.get_by_role("link", name=PARTNERS_ONLY_TITLE, exact=True)).to_have_count(1)
    sign_out(page)

    # ------------------------------------------------------------------ signed out: the public list
    page.goto("/commitments/")
    expect(page.locator("header a[href$='/account/login']")).to_be_visible()
    listed = main.locator("ol.item-list > li").filter(has=page.get_by_role("link", name=title, exact=True))
    expect(listed).to_have_count(1)
    expect(listed).to_contain_text(contains("Verified"))
    expect(main.get_by_role("link", name=PARTNERS_ONLY_TITLE, exact=True)).to_have_count(0)
    expect(main).not_to_contain_text(PARTNERS_ONLY_TITLE)

    listed.get_by_role("link", name=title, exact=True).click()
    expect(page).to_have_url(re.compile(re.escape(commitment_path) + "$"))
    expect(main.locator("ol.timeline > li").first).to_contain_text(note)

    partners_only = page.goto(f"/commitments/{demo_ids['commitment_by_title'][PARTNERS_ONLY_TITLE]}")
    assert partners_only is not None and partners_only.status == 404, (
        f"a partners-only commitment answered {partners_only.status if partners_only else 'nothing'} "
        "to the public (expected 404: its existence is not revealed)"
    )
    expect(main).not_to_contain_text(PARTNERS_ONLY_TITLE)
