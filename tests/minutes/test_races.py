"""Requests that meet a concurrent change in the middle: a conflict page or the other request's result,
never a server error. The concurrent change is simulated inside the request, right before the service
writes, which is where it lands on PostgreSQL (on SQLite, BEGIN IMMEDIATE queues writing requests)."""

from sqlalchemy import func, select, text

from portal.extensions import db
from portal.minutes import service
from portal.minutes.models import Endorsement, Minutes, MinutesComment
from tests.minutes.support import hidden, signed_in


def bump_version_first(monkeypatch, name):
    """Make ``service.<name>`` run after another request saved the same minutes."""
    original = getattr(service, name)

    def racing(actor, target, *args, **kwargs):
        minutes_id = getattr(target, "minutes_id", None) or target.id
        db.session.execute(text("UPDATE minutes SET version = version + 1 WHERE id = :id"),
                           {"id": minutes_id})
        return original(actor, target, *args, **kwargs)

    monkeypatch.setattr(service, name, racing)


def test_a_workflow_button_after_a_concurrent_change_shows_the_conflict(app, cast, make_minutes, monkeypatch):
    minutes_id = make_minutes("circulated")
    bump_version_first(monkeypatch, "approve")
    response = signed_in(app, cast["author_editor"]).submit(f"/minutes/{minutes_id}/approve", page="/",
                                                            headers={"Accept-Language": "en"})
    assert response.status_code == 409
    assert "Someone else changed these minutes at the same moment." in response.get_data(as_text=True)
    with app.app_context():
        minutes = db.session.get(Minutes, minutes_id)
        assert minutes.status == "circulated" and minutes.revisions == []


def test_an_item_added_after_a_concurrent_change_is_not_kept(app, cast, make_minutes, monkeypatch):
    minutes_id = make_minutes("draft")
    bump_version_first(monkeypatch, "add_action_item")
    response = signed_in(app, cast["author_editor"]).submit(f"/minutes/{minutes_id}/actions/new", {
        "description_es": "Tarde", "responsible_organisation_id": str(cast["attending"].id)})
    assert response.status_code == 409
    with app.app_context():
        assert db.session.get(Minutes, minutes_id).action_items == []


def test_an_edit_meeting_a_concurrent_save_at_a_flush_keeps_the_text(app, cast, make_minutes, monkeypatch):
    minutes_id = make_minutes("draft")
    url = f"/minutes/{minutes_id}/edit"
    author = signed_in(app, cast["author_editor"])
    version = hidden(author.text(url), "version")
    bump_version_first(monkeypatch, "update_minutes")
    response = author.submit(url, {
        "title": "Reunión", "symposium_id": "", "meeting_date": "2026-03-10", "place": "Tegucigalpa",
        "visibility": "partners", "body": "Mi texto nuevo", "decisions": "", "version": version,
        "attendees": [str(cast["attending"].id), str(cast["attending_b"].id)]})
    assert response.status_code == 409 and "Mi texto nuevo" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Minutes, minutes_id).body == "Se revisaron los compromisos."


def test_the_same_comment_sent_twice_at_once_is_kept_once(app, cast, make_minutes, monkeypatch):
    minutes_id = make_minutes("circulated")
    embassy = signed_in(app, cast["attending_editor"])
    key = hidden(embassy.text(f"/minutes/{minutes_id}"), "idempotency_key")
    assert embassy.submit(f"/minutes/{minutes_id}/comments", {"body": "Una vez", "idempotency_key": key},
                          page="/").status_code == 303
    # The second copy checked for the key before the first one was committed.
    original, calls = service.find_by_idempotency_key, []

    def not_yet(model, key):
        calls.append(key)
        return None if len(calls) == 1 else original(model, key)

    monkeypatch.setattr(service, "find_by_idempotency_key", not_yet)
    assert embassy.submit(f"/minutes/{minutes_id}/comments", {"body": "Una vez", "idempotency_key": key},
                          page="/").status_code == 303
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(MinutesComment)) == 1


def test_two_editors_of_one_organisation_endorsing_at_once_leave_one_endorsement(app, cast, make_minutes,
                                                                                 monkeypatch):
    minutes_id = make_minutes("circulated", endorsed_by=["attending_editor"])
    # The second editor's request checked the rule before the first endorsement was committed.
    monkeypatch.setattr("portal.minutes.routes.can_endorse_minutes", lambda user, minutes: True)
    response = signed_in(app, cast["attending_editor_2"]).submit(f"/minutes/{minutes_id}/endorse", page="/")
    assert response.status_code == 303
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Endorsement)) == 1



def test_the_same_conversion_sent_twice_at_once_logs_one_commitment(app, cast, make_minutes, monkeypatch):
    from portal.commitments.models import Commitment
    from portal.minutes import item_routes
    from tests.factories import Factory
    from tests.minutes.test_conversion import commitment_form, item_of

    minutes_id = make_minutes("approved", items=[("Enviar el informe", "attending")])
    item = item_of(app, minutes_id)
    url = f"/minutes/{minutes_id}/actions/{item.id}/commitment"
    embassy = signed_in(app, cast["attending_editor"])
    data = commitment_form(embassy.text(url))
    # The first copy of the form has logged its commitment; the second checked the key just before.
    Factory(app).commitment(cast["attending"], author=cast["attending_editor"])
    with app.app_context():
        db.session.execute(text("UPDATE commitments SET idempotency_key = :key"),
                           {"key": data["idempotency_key"]})
        db.session.commit()
    original, calls = item_routes.find_commitment, []

    def not_yet(key):
        calls.append(key)
        return None if len(calls) == 1 else original(key)

    monkeypatch.setattr(item_routes, "find_commitment", not_yet)
    response = embassy.submit(url, data, page="/")
    assert response.status_code == 303 and "/commitments/" in response.headers["Location"]
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Commitment)) == 1
        assert db.session.get(type(item), item.id).commitment_id is None
