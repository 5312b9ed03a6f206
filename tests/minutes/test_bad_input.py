"""Bad input on every minutes form: a clear message in the user's language, the typed text kept, nothing
written, never a server error."""

import io
import re
from html import escape

import pytest

from tests.minutes.support import hidden, row_counts, signed_in

HUGE = "Comisión " * 6000  # 54,000 characters: longer than any field allows, the minutes' body included
CONTROL = "Informe\x00 con\x1b caracteres \u202e ocultos"
WRONG = {"meeting_date": "31/02/2026", "due_date": "mañana", "target_date": "2026-13-45", "symposium_id": "abc",
         "attendees": "abc", "visibility": "secret", "responsible_organisation_id": "999999", "themes": "x"}
#: Fields people type, whose text must come back in the form after an error.
TYPED = {"title", "title_es", "place", "body", "decisions", "reason", "description", "description_es"}


@pytest.fixture
def forms(app, cast, make_minutes):
    """(name, url, who, valid data, fields to spoil) for each minutes form."""
    draft = make_minutes("draft", items=[("Enviar el informe", "attending")])
    circulated = make_minutes("circulated")
    approved = make_minutes("approved", items=[("Enviar el informe", "attending")])
    from portal.extensions import db
    from portal.minutes.models import Minutes

    with app.app_context():
        draft_item = db.session.get(Minutes, draft).action_items[0].id
        approved_item = db.session.get(Minutes, approved).action_items[0].id
    attendees = [str(cast["attending"].id), str(cast["attending_b"].id)]
    minutes_fields = {"title": "Reunión", "symposium_id": "", "meeting_date": "2026-03-10", "place": "Tegucigalpa",
                      "attendees": attendees, "body": "Texto", "decisions": "Acuerdo", "visibility": "partners"}
    item_fields = {"description_es": "Enviar el informe", "responsible_organisation_id": str(cast["attending"].id),
                   "due_date": "2026-12-31"}
    return [
        ("create", "/minutes/new", "author_editor", minutes_fields),
        ("edit", f"/minutes/{draft}/edit", "author_editor", {**minutes_fields, "version": None}),
        ("revise", f"/minutes/{approved}/revise", "author_editor", {
            "title": "Reunión", "body": "Texto nuevo", "decisions": "", "visibility": "partners",
            "reason": "Corrección", "version": None}),
        ("comment", f"/minutes/{circulated}/comments", "attending_editor", {"body": "Observación"}),
        ("add item", f"/minutes/{draft}/actions/new", "author_editor", item_fields),
        ("edit item", f"/minutes/{draft}/actions/{draft_item}/edit", "author_editor", item_fields),
        ("convert", f"/minutes/{approved}/actions/{approved_item}/commitment", "attending_editor", {
            "title_es": "Enviar el informe", "description_es": "Mensual", "symposium_id": "", "target_date": "2026-12-31",
            "visibility": "partners"}),
    ]


def mutations(fields):
    for field in fields:
        if field == "version":
            continue
        yield field, "missing", None
        yield field, "overlong", HUGE
        yield field, "control characters", CONTROL
        if field in WRONG:
            yield field, "wrong type", WRONG[field]


FORM_NAMES = ["create", "edit", "revise", "comment", "add item", "edit item", "convert"]


@pytest.mark.parametrize("form_name", FORM_NAMES)
@pytest.mark.parametrize("language", ["es", "en"])
def test_bad_input_is_refused_clearly_and_changes_nothing(app, cast, forms, form_name, language):
    name, url, who, valid = next(form for form in forms if form[0] == form_name)
    browser = signed_in(app, cast[who])
    browser.submit("/language", {"lang": language}, page="/")
    for field, kind, value in mutations(list(valid)):
        submitted = dict(valid)
        if "version" in submitted:
            # Earlier valid submissions may have saved; edit from the current version like a person would.
            submitted["version"] = hidden(browser.text(url), "version")
        if value is None:
            submitted.pop(field)
        else:
            submitted[field] = value
        with app.app_context():
            before = row_counts()
        response = browser.submit(url, submitted, page="/")
        html = response.get_data(as_text=True)
        context = f"{name}.{field} {kind}"
        assert response.status_code < 500, context
        if response.status_code != 200:
            # A missing optional field is still a valid submission.
            assert response.status_code in (302, 303), context
            continue
        assert f'<html lang="{language}">' in html, context
        assert 'class="field-error"' in html, context
        with app.app_context():
            assert row_counts() == before, f"{context} wrote to the database"
        if field in TYPED and value is not None and kind != "control characters":
            assert escape(value.strip(), quote=True) in html, f"{context}: typed text lost"


@pytest.mark.parametrize("language", ["es", "en"])
def test_a_bad_file_or_none_is_refused_clearly(app, cast, make_minutes, language):
    minutes_id = make_minutes("draft")
    browser = signed_in(app, cast["author_editor"])
    browser.submit("/language", {"lang": language}, page="/")
    url = f"/minutes/{minutes_id}/attachments/new"
    for data in ({}, {"file": (io.BytesIO(b""), "vacio.pdf")}, {"file": (io.BytesIO(b"MZ\x90\x00"), "acta.pdf")}):
        with app.app_context():
            before = row_counts()
        response = browser.submit(url, data)
        assert response.status_code == 200 and 'class="field-error"' in response.get_data(as_text=True)
        with app.app_context():
            assert row_counts() == before


def test_messages_are_in_spanish(app, cast, make_minutes):
    from tests.helpers import translated

    browser = signed_in(app, cast["author_editor"])
    response = browser.submit("/minutes/new", {"title": "Reunión", "symposium_id": "", "meeting_date": "2026-03-10",
                                               "visibility": "partners"}, headers={"Accept-Language": "es"})
    message = translated(app, "Say where the meeting took place, or mark it as virtual.", "es")
    assert message != "Say where the meeting took place, or mark it as virtual."
    assert escape(message) in response.get_data(as_text=True)


def test_the_compare_form_survives_any_query(app, cast, make_minutes):
    minutes_id = make_minutes("approved", visibility="public")
    browser = signed_in(app, None)
    for query in ("old=1%27&new=2", "old=-1&new=0", "old=1" * 200, "new=" + "9" * 50, "old=%C3%A9&new=%FF"):
        response = browser.get(f"/minutes/{minutes_id}/compare?{query}")
        assert response.status_code == 200, query
    # NUL bytes are refused before any view runs, with the portal's "bad request" page.
    assert browser.get(f"/minutes/{minutes_id}/compare?old=%00&new=1").status_code == 400
    assert re.search(r'class="field-error"', browser.text(f"/minutes/{minutes_id}/compare?old=1&new=2"))
