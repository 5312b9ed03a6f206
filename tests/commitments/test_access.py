"""Who may see and change a commitment: every route x actor x visibility, and tampered form fields.

The expected answers come from the rules of the design (§3), written out here independently of
the portal's own permission functions: public items for anyone, partners items for signed-in
users, parties items for the owner organisation (and site admins); only the owner's editors and
org admins change a commitment; only IOM editors review another organisation's updates; whoever
may not see an item gets 404, never 403, on every route, in the list, the search and the counts.
"""

import re
from datetime import date

import pytest

from portal.commitments.models import Commitment
from portal.progress.models import ProgressUpdate, UpdateReview
from tests.commitments.support import (
    browser,
    count,
    fetch,
    is_login_redirect,
    listed,
    load,
    post,
    status_counts,
    token,
)
from tests.core import samples

ACTORS = ["anonymous", "viewer", "owner_editor", "other_editor", "iom_editor", "org_admin", "site_admin"]
SIGNED_IN = set(ACTORS) - {"anonymous"}
#: Who may see a commitment of the owner ministry, per visibility.
SEES = {"public": set(ACTORS), "partners": SIGNED_IN, "parties": {"viewer", "owner_editor", "org_admin", "site_admin"}}
#: Who may edit, archive and report progress on it; who may verify or question its updates.
CHANGERS = {"owner_editor", "org_admin"}
REVIEWERS = {"iom_editor"}
#: A distinct status per visibility, so the counts tell which commitments were counted.
STATUS = {"public": "in_progress", "partners": "stalled", "parties": "cancelled"}
READ_ROUTES = ("detail", "evidence")
WRITE_ROUTES = ("edit_form", "edit_post", "report_form", "report_post", "review_form", "review_post", "archive")


def expected(actor: str, visibility: str, route: str):
    if actor == "anonymous" and route not in READ_ROUTES:
        return "sign-in"
    if actor not in SEES[visibility]:
        return 404
    if route in READ_ROUTES:
        return 200
    if actor not in (REVIEWERS if route.startswith("review") else CHANGERS):
        return 403
    return 200 if route.endswith("_form") else 303


def answer(response):
    return "sign-in" if is_login_redirect(response) else response.status_code


@pytest.fixture
def items(factory, cast):
    """One commitment per visibility, each with a progress update carrying a PDF."""
    made = {}
    for visibility in SEES:
        commitment = factory.commitment(cast["owner"], visibility, author=cast["owner_editor"],
                                        title=f"Acuerdo {visibility} zqx{visibility}")
        update = factory.evidence_update(commitment, cast["owner_editor"], samples.pdf(), "informe.pdf",
                                         status=STATUS[visibility])
        made[visibility] = (commitment, update)
    return made


def write(client, app, route, commitment, update, csrf):
    """Exercise one write route; return (answer, whether the database changed)."""
    base = f"/commitments/{commitment.id}"
    if route == "edit_form":
        return answer(client.get(f"{base}/edit")), False
    if route == "report_form":
        return answer(client.get(f"{base}/updates/new")), False
    if route == "review_form":
        return answer(client.get(f"{base}/updates/{update.id}/review")), False
    if route == "edit_post":
        current = load(app, Commitment, commitment.id)
        response = post(client, f"{base}/edit", {
            "title_es": "Edited title", "description_es": "", "visibility": current.visibility, "symposium_id": "",
            "version": str(current.version)}, csrf)
        return answer(response), load(app, Commitment, commitment.id).title == "Edited title"
    if route == "report_post":
        before = count(app, ProgressUpdate, ProgressUpdate.commitment_id == commitment.id)
        response = post(client, f"{base}/updates/new", {
            "reported_on": date.today().isoformat(), "status": "in_progress", "note": "Second step."}, csrf)
        return answer(response), count(app, ProgressUpdate, ProgressUpdate.commitment_id == commitment.id) > before
    if route == "review_post":
        response = post(client, f"{base}/updates/{update.id}/review", {"verdict": "verified", "comment": "Seen."}, csrf)
        return answer(response), count(app, UpdateReview, UpdateReview.update_id == update.id) > 0
    if route == "archive":
        response = post(client, f"{base}/archive", {}, csrf)
        return answer(response), load(app, Commitment, commitment.id).is_archived
    raise AssertionError(route)


def check_lists(client, cast, items, actor):
    """The list, the search, the counts and every filter show exactly what the actor may see."""
    visible = {items[v][0].id for v in SEES if actor in SEES[v]}
    assert set(listed(client.text("/commitments/"))) == visible
    searched = client.text("/commitments/?q=zqx")
    assert set(listed(searched)) == visible
    counted = {status: n for status, n in status_counts(searched).items() if n}
    assert counted == {STATUS[v]: 1 for v in SEES if actor in SEES[v]}
    assert re.search(rf"\b{len(visible)} commitments? match", searched)
    # Searching for an exact title, or filtering on a status, the owner or a flag, reveals nothing either.
    every = set(SEES)
    for query, matching in {"q=zqxparties": {"parties"}, "status=stalled": {"partners"},
                            f"organisation={cast['owner'].id}&sort=title": every,
                            "country=HND&flag=pending": every}.items():
        shown = set(listed(client.text(f"/commitments/?{query}")))
        wanted = {items[v][0].id for v in matching if actor in SEES[v]}
        assert shown == wanted, query


@pytest.mark.parametrize("actor", ACTORS)
def test_every_route_list_and_count_answers_each_actor_as_the_rules_say(app, cast, items, actor):
    client = browser(app, None if actor == "anonymous" else cast[actor])
    check_lists(client, cast, items, actor)
    csrf = token(client)
    wrong = []
    for visibility, (commitment, update) in items.items():
        base = f"/commitments/{commitment.id}"
        got = answer(client.get(base))
        if got != expected(actor, visibility, "detail"):
            wrong.append((visibility, "detail", got))
        got, body, headers = fetch(client, f"{base}/updates/{update.id}/evidence")
        if got != expected(actor, visibility, "evidence"):
            wrong.append((visibility, "evidence", got))
        elif got == 200 and (body != samples.pdf() or not headers["Content-Disposition"].startswith("attachment")):
            wrong.append((visibility, "evidence", "not the file as an attachment"))
        for route in WRITE_ROUTES:
            want = expected(actor, visibility, route)
            got, changed = write(client, app, route, commitment, update, csrf)
            if got != want or changed != (want == 303):
                wrong.append((visibility, route, f"answered {got}, changed={changed}; expected {want}"))
    assert wrong == [], f"{actor}: {wrong}"


def test_an_update_or_file_is_only_reachable_through_its_own_commitment(app, cast, items):
    """Pairing a visible commitment's id with a hidden commitment's update id reveals nothing."""
    public, _ = items["public"]
    _, hidden_update = items["parties"]
    for who in ("owner_editor", "other_editor", "iom_editor"):
        client = browser(app, cast[who])
        assert fetch(client, f"/commitments/{public.id}/updates/{hidden_update.id}/evidence")[0] == 404
        assert client.get(f"/commitments/{public.id}/updates/{hidden_update.id}/review").status_code == 404
        response = post(client, f"/commitments/{public.id}/updates/{hidden_update.id}/review",
                        {"verdict": "questioned", "comment": "Looks wrong."})
        assert response.status_code == 404
    assert count(app, UpdateReview) == 0


def neutral(body: bytes, commitment_id: int) -> str:
    """A page with its session token and the requested id blanked out."""
    page = re.sub(r"<input[^>]*csrf_token[^>]*>", "", body.decode())
    return page.replace(f"/commitments/{commitment_id}", "/commitments/ID")


def test_a_missing_commitment_looks_like_a_hidden_one(app, cast, items):
    hidden, hidden_update = items["parties"]
    client = browser(app, cast["other_editor"])
    for path in ("", "/edit", "/updates/new", f"/updates/{hidden_update.id}/review",
                 f"/updates/{hidden_update.id}/evidence"):
        missing, concealed = fetch(client, f"/commitments/987654{path}"), fetch(client, f"/commitments/{hidden.id}{path}")
        assert (missing[0], concealed[0]) == (404, 404)
        assert neutral(missing[1], 987654) == neutral(concealed[1], hidden.id)
    anonymous = browser(app)
    for path in ("/edit", "/updates/new"):
        assert is_login_redirect(anonymous.get(f"/commitments/987654{path}"))
        assert is_login_redirect(anonymous.get(f"/commitments/{hidden.id}{path}"))


def test_who_may_log_a_commitment(app, cast):
    wants = {"anonymous": "sign-in", "viewer": 403, "owner_editor": 200, "other_editor": 200, "iom_editor": 200,
             "org_admin": 200, "site_admin": 403}
    for actor, want in wants.items():
        client = browser(app, None if actor == "anonymous" else cast[actor])
        assert answer(client.get("/commitments/new")) == want, actor
        response = post(client, "/commitments/new", {"title_es": f"Logged by {actor}", "visibility": "public",
                                                     "symposium_id": "", "idempotency_key": f"key-{actor}"})
        assert answer(response) == (303 if want == 200 else want), actor
        created = count(app, Commitment, Commitment.title == f"Logged by {actor}")
        assert created == (1 if want == 200 else 0), actor
        if created:
            saved = load(app, Commitment, int(response.headers["Location"].rsplit("/", 1)[1]))
            assert (saved.organisation_id, saved.created_by_id) == (cast[actor].organisation_id, cast[actor].id)


TAMPERED = {"organisation_id": "{other}", "org_id": "{other}", "created_by_id": "{stranger}", "author_id": "{stranger}",
            "status": "completed", "review_state": "verified", "is_archived": "y", "indicator_achieved": "999",
            "reviewer_id": "{stranger}"}


def tampered(cast, *keep) -> dict:
    """The tampered fields, except those the form really has (``keep``)."""
    values = {"other": cast["other"].id, "stranger": cast["other_editor"].id}
    return {name: value.format(**values) for name, value in TAMPERED.items() if name not in keep}


def test_tampered_fields_on_the_create_form_change_nothing(app, cast):
    client = browser(app, cast["owner_editor"])
    form = client.text("/commitments/new")
    assert "secret" not in form
    refused = post(client, "/commitments/new", {"title_es": "Secret one", "visibility": "secret", "symposium_id": "",
                                                 "idempotency_key": "k1"})
    assert refused.status_code == 200 and "Not a valid choice" in refused.get_data(as_text=True)
    assert count(app, Commitment) == 0
    response = post(client, "/commitments/new", {"title_es": "Honest one", "visibility": "public", "symposium_id": "",
                                                  "idempotency_key": "k2", **tampered(cast)})
    assert response.status_code == 303
    saved = load(app, Commitment, int(response.headers["Location"].rsplit("/", 1)[1]))
    assert (saved.organisation_id, saved.created_by_id) == (cast["owner"].id, cast["owner_editor"].id)
    assert (saved.status, saved.review_state, saved.is_archived, saved.indicator_achieved, saved.version) == \
        ("planned", "none", False, None, 1)


def test_tampered_fields_on_the_edit_and_progress_forms_change_nothing(app, cast, factory):
    commitment = factory.commitment(cast["owner"], "partners", author=cast["owner_editor"], title="Original")
    client = browser(app, cast["owner_editor"])
    edit = {"title_es": "Renamed", "description_es": "", "symposium_id": "", "version": "1"}
    refused = post(client, f"/commitments/{commitment.id}/edit", {**edit, "visibility": "secret"})
    assert refused.status_code == 200
    assert load(app, Commitment, commitment.id).title == "Original"
    assert post(client, f"/commitments/{commitment.id}/edit",
                {**edit, "visibility": "partners", **tampered(cast)}).status_code == 303
    saved = load(app, Commitment, commitment.id)
    assert (saved.title, saved.organisation_id, saved.created_by_id, saved.visibility) == \
        ("Renamed", cast["owner"].id, cast["owner_editor"].id, "partners")
    assert (saved.status, saved.review_state, saved.is_archived) == ("planned", "none", False)
    response = post(client, f"/commitments/{commitment.id}/updates/new", {
        "reported_on": date.today().isoformat(), "status": "in_progress", "note": "Started.", **tampered(cast, "status")})
    assert response.status_code == 303
    with app.app_context():
        from portal.extensions import db

        update = db.session.query(ProgressUpdate).one()
        assert (update.organisation_id, update.author_id, update.review_state) == \
            (cast["owner"].id, cast["owner_editor"].id, "pending")
    # An outsider cannot move the commitment into their organisation through any field either.
    outsider = browser(app, cast["other_editor"])
    assert post(outsider, f"/commitments/{commitment.id}/edit",
                {**edit, "version": "3", "visibility": "public", **tampered(cast)}).status_code == 403
    assert load(app, Commitment, commitment.id).organisation_id == cast["owner"].id
