"""Sessions: cookie flags, renewal at sign-in, and copies of a cookie that must stop working."""

import re
import time

from sqlalchemy import select

from portal.accounts.models import User
from portal.extensions import db
from tests.factories import PASSWORD
from tests.helpers import Browser

PRIVATE_PAGE = "/account/"


def session_cookie(browser, name="portal_session"):
    cookie = browser.client.get_cookie(name)
    assert cookie is not None, f"no {name} cookie"
    return cookie.value


def replay(app, value, name="portal_session", **kwargs):
    """Open the private page in another browser holding only a copied cookie."""
    thief = app.test_client()
    thief.set_cookie(name, value)
    return thief.get(PRIVATE_PAGE, **kwargs)


def signed_in(app, factory, email="focal@sreci.example", **fields):
    user = factory.user(email=email, **fields)
    browser = Browser(app)
    assert browser.login(email, PASSWORD).status_code == 302
    return user, browser


def test_copied_cookie_works_while_signed_in(app, factory):
    _, browser = signed_in(app, factory)
    assert replay(app, session_cookie(browser)).status_code == 200


def test_copied_cookie_stops_working_after_sign_out(app, factory):
    _, browser = signed_in(app, factory)
    stolen = session_cookie(browser)
    browser.logout()
    response = replay(app, stolen)
    assert response.status_code == 302 and "/account/login" in response.headers["Location"]


def test_copied_cookie_stops_working_after_password_change(app, factory):
    _, browser = signed_in(app, factory)
    stolen = session_cookie(browser)
    response = browser.submit("/account/password", {
        "current_password": PASSWORD, "new_password": "a different quiet river 2027",
        "confirm_password": "a different quiet river 2027"})
    assert response.status_code == 303
    assert replay(app, stolen).status_code == 302
    # The person who changed the password stays signed in.
    assert browser.get(PRIVATE_PAGE).status_code == 200


def test_copied_cookie_stops_working_when_the_account_is_disabled(app, factory):
    user, browser = signed_in(app, factory)
    stolen = session_cookie(browser)
    with app.app_context():
        db.session.get(User, user.id).is_enabled = False
        db.session.commit()
    assert replay(app, stolen).status_code == 302
    assert browser.get(PRIVATE_PAGE).status_code == 302


def test_admin_disabling_an_account_ends_its_sessions(app, factory):
    organisation = factory.organisation()
    admin = factory.admin(email="root@portal.example")
    user = factory.user(organisation, email="focal@sreci.example")
    victim = Browser(app)
    victim.login(user.email, PASSWORD)
    operator = Browser(app)
    operator.login(admin.email, PASSWORD)
    response = operator.submit(f"/admin/people/{user.id}/enabled", page="/admin/people/")
    assert response.status_code == 303
    assert victim.get(PRIVATE_PAGE).status_code == 302


def test_session_is_renewed_at_sign_in(app, factory):
    factory.user(email="focal@sreci.example")
    browser = Browser(app)
    browser.get("/account/login")
    with browser.client.session_transaction() as session:
        session["planted"] = "by someone else"
    before = session_cookie(browser)
    browser.login("focal@sreci.example", PASSWORD)
    with browser.client.session_transaction() as session:
        assert "planted" not in session
    assert session_cookie(browser) != before


def test_idle_session_ends(make_app, factory):
    from datetime import timedelta

    app = make_app(SESSION_IDLE_TIMEOUT=timedelta(minutes=30))
    _, browser = signed_in(app, factory)
    with browser.client.session_transaction() as session:
        session["seen_at"] = time.time() - 31 * 60
    assert browser.get(PRIVATE_PAGE).status_code == 302


def test_session_has_an_absolute_lifetime(app, factory):
    _, browser = signed_in(app, factory)
    with browser.client.session_transaction() as session:
        session["signed_in_at"] = time.time() - 13 * 3600
    assert browser.get(PRIVATE_PAGE).status_code == 302


def test_production_cookie_is_host_only_secure_httponly_lax(make_app, factory):
    app = make_app(ENVIRONMENT="production")
    factory.user(email="focal@sreci.example")
    browser = Browser(app, https=True)
    # Over HTTPS, Flask-WTF also checks that the form was posted from this site.
    response = browser.login("focal@sreci.example", PASSWORD, headers={"Referer": "https://localhost/account/login"})
    assert response.status_code == 302
    headers = sorted(response.headers.getlist("Set-Cookie"))
    assert len(headers) == 2, headers
    # The device cookie (known browsers, see the sign-in throttle) follows the same rules.
    assert re.match(r"^__Host-device=[^;]+; Expires=[^;]+; Max-Age=7776000; Secure; HttpOnly; Path=/; SameSite=Lax$",
                    headers[0]), headers[0]
    assert re.match(r"^__Host-session=[^;]+; Secure; HttpOnly; Path=/; SameSite=Lax", headers[1]), headers[1]
    assert not any("Domain=" in header for header in headers)


def test_development_cookie_is_httponly_and_lax(app, factory):
    factory.user(email="focal@sreci.example")
    response = Browser(app).login("focal@sreci.example", PASSWORD)
    headers = sorted(response.headers.getlist("Set-Cookie"))
    assert re.match(r"^portal_device=[^;]+; Expires=[^;]+; Max-Age=7776000; HttpOnly; Path=/; SameSite=Lax$",
                    headers[0]), headers[0]
    assert re.match(r"^portal_session=[^;]+; HttpOnly; Path=/; SameSite=Lax$", headers[1]), headers[1]


def test_signed_in_pages_are_not_cached(app, factory):
    _, browser = signed_in(app, factory)
    for url in (PRIVATE_PAGE, "/", "/orgs/"):
        response = browser.get(url)
        assert "no-store" in response.headers["Cache-Control"], url
        assert "Cookie" in response.headers["Vary"]


def test_user_loader_refuses_malformed_session_ids(app, factory):
    user, browser = signed_in(app, factory)
    with browser.client.session_transaction() as session:
        session["_user_id"] = str(user.id)
    assert browser.get(PRIVATE_PAGE).status_code == 302
    with app.app_context():
        assert db.session.scalar(select(User.is_enabled).where(User.id == user.id))
