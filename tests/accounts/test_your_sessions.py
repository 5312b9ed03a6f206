"""Your sessions: the profile lists recent sign-ins; "sign out everywhere else" ends the other sessions."""

from tests.factories import PASSWORD
from tests.helpers import Browser

EN = {"Accept-Language": "en"}


def test_the_profile_lists_recent_sign_ins_with_address_and_browser(app, factory):
    factory.user(email="focal@sreci.example")
    Browser(app).login("focal@sreci.example", PASSWORD, environ_base={"REMOTE_ADDR": "198.51.100.23",
                                                                      "HTTP_USER_AGENT": "Firefox/<b>128</b>"})
    me = Browser(app)
    me.login("focal@sreci.example", PASSWORD, environ_base={"REMOTE_ADDR": "192.0.2.20"})
    page = me.text("/account/", headers=EN)
    assert "Your sessions" in page
    assert page.index("192.0.2.20") < page.index("198.51.100.23")  # newest first
    assert "Firefox/&lt;b&gt;128&lt;/b&gt;" in page


def test_sign_out_everywhere_else_keeps_this_session_only(app, factory):
    factory.user(email="focal@sreci.example")
    laptop, phone, me = Browser(app), Browser(app), Browser(app)
    for browser in (laptop, phone, me):
        browser.login("focal@sreci.example", PASSWORD)
    response = me.submit("/account/sessions/end", page="/account/")
    assert response.status_code == 303
    assert me.get("/account/").status_code == 200
    assert laptop.get("/account/").status_code == 302 and phone.get("/account/").status_code == 302


def test_sign_out_everywhere_else_needs_the_form_token(app, factory):
    factory.user(email="focal@sreci.example")
    other, me = Browser(app), Browser(app)
    other.login("focal@sreci.example", PASSWORD)
    me.login("focal@sreci.example", PASSWORD)
    assert me.post("/account/sessions/end").status_code == 400
    assert other.get("/account/").status_code == 200
