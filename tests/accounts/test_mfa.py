"""Second factor (TOTP): enrolment, the code step of signing in, replay, recovery codes, required roles,
turning it off, and an administrator's reset."""

import re
from datetime import timedelta

import pyotp
import pytest
from sqlalchemy import select

from portal.accounts.models import RecoveryCode, User
from portal.core.audit import AuditEvent
from portal.core.db import utcnow
from portal.extensions import db
from tests.factories import PASSWORD
from tests.helpers import Browser

EN = {"Accept-Language": "en"}


def enrol(client) -> tuple[str, list[str]]:
    """Enrol through the pages as a person would: read the key, type the app's code; return key and codes."""
    page = client.text("/account/mfa", headers=EN)
    key = re.search(r'<code class="secret-key">([A-Z2-7 ]+)</code>', page).group(1).replace(" ", "")
    response = client.submit("/account/mfa", {"password": PASSWORD, "code": pyotp.TOTP(key).now()}, headers=EN)
    assert response.status_code == 200
    codes = re.findall(r"<li><code>([a-z0-9-]+)</code></li>", response.get_data(as_text=True))
    return key, codes


def set_last_step_back(app, email):
    """Forget the last accepted step, as if the enrolment code had been typed a minute earlier."""
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == email))
        user.totp_last_step -= 2
        db.session.commit()


@pytest.fixture
def enrolled(app, factory):
    factory.user(email="focal@sreci.example")
    client = Browser(app)
    client.login("focal@sreci.example", PASSWORD)
    key, codes = enrol(client)
    set_last_step_back(app, "focal@sreci.example")
    return key, codes


def test_enrolment_shows_the_key_and_an_inline_qr_code(app, client, factory):
    factory.user(email="focal@sreci.example")
    client.login("focal@sreci.example", PASSWORD)
    page = client.text("/account/mfa", headers=EN)
    assert '<svg class="qr-code" role="img"' in page
    assert '<title id="qr-title">QR code for your authenticator app</title>' in page
    assert "<img" not in page.split('<main')[1]  # nothing fetched, nothing the CSP would block
    again = client.text("/account/mfa", headers=EN)
    key = re.search(r'<code class="secret-key">([A-Z2-7 ]+)</code>', page).group(1)
    assert key in again  # the same key until enrolment is confirmed


def test_the_qr_code_drawn_is_segnos_code_of_the_key_shown(app, client, factory):
    """Read the drawn modules back from the SVG path and compare them with segno's matrix for the key."""
    import segno

    from portal.accounts.mfa import ISSUER

    factory.user(email="focal@sreci.example")
    client.login("focal@sreci.example", PASSWORD)
    page = client.text("/account/mfa", headers=EN)
    key = re.search(r'<code class="secret-key">([A-Z2-7 ]+)</code>', page).group(1).replace(" ", "")
    uri = pyotp.TOTP(key).provisioning_uri(name="focal@sreci.example", issuer_name=ISSUER)
    expected = {(x, y) for y, row in enumerate(segno.make(uri, error="m").matrix) for x, dark in enumerate(row) if dark}
    path = re.search(r'<path d="([^"]+)"', page).group(1)
    drawn = {(int(x) - 4 + i, int(float(y) - 4.5)) for x, y, n in re.findall(r"M(\d+) ([\d.]+)h(\d+)", path)
             for i in range(int(n))}
    assert drawn == expected


def test_a_wrong_code_does_not_enrol(app, client, factory):
    factory.user(email="focal@sreci.example")
    client.login("focal@sreci.example", PASSWORD)
    response = client.submit("/account/mfa", {"password": PASSWORD, "code": "000000"}, headers=EN)
    assert "This code is not right" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(User.totp_secret)) is None


def test_enrolment_asks_for_the_password_again(app, client, factory):
    """V7.5.1: an open session alone cannot tie the account to another phone."""
    factory.user(email="focal@sreci.example")
    client.login("focal@sreci.example", PASSWORD)
    page = client.text("/account/mfa", headers=EN)
    key = re.search(r'<code class="secret-key">([A-Z2-7 ]+)</code>', page).group(1).replace(" ", "")
    response = client.submit("/account/mfa", {"password": "not my password at all", "code": pyotp.TOTP(key).now()},
                             headers=EN)
    assert response.status_code == 200 and "This is not your current password." in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(User.totp_secret)) is None


def test_enrolment_gives_ten_recovery_codes_stored_hashed(app, enrolled):
    _, codes = enrolled
    assert len(codes) == len(set(codes)) == 10
    with app.app_context():
        stored = db.session.scalars(select(RecoveryCode.code_hash)).all()
        audit = db.session.scalars(select(AuditEvent.action)).all()
    assert len(stored) == 10 and all(h.startswith("scrypt:") for h in stored)
    assert not {c.replace("-", "") for c in codes} & set(stored)
    assert "enrol_mfa" in audit


def test_password_alone_does_not_sign_in(app, enrolled):
    client = Browser(app)
    response = client.login("focal@sreci.example", PASSWORD)
    assert response.status_code == 303 and response.headers["Location"] == "/account/login/code"
    assert client.get("/account/").status_code == 302  # not signed in before the code
    assert "Sign out" not in client.text("/", headers=EN)


def test_sign_in_with_a_code_and_the_code_cannot_be_replayed(app, enrolled):
    key, _ = enrolled
    code = pyotp.TOTP(key).now()
    first = Browser(app)
    first.login("focal@sreci.example", PASSWORD)
    assert first.submit("/account/login/code", {"code": code}).status_code == 302
    assert "Sign out" in first.text("/", headers=EN)
    second = Browser(app)
    second.login("focal@sreci.example", PASSWORD)
    replayed = second.submit("/account/login/code", {"code": code}, headers=EN)
    assert replayed.status_code == 200 and "already been used" in replayed.get_data(as_text=True)
    assert second.get("/account/").status_code == 302


def test_a_code_from_two_steps_ago_is_refused(app, enrolled):
    key, _ = enrolled
    old = pyotp.TOTP(key).at(utcnow() - timedelta(seconds=70))
    client = Browser(app)
    client.login("focal@sreci.example", PASSWORD)
    assert client.submit("/account/login/code", {"code": old}).status_code == 200
    assert client.get("/account/").status_code == 302


def test_a_recovery_code_works_once(app, enrolled):
    _, codes = enrolled
    client = Browser(app)
    client.login("focal@sreci.example", PASSWORD)
    response = client.submit("/account/login/code", {"code": codes[3].upper()}, headers=EN)
    assert response.status_code == 302
    assert "9 codes are left" in client.text("/", headers=EN)
    again = Browser(app)
    again.login("focal@sreci.example", PASSWORD)
    assert again.submit("/account/login/code", {"code": codes[3]}).status_code == 200


def test_the_code_step_expires(app, enrolled):
    key, _ = enrolled
    client = Browser(app)
    client.login("focal@sreci.example", PASSWORD)
    with client.client.session_transaction() as session:
        session["mfa_pending"] = {**session["mfa_pending"], "at": session["mfa_pending"]["at"] - 6 * 60}
    response = client.submit("/account/login/code", {"code": pyotp.TOTP(key).now()}, page="/account/login")
    assert response.status_code == 303 and response.headers["Location"] == "/account/login"


def test_wrong_codes_are_throttled(make_app, factory):
    app = make_app(LOGIN_THROTTLE_PER_PAIR=3)
    factory.user(email="focal@sreci.example")
    client = Browser(app)
    client.login("focal@sreci.example", PASSWORD)
    key, _ = enrol(client)
    attacker = Browser(app)
    attacker.login("focal@sreci.example", PASSWORD, environ_base={"REMOTE_ADDR": "198.51.100.7"})
    for guess in ("111111", "222222", "333333"):
        attacker.submit("/account/login/code", {"code": guess}, environ_base={"REMOTE_ADDR": "198.51.100.7"})
    refused = attacker.submit("/account/login/code", {"code": pyotp.TOTP(key).now()},
                              environ_base={"REMOTE_ADDR": "198.51.100.7"})
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) > 0


def test_the_owner_turns_it_off_with_a_code(app, enrolled):
    key, _ = enrolled
    client = Browser(app)
    client.login("focal@sreci.example", PASSWORD)
    client.submit("/account/login/code", {"code": pyotp.TOTP(key).now()})
    set_last_step_back(app, "focal@sreci.example")
    assert client.submit("/account/mfa/off", {"code": "123456"}, page="/account/mfa").status_code == 200
    done = client.submit("/account/mfa/off", {"code": pyotp.TOTP(key).now()}, page="/account/mfa")
    assert done.status_code == 303
    with app.app_context():
        assert db.session.scalar(select(User.totp_secret)) is None
        assert db.session.scalars(select(RecoveryCode)).all() == []
    assert Browser(app).login("focal@sreci.example", PASSWORD).status_code == 302


def test_required_roles_must_enrol_before_anything_else(make_app, factory):
    app = make_app(MFA_REQUIRED_ROLES=["org_admin"])
    factory.user(email="boss@sreci.example", role="org_admin")
    client = Browser(app)
    client.login("boss@sreci.example", PASSWORD)
    for url in ("/dashboard", "/account/", "/commitments/"):
        response = client.get(url)
        assert response.status_code == 303 and response.headers["Location"] == "/account/mfa", url
    key, _ = enrol(client)
    assert client.get("/dashboard").status_code == 200
    page = client.text("/account/mfa", headers=EN)
    assert "cannot be turned off" in page and "/account/mfa/off" not in page
    assert client.submit("/account/mfa/off", {"code": pyotp.TOTP(key).now()}, page="/account/mfa").status_code == 403


def test_production_requires_it_of_admins_and_iom_editors_only(make_app, factory):
    from portal.accounts import mfa

    app = make_app(ENVIRONMENT="production")
    iom = factory.organisation(kind="iom_office")
    cases = {
        factory.user(is_site_admin=True, role="viewer").id: True,
        factory.user(role="org_admin").id: True,
        factory.user(organisation=iom, role="editor").id: True,
        factory.user(organisation=iom, role="viewer").id: False,
        factory.user(role="editor").id: False,
    }
    with app.app_context():
        assert {i: mfa.is_required(db.session.get(User, i)) for i in cases} == cases
    assert make_app().config["MFA_REQUIRED_ROLES"] == []
    assert make_app(ENVIRONMENT="development").config["MFA_REQUIRED_ROLES"] == []


def test_after_a_password_reset_sign_in_still_asks_for_the_code(app, enrolled):
    from tests.accounts.test_password_reset import NEW_PASSWORD, outbox, token_from

    client = Browser(app)
    client.submit("/account/reset", {"email": "focal@sreci.example"})
    token = token_from(outbox(app)[0])
    client.submit(f"/account/reset/{token}", {"new_password": NEW_PASSWORD, "confirm_password": NEW_PASSWORD})
    response = Browser(app).login("focal@sreci.example", NEW_PASSWORD)
    assert response.headers["Location"] == "/account/login/code"


def test_a_site_admin_resets_a_lost_factor_audited_and_mailed(app, enrolled, factory):
    from tests.accounts.test_password_reset import outbox

    with app.app_context():
        member = db.session.scalar(select(User).where(User.email == "focal@sreci.example"))
    holder = Browser(app)  # someone signed in with the factor: signed out by the reset
    key, _ = enrolled
    holder.login("focal@sreci.example", PASSWORD)
    holder.submit("/account/login/code", {"code": pyotp.TOTP(key).now()})
    factory.user(email="admin@portal.example", is_site_admin=True, role="viewer")
    admin = Browser(app)
    admin.login("admin@portal.example", PASSWORD)
    page = f"/admin/people/{member.id}/edit"
    response = admin.submit(f"/admin/people/{member.id}/second-factor", page=page)
    assert response.status_code == 303
    assert holder.get("/account/").status_code == 302
    with app.app_context():
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "reset_mfa"))
        assert event.object_id == member.id and event.actor.email == "admin@portal.example"
    (mail,) = outbox(app)
    assert mail["To"] == "focal@sreci.example" and mail["Content-Language"] == "es"
    assert mail["Subject"] == "Se restableció su inicio de sesión en dos pasos"
    assert Browser(app).login("focal@sreci.example", PASSWORD).status_code == 302  # password alone again


def test_only_site_admins_reset_a_factor(app, enrolled, factory):
    with app.app_context():
        member = db.session.scalar(select(User).where(User.email == "focal@sreci.example"))
    factory.user(email="boss@sreci.example", role="org_admin", organisation=member.organisation)
    boss = Browser(app)
    boss.login("boss@sreci.example", PASSWORD)
    page = f"/admin/people/{member.id}/edit"
    assert "second-factor" not in boss.text(page)
    assert boss.submit(f"/admin/people/{member.id}/second-factor", page=page).status_code == 403
