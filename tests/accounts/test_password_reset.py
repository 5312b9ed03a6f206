"""Forgotten password: no enumeration in words or time, a hashed single-use link for 30 minutes,
every session ended, requests throttled, and the link built on BASE_URL."""

import email
import hashlib
import re
import socket
import statistics
import time
from datetime import timedelta

import pytest
from sqlalchemy import select

from portal.accounts.models import PasswordReset
from portal.core.mail import wait_for_background_mail
from portal.extensions import db
from tests.factories import PASSWORD
from tests.helpers import Browser, csrf_from

NEW_PASSWORD = "seven green herons over the gulf"
LINK = re.compile(r"https?://[^\s]+/account/reset/([A-Za-z0-9_-]+)")


def outbox(app) -> list[email.message.EmailMessage]:
    wait_for_background_mail()
    from pathlib import Path

    folder = Path(app.instance_path) / "outbox"
    return [email.message_from_bytes(p.read_bytes(), policy=email.policy.default) for p in sorted(folder.glob("*.eml"))]


def request_link(client, address: str, **kwargs):
    return client.submit("/account/reset", {"email": address}, **kwargs)


def token_from(message) -> str:
    return LINK.search(message.get_content()).group(1)


def normalised(response, typed: str) -> str:
    html = response.get_data(as_text=True).replace(typed, "TYPED")
    return re.sub(r'value="[^"]+"', 'value=""', html)


def test_sign_in_page_links_to_the_reset(client):
    assert 'href="/account/reset"' in client.text("/account/login")


def test_known_unknown_and_disabled_accounts_get_the_same_answer(app, client, factory):
    factory.user(email="focal@sreci.example")
    factory.user(email="gone@sreci.example", is_enabled=False)
    answers = {typed: request_link(client, typed, headers={"Accept-Language": "en"})
               for typed in ("focal@sreci.example", "nobody@sreci.example", "gone@sreci.example")}
    assert {r.status_code for r in answers.values()} == {200}
    pages = {normalised(r, typed) for typed, r in answers.items()}
    assert len(pages) == 1
    assert "a link to choose a new password is on its way" in pages.pop()
    messages = outbox(app)
    assert [m["To"] for m in messages] == ["focal@sreci.example"]


def _stalling_smtp_server():
    """A socket that accepts connections (in its backlog) and never greets: a hung mail server."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(64)
    return server


def test_the_answer_takes_as_long_for_a_known_account_even_with_a_slow_mail_server(make_app, factory):
    server = _stalling_smtp_server()
    try:
        app = make_app(MAIL_SERVER="127.0.0.1", MAIL_PORT=server.getsockname()[1], MAIL_TIMEOUT=3,
                       PASSWORD_RESET_PER_ACCOUNT=100, PASSWORD_RESET_PER_ADDRESS=100)
        factory.user(email="focal@sreci.example")
        client = Browser(app)
        times = {"focal@sreci.example": [], "nobody@sreci.example": []}
        for _ in range(5):
            for typed, spent in times.items():
                token = client.token("/account/reset")
                started = time.perf_counter()
                response = client.post("/account/reset", data={"csrf_token": token, "email": typed})
                spent.append(time.perf_counter() - started)
                assert response.status_code == 200
        known, unknown = (statistics.median(spent) for spent in times.values())
        # Sending to a hung server would take MAIL_TIMEOUT (3 s); the answer must not wait for it.
        assert abs(known - unknown) < 0.05, (known, unknown)
        assert known < 1
    finally:
        wait_for_background_mail()
        server.close()


def test_the_link_sets_a_new_password_once_and_ends_every_session(app, factory):
    factory.user(email="focal@sreci.example")
    elsewhere = Browser(app)
    elsewhere.login("focal@sreci.example", PASSWORD)
    client = Browser(app)
    request_link(client, "focal@sreci.example")
    token = token_from(outbox(app)[0])
    form = client.client.get(f"/account/reset/{token}")
    assert form.status_code == 200 and form.headers["Referrer-Policy"] == "no-referrer"
    done = client.submit(f"/account/reset/{token}", {"new_password": NEW_PASSWORD, "confirm_password": NEW_PASSWORD})
    assert done.status_code == 303 and done.headers["Location"] == "/account/login"
    # Not signed in by the link (a second factor, if any, is still asked at sign-in) and signed out elsewhere.
    assert "Sign out" not in client.text("/", headers={"Accept-Language": "en"})
    assert elsewhere.get("/account/").status_code == 302
    assert client.get(f"/account/reset/{token}").status_code == 404
    assert Browser(app).login("focal@sreci.example", PASSWORD).status_code == 200
    assert Browser(app).login("focal@sreci.example", NEW_PASSWORD).status_code == 302


def test_every_open_link_of_the_account_stops_working_once_one_is_used(app, client, factory):
    factory.user(email="focal@sreci.example")
    request_link(client, "focal@sreci.example")
    request_link(client, "focal@sreci.example")
    first, second = (token_from(m) for m in outbox(app))  # in either order
    client.submit(f"/account/reset/{first}", {"new_password": NEW_PASSWORD, "confirm_password": NEW_PASSWORD})
    assert client.get(f"/account/reset/{second}").status_code == 404


def test_the_link_expires_after_30_minutes(app, client, factory):
    factory.user(email="focal@sreci.example")
    request_link(client, "focal@sreci.example")
    token = token_from(outbox(app)[0])
    with app.app_context():
        reset = db.session.scalar(select(PasswordReset).where(PasswordReset.token_hash.is_not(None)))
        assert reset.expires_at - reset.requested_at == timedelta(minutes=30)
        reset.expires_at -= timedelta(minutes=31)
        db.session.commit()
    response = client.get(f"/account/reset/{token}", headers={"Accept-Language": "en"})
    assert response.status_code == 404 and "has expired" in response.get_data(as_text=True)


def test_the_token_is_stored_hashed(app, client, factory):
    factory.user(email="focal@sreci.example")
    request_link(client, "focal@sreci.example")
    token = token_from(outbox(app)[0])
    assert len(token) >= 43  # 32 random bytes
    with app.app_context():
        stored = db.session.scalars(select(PasswordReset.token_hash).where(PasswordReset.token_hash.is_not(None))).all()
    assert stored == [hashlib.sha256(token.encode()).hexdigest()]


def test_the_new_password_follows_the_password_rules(app, client, factory):
    factory.user(email="focal@sreci.example")
    request_link(client, "focal@sreci.example")
    token = token_from(outbox(app)[0])
    response = client.submit(f"/account/reset/{token}", {"new_password": "password123456",
                                                          "confirm_password": "password123456"},
                             headers={"Accept-Language": "en"})
    assert response.status_code == 200 and "too common" in response.get_data(as_text=True)
    assert client.get(f"/account/reset/{token}").status_code == 200  # not used up by a refused password


def test_the_link_is_built_on_base_url_not_on_the_host_header(make_app, factory):
    app = make_app(BASE_URL="https://portal.example.org")
    factory.user(email="focal@sreci.example")
    client = Browser(app)
    forged = {"Host": "evil.example"}
    token = csrf_from(client.text("/account/reset", headers=forged))
    client.post("/account/reset", data={"csrf_token": token, "email": "focal@sreci.example"}, headers=forged)
    body = outbox(app)[0].get_content()
    assert "https://portal.example.org/account/reset/" in body and "evil.example" not in body


def test_the_mail_is_in_the_language_of_the_page(app, client, factory):
    factory.user(email="focal@sreci.example")
    request_link(client, "focal@sreci.example", headers={"Accept-Language": "en"})
    request_link(client, "focal@sreci.example")
    by_language = {m["Content-Language"]: m for m in outbox(app)}
    english, spanish = by_language["en"], by_language["es"]
    assert english["Subject"] == "Choose a new password"
    assert spanish["Subject"] == "Elija una contraseña nueva"


@pytest.mark.parametrize("typed", ["focal@sreci.example", "nobody@sreci.example"])
def test_requests_are_throttled_per_typed_email_known_or_not(make_app, factory, typed):
    app = make_app(PASSWORD_RESET_ANSWER_SECONDS=0)
    factory.user(email="focal@sreci.example")
    for n in range(3):
        assert request_link(Browser(app), typed, environ_base={"REMOTE_ADDR": f"198.51.100.{n}"}).status_code == 200
    refused = request_link(Browser(app), typed, environ_base={"REMOTE_ADDR": "198.51.100.9"})
    assert refused.status_code == 429 and 0 < int(refused.headers["Retry-After"]) <= 3600
    assert f'value="{typed}"' in refused.get_data(as_text=True)
    assert len(outbox(app)) == (3 if typed.startswith("focal") else 0)


def test_requests_are_throttled_per_address(make_app, factory):
    app = make_app(PASSWORD_RESET_ANSWER_SECONDS=0, PASSWORD_RESET_PER_ADDRESS=4)
    client = Browser(app)
    for n in range(4):
        assert request_link(client, f"guess{n}@sreci.example").status_code == 200
    assert request_link(client, "focal@sreci.example").status_code == 429
    assert request_link(Browser(app), "focal@sreci.example",
                        environ_base={"REMOTE_ADDR": "192.0.2.20"}).status_code == 200


def test_the_link_is_not_written_to_the_log(app, client, factory, caplog):
    factory.user(email="focal@sreci.example")
    request_link(client, "focal@sreci.example")
    token = token_from(outbox(app)[0])
    assert token not in caplog.text and "/account/reset/" not in caplog.text


def test_a_reset_lets_the_owner_in_at_once_after_their_own_failed_tries(make_app, factory):
    app = make_app(LOGIN_THROTTLE_PER_PAIR=3)
    factory.user(email="focal@sreci.example")
    client = Browser(app)
    for guess in ("first guess at it", "second guess at it", "third guess at it"):
        client.login("focal@sreci.example", guess)
    assert client.login("focal@sreci.example", "fourth guess at it").status_code == 429
    request_link(client, "focal@sreci.example")
    token = token_from(outbox(app)[0])
    client.submit(f"/account/reset/{token}", {"new_password": NEW_PASSWORD, "confirm_password": NEW_PASSWORD})
    assert client.login("focal@sreci.example", NEW_PASSWORD).status_code == 302
