"""Password rules and password change."""

import pytest
from sqlalchemy import select

from portal.accounts.models import User
from portal.accounts.passwords import is_common
from portal.extensions import db
from tests.factories import PASSWORD
from tests.helpers import Browser


@pytest.mark.parametrize("password", ["password123456", "qwertyuiop12", "iloveyou2026!", "123456789012", "aaaaaaaaaaaaaa"])
def test_common_passwords_are_recognised(password):
    assert is_common(password)


@pytest.mark.parametrize("password", ["a long and quiet river 2026", "Reintegración-Tegucigalpa-17"])
def test_unusual_passwords_pass(password):
    assert not is_common(password)


def change(browser, current, new, confirm=None):
    return browser.submit("/account/password", {
        "current_password": current, "new_password": new, "confirm_password": confirm or new,
    }, headers={"Accept-Language": "en"})


@pytest.fixture
def official(app, factory):
    user = factory.user(email="focal@sreci.example")
    browser = Browser(app)
    browser.login(user.email, PASSWORD)
    return user, browser


def stored_hash(app, user):
    with app.app_context():
        return db.session.scalar(select(User.password_hash).where(User.id == user.id))


def test_password_change_asks_for_the_current_password(app, official):
    user, browser = official
    before = stored_hash(app, user)
    response = change(browser, "not my password", "a brand new long phrase 99")
    assert response.status_code == 200
    assert "This is not your current password." in response.get_data(as_text=True)
    assert stored_hash(app, user) == before


@pytest.mark.parametrize("new, message", [
    ("short", "Use at least 12 characters."),
    ("x" * 257, "Use at most 256 characters."),
    ("password123456", "This password is too common."),
    ("focal password kept", "The password must not contain your e-mail address."),
])
def test_weak_new_passwords_are_refused(app, official, new, message):
    user, browser = official
    before = stored_hash(app, user)
    response = change(browser, PASSWORD, new)
    assert message in response.get_data(as_text=True)
    assert stored_hash(app, user) == before


def test_mismatched_confirmation_is_refused(app, official):
    user, browser = official
    response = change(browser, PASSWORD, "a brand new long phrase 99", "a brand new long phrase 98")
    assert "The two passwords are not the same." in response.get_data(as_text=True)


def test_long_unicode_password_round_trips_exactly(app, official):
    user, browser = official
    new = "Protección consular — retorno digno 🌎 " * 5
    assert len(new) > 128
    assert change(browser, PASSWORD, new).status_code == 303
    assert stored_hash(app, user).startswith("scrypt:")
    browser.logout()
    assert Browser(app).login(user.email, new.upper()).status_code == 200
    assert Browser(app).login(user.email, new[:72]).status_code == 200
    assert Browser(app).login(user.email, new).status_code == 302
