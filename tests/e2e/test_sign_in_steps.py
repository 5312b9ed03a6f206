"""The sign-in steps in a real browser, in both languages: forgotten password, setting up two-step
sign-in, and signing in with a code; axe-core and the Nu HTML checker on the pages that only these
steps reach (the others are in PAGES)."""

import json
import re
import subprocess

import pyotp
import pytest
from playwright.sync_api import expect

from portal.demo.data import DEMO_EMAIL_DOMAIN, DEMO_PASSWORD

from .support import BROWSER_LOCALES, java_and_vnu, tr
from .test_accessibility import run_axe

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def fresh_account(e2e_app):
    """Accounts of their own (one per language): enrolling a second factor must not touch the shared demo accounts."""
    from sqlalchemy import select

    from portal.accounts.models import User
    from portal.accounts.passwords import hash_password
    from portal.extensions import db
    from portal.organisations.models import Organisation

    with e2e_app.app_context():
        organisation = db.session.scalar(select(Organisation).where(Organisation.slug == "sreci-hnd"))
        for lang in ("es", "en"):
            db.session.add(User(email=f"mfa-{lang}@{DEMO_EMAIL_DOMAIN}", organisation_id=organisation.id,
                                role="editor", position="Focal point", password_hash=hash_password(DEMO_PASSWORD)))
        db.session.commit()
        db.session.remove()
    return lambda lang: f"mfa-{lang}@{DEMO_EMAIL_DOMAIN}"


def check(page, saved: dict, name: str) -> None:
    """axe-core now; the HTML is kept for the Nu HTML checker, run once at the end."""
    assert page.locator("html").get_attribute("lang") in ("es", "en")
    results = run_axe(page)
    assert results.violations_count == 0, f"axe-core on {name}:\n" + results.generate_report()
    saved[name] = page.content()


def nu_check(saved: dict, tmp_path) -> None:
    java, jar = java_and_vnu()
    paths = []
    for name, html in saved.items():
        path = tmp_path / (re.sub(r"[^A-Za-z0-9]+", "_", name) + ".html")
        path.write_text("<!doctype html>\n" + html if not html.lower().startswith("<!doctype") else html)
        paths.append(str(path))
    proc = subprocess.run([java, "-jar", str(jar), "--errors-only", "--format", "json", "--stdout", *paths],
                          check=False, capture_output=True, text=True, timeout=300)
    messages = json.loads(proc.stdout or '{"messages": []}')["messages"]
    assert not messages, "\n".join(f"{m.get('url')}: {m.get('message')}" for m in messages)


@pytest.mark.parametrize("lang", ["es", "en"])
def test_forgotten_password_and_two_step_sign_in(browser, browser_context_args, fresh_account, lang, tmp_path):
    email = fresh_account(lang)
    saved = {}
    context = browser.new_context(**{**browser_context_args, "locale": BROWSER_LOCALES[lang]})
    page = context.new_page()
    try:
        # Forgotten password: from the sign-in page to the answer, which says the same for any address.
        page.goto("/account/login")
        page.get_by_role("link", name=tr(lang, "Forgot your password?")).click()
        page.get_by_label(tr(lang, "E-mail")).fill(email)
        page.get_by_role("button", name=tr(lang, "Send me a link")).click()
        expect(page.get_by_role("heading", level=1)).to_have_text(tr(lang, "Check your e-mail"))
        check(page, saved, f"{lang} reset sent")

        # Set up two-step sign-in: type the key shown into the "app", confirm with its code.
        page.goto("/account/login")
        page.locator("form input[name=email]").fill(email)
        page.locator("form input[name=password]").fill(DEMO_PASSWORD)
        page.locator("main form button[type=submit]").click()
        page.goto("/account/mfa")
        expect(page.locator("svg.qr-code")).to_be_visible()
        key = page.locator("code.secret-key").inner_text().replace(" ", "")
        page.get_by_label(tr(lang, "Your password")).fill(DEMO_PASSWORD)
        page.get_by_label(tr(lang, "Code shown by the app")).fill(pyotp.TOTP(key).now())
        page.get_by_role("button", name=tr(lang, "Turn on two-step sign-in")).click()
        expect(page.get_by_role("heading", level=1)).to_have_text(tr(lang, "Your recovery codes"))
        codes = page.locator("ul.recovery-codes code").all_inner_texts()
        assert len(codes) == 10
        check(page, saved, f"{lang} recovery codes")

        # Sign out, sign in again: the password leads to the code step, and a recovery code finishes it.
        page.get_by_role("button", name=tr(lang, "Sign out")).click()
        page.goto("/account/login")
        page.locator("form input[name=email]").fill(email)
        page.locator("form input[name=password]").fill(DEMO_PASSWORD)
        page.locator("main form button[type=submit]").click()
        expect(page.get_by_role("heading", level=1)).to_have_text(tr(lang, "Sign-in code"))
        check(page, saved, f"{lang} sign-in code")
        page.get_by_label(tr(lang, "Code"), exact=True).fill("000000")
        page.locator("main form button[type=submit]").click()
        expect(page.locator(".field-error")).to_contain_text(tr(lang, "This code is not right, or has already been used."))
        check(page, saved, f"{lang} sign-in code refused")
        page.get_by_label(tr(lang, "Code"), exact=True).fill(codes[0])
        page.locator("main form button[type=submit]").click()
        expect(page.locator("header a[href$='/account/']")).to_be_visible()

        # Two-step sign-in is on; the profile lists the sign-ins.
        page.goto("/account/mfa")
        expect(page.get_by_role("heading", level=1)).to_have_text(tr(lang, "Two-step sign-in"))
        check(page, saved, f"{lang} two-step on")
        page.goto("/account/")
        expect(page.get_by_role("heading", name=tr(lang, "Your sessions"))).to_be_visible()
    finally:
        context.close()
    nu_check(saved, tmp_path)
