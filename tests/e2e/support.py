"""Helpers shared by the browser tests: chromium settings, catalogs, signing in, the HTML checker."""

import os
import re
import shutil
from functools import lru_cache
from pathlib import Path

import pytest
from babel.support import Translations

ROOT = Path(__file__).resolve().parents[2]
TRANSLATIONS = ROOT / "portal" / "translations"

CHROMIUM = os.environ.get("CHROMIUM") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
#: Browser locale per interface language; the default one is the Honduran official's.
BROWSER_LOCALES = {"es": "es-HN", "en": "en-US"}
DEFAULT_LOCALE = BROWSER_LOCALES["es"]


def toolchain_required() -> bool:
    """Tell whether a missing browser or checker must fail the run instead of skipping (CI, make e2e)."""
    return os.environ.get("CHROMIUM_REQUIRED") == "1"


def skip_or_fail(reason: str) -> None:
    if toolchain_required():
        pytest.fail(f"{reason} (CHROMIUM_REQUIRED=1)", pytrace=False)
    pytest.skip(reason)


@lru_cache(maxsize=None)
def _catalog(lang: str) -> Translations:
    return Translations.load(str(TRANSLATIONS), [lang], domain="messages")


def tr(lang: str, msgid: str) -> str:
    """Return ``msgid`` as the portal shows it in ``lang``, from the same compiled catalogs it reads.

    While a Spanish translation is missing, the portal (and so this) shows the English text.
    """
    return _catalog(lang).gettext(msgid)


def either(*texts: str) -> re.Pattern:
    """A whole-string pattern matching any of ``texts`` (for accessible names)."""
    return re.compile("^(?:" + "|".join(re.escape(text) for text in texts) + ")$")


def sign_in(page, email: str, password: str | None = None) -> None:
    """Sign in through the real form at /account/login and wait until the portal confirms it."""
    from playwright.sync_api import expect

    from portal.demo.data import DEMO_PASSWORD

    page.goto("/account/login")
    page.locator("form input[name=email]").fill(email)
    page.locator("form input[name=password]").fill(password or DEMO_PASSWORD)
    page.locator("main form button[type=submit]").click()
    expect(page.locator("header a[href$='/account/']")).to_be_visible()


def java_and_vnu() -> tuple[str, Path]:
    """Return the java command and the Nu HTML checker jar (npm ci), or skip/fail."""
    java = os.environ.get("JAVA") or shutil.which("java") or "/usr/bin/java"
    jar = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
    if not os.access(java, os.X_OK):
        skip_or_fail("java not found (apt-get install -y default-jre-headless)")
    if not jar.is_file():
        skip_or_fail(f"{jar.relative_to(ROOT)} is missing (npm ci)")
    return java, jar
