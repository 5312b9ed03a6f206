"""Access matrix: every minutes route x actor x workflow state x visibility.

The expected answers are written out here from the issue, independently of portal/minutes/permissions.py:

* a draft is seen only by the authoring organisation (and site admins); anyone else gets 404, even when
  the draft is marked public (visibility applies only once approved);
* circulated minutes are seen by the attending organisations only;
* approved minutes follow their visibility: public, partners (signed in) or parties (attendees);
* only editors of the author organisation edit drafts, circulate, return to draft, approve and revise;
* only editors of attending organisations (the author's included) comment and endorse, while circulated;
* only editors of the responsible organisation turn an action item of approved minutes into a commitment;
* site admins see everything but never act for an organisation.

A signed-out visitor is sent to sign in by protected routes; a refused request changes nothing.
"""

import io
from datetime import date

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.minutes.models import ActionItem, Minutes
from tests.core import samples
from tests.minutes.support import row_counts, signed_in

ACTORS = ["anonymous", "author_editor", "author_viewer", "attending_editor", "outsider_editor", "iom_editor",
          "site_admin"]
#: (workflow state, visibility); drafts and circulated minutes are marked public to show it does not leak.
CASES = [("draft", "public"), ("circulated", "public"), ("approved", "public"), ("approved", "partners"),
         ("approved", "parties")]


def sees(actor: str, state: str, visibility: str) -> bool:
    """Whether ``actor`` may read minutes in this state and visibility."""
    if actor in ("author_editor", "author_viewer", "site_admin"):
        return True
    if state == "draft":
        return False
    if state == "circulated" or visibility == "parties":
        return actor == "attending_editor"
    return visibility == "public" or actor != "anonymous"


def author_editor_in(*states):
    return lambda actor, state: actor == "author_editor" and state in states


def attending_editor_in(*states):
    # The author organisation attends its own meeting, so its editors count as attending editors.
    return lambda actor, state: actor in ("attending_editor", "author_editor") and state in states


def responsible_editor_in(*states):
    # The action item of these tests is the attending embassy's.
    return lambda actor, state: actor == "attending_editor" and state in states


#: Protected pages with a form: (name, path, who may open it).
PROTECTED_GETS = [
    ("edit", "/minutes/{m}/edit", author_editor_in("draft")),
    ("add action item", "/minutes/{m}/actions/new", author_editor_in("draft")),
    ("edit action item", "/minutes/{m}/actions/{i}/edit", author_editor_in("draft")),
    ("attach file", "/minutes/{m}/attachments/new", author_editor_in("draft")),
    ("revise", "/minutes/{m}/revise", author_editor_in("approved")),
    ("convert action item", "/minutes/{m}/actions/{i}/commitment", responsible_editor_in("approved")),
]


def post_data(name: str, ids: dict, cast) -> dict:
    """Valid form data for each POST route."""
    if name == "edit":
        return {"title": "Otro título", "symposium_id": "", "meeting_date": "2026-03-10", "place": "Tegucigalpa",
                "body": "Nuevo texto", "decisions": "", "visibility": "partners", "version": str(ids["version"]),
                "attendees": [str(cast["attending"].id), str(cast["attending_b"].id)]}
    if name == "revise":
        return {"title": "Otro título", "body": "Texto corregido", "decisions": "", "visibility": "partners",
                "reason": "Corrección de una cifra.", "version": str(ids["version"])}
    if name == "add action item":
        return {"description_es": "Enviar el informe", "responsible_organisation_id": str(cast["attending"].id),
                "due_date": "2026-12-31"}
    if name == "convert action item":
        return {"title_es": "Enviar el informe", "description_es": "", "symposium_id": "", "target_date": "",
                "visibility": "partners", "idempotency_key": "k-" + str(ids["m"])}
    if name == "attach file":
        return {"file": (io.BytesIO(samples.pdf()), "anexo.pdf")}
    if name == "comment":
        return {"body": "Sugerimos precisar la fecha."}
    return {}


#: State-changing requests: (name, path, who may send it).
POSTS = [
    ("edit", "/minutes/{m}/edit", author_editor_in("draft")),
    ("circulate", "/minutes/{m}/circulate", author_editor_in("draft")),
    ("return to draft", "/minutes/{m}/return-to-draft", author_editor_in("circulated")),
    ("approve", "/minutes/{m}/approve", author_editor_in("circulated")),
    ("endorse", "/minutes/{m}/endorse", attending_editor_in("circulated")),
    ("comment", "/minutes/{m}/comments", attending_editor_in("circulated")),
    ("add action item", "/minutes/{m}/actions/new", author_editor_in("draft")),
    ("delete action item", "/minutes/{m}/actions/{i}/delete", author_editor_in("draft")),
    ("attach file", "/minutes/{m}/attachments/new", author_editor_in("draft")),
    ("delete file", "/minutes/{m}/attachments/{a}/delete", author_editor_in("draft")),
    ("revise", "/minutes/{m}/revise", author_editor_in("approved")),
    ("convert action item", "/minutes/{m}/actions/{i}/commitment", responsible_editor_in("approved")),
]


@pytest.fixture
def build(app, make_minutes):
    """Build minutes in a state, with an action item of the attending embassy; return the ids the paths need."""

    def make(state, visibility, title="Acta de la prueba", with_file=False):
        minutes_id = make_minutes(state, visibility, items=[("Enviar el informe", "attending")], with_file=with_file,
                                  title=title)
        with app.app_context():
            minutes = db.session.get(Minutes, minutes_id)
            return {"m": minutes_id, "i": minutes.action_items[0].id, "version": minutes.version,
                    "a": minutes.attachments[0].id if with_file else None}

    return make


def expected(actor, state, visibility, allowed, ok: int) -> int:
    if actor == "anonymous":
        return 302
    if not sees(actor, state, visibility):
        return 404
    return ok if allowed(actor, state) else 403


def snapshot(app, minutes_id):
    with app.app_context():
        counts = row_counts()  # first: it inspects the schema through a connection of its own
        minutes = db.session.get(Minutes, minutes_id)
        items = db.session.scalars(select(ActionItem.commitment_id).where(ActionItem.minutes_id == minutes_id)).all()
        return counts, minutes.status, minutes.version, list(items)


@pytest.mark.parametrize(("state", "visibility"), CASES)
@pytest.mark.parametrize("actor", ACTORS)
def test_access(app, cast, build, actor, state, visibility):
    browser = signed_in(app, None if actor == "anonymous" else cast[actor])
    check_reading(app, browser, build, actor, state, visibility)
    check_changing(app, cast, browser, build, actor, state, visibility)


def check_reading(app, browser, build, actor, state, visibility):
    ids = build(state, visibility, title="Acta visible solo para quien corresponde", with_file=True)
    visible = sees(actor, state, visibility)
    public_pages = {
        "page": f"/minutes/{ids['m']}",
        "revisions": f"/minutes/{ids['m']}/revisions",
        "compare": f"/minutes/{ids['m']}/compare?old=1&new=1",
        "file": f"/minutes/{ids['m']}/attachments/{ids['a']}",
    }
    for name, url in public_pages.items():
        response = browser.get(url)
        response.close()  # the file download streams from disk
        assert response.status_code == (200 if visible else 404), f"{name}: {url}"
    revision = browser.get(f"/minutes/{ids['m']}/revisions/1").status_code
    assert revision == (200 if visible and state == "approved" else 404), "revision 1"
    listed = "Acta visible solo para quien corresponde" in browser.text("/minutes/")
    assert listed == visible, "the list shows exactly the minutes the reader may open"
    for name, path, allowed in PROTECTED_GETS:
        url = path.format(**ids)
        assert browser.get(url).status_code == expected(actor, state, visibility, allowed, 200), f"GET {name}: {url}"


def check_changing(app, cast, browser, build, actor, state, visibility):
    # Refused requests must change nothing, so they share one record; each allowed one gets a fresh record.
    shared = build(state, visibility, with_file=True)
    for name, path, allowed in POSTS:
        want = expected(actor, state, visibility, allowed, 303)
        ids = build(state, visibility, with_file=name == "delete file") if want == 303 else shared
        url = path.format(**ids)
        before = snapshot(app, ids["m"])
        # A session's CSRF token: the sign-in form's for a signed-out reader (the public pages carry none).
        page = "/account/login" if actor == "anonymous" else "/"
        status = browser.submit(url, post_data(name, ids, cast), page=page).status_code
        assert status == want, f"POST {name}: {url} answered {status}, expected {want}"
        if want != 303:
            assert snapshot(app, ids["m"]) == before, f"refused POST {name} changed something"


def test_an_attending_viewer_reads_but_neither_comments_nor_endorses(app, cast, make_minutes):
    minutes_id = make_minutes("circulated")
    viewer = signed_in(app, cast["attending_viewer"])
    page = viewer.text(f"/minutes/{minutes_id}")
    assert "Reunión de seguimiento" in page and "/endorse" not in page and "/comments" not in page
    assert viewer.submit(f"/minutes/{minutes_id}/endorse", page="/").status_code == 403
    assert viewer.submit(f"/minutes/{minutes_id}/comments", {"body": "Hola"}, page="/").status_code == 403


def test_buttons_follow_the_same_rules(app, cast, make_minutes):
    draft = make_minutes("draft")
    author = signed_in(app, cast["author_editor"]).text(f"/minutes/{draft}")
    viewer = signed_in(app, cast["author_viewer"]).text(f"/minutes/{draft}")
    assert f"/minutes/{draft}/circulate" in author and f"/minutes/{draft}/edit" in author
    assert f"/minutes/{draft}/circulate" not in viewer and f"/minutes/{draft}/edit" not in viewer
    circulated = make_minutes("circulated")
    outsider_page = signed_in(app, cast["site_admin"]).text(f"/minutes/{circulated}")
    assert "/endorse" not in outsider_page and "/approve" not in outsider_page, "site admins never act for an organisation"


def test_malformed_and_unknown_ids_answer_404(app, cast, make_minutes):
    minutes_id = make_minutes("approved", visibility="public", items=[("Algo", "attending")])
    browser = signed_in(app, cast["author_editor"])
    for url in ("/minutes/abc", "/minutes/0", "/minutes/99999999999999999999", "/minutes/999999",
                f"/minutes/{minutes_id}/revisions/999", f"/minutes/{minutes_id}/attachments/999",
                f"/minutes/{minutes_id}/actions/999/commitment"):
        assert browser.get(url).status_code == 404, url


def test_an_item_is_reached_only_through_its_own_minutes(app, cast, make_minutes):
    first = make_minutes("approved", visibility="public", items=[("Primero", "attending")])
    second = make_minutes("approved", visibility="public", items=[("Segundo", "attending")])
    with app.app_context():
        item = db.session.scalar(select(ActionItem).where(ActionItem.minutes_id == second))
        item_id = item.id
    browser = signed_in(app, cast["attending_editor"])
    assert browser.get(f"/minutes/{first}/actions/{item_id}/commitment").status_code == 404
    assert browser.get(f"/minutes/{second}/actions/{item_id}/commitment").status_code == 200


def test_files_of_other_minutes_are_not_served_through_these(app, cast, make_minutes):
    hidden_draft = make_minutes("draft", with_file=True)
    public = make_minutes("approved", visibility="public")
    with app.app_context():
        attachment_id = db.session.get(Minutes, hidden_draft).attachments[0].id
    anonymous = signed_in(app, None)
    assert anonymous.get(f"/minutes/{public}/attachments/{attachment_id}").status_code == 404
    assert anonymous.get(f"/minutes/{hidden_draft}/attachments/{attachment_id}").status_code == 404
    author = signed_in(app, cast["author_editor"])
    response = author.get(f"/minutes/{hidden_draft}/attachments/{attachment_id}")
    assert response.status_code == 200 and response.headers["Content-Disposition"].startswith("attachment")
    assert response.data == samples.pdf()
    response.close()


def test_an_old_meeting_date_is_fine_but_anonymous_lists_only_public_approved(app, cast, make_minutes):
    make_minutes("approved", visibility="public", title="Acta pública", meeting_date=date(2016, 7, 1))
    make_minutes("approved", visibility="partners", title="Acta para socios")
    make_minutes("circulated", visibility="public", title="Acta circulada")
    page = signed_in(app, None).text("/minutes/")
    assert "Acta pública" in page and "Acta para socios" not in page and "Acta circulada" not in page
