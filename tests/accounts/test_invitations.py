"""Invitations: who may invite whom, single use, expiry."""

import re
from datetime import timedelta

from sqlalchemy import select

from portal.accounts.models import Invitation, User
from portal.extensions import db
from tests.factories import PASSWORD
from tests.helpers import Browser

NEW_PASSWORD = "welcome to the dialogue 2026"


def invite(browser, organisation_id, email="new.person@partner.example", role="editor"):
    return browser.submit("/admin/people/invite", {
        "email": email, "position": "Consular focal point", "organisation_id": organisation_id, "role": role,
    }, headers={"Accept-Language": "en"})


def link_path(response) -> str:
    match = re.search(r"https?://[^/]+(/account/invitation/[A-Za-z0-9_\-]+)", response.get_data(as_text=True))
    assert match, "no invitation link on the page"
    return match.group(1)


def signed_in(app, user):
    browser = Browser(app)
    assert browser.login(user.email, PASSWORD).status_code == 302
    return browser


def accept(app, path, password=NEW_PASSWORD):
    return Browser(app).submit(path, {"new_password": password, "confirm_password": password})


def test_org_admin_invites_a_colleague_who_opens_an_account(app, factory):
    organisation = factory.organisation()
    org_admin = factory.user(organisation, role="org_admin")
    response = invite(signed_in(app, org_admin), organisation.id)
    assert response.status_code == 200
    path = link_path(response)
    assert accept(app, path).status_code == 303
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == "new.person@partner.example"))
        assert user.organisation_id == organisation.id and user.role == "editor"
        invitation = db.session.scalar(select(Invitation))
        assert path.rsplit("/", 1)[1] not in invitation.token_hash
    assert Browser(app).login("new.person@partner.example", NEW_PASSWORD).status_code == 302


def test_invitation_link_works_once(app, factory):
    organisation = factory.organisation()
    admin = factory.admin()
    path = link_path(invite(signed_in(app, admin), organisation.id))
    assert accept(app, path).status_code == 303
    again = Browser(app).get(path)
    assert again.status_code == 404
    assert again.headers["Referrer-Policy"] == "no-referrer"


def test_expired_invitation_is_refused(app, factory):
    organisation = factory.organisation()
    path = link_path(invite(signed_in(app, factory.admin()), organisation.id))
    with app.app_context():
        invitation = db.session.scalar(select(Invitation))
        invitation.expires_at -= timedelta(days=8)
        db.session.commit()
    assert Browser(app).get(path).status_code == 404
    # Sent anyway with a valid CSRF token of the session (the 404 page has no form to take one from).
    password = {"new_password": NEW_PASSWORD, "confirm_password": NEW_PASSWORD}
    assert Browser(app).submit(path, password, page="/account/login").status_code == 404


def test_invitation_password_follows_the_rules(app, factory):
    organisation = factory.organisation()
    path = link_path(invite(signed_in(app, factory.admin()), organisation.id))
    response = accept(app, path, "password123456")
    assert response.status_code == 200
    with app.app_context():
        assert db.session.scalar(select(User).where(User.email == "new.person@partner.example")) is None


def test_org_admin_cannot_invite_into_another_organisation(app, factory):
    own, other = factory.organisation(), factory.organisation()
    org_admin = factory.user(own, role="org_admin")
    response = invite(signed_in(app, org_admin), other.id)
    assert response.status_code == 200 and "Not a valid choice." in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(Invitation)) is None


def test_editors_cannot_invite(app, factory):
    organisation = factory.organisation()
    editor = factory.user(organisation, role="editor")
    browser = signed_in(app, editor)
    assert browser.get("/admin/people/invite").status_code == 403
    assert invite(browser, organisation.id).status_code in (400, 403)


def test_existing_account_cannot_be_invited_twice(app, factory):
    organisation = factory.organisation()
    factory.user(organisation, email="taken@partner.example")
    response = invite(signed_in(app, factory.admin()), organisation.id, email="taken@partner.example")
    assert "An account with this e-mail already exists." in response.get_data(as_text=True)


def test_invitation_is_logged_when_no_mail_server_is_configured(app, factory, caplog):
    organisation = factory.organisation()
    caplog.set_level("INFO", logger="portal.mail")
    response = invite(signed_in(app, factory.admin()), organisation.id)
    assert "The portal has no mail server configured" in response.get_data(as_text=True)
    assert link_path(response) in caplog.text
