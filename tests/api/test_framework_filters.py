"""Framework tags and renegotiated deadlines in open data: the API and the exports filter by a tag, name the
tags of each item, and mark renegotiated commitments, always within what the reader may see."""

from sqlalchemy import select

from portal.commitments.models import Commitment
from portal.extensions import db
from portal.frameworks.models import FrameworkTag
from portal.joint_actions.models import JointAction
from tests.api.conftest import all_items, bearer
from tests.api.test_exports import read_hxl


def tag(app, world, slug: str, **items):
    """Give the framework tag ``slug`` to the world's commitments and joint actions of the named visibilities."""
    framework, _, code = slug.partition("-")
    with app.app_context():
        found = db.session.scalar(select(FrameworkTag).where(FrameworkTag.framework == framework,
                                                              FrameworkTag.code == code))
        tagged = [db.session.get(Commitment, world["commitments"][v]) for v in items.get("commitments", ())]
        tagged += [db.session.get(JointAction, world["actions"][v]) for v in items.get("actions", ())]
        for item in tagged:
            item.framework_tags.append(found)
        db.session.commit()


def test_the_api_filters_by_a_tag_within_what_the_reader_may_see(app, world):
    tag(app, world, "gcm-21", commitments=("public", "partners"), actions=("public", "parties"))
    client = app.test_client()
    public = all_items(client, "/api/v1/commitments?tag=gcm-21")
    assert [item["id"] for item in public] == [world["commitments"]["public"]]
    assert public[0]["framework_tags"][0]["code"] == "gcm-21"
    assert public[0]["framework_tags"][0]["label"].startswith("PMM 21: ")  # the portal's default language
    english = client.get("/api/v1/commitments?tag=gcm-21&lang=en").json["items"]
    assert english[0]["framework_tags"][0]["label"].startswith("GCM 21: Cooperate in facilitating")
    partner = all_items(client, "/api/v1/commitments?tag=gcm-21", world["tokens"]["partner"])
    assert {item["id"] for item in partner} == {world["commitments"][v] for v in ("public", "partners")}
    owned = all_items(client, "/api/v1/commitments", world["tokens"]["party"])
    assert {item["id"]: len(item["framework_tags"]) for item in owned} == {
        world["commitments"]["public"]: 1, world["commitments"]["partners"]: 1, world["commitments"]["parties"]: 0}
    actions = all_items(client, "/api/v1/joint-actions?tag=gcm-21", world["tokens"]["party"])
    assert {item["id"] for item in actions} == {world["actions"][v] for v in ("public", "parties")}
    assert [item["id"] for item in all_items(client, "/api/v1/joint-actions?tag=gcm-21")] == \
        [world["actions"]["public"]]


def test_an_unknown_tag_matches_nothing_and_a_malformed_one_is_a_problem(app, world):
    client = app.test_client()
    assert client.get("/api/v1/commitments?tag=gcm-99").json["items"] == []
    assert client.get("/api/v1/joint-actions?tag=gcm-99").json["items"] == []
    response = client.get("/api/v1/commitments?tag=GCM%2021")
    assert response.status_code == 400 and response.mimetype == "application/problem+json"
    assert "'tag'" in response.json["detail"]


def test_the_api_marks_and_filters_renegotiated_commitments(app, world):
    with app.app_context():
        db.session.get(Commitment, world["commitments"]["public"]).is_renegotiated = True
        db.session.get(Commitment, world["commitments"]["partners"]).is_renegotiated = True
        db.session.commit()
    client = app.test_client()
    marks = {item["id"]: item["is_renegotiated"] for item in all_items(client, "/api/v1/commitments")}
    assert marks == {world["commitments"]["public"]: True}
    partner = all_items(client, "/api/v1/commitments?flag=renegotiated", world["tokens"]["partner"])
    assert {item["id"] for item in partner} == {world["commitments"][v] for v in ("public", "partners")}
    assert client.get("/api/v1/commitments?flag=renegotiated", headers=bearer(None)).json["items"][0]["id"] == \
        world["commitments"]["public"]


def test_the_exports_filter_by_a_tag_and_name_the_tags(app, world):
    tag(app, world, "sdg-10.7", commitments=("public",), actions=("public",))
    client = app.test_client()
    commitments = list(read_hxl(client.get("/commitments.csv?tag=sdg-10.7").data))
    assert [(int(row.get("#activity+id")), row.get("#meta+framework+code")) for row in commitments] == \
        [(world["commitments"]["public"], "sdg-10.7")]
    assert [row.get("#status+renegotiated") for row in commitments] == ["No"]
    actions = list(read_hxl(client.get("/actions.csv?tag=sdg-10.7").data))
    assert [(int(row.get("#activity+id")), row.get("#meta+framework+code")) for row in actions] == \
        [(world["actions"]["public"], "sdg-10.7")]
    everything = list(read_hxl(client.get("/commitments.csv").data))
    assert len(everything) == 1  # the public commitment only, tagged or not
