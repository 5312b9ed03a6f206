"""An action item becomes a commitment in one step, prefilled, and the two stay linked both ways."""

import re
from datetime import date
from html import unescape

from sqlalchemy import func, select

from portal.commitments.models import Commitment
from portal.core.audit import AuditEvent
from portal.extensions import db
from portal.minutes.models import ActionItem
from tests.minutes.support import hidden, signed_in


def item_of(app, minutes_id) -> ActionItem:
    with app.app_context():
        item = db.session.scalar(select(ActionItem).where(ActionItem.minutes_id == minutes_id))
        db.session.expunge(item)
        return item


def commitment_form(html: str, **changes) -> dict:
    """The prefilled form as the browser would send it."""
    return {"title_es": hidden_value(html, "title_es"), "description_es": textarea(html, "description_es"),
            "symposium_id": "", "target_date": hidden_value(html, "target_date"), "visibility": "public",
            "idempotency_key": hidden(html, "idempotency_key"), **changes}


def hidden_value(html: str, name: str) -> str:
    return re.search(rf'id="{name}"[^>]*value="([^"]*)"', html).group(1)


def textarea(html: str, name: str) -> str:
    return unescape(re.search(rf'<textarea[^>]*id="{name}"[^>]*>\n?(.*?)</textarea>', html, re.DOTALL).group(1))


def test_an_action_item_becomes_a_linked_commitment(app, cast, make_minutes):
    minutes_id = make_minutes("approved", visibility="public",
                              items=[("Enviar el **informe** de retornos\n\nCon cifras por mes.", "attending")])
    item = item_of(app, minutes_id)
    embassy = signed_in(app, cast["attending_editor"])
    url = f"/minutes/{minutes_id}/actions/{item.id}/commitment"
    assert url in embassy.text(f"/minutes/{minutes_id}")
    form_page = embassy.text(url)
    assert hidden_value(form_page, "title_es") == "Enviar el **informe** de retornos"
    assert hidden_value(form_page, "target_date") == "2026-12-01"
    assert "Con cifras por mes." in textarea(form_page, "description_es")

    response = embassy.submit(url, commitment_form(form_page, title_es="Enviar el informe de retornos"))
    assert response.status_code == 303
    commitment_url = response.headers["Location"]
    with app.app_context():
        commitment = db.session.scalar(select(Commitment))
        assert commitment.organisation_id == cast["attending"].id
        assert commitment.source_minutes_id == minutes_id and commitment.target_date == date(2026, 12, 1)
        assert db.session.get(ActionItem, item.id).commitment_id == commitment.id
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "create",
                                                           AuditEvent.object_type == "commitments"))
        assert event.changes["source_minutes_id"] == [None, minutes_id]
        assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "convert_action_item")) is not None
        commitment_id = commitment.id
    assert commitment_url.endswith(f"/commitments/{commitment_id}")

    # Both ways: the commitment names its minutes; the minutes show the commitment's current status.
    reader = signed_in(app, None)
    commitment_page = reader.text(commitment_url, headers={"Accept-Language": "en"})
    assert "From the minutes" in commitment_page and f'href="/minutes/{minutes_id}"' in commitment_page
    minutes_page = reader.text(f"/minutes/{minutes_id}", headers={"Accept-Language": "en"})
    assert f'href="/commitments/{commitment_id}"' in minutes_page and "Planned" in minutes_page
    assert url not in minutes_page
    from tests.factories import Factory

    Factory(app).update(commitment, cast["attending_editor"], status="completed", note="Informe enviado.")
    assert "Completed" in reader.text(f"/minutes/{minutes_id}", headers={"Accept-Language": "en"})


def test_only_the_responsible_organisation_converts_and_only_once(app, cast, make_minutes):
    minutes_id = make_minutes("approved", visibility="public", items=[("Enviar el informe", "attending")])
    item = item_of(app, minutes_id)
    url = f"/minutes/{minutes_id}/actions/{item.id}/commitment"
    for who in ("author_editor", "attending_b_editor", "attending_viewer", "iom_editor", "site_admin"):
        browser = signed_in(app, cast[who])
        assert browser.get(url).status_code == 403, who
        assert url not in browser.text(f"/minutes/{minutes_id}"), who
    embassy = signed_in(app, cast["attending_editor"])
    form_page = embassy.text(url)
    assert embassy.submit(url, commitment_form(form_page), page="/").status_code == 303
    again = embassy.get(url)
    assert again.status_code == 303 and again.headers["Location"].endswith(f"/minutes/{minutes_id}#action-item-{item.id}")
    second_page = embassy.submit(url, commitment_form(form_page, idempotency_key="another-key"), page="/")
    assert second_page.status_code == 303
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Commitment)) == 1


def test_a_double_submitted_conversion_logs_one_commitment(app, cast, make_minutes):
    minutes_id = make_minutes("approved", items=[("Enviar el informe", "attending")])
    item = item_of(app, minutes_id)
    url = f"/minutes/{minutes_id}/actions/{item.id}/commitment"
    embassy = signed_in(app, cast["attending_editor"])
    data = commitment_form(embassy.text(url))
    first, second = embassy.submit(url, data, page="/"), embassy.submit(url, data, page="/")
    assert first.headers["Location"] == second.headers["Location"]
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Commitment)) == 1


def test_items_of_unapproved_minutes_are_not_converted(app, cast, make_minutes):
    for state in ("draft", "circulated"):
        minutes_id = make_minutes(state, items=[("Enviar el informe", "attending")])
        item = item_of(app, minutes_id)
        embassy = signed_in(app, cast["attending_editor"])
        expected = 404 if state == "draft" else 403
        assert embassy.get(f"/minutes/{minutes_id}/actions/{item.id}/commitment").status_code == expected


def test_the_commitment_hides_minutes_its_reader_may_not_see(app, cast, make_minutes):
    minutes_id = make_minutes("approved", visibility="parties", items=[("Enviar el informe", "attending")],
                              title="Acta reservada")
    item = item_of(app, minutes_id)
    url = f"/minutes/{minutes_id}/actions/{item.id}/commitment"
    embassy = signed_in(app, cast["attending_editor"])
    response = embassy.submit(url, commitment_form(embassy.text(url), visibility="public"))
    commitment_url = response.headers["Location"]
    public_page = signed_in(app, None).text(commitment_url)
    assert "Acta reservada" not in public_page and f"/minutes/{minutes_id}" not in public_page
    assert "Acta reservada" in signed_in(app, cast["attending_b_editor"]).text(commitment_url)


def test_the_minutes_do_not_reveal_a_commitment_their_reader_may_not_see(app, cast, make_minutes):
    minutes_id = make_minutes("approved", visibility="public", items=[("Enviar el informe", "attending")])
    item = item_of(app, minutes_id)
    url = f"/minutes/{minutes_id}/actions/{item.id}/commitment"
    embassy = signed_in(app, cast["attending_editor"])
    embassy.submit(url, commitment_form(embassy.text(url), title_es="Compromiso reservado", visibility="parties"))
    page = signed_in(app, None).text(f"/minutes/{minutes_id}", headers={"Accept-Language": "en"})
    assert "Compromiso reservado" not in page and not re.search(r'href="/commitments/\d', page)
    assert "This item has become a commitment of the responsible organisation." in page
