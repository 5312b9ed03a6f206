"""Importing commitments end to end: an official downloads the export, sends it back with a new row, reads the
preview and confirms; the new commitment is listed."""

import csv
import io
import re
import secrets

import pytest
from playwright.sync_api import Page, expect

from .pages import JOURNEY_OFFICIAL
from .support import sign_in, tr
from .test_commitments import t

pytestmark = pytest.mark.e2e


def test_official_uploads_previews_and_confirms_an_import(page: Page):
    title = f"Registro de personas retornadas con discapacidad {secrets.token_hex(3)}"
    main = page.locator("main")
    sign_in(page, JOURNEY_OFFICIAL)
    page.goto("/commitments/")
    main.get_by_role("link", name=t("Import from a table")).click()
    expect(page).to_have_url(re.compile(r"/commitments/import$"))

    table = io.StringIO()
    csv.writer(table).writerows([["Título", "Estado", "Fecha límite"], [title, "En curso", "2027-10-31"]])
    main.get_by_label(t("Table of commitments (CSV or XLSX)")).set_input_files(
        {"name": "matriz.csv", "mimeType": "text/csv", "buffer": table.getvalue().encode("utf-8")})
    main.get_by_role("button", name=t("Preview the import")).click()

    expect(page.get_by_role("heading", level=1)).to_have_text(t("Import preview"))
    row = main.locator("tr.import-new")
    expect(row).to_have_count(1)
    expect(row).to_contain_text(title)
    main.get_by_role("button", name=t("Import")).click()

    done = {tr(lang, "Imported: %(created)s new, %(changed)s changed.") % {"created": 1, "changed": 0}
            for lang in ("es", "en")}
    expect(page.locator(".flash")).to_contain_text(re.compile("|".join(map(re.escape, done))))
    expect(main.get_by_role("link", name=title)).to_be_visible()
