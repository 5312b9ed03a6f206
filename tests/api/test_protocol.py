"""The API's manners: conditional GET, problem details naming the bad parameter, languages, and pagination
that loses and repeats nothing while items are added."""

import pytest

from tests.api.conftest import all_items


def test_conditional_get_answers_304_with_the_etag_or_the_date(app, world):
    client = app.test_client()
    first = client.get("/api/v1/commitments")
    assert first.headers["ETag"] and first.headers["Last-Modified"]
    again = client.get("/api/v1/commitments", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304 and again.data == b""
    dated = client.get(f"/api/v1/commitments/{world['commitments']['public']}")
    since = client.get(f"/api/v1/commitments/{world['commitments']['public']}",
                       headers={"If-Modified-Since": dated.headers["Last-Modified"]})
    assert since.status_code == 304


def test_a_change_gives_a_new_etag(app, world, factory):
    client = app.test_client()
    before = client.get("/api/v1/commitments").headers["ETag"]
    factory.commitment(world["owner"], "public", author=world["owner_editor"], title="Nuevo")
    after = client.get("/api/v1/commitments", headers={"If-None-Match": before})
    assert after.status_code == 200 and after.headers["ETag"] != before


@pytest.mark.parametrize("query, name", [
    ("limit=0", "limit"), ("limit=501", "limit"), ("limit=ten", "limit"), ("status=finished", "status"),
    ("country=Honduras", "country"), ("organisation=-3", "organisation"), ("cursor=not-ours", "cursor"),
    ("lang=fr", "lang"), ("colour=blue", "colour"), ("flag=late", "flag"),
])
def test_a_bad_parameter_answers_400_naming_it(app, world, query, name):
    response = app.test_client().get(f"/api/v1/commitments?{query}")
    assert response.status_code == 400
    assert response.mimetype == "application/problem+json"
    assert response.json["invalid_params"][0]["name"] == name
    assert f"'{name}'" in response.json["detail"]


def test_unknown_addresses_and_methods_answer_problems(app, world):
    client = app.test_client()
    assert client.get("/api/v1/commitments/999999").json["status"] == 404
    assert client.get("/api/v1/countries/ZZZ").status_code == 404
    posted = client.post("/api/v1/commitments")
    assert posted.status_code in (400, 405)  # the CSRF check may answer first; never a page, never a 500
    assert posted.mimetype == "application/problem+json"


def test_labels_follow_the_asked_language(app, world):
    client = app.test_client()
    url = f"/api/v1/commitments/{world['commitments']['public']}"
    assert client.get(url + "?lang=en").json["status"]["label"] == "Planned"
    assert client.get(url, headers={"Accept-Language": "es"}).json["status"]["label"] == "Planificado"
    assert client.get(url + "?lang=es", headers={"Accept-Language": "en"}).json["status"]["label"] == "Planificado"


def test_filters_use_the_list_pages_names(app, world, factory):
    client = app.test_client()
    factory.commitment(world["other"], "public", author=world["other_editor"], title="Guatemala")
    titles = {item["title"] for item in all_items(client, "/api/v1/commitments?country=gtm")}
    assert titles == {"Guatemala"}
    assert {i["title"] for i in all_items(client, "/api/v1/commitments?q=Guate")} == {"Guatemala"}


def test_pages_lose_and_repeat_nothing_while_items_are_added(app, world, factory):
    for n in range(7):
        factory.commitment(world["owner"], "public", author=world["owner_editor"], title=f"Lote {n}")
    client = app.test_client()
    seen, url, added = [], "/api/v1/commitments?limit=3", []
    while url:
        page = client.get(url).json
        seen += [item["id"] for item in page["items"]]
        assert len(page["items"]) <= 3
        if len(added) < 2:  # someone logs a commitment between two page reads
            added.append(factory.commitment(world["owner"], "public", author=world["owner_editor"]).id)
        url = page["next"]
        assert url is None or url.startswith("http://localhost/api/v1/commitments?")
    assert len(seen) == len(set(seen))
    assert set(seen) == {item["id"] for item in all_items(client, "/api/v1/commitments?limit=500")}
    assert set(added) <= set(seen)
