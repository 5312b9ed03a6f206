"""The minutes' page shows its audit trail: what was done, by which organisation, when, to those who may see it."""

from tests.commitments.support import browser, post


def test_the_page_shows_what_was_done_to_the_minutes(app, cast, make_minutes):
    minutes_id = make_minutes("approved", visibility="public", endorsed_by=("attending_editor",))
    page = browser(app).text(f"/minutes/{minutes_id}")
    history = page[page.index('id="history"'):]
    for label in ("Created", "Circulated for comment and endorsement", "Endorsed", "Approved"):
        assert label in history, label
    assert history.index("Approved") < history.index("Created")  # newest first
    spanish = browser(app, language="es").text(f"/minutes/{minutes_id}")
    assert "Historial de cambios" in spanish and "Aprobada" in spanish[spanish.index('id="history"'):]


def test_a_comment_shows_in_the_trail_and_a_hidden_draft_shows_nothing(app, cast, make_minutes):
    minutes_id = make_minutes("circulated", visibility="partners")
    attendee = browser(app, cast["attending_editor"])
    page = attendee.text(f"/minutes/{minutes_id}")
    assert "Commented" not in page[page.index('id="history"'):]
    from tests.commitments.support import hidden

    assert post(attendee, f"/minutes/{minutes_id}/comments", {
        "body": "Falta el acuerdo sobre los centros.", "idempotency_key": hidden(page, "idempotency_key")}
    ).status_code == 303
    page = attendee.text(f"/minutes/{minutes_id}")
    assert "Commented" in page[page.index('id="history"'):]
    draft_id = make_minutes("draft")
    assert browser(app).get(f"/minutes/{draft_id}").status_code in (302, 404)


def test_an_endorsement_sent_as_the_minutes_are_approved_is_refused(app, cast, make_minutes):
    """The editor loaded the circulated minutes; the author approves them before the endorsement is stored."""
    import pytest
    from sqlalchemy import select

    from portal.accounts.models import User
    from portal.extensions import db
    from portal.minutes import service
    from portal.minutes.models import Endorsement, Minutes

    minutes_id = make_minutes("circulated", visibility="partners")
    with app.app_context():
        seen = db.session.get(Minutes, minutes_id)  # circulated, as the editor's page showed it
        assert seen.status == "circulated"
        db.session.expunge(seen)
        db.session.rollback()
        with app.app_context():
            approver = db.session.get(User, cast["author_editor"].id)
            service.approve(approver, db.session.get(Minutes, minutes_id))
            db.session.commit()
        with pytest.raises(service.EndorsementClosed):
            service.endorse(db.session.get(User, cast["attending_editor"].id), seen)
        db.session.rollback()
        assert db.session.scalars(select(Endorsement).where(Endorsement.minutes_id == minutes_id)).all() == []
