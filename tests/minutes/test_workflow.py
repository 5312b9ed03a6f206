"""The minutes workflow through the pages: draft -> circulated -> endorsed -> approved, and back to draft."""

import re

from sqlalchemy import func, select

from portal.core.audit import AuditEvent
from portal.extensions import db
from portal.minutes import service
from portal.minutes.models import Endorsement, Minutes, MinutesComment, MinutesRevision
from tests.minutes.support import hidden, signed_in

NEW_MINUTES = {"title": "Reunión de la mesa intersectorial", "symposium_id": "", "meeting_date": "2026-04-14",
               "place": "", "is_virtual": "y", "body": "# Asistencia\n\nSe revisaron los avances.",
               "decisions": "1. Reunirse en julio.", "visibility": "public"}


def english(browser, url):
    return browser.text(url, headers={"Accept-Language": "en"})


def test_draft_circulate_endorse_approve(app, cast):
    author = signed_in(app, cast["author_editor"])
    form_page = author.text("/minutes/new")
    created = author.submit("/minutes/new", {
        **NEW_MINUTES, "attendees": [str(cast["attending"].id), str(cast["attending_b"].id)],
        "idempotency_key": hidden(form_page, "idempotency_key")})
    assert created.status_code == 303
    url = created.headers["Location"]
    minutes_id = int(url.rsplit("/", 1)[1])

    # A draft: the author sees it, attending organisations do not know it exists.
    assert "Reunión de la mesa intersectorial" in author.text(url)
    embassy = signed_in(app, cast["attending_editor"])
    assert embassy.get(url).status_code == 404

    assert author.submit(f"{url}/circulate", page=url).status_code == 303
    page = english(embassy, url)
    assert "Circulated for endorsement" in page and "Endorsed by 0 of 3 delegations" in page

    # Two attending organisations endorse; the second editor of the first one cannot endorse again.
    assert embassy.submit(f"{url}/endorse", page=url).status_code == 303
    guatemala = signed_in(app, cast["attending_b_editor"])
    assert guatemala.submit(f"{url}/endorse", page=url).status_code == 303
    consul = signed_in(app, cast["attending_editor_2"])
    assert "/endorse" not in consul.text(url)
    assert consul.submit(f"{url}/endorse", page=url).status_code == 403
    assert "Endorsed by 2 of 3 delegations" in english(author, url)

    assert guatemala.submit(f"{url}/comments", {"body": "Conforme con el texto."}, page=url).status_code == 303
    assert "Conforme con el texto." in embassy.text(url)

    assert author.submit(f"{url}/approve", page=url).status_code == 303
    page = english(signed_in(app, None), url)
    assert "Approved" in page and "Endorsed by 2 of 3 delegations" in page and "Conforme con el texto." in page
    with app.app_context():
        minutes = db.session.get(Minutes, minutes_id)
        assert minutes.status == "approved" and minutes.approved_at and minutes.circulated_at
        assert [(r.number, r.body) for r in minutes.revisions] == [(1, NEW_MINUTES["body"])]
        assert {e.organisation_id for e in minutes.endorsements} == {cast["attending"].id, cast["attending_b"].id}
        actions = db.session.scalars(select(AuditEvent.action).where(AuditEvent.object_type == "minutes",
                                                                     AuditEvent.object_id == minutes_id)
                                     .order_by(AuditEvent.id)).all()
        assert actions == ["create", "circulate", "endorse", "endorse", "comment", "approve"]


def test_the_author_always_attends_and_attendees_come_from_the_symposium(app, cast, factory):
    symposium = factory.symposium(title="Simposio de Tegucigalpa")
    with app.app_context():
        from portal.symposia.models import SymposiumParticipant

        db.session.add(SymposiumParticipant(symposium_id=symposium.id, organisation_id=cast["attending"].id))
        db.session.commit()
    author = signed_in(app, cast["author_editor"])
    page = author.text(f"/minutes/new?symposium={symposium.id}")
    assert re.search(rf'<option selected value="{symposium.id}">', page)
    assert re.search(rf'<input checked id="attendees-\d+" name="attendees" type="checkbox" value="{cast["attending"].id}">',
                     page)
    response = author.submit("/minutes/new", {**NEW_MINUTES, "symposium_id": str(symposium.id),
                                              "idempotency_key": "once"})
    with app.app_context():
        minutes = db.session.get(Minutes, int(response.headers["Location"].rsplit("/", 1)[1]))
        assert [org.id for org in minutes.attendees] == [cast["author"].id]
        assert minutes.symposium_id == symposium.id


def test_a_double_submitted_create_form_makes_one_draft(app, cast):
    author = signed_in(app, cast["author_editor"])
    key = hidden(author.text("/minutes/new"), "idempotency_key")
    first = author.submit("/minutes/new", {**NEW_MINUTES, "idempotency_key": key})
    second = author.submit("/minutes/new", {**NEW_MINUTES, "idempotency_key": key})
    assert first.headers["Location"] == second.headers["Location"]
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Minutes)) == 1


def test_an_empty_draft_is_not_circulated(app, cast, make_minutes):
    minutes_id = make_minutes("draft", body="")
    author = signed_in(app, cast["author_editor"])
    response = author.submit(f"/minutes/{minutes_id}/circulate", page="/", follow_redirects=True,
                             headers={"Accept-Language": "en"})
    assert "Write the minutes before circulating them." in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Minutes, minutes_id).status == "draft"


def test_one_endorsement_per_organisation_even_at_the_same_moment(app, cast, make_minutes):
    minutes_id = make_minutes("circulated", endorsed_by=["attending_editor"])
    from sqlalchemy.exc import IntegrityError

    from portal.accounts.models import User

    with app.app_context():
        minutes = db.session.get(Minutes, minutes_id)
        try:
            service.endorse(db.session.get(User, cast["attending_editor_2"].id), minutes)
            db.session.commit()
            raised = False
        except IntegrityError:
            db.session.rollback()
            raised = True
        assert raised, "the database refuses a second endorsement by the same organisation"
        assert db.session.scalar(select(func.count()).select_from(Endorsement)) == 1


def test_returning_to_draft_withdraws_endorsements_and_hides_the_minutes_again(app, cast, make_minutes):
    minutes_id = make_minutes("circulated", endorsed_by=["attending_editor", "attending_b_editor"])
    author = signed_in(app, cast["author_editor"])
    assert author.submit(f"/minutes/{minutes_id}/return-to-draft", page="/").status_code == 303
    assert signed_in(app, cast["attending_editor"]).get(f"/minutes/{minutes_id}").status_code == 404
    with app.app_context():
        minutes = db.session.get(Minutes, minutes_id)
        assert minutes.status == "draft" and minutes.endorsements == [] and minutes.circulated_at is None
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "return_to_draft"))
        assert event.changes["endorsements_withdrawn"] == sorted(
            [cast["attending"].name, cast["attending_b"].name])


def test_approval_does_not_wait_for_every_endorsement(app, cast, make_minutes):
    minutes_id = make_minutes("circulated")
    author = signed_in(app, cast["author_editor"])
    assert author.submit(f"/minutes/{minutes_id}/approve", page="/").status_code == 303
    assert "Endorsed by 0 of 3 delegations" in english(author, f"/minutes/{minutes_id}")


def test_approved_minutes_cannot_be_changed_except_by_a_revision(app, cast, make_minutes):
    minutes_id = make_minutes("approved", items=[("Enviar el informe", "attending")], with_file=True)
    author = signed_in(app, cast["author_editor"])
    with app.app_context():
        minutes = db.session.get(Minutes, minutes_id)
        item_id, file_id, version = minutes.action_items[0].id, minutes.attachments[0].id, minutes.version
    refused = [
        ("/edit", {"title": "Cambiado", "meeting_date": "2026-03-10", "place": "X", "visibility": "public",
                   "version": str(version)}),
        ("/circulate", {}), ("/approve", {}), ("/return-to-draft", {}), ("/endorse", {}),
        ("/comments", {"body": "Tarde"}),
        ("/actions/new", {"description_es": "Nueva", "responsible_organisation_id": str(cast["author"].id)}),
        (f"/actions/{item_id}/edit", {"description_es": "Cambiada", "responsible_organisation_id": str(cast["author"].id)}),
        (f"/actions/{item_id}/delete", {}), (f"/attachments/{file_id}/delete", {}),
    ]
    for path, data in refused:
        assert author.submit(f"/minutes/{minutes_id}{path}", data, page="/").status_code == 403, path
    with app.app_context():
        minutes = db.session.get(Minutes, minutes_id)
        assert minutes.version == version and minutes.title == "Reunión de seguimiento"
        assert len(minutes.action_items) == 1 and len(minutes.attachments) == 1
        assert db.session.scalar(select(func.count()).select_from(MinutesComment)) == 0
        assert db.session.scalar(select(func.count()).select_from(MinutesRevision)) == 1


def test_comments_are_kept_in_order_and_never_on_drafts(app, cast, make_minutes):
    minutes_id = make_minutes("circulated")
    embassy = signed_in(app, cast["attending_editor"])
    for text in ("Primera observación.", "Segunda observación."):
        page = embassy.text(f"/minutes/{minutes_id}")
        response = embassy.submit(f"/minutes/{minutes_id}/comments",
                                  {"body": text, "idempotency_key": hidden(page, "idempotency_key")}, page="/")
        assert response.status_code == 303
    page = signed_in(app, cast["author_viewer"]).text(f"/minutes/{minutes_id}")
    assert page.index("Primera observación.") < page.index("Segunda observación.")
    draft = make_minutes("draft")
    assert signed_in(app, cast["author_editor"]).submit(f"/minutes/{draft}/comments", {"body": "x"},
                                                        page="/").status_code == 403


def test_a_double_submitted_comment_is_kept_once(app, cast, make_minutes):
    minutes_id = make_minutes("circulated")
    embassy = signed_in(app, cast["attending_editor"])
    key = hidden(embassy.text(f"/minutes/{minutes_id}"), "idempotency_key")
    for _ in range(2):
        embassy.submit(f"/minutes/{minutes_id}/comments", {"body": "Una vez", "idempotency_key": key}, page="/")
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(MinutesComment)) == 1


def test_action_items_and_files_on_a_draft(app, cast, make_minutes):
    import io

    from tests.core import samples

    minutes_id = make_minutes("draft")
    author = signed_in(app, cast["author_editor"])
    url = f"/minutes/{minutes_id}"
    page = author.text(f"{url}/actions/new")
    assert author.submit(f"{url}/actions/new", {
        "description_es": "Enviar el **informe**", "responsible_organisation_id": str(cast["attending"].id),
        "due_date": "2026-09-30", "idempotency_key": hidden(page, "idempotency_key")}).status_code == 303
    # Only attending organisations can be responsible.
    refused = author.submit(f"{url}/actions/new", {
        "description_es": "Otra", "responsible_organisation_id": str(cast["outsider"].id)})
    assert refused.status_code == 200 and 'class="field-error"' in refused.get_data(as_text=True)
    with app.app_context():
        item_id = db.session.get(Minutes, minutes_id).action_items[0].id
    assert author.submit(f"{url}/actions/{item_id}/edit", {
        "description_es": "Enviar el informe final", "responsible_organisation_id": str(cast["attending"].id),
        "due_date": ""}).status_code == 303
    # An attending organisation responsible for an item stays among the attendees.
    with app.app_context():
        version = db.session.get(Minutes, minutes_id).version
    kept = author.submit(f"{url}/edit", {
        "title": "Reunión", "symposium_id": "", "meeting_date": "2026-03-10", "place": "Tegucigalpa",
        "visibility": "partners", "attendees": [str(cast["attending_b"].id)], "version": str(version)}, headers={"Accept-Language": "en"})
    assert kept.status_code == 200 and "responsible for action items" in kept.get_data(as_text=True)

    attached = author.submit(f"{url}/attachments/new", {"file": (io.BytesIO(samples.pdf()), "lista.pdf")})
    assert attached.status_code == 303
    page = author.text(url)
    assert "Enviar el informe final" in page and "lista.pdf" in page
    with app.app_context():
        minutes = db.session.get(Minutes, minutes_id)
        assert minutes.action_items[0].due_date is None
        file_id = minutes.attachments[0].id
    assert author.submit(f"{url}/attachments/{file_id}/delete", page="/").status_code == 303
    assert author.submit(f"{url}/actions/{item_id}/delete", page="/").status_code == 303
    with app.app_context():
        minutes = db.session.get(Minutes, minutes_id)
        assert minutes.action_items == [] and minutes.attachments == []
        actions = db.session.scalars(select(AuditEvent.action).where(AuditEvent.object_type == "minutes")
                                     .order_by(AuditEvent.id)).all()
        assert actions[-5:] == ["add_action_item", "update_action_item", "attach", "detach", "remove_action_item"]


def test_a_refused_file_keeps_the_draft_as_it_was(app, cast, make_minutes):
    import io

    minutes_id = make_minutes("draft")
    author = signed_in(app, cast["author_editor"])
    response = author.submit(f"/minutes/{minutes_id}/attachments/new",
                             {"file": (io.BytesIO(b"#!/bin/sh\necho hi\n"), "script.pdf")},
                             headers={"Accept-Language": "en"})
    assert response.status_code == 200 and "This file type is not accepted" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Minutes, minutes_id).attachments == []
