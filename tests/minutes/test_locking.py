"""Optimistic locking on drafts: two editors of the author organisation, the second is refused with 409."""

from portal.extensions import db
from portal.minutes.models import Minutes
from tests.minutes.support import hidden, signed_in


def edit_data(html: str, cast, **changes) -> dict:
    return {"title": "Reunión de seguimiento", "symposium_id": "", "meeting_date": "2026-03-10",
            "place": "Tegucigalpa", "visibility": "partners", "decisions": "",
            "attendees": [str(cast["attending"].id), str(cast["attending_b"].id)],
            "version": hidden(html, "version"), **changes}


def test_the_second_editor_is_refused_and_keeps_the_text(app, cast, make_minutes):
    minutes_id = make_minutes("draft", body="Primera línea\nSegunda línea")
    url = f"/minutes/{minutes_id}/edit"
    alice, bob = signed_in(app, cast["author_editor"]), signed_in(app, cast["author_editor_2"])
    alice_page, bob_page = alice.text(url), bob.text(url)
    saved = alice.submit(url, edit_data(alice_page, cast, body="Primera línea\nSegunda línea corregida"))
    assert saved.status_code == 303
    refused = bob.submit(url, edit_data(bob_page, cast, body="Primera línea\nTexto de Bob <b>largo</b>"),
                         headers={"Accept-Language": "en"})
    html = refused.get_data(as_text=True)
    assert refused.status_code == 409
    assert "Someone else saved these minutes while you were editing." in html
    assert "Texto de Bob &lt;b&gt;largo&lt;/b&gt;" in html, "Bob's text is kept in the form"
    assert "<del>Segunda línea corregida</del>" in html and "<ins>Texto de Bob &lt;b&gt;largo&lt;/b&gt;</ins>" in html
    with app.app_context():
        minutes = db.session.get(Minutes, minutes_id)
        assert minutes.body == "Primera línea\nSegunda línea corregida"
        current_version = minutes.version
    # The refused page carries the current version: sending it again now saves Bob's text.
    assert hidden(html, "version") == str(current_version)
    again = bob.submit(url, edit_data(html, cast, body="Primera línea\nTexto de Bob"))
    assert again.status_code == 303


def test_a_form_from_before_a_change_of_attendees_is_refused(app, cast, make_minutes):
    minutes_id = make_minutes("draft")
    url = f"/minutes/{minutes_id}/edit"
    alice, bob = signed_in(app, cast["author_editor"]), signed_in(app, cast["author_editor_2"])
    bob_page = alice_page = alice.text(url)
    bob_page = bob.text(url)
    assert alice.submit(url, edit_data(alice_page, cast, body="Igual",
                                       attendees=[str(cast["attending"].id)])).status_code == 303
    assert bob.submit(url, edit_data(bob_page, cast, body="Otro")).status_code == 409


def test_a_missing_or_forged_version_is_refused(app, cast, make_minutes):
    minutes_id = make_minutes("draft")
    url = f"/minutes/{minutes_id}/edit"
    alice = signed_in(app, cast["author_editor"])
    page = alice.text(url)
    for version in ("", "abc", "999", "-1"):
        assert alice.submit(url, edit_data(page, cast, body="X", version=version)).status_code == 409, version
    with app.app_context():
        assert db.session.get(Minutes, minutes_id).body == "Se revisaron los compromisos."


def test_adding_an_item_to_minutes_circulated_meanwhile_is_refused(app, cast, make_minutes):
    minutes_id = make_minutes("draft")
    author, colleague = signed_in(app, cast["author_editor"]), signed_in(app, cast["author_editor_2"])
    page = colleague.text(f"/minutes/{minutes_id}/actions/new")
    assert author.submit(f"/minutes/{minutes_id}/circulate", page="/").status_code == 303
    response = colleague.submit(f"/minutes/{minutes_id}/actions/new", {
        "description_es": "Tarde", "responsible_organisation_id": str(cast["attending"].id),
        "idempotency_key": hidden(page, "idempotency_key")})
    assert response.status_code == 403
    with app.app_context():
        assert db.session.get(Minutes, minutes_id).action_items == []
