"""Who may see and change a joint action: every route x actor x visibility.

The expected answers come from the rules of the design (§3) and the issue, written out here
independently of the portal's permission functions: public actions for anyone, partners actions
for signed-in users, parties actions for the accepted parties (and site admins); the lead's editors
change the shared part; each accepted party's editors change only their own share; IOM editors
review other organisations' party updates; a proposed organisation's editors answer the proposal
and nothing else; a declined organisation holds no right. Whoever may not see an action gets 404,
never 403, on every route, in the list, the counts, the corridor and the symposium page.
"""

from datetime import date

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.joint_actions.models import ActionCountry, JointAction, Milestone, Party, joint_action_commitments
from portal.progress.models import ProgressUpdate, UpdateReview
from tests.core import samples
from tests.joint_actions.support import (
    Actions,
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

ACTORS = ["anonymous", "lead_editor", "lead_admin", "lead_viewer", "partner_editor", "pending_editor",
          "declined_editor", "outsider_editor", "iom_editor", "site_admin"]
SIGNED_IN = set(ACTORS) - {"anonymous"}
#: Who may see an action of the lead ministry with the partner accepted, per visibility.
SEES = {"public": set(ACTORS), "partners": SIGNED_IN,
        "parties": {"lead_editor", "lead_admin", "lead_viewer", "partner_editor", "site_admin"}}
LEAD = {"lead_editor", "lead_admin"}
#: Routes on the shared part, on the partner's own share, on the partner's update, on the pending proposal.
SHARED = ("edit_form", "edit_post", "propose_form", "propose_post", "plan", "add_country", "remove_country",
          "add_milestone", "toggle_milestone", "link", "unlink")
OWN_SHARE = ("party_form", "party_post", "report_form", "report_post")
REVIEW = ("review_form", "review_post")
ANSWER = ("respond_form", "respond_post")
READ = ("detail", "evidence")
#: A distinct overall status per visibility (from the partner's report), so counts tell which actions were counted.
STATUS = {"public": "in_progress", "partners": "stalled", "parties": "completed"}


def expected(actor: str, visibility: str, route: str):
    if actor == "anonymous" and route not in READ:
        return "sign-in"
    if route in ANSWER:
        # Only the proposed organisation's editors learn the proposal exists, whatever the visibility.
        return (200 if route.endswith("_form") else 303) if actor == "pending_editor" else 404
    if actor not in SEES[visibility]:
        return 404
    if route in READ:
        return 200
    allowed = LEAD if route in SHARED else {"partner_editor"} if route in OWN_SHARE else {"iom_editor"}
    if actor not in allowed:
        return 403
    return 200 if route.endswith("_form") or route == "plan" else 303


def answer(response):
    return "sign-in" if is_login_redirect(response) else response.status_code


@pytest.fixture
def world(app, cast, factory):
    """One action per visibility, with an accepted partner (and its update with a PDF), a pending and a
    declined proposal, two countries, a milestone, a linked commitment and one that could be linked."""
    actions = Actions(app, cast)
    made = {}
    for visibility, status in STATUS.items():
        action_id = actions.create(visibility, title=f"Acción {visibility}")
        partner = actions.propose(action_id, "partner")
        pending = actions.propose(action_id, "pending", answer=None)
        actions.propose(action_id, "declined", answer="decline")
        actions.plan(action_id)
        if status == "completed":
            actions.report(actions.lead_party(action_id), "lead_editor", "completed")
        update = actions.report(partner, "partner_editor", status, evidence=samples.pdf())
        linked = factory.commitment(cast["lead"], "public", author=cast["lead_editor"], title=f"Vinculado {visibility}")
        actions.link(action_id, linked.id)
        linkable = factory.commitment(cast["partner"], "public", author=cast["partner_editor"])
        made[visibility] = {"id": action_id, "partner": partner, "pending": pending, "update": update,
                            "linked": linked.id, "linkable": linkable.id, "outsider": cast["outsider"].id}
    return made


def _one(app, query):
    with app.app_context():
        result = db.session.execute(query).first()
        db.session.rollback()
        return result


def write(client, app, route: str, item: dict, csrf: str):
    """Exercise one route; return (answer, whether the database changed)."""
    base = f"/actions/{item['id']}"
    party = f"{base}/parties/{item['partner']}"
    forms = {"edit_form": f"{base}/edit", "propose_form": f"{base}/parties/new", "plan": f"{base}/plan",
             "party_form": f"{party}/edit", "report_form": f"{party}/updates/new",
             "review_form": f"{party}/updates/{item['update']}/review",
             "respond_form": f"{base}/parties/{item['pending']}/respond"}
    if route in forms:
        return answer(client.get(forms[route])), False
    action = load(app, JointAction, item["id"])
    with app.app_context():
        entry = db.session.scalar(select(ActionCountry.id).where(ActionCountry.action_id == item["id"]).limit(1))
        milestone = db.session.scalar(select(Milestone.id).where(Milestone.action_id == item["id"]).limit(1))
    posts = {
        "edit_post": (f"{base}/edit", {"title_es": "Edited title", "visibility": action.visibility, "symposium_id": "",
                                       "source_minutes_id": "", "version": str(action.version)},
                      lambda: load(app, JointAction, item["id"]).title == "Edited title"),
        "propose_post": (f"{base}/parties/new", {"organisation_id": str(item["outsider"]), "role": "funder",
                                                 "deliverable_es": "Financiamiento."},
                         lambda: count(app, Party, Party.action_id == item["id"]) > 4),
        "add_country": (f"{base}/countries", {"country-country_iso3": "USA", "country-role": "destination"},
                        lambda: count(app, ActionCountry, ActionCountry.action_id == item["id"]) > 2),
        "remove_country": (f"{base}/countries/{entry}/remove", {}, lambda: load(app, ActionCountry, entry) is None),
        "add_milestone": (f"{base}/milestones", {"milestone-title_es": "Nuevo hito"},
                          lambda: count(app, Milestone, Milestone.action_id == item["id"]) > 1),
        "toggle_milestone": (f"{base}/milestones/{milestone}/done", {},
                             lambda: load(app, Milestone, milestone).done_on is not None),
        "link": (f"{base}/commitments", {"link-commitment_id": str(item["linkable"])},
                 lambda: _one(app, select(joint_action_commitments).where(
                     joint_action_commitments.c.commitment_id == item["linkable"])) is not None),
        "unlink": (f"{base}/commitments/{item['linked']}/unlink", {},
                   lambda: _one(app, select(joint_action_commitments).where(
                       joint_action_commitments.c.commitment_id == item["linked"])) is None),
        "party_post": (f"{party}/edit", {"deliverable_es": "Otra parte."},
                       lambda: load(app, Party, item["partner"]).deliverable == "Otra parte."),
        "report_post": (f"{party}/updates/new", {"reported_on": date.today().isoformat(), "status": "in_progress",
                                                 "note": "Segundo paso."},
                        lambda: count(app, ProgressUpdate, ProgressUpdate.party_id == item["partner"]) > 1),
        "review_post": (f"{party}/updates/{item['update']}/review", {"verdict": "verified", "comment": "Visto."},
                        lambda: count(app, UpdateReview, UpdateReview.update_id == item["update"]) > 0),
        "respond_post": (f"{base}/parties/{item['pending']}/respond", {"answer": "accept"},
                         lambda: load(app, Party, item["pending"]).response == "accepted"),
    }
    url, data, changed = posts[route]
    response = post(client, url, data, csrf)
    return answer(response), changed()


@pytest.mark.parametrize("actor", ACTORS)
def test_every_route_answers_each_actor_as_the_rules_say(app, cast, world, actor):
    client = browser(app, None if actor == "anonymous" else cast[actor])
    csrf = token(client)
    wrong = []
    for visibility, item in world.items():
        base = f"/actions/{item['id']}"
        got = answer(client.get(base))
        if got != expected(actor, visibility, "detail"):
            wrong.append((visibility, "detail", got))
        got, body, headers = fetch(client, f"{base}/parties/{item['partner']}/updates/{item['update']}/evidence")
        if got != expected(actor, visibility, "evidence"):
            wrong.append((visibility, "evidence", got))
        elif got == 200 and (body != samples.pdf() or not headers["Content-Disposition"].startswith("attachment")):
            wrong.append((visibility, "evidence", "not the file as an attachment"))
        for route in SHARED + OWN_SHARE + REVIEW + ANSWER:
            want = expected(actor, visibility, route)
            got, changed = write(client, app, route, item, csrf)
            if got != want or changed != (want == 303):
                wrong.append((visibility, route, f"answered {got}, changed={changed}; expected {want}"))
    assert wrong == [], f"{actor}: {wrong}"


@pytest.mark.parametrize("actor", ACTORS)
def test_list_counts_corridor_and_symposium_show_only_what_the_actor_may_see(app, cast, world, factory, actor):
    client = browser(app, None if actor == "anonymous" else cast[actor])
    visible = {world[v]["id"] for v in SEES if actor in SEES[v]}
    page = client.text("/actions/")
    assert set(listed(page)) == visible
    assert {status: n for status, n in status_counts(page).items() if n} == {STATUS[v]: 1 for v in SEES if actor in SEES[v]}
    for query in ("country=MEX", "country=HND&country_role=origin", f"organisation={cast['partner'].id}",
                  f"organisation={cast['lead'].id}", "status=completed", "status=stalled", "flag=overdue"):
        assert set(listed(client.text(f"/actions/?{query}"))) <= visible, query
    # A pending or declined organisation is no party: filtering on it finds nothing.
    for organisation in ("pending", "declined"):
        assert listed(client.text(f"/actions/?organisation={cast[organisation].id}")) == []
    assert set(listed(client.text("/corridors/HND-MEX"))) == visible
    symposium = factory.symposium(slug="tegucigalpa")
    with app.app_context():
        for item in world.values():
            db.session.get(JointAction, item["id"]).symposium_id = symposium.id
        db.session.commit()
    symposium_page = client.text("/symposia/tegucigalpa")
    for visibility, item in world.items():
        assert (f'href="/actions/{item["id"]}"' in symposium_page) == (actor in SEES[visibility]), visibility


def test_a_missing_action_looks_like_a_hidden_one(app, cast, world):
    hidden = world["parties"]
    client = browser(app, cast["outsider_editor"])
    paths = ("", "/edit", "/plan", "/parties/new", f"/parties/{hidden['partner']}/edit",
             f"/parties/{hidden['partner']}/updates/new", f"/parties/{hidden['partner']}/updates/{hidden['update']}/review",
             f"/parties/{hidden['partner']}/updates/{hidden['update']}/evidence")
    for path in paths:
        assert fetch(client, f"/actions/987654{path}")[0] == 404
        assert fetch(client, f"/actions/{hidden['id']}{path}")[0] == 404, path
