"""Who sees what through the API: the same rules as the pages, for anonymous readers, partners and parties,
and nothing for tokens that are revoked, expired, unknown, or of a disabled account."""

import pytest

from tests.api.conftest import VISIBILITIES, all_items, bearer
from tests.factories import PASSWORD
from tests.helpers import Browser

#: What each reader may see, by visibility.
SEES = {"anonymous": {"public"}, "partner": {"public", "partners"}, "party": set(VISIBILITIES)}
LISTS = {"commitments": "/api/v1/commitments", "actions": "/api/v1/joint-actions"}
ITEMS = {"commitments": "/api/v1/commitments/{}", "actions": "/api/v1/joint-actions/{}"}


@pytest.mark.parametrize("reader", SEES)
@pytest.mark.parametrize("kind", LISTS)
def test_lists_and_items_show_exactly_what_the_reader_may_see(app, world, reader, kind):
    client = app.test_client()
    token = world["tokens"][reader]
    listed = {item["id"] for item in all_items(client, LISTS[kind], token)}
    expected = {world[kind][v] for v in SEES[reader]}
    assert listed == expected
    for visibility, item_id in world[kind].items():
        response = client.get(ITEMS[kind].format(item_id), headers=bearer(token))
        if visibility in SEES[reader]:
            assert response.status_code == 200 and response.json["id"] == item_id
        else:
            assert response.status_code == 404
            assert response.mimetype == "application/problem+json"


def test_counts_and_figures_come_from_visible_items_only(app, world):
    client = app.test_client()
    anonymous = {c["id"]: c for c in client.get("/api/v1/countries").json["items"]}
    party = {c["id"]: c for c in client.get("/api/v1/countries", headers=bearer(world["tokens"]["party"])).json["items"]}
    assert anonymous["HND"]["commitments"] == 1 and party["HND"]["commitments"] == 3
    assert client.get("/api/v1/countries/HND").json["scorecard"]["total"] == 1


@pytest.mark.parametrize("state", ["revoked", "expired", "disabled", "unknown"])
def test_unusable_tokens_are_refused_not_downgraded(app, world, state):
    response = app.test_client().get("/api/v1/commitments", headers=bearer(world["bad_tokens"][state]))
    assert response.status_code == 401
    assert response.mimetype == "application/problem+json"
    assert 'error="invalid_token"' in response.headers["WWW-Authenticate"]
    assert "items" not in response.json


def test_another_scheme_is_refused(app, world):
    response = app.test_client().get("/api/v1/commitments", headers={"Authorization": "Basic dXNlcjpwYXNz"})
    assert response.status_code == 401


def test_a_session_cookie_does_not_authorise_the_api(app, world):
    browser = Browser(app)
    assert browser.login(world["owner_editor"].email, PASSWORD).status_code == 302
    assert browser.get(f"/commitments/{world['commitments']['parties']}").status_code == 200
    listed = {item["id"] for item in browser.get("/api/v1/commitments").json["items"]}
    assert listed == {world["commitments"]["public"]}
    assert browser.get(f"/api/v1/commitments/{world['commitments']['parties']}").status_code == 404


def test_anonymous_answers_are_cacheable_and_open_to_other_sites_but_token_answers_are_not(app, world):
    client = app.test_client()
    anonymous = client.get("/api/v1/commitments")
    assert anonymous.headers["Cache-Control"] == "public, max-age=60"
    assert anonymous.headers["Access-Control-Allow-Origin"] == "*"
    private = client.get("/api/v1/commitments", headers=bearer(world["tokens"]["party"]))
    assert "public" not in private.headers["Cache-Control"] and "no-store" in private.headers["Cache-Control"]
    assert "Access-Control-Allow-Origin" not in private.headers
