"""Personal access tokens on the profile page: created, named, shown once, stored hashed, listed, revoked."""

import re

from sqlalchemy import select

from portal.api.models import ApiToken
from portal.extensions import db
from tests.api.conftest import bearer
from tests.commitments.support import browser, post, token

TOKEN = re.compile(r'value="(pat_[A-Za-z0-9_-]+)"')


def create(client, name="Informe mensual", days="90"):
    return post(client, "/account/tokens/", {"token-csrf_token": token(client), "token-name": name, "token-days": days})


def test_a_token_is_shown_once_stored_hashed_and_reads_as_its_owner(app, world):
    client = browser(app, world["owner_editor"])
    response = create(client)
    assert response.status_code == 200 and "no-store" in response.headers["Cache-Control"]
    raw = TOKEN.search(response.get_data(as_text=True)).group(1)
    profile = client.text("/account/")
    assert "Informe mensual" in profile and raw[:8] in profile and raw not in profile
    with app.app_context():
        stored = db.session.scalars(select(ApiToken).where(ApiToken.name == "Informe mensual")).one()
        assert raw not in (stored.token_hash, stored.hint) and len(stored.token_hash) == 64
    api = app.test_client()
    listed = {item["id"] for item in api.get("/api/v1/commitments", headers=bearer(raw)).json["items"]}
    assert listed == set(world["commitments"].values())


def test_a_revoked_token_stops_at_once(app, world):
    client = browser(app, world["owner_editor"])
    raw = TOKEN.search(create(client).get_data(as_text=True)).group(1)
    with app.app_context():
        token_id = db.session.scalars(select(ApiToken.id).where(ApiToken.name == "Informe mensual")).one()
    response = post(client, f"/account/tokens/{token_id}/revoke")
    assert response.status_code == 303
    assert app.test_client().get("/api/v1/commitments", headers=bearer(raw)).status_code == 401
    assert "Revoked" in client.text("/account/")


def test_someone_else_cannot_revoke_a_token(app, world):
    owner = browser(app, world["owner_editor"])
    raw = TOKEN.search(create(owner).get_data(as_text=True)).group(1)
    with app.app_context():
        token_id = db.session.scalars(select(ApiToken.id).where(ApiToken.name == "Informe mensual")).one()
    other = browser(app, world["other_editor"])
    assert post(other, f"/account/tokens/{token_id}/revoke").status_code == 404
    assert app.test_client().get("/api/v1/commitments", headers=bearer(raw)).status_code == 200


def count(app) -> int:
    with app.app_context():
        return len(db.session.scalars(select(ApiToken)).all())


def test_a_bad_name_or_lifetime_creates_nothing_and_says_why(app, world):
    client = browser(app, world["owner_editor"])
    before = count(app)
    response = create(client, name="   ", days="90")
    assert response.status_code == 400 and "This field is required." in response.get_data(as_text=True)
    response = create(client, name="Script\u202e", days="3650")
    assert response.status_code == 400 and 'value="Script' in response.get_data(as_text=True)
    assert count(app) == before


def test_tokens_need_a_signed_in_user_and_a_csrf_token(app, world):
    before = count(app)
    anonymous = app.test_client()
    assert anonymous.post("/account/tokens/", data={"token-name": "x", "token-days": "30"}).status_code in (302, 400)
    client = browser(app, world["owner_editor"])
    assert client.post("/account/tokens/", data={"token-name": "x", "token-days": "30"}).status_code == 400
    assert count(app) == before
