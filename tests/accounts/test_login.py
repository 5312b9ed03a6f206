"""Signing in and out: CSRF, same answer for unknown and wrong, throttling, safe redirects."""

import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from portal.accounts.models import FailedLogin
from portal.extensions import db
from tests.factories import PASSWORD
from tests.helpers import Browser, translated


def strip_token(html: str) -> str:
    return re.sub(r'value="[^"]+"', 'value=""', html)


def test_official_signs_in_and_out(client, factory):
    factory.user(email="focal@sreci.example")
    response = client.login("focal@sreci.example", PASSWORD)
    assert response.status_code == 302
    assert "Sign out" in client.text("/", headers={"Accept-Language": "en"})
    assert client.logout().status_code == 303
    page = client.text("/", headers={"Accept-Language": "en"})
    assert "Sign out" not in page and "Sign in" in page


def test_email_is_matched_without_regard_to_case(client, factory):
    factory.user(email="focal@sreci.example")
    assert client.login("  Focal@SRECI.example ", PASSWORD).status_code == 302


def test_sign_in_form_requires_csrf_token(client, factory):
    factory.user(email="focal@sreci.example")
    response = client.post("/account/login", data={"email": "focal@sreci.example", "password": PASSWORD})
    assert response.status_code == 400
    assert "Sign out" not in client.text("/")


def test_unknown_account_and_wrong_password_get_the_same_answer(client, factory):
    factory.user(email="focal@sreci.example")
    wrong = client.login("focal@sreci.example", "not the password at all")
    unknown = client.login("nobody@sreci.example", "not the password at all")
    assert wrong.status_code == unknown.status_code == 200
    wrong_html = strip_token(wrong.get_data(as_text=True)).replace("focal@", "X@")
    unknown_html = strip_token(unknown.get_data(as_text=True)).replace("nobody@", "X@")
    assert wrong_html == unknown_html


def test_disabled_account_cannot_sign_in(client, factory):
    factory.user(email="gone@sreci.example", is_enabled=False)
    response = client.login("gone@sreci.example", PASSWORD, headers={"Accept-Language": "en"})
    assert "The e-mail or the password is not right." in response.get_data(as_text=True)


def test_wrong_password_message_is_in_spanish_by_default(app, client, factory):
    factory.user(email="focal@sreci.example")
    html = client.login("focal@sreci.example", "wrong password here").get_data(as_text=True)
    english = "The e-mail or the password is not right."
    spanish = translated(app, english, "es")
    assert '<html lang="es">' in html
    assert spanish != english and spanish in html


def _fail(client, email, times, address="203.0.113.7"):
    for _ in range(times):
        client.login(email, "definitely wrong password", environ_base={"REMOTE_ADDR": address})


def test_sign_in_is_throttled_per_account_with_retry_after(make_app, factory):
    app = make_app(LOGIN_THROTTLE_PER_ACCOUNT=3, LOGIN_THROTTLE_PER_ADDRESS=100)
    factory.user(email="focal@sreci.example")
    client = Browser(app)
    _fail(client, "focal@sreci.example", 3)
    # The right password is not even checked while the account is throttled.
    blocked = client.login("focal@sreci.example", PASSWORD, environ_base={"REMOTE_ADDR": "203.0.113.7"})
    assert blocked.status_code == 429
    assert 0 < int(blocked.headers["Retry-After"]) <= 15 * 60
    assert 'value="focal@sreci.example"' in blocked.get_data(as_text=True)


def test_throttle_count_is_shared_by_every_worker(make_app, factory):
    """Two app instances stand for two gunicorn workers: the count lives in the database."""
    worker_a = Browser(make_app(LOGIN_THROTTLE_PER_ACCOUNT=4))
    worker_b = Browser(make_app(LOGIN_THROTTLE_PER_ACCOUNT=4))
    factory.user(email="focal@sreci.example")
    _fail(worker_a, "focal@sreci.example", 2)
    _fail(worker_b, "focal@sreci.example", 2)
    assert worker_a.login("focal@sreci.example", PASSWORD).status_code == 429


def test_throttle_per_address_spares_other_addresses(make_app, factory):
    app = make_app(LOGIN_THROTTLE_PER_ACCOUNT=100, LOGIN_THROTTLE_PER_ADDRESS=3)
    factory.user(email="focal@sreci.example")
    attacker = Browser(app)
    for n in range(3):
        attacker.login(f"guess{n}@sreci.example", "wrong password", environ_base={"REMOTE_ADDR": "198.51.100.9"})
    assert attacker.login("focal@sreci.example", PASSWORD, environ_base={"REMOTE_ADDR": "198.51.100.9"}).status_code == 429
    official = Browser(app)
    assert official.login("focal@sreci.example", PASSWORD, environ_base={"REMOTE_ADDR": "192.0.2.20"}).status_code == 302


def test_throttled_user_gets_back_in_once_the_window_has_passed(make_app, factory):
    app = make_app(LOGIN_THROTTLE_PER_ACCOUNT=3)
    factory.user(email="focal@sreci.example")
    client = Browser(app)
    _fail(client, "focal@sreci.example", 3)
    assert client.login("focal@sreci.example", PASSWORD).status_code == 429
    with app.app_context():
        for failure in db.session.scalars(select(FailedLogin)):
            failure.attempted_at -= timedelta(minutes=16)
        db.session.commit()
    assert client.login("focal@sreci.example", PASSWORD).status_code == 302


def test_failures_are_stored_without_the_typed_email_or_password(app, client):
    _fail(client, "someone@sreci.example", 1)
    with app.app_context():
        row = db.session.scalar(select(FailedLogin))
        assert "someone" not in row.account and len(row.account) == 64
        assert db.session.scalar(select(func.count()).select_from(FailedLogin)) == 1


@pytest.mark.parametrize(
    "target",
    ["//evil.example", "/\t/evil.example", "https:evil.example", "/\\evil.example", "java\tscript:alert(1)",
     "https://evil.example", "///evil.example", "\\\\evil.example", "http:\\\\evil.example",
     "/%09/evil.example", " //evil.example", "https://portal.test@evil.example"],
)
def test_next_only_accepts_local_paths(client, factory, target):
    factory.user(email="focal@sreci.example")
    response = client.submit(
        "/account/login", {"email": "focal@sreci.example", "password": PASSWORD, "next": target}
    )
    location = response.headers["Location"]
    assert response.status_code == 302
    # Refused: the user lands where a sign-in without ``next`` leads, their organisation's dashboard.
    assert location == "/dashboard", f"{target!r} led to {location!r}"


def test_next_keeps_a_local_path(client, factory):
    factory.user(email="focal@sreci.example")
    response = client.submit(
        "/account/login", {"email": "focal@sreci.example", "password": PASSWORD, "next": "/orgs/?page=2"}
    )
    assert response.headers["Location"] == "/orgs/?page=2"


def test_logout_is_post_only(client, factory):
    factory.user(email="focal@sreci.example")
    client.login("focal@sreci.example", PASSWORD)
    assert client.get("/account/logout").status_code == 405
    assert client.post("/account/logout").status_code == 400


OWN_ADDRESS = "192.0.2.20"


def _attack_from_many_addresses(app, email, addresses=11):
    """Someone who knows the e-mail sends a wrong password from each of ``addresses`` addresses."""
    attacker = Browser(app)
    return [
        attacker.login(email, "definitely wrong password", environ_base={"REMOTE_ADDR": f"198.51.100.{n}"})
        for n in range(1, addresses + 1)
    ]


def test_failures_from_other_addresses_do_not_lock_the_owner_out(make_app, factory):
    """V6.3.1: eleven wrong passwords from eleven addresses must not stop the owner at their usual address."""
    app = make_app()  # the production limits: 10 per account for strangers, 5 per account and address
    factory.user(email="focal@sreci.example")
    assert Browser(app).login("focal@sreci.example", PASSWORD,
                              environ_base={"REMOTE_ADDR": OWN_ADDRESS}).status_code == 302
    answers = _attack_from_many_addresses(app, "focal@sreci.example")
    assert [a.status_code for a in answers] == [200] * 10 + [429]
    # The attacker is still slowed: a twelfth address is refused, with the time to wait.
    slowed = Browser(app).login("focal@sreci.example", PASSWORD, environ_base={"REMOTE_ADDR": "198.51.100.99"})
    assert slowed.status_code == 429 and 0 < int(slowed.headers["Retry-After"]) <= 15 * 60
    # The owner, from their own address in a new browser (no device cookie), signs in.
    owner = Browser(app)
    response = owner.login("focal@sreci.example", PASSWORD, environ_base={"REMOTE_ADDR": OWN_ADDRESS})
    assert response.status_code == 302
    assert "Sign out" in owner.text("/", headers={"Accept-Language": "en"})


def test_the_owners_browser_is_known_from_another_address(make_app, factory):
    """The device cookie set at sign-in lets the owner in from a new address (travelling) under attack."""
    app = make_app()
    factory.user(email="focal@sreci.example")
    owner = Browser(app)
    owner.login("focal@sreci.example", PASSWORD, environ_base={"REMOTE_ADDR": OWN_ADDRESS})
    owner.logout()
    _attack_from_many_addresses(app, "focal@sreci.example")
    hotel = {"REMOTE_ADDR": "203.0.113.50"}
    # Without the cookie, the new address is a stranger and waits...
    assert Browser(app).login("focal@sreci.example", PASSWORD, environ_base=hotel).status_code == 429
    # ...but the owner's browser is known.
    assert owner.login("focal@sreci.example", PASSWORD, environ_base=hotel).status_code == 302


def test_a_forged_device_cookie_is_not_known(make_app, factory):
    app = make_app()
    factory.user(email="focal@sreci.example")
    _attack_from_many_addresses(app, "focal@sreci.example")
    forger = Browser(app)
    forger.set_cookie("portal_device", "[1]")
    assert forger.login("focal@sreci.example", PASSWORD,
                        environ_base={"REMOTE_ADDR": "203.0.113.50"}).status_code == 429


def test_a_known_address_is_still_slowed_per_account_and_address(make_app, factory):
    """Someone at the owner's address (a shared office) still gets LOGIN_THROTTLE_PER_PAIR tries."""
    app = make_app(LOGIN_THROTTLE_PER_PAIR=3)
    factory.user(email="focal@sreci.example")
    Browser(app).login("focal@sreci.example", PASSWORD, environ_base={"REMOTE_ADDR": OWN_ADDRESS})
    colleague = Browser(app)
    _fail(colleague, "focal@sreci.example", 3, address=OWN_ADDRESS)
    blocked = colleague.login("focal@sreci.example", "another guess", environ_base={"REMOTE_ADDR": OWN_ADDRESS})
    assert blocked.status_code == 429 and int(blocked.headers["Retry-After"]) > 0
