"""Security events: one JSON line each on portal.security, with request id, user, organisation and address,
never a password, token or code; input cannot forge a second entry."""

import io
import json
import logging
import re

import pyotp
import pytest

from portal.core.security_log import json_handler
from tests.accounts.test_mfa import enrol, set_last_step_back
from tests.accounts.test_password_reset import NEW_PASSWORD, outbox, token_from
from tests.factories import PASSWORD
from tests.helpers import Browser


@pytest.fixture
def security_log():
    """Collect what portal.security writes, through the same JSON formatter as production."""
    stream = io.StringIO()
    handler = json_handler(stream)
    logger = logging.getLogger("portal.security")
    logger.addHandler(handler)

    def events():
        lines = stream.getvalue().splitlines()
        return [json.loads(line) for line in lines]

    events.text = lambda: stream.getvalue()
    yield events
    logger.removeHandler(handler)


def named(events, name):
    return [e for e in events if e["event"] == name]


def test_a_failed_sign_in_is_one_entry_with_its_context(client, factory, security_log):
    factory.user(email="focal@sreci.example")
    response = client.login("focal@sreci.example", "wrong horse battery", environ_base={"REMOTE_ADDR": "198.51.100.4"})
    (event,) = named(security_log(), "sign_in.failed")
    assert event["level"] == "WARNING" and event["logger"] == "portal.security"
    assert event["request_id"] == response.headers["X-Request-ID"] and len(event["request_id"]) == 32
    assert event["client_address"] == "198.51.100.4" and event["email"] == "focal@sreci.example"
    assert event["user_id"] is None and event["path"] == "/account/login"
    assert "wrong horse battery" not in security_log.text()


def test_a_sign_in_names_the_user_and_organisation_never_the_password(client, factory, security_log):
    user = factory.user(email="focal@sreci.example")
    client.login("focal@sreci.example", PASSWORD)
    (event,) = named(security_log(), "sign_in.succeeded")
    assert (event["user_id"], event["organisation_id"]) == (user.id, user.organisation_id)
    assert PASSWORD not in security_log.text()


def test_forged_newlines_and_control_characters_stay_inside_one_value(client, factory, security_log):
    # The User-Agent header reaches the log as sent (e-mail fields refuse line breaks and control characters).
    agent = 'Agent\n{"event": "sign_in.succeeded", "user_id": 1}\r\n\x1b[2J\x07\u2028'
    client.login("x@sreci.example", "wrong horse battery", environ_base={"HTTP_USER_AGENT": agent})
    text = security_log.text()
    assert text.count("\n") == len(security_log()) == 1  # one line, one whole JSON object
    (event,) = security_log()
    assert event["event"] == "sign_in.failed" and event["user_agent"] == agent


def test_an_email_with_a_line_break_never_reaches_the_log(client, security_log):
    forged = 'x@sreci.example\n{"event": "sign_in.succeeded", "user_id": 1}'
    response = client.login(forged, "wrong horse battery", headers={"Accept-Language": "en"})
    assert "characters that are not allowed" in response.get_data(as_text=True)
    assert security_log() == []


def test_throttled_sign_in_is_logged(make_app, factory, security_log):
    app = make_app(LOGIN_THROTTLE_PER_ADDRESS=1)
    client = Browser(app)
    client.login("a@sreci.example", "wrong horse battery")
    client.login("a@sreci.example", "wrong horse battery")
    (event,) = named(security_log(), "sign_in.throttled")
    assert event["retry_after"] > 0


def test_reset_requested_and_used_without_the_token(app, client, factory, security_log):
    user = factory.user(email="focal@sreci.example")
    client.submit("/account/reset", {"email": "focal@sreci.example"})
    client.submit("/account/reset", {"email": "nobody@sreci.example"})
    token = token_from(outbox(app)[0])
    client.submit(f"/account/reset/{token}", {"new_password": NEW_PASSWORD, "confirm_password": NEW_PASSWORD})
    events = security_log()
    known, unknown = named(events, "password_reset.requested")
    assert (known["user_id"], known["known_account"]) == (user.id, True)
    assert (unknown["user_id"], unknown["known_account"]) == (None, False)
    (used,) = named(events, "password_reset.used")
    assert used["user_id"] == user.id
    assert token not in security_log.text() and NEW_PASSWORD not in security_log.text()


def test_second_factor_events_without_the_codes(app, factory, security_log):
    user = factory.user(email="focal@sreci.example")
    client = Browser(app)
    client.login("focal@sreci.example", PASSWORD)
    key, codes = enrol(client)
    set_last_step_back(app, "focal@sreci.example")
    other = Browser(app)
    other.login("focal@sreci.example", PASSWORD)
    other.submit("/account/login/code", {"code": "000000"})
    code = pyotp.TOTP(key).now()
    other.submit("/account/login/code", {"code": code})
    events = security_log()
    assert [e["user_id"] for e in named(events, "second_factor.enrolled")] == [user.id]
    assert len(named(events, "second_factor.failed")) == 1
    (used,) = named(events, "second_factor.used")
    assert used["kind"] == "totp"
    assert code not in security_log.text() and key not in security_log.text()
    assert not any(c in security_log.text() for c in codes)


def test_password_change_role_change_disable_denial_and_csrf_are_logged(app, factory, security_log):
    admin = factory.user(email="admin@portal.example", is_site_admin=True, role="viewer")
    member = factory.user(email="focal@sreci.example")
    browser = Browser(app)
    browser.login("focal@sreci.example", PASSWORD)
    browser.submit("/account/password", {"current_password": PASSWORD, "new_password": NEW_PASSWORD,
                                         "confirm_password": NEW_PASSWORD})
    assert browser.get("/admin/organisations/new").status_code == 403
    browser.post("/account/password", data={"current_password": "x"})
    admin_browser = Browser(app)
    admin_browser.login("admin@portal.example", PASSWORD)
    page = f"/admin/people/{member.id}/edit"
    form = admin_browser.text(page)
    version = re.search(r'name="version" type="hidden" value="(\d+)"', form).group(1)
    admin_browser.submit(page, {"position": "Focal point", "organisation_id": str(member.organisation_id), "role": "org_admin",
                                "version": version})
    admin_browser.submit(f"/admin/people/{member.id}/enabled", page="/admin/people/")
    events = security_log()
    assert [e["user_id"] for e in named(events, "password.changed")] == [member.id]
    (denied,) = named(events, "access.denied")
    assert denied["user_id"] == member.id and denied["path"] == "/admin/organisations/new"
    (csrf,) = named(events, "csrf.failed")
    assert csrf["user_id"] == member.id and len(csrf["request_id"]) == 32
    (rights,) = named(events, "account.rights_changed")
    assert (rights["user_id"], rights["target_user_id"], rights["changes"]) == \
        (admin.id, member.id, {"role": ["editor", "org_admin"]})
    (disabled,) = named(events, "account.disabled")
    assert disabled["target_user_id"] == member.id
    assert NEW_PASSWORD not in security_log.text() and PASSWORD not in security_log.text()
