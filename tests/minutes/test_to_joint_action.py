"""An action item becomes a joint action in one step, led by the responsible organisation, linked both ways."""

from sqlalchemy import func, select

from portal.extensions import db
from portal.joint_actions.models import JointAction
from tests.minutes.support import hidden, signed_in
from tests.minutes.test_conversion import hidden_value, item_of, textarea

DESCRIPTION = "Coordinar con la Embajada la asistencia a familias retornadas en los centros de recepción."


def action_form(html: str, **changes) -> dict:
    """The prefilled form as the browser would send it."""
    return {"title_es": hidden_value(html, "title_es"), "description_es": textarea(html, "description_es"),
            "symposium_id": "",
            "end_date": hidden_value(html, "end_date"), "visibility": "public",
            "idempotency_key": hidden(html, "idempotency_key"), **changes}


def actions(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(JointAction))


def test_an_action_item_becomes_a_joint_action_led_by_the_responsible_organisation(app, cast, make_minutes):
    minutes_id = make_minutes("approved", visibility="public", items=[(DESCRIPTION, "attending")])
    item = item_of(app, minutes_id)
    client = signed_in(app, cast["attending_editor"])
    page = client.text(f"/minutes/{minutes_id}")
    url = f"/actions/from-minutes/{minutes_id}/items/{item.id}"
    assert f'href="{url}"' in page
    form_page = client.text(url)
    assert DESCRIPTION[:40] in form_page and "2026-12-01" in form_page
    data = {**action_form(form_page), "source_minutes_id": str(minutes_id)}
    created = client.submit(url, data)
    assert created.status_code == 303 and actions(app) == 1
    again = client.submit(url, data, page=f"/minutes/{minutes_id}")  # the same form sent twice: one joint action, the same answer
    assert again.status_code == 303 and again.headers["Location"] == created.headers["Location"]
    assert actions(app) == 1
    with app.app_context():
        action = db.session.scalar(select(JointAction))
        assert action.lead_organisation_id == cast["attending"].id and action.source_minutes_id == minutes_id
    assert item_of(app, minutes_id).joint_action_id == action.id
    minutes_page = client.text(f"/minutes/{minutes_id}")
    assert f'href="/actions/{action.id}"' in minutes_page and "Turn into a commitment" not in minutes_page
    # Once a joint action, it cannot also become a commitment.
    refused = client.get(f"/minutes/{minutes_id}/actions/{item.id}/commitment")
    assert refused.status_code == 303 and refused.headers["Location"].endswith(f"#action-item-{item.id}")


def test_only_the_responsible_organisation_converts_an_item_of_approved_minutes(app, cast, make_minutes):
    approved = make_minutes("approved", visibility="public", items=[(DESCRIPTION, "attending")])
    item = item_of(app, approved)
    url = f"/actions/from-minutes/{approved}/items/{item.id}"
    assert signed_in(app, cast["attending_b_editor"]).get(url).status_code == 403
    assert signed_in(app, cast["attending_viewer"]).get(url).status_code == 403
    circulated = make_minutes("circulated", visibility="partners", items=[(DESCRIPTION, "attending")])
    other = item_of(app, circulated)
    assert signed_in(app, cast["attending_editor"]).get(
        f"/actions/from-minutes/{circulated}/items/{other.id}").status_code == 403
    assert signed_in(app, cast["attending_editor"]).get(
        f"/actions/from-minutes/{circulated}/items/{item.id}").status_code == 404  # not an item of those minutes
    assert actions(app) == 0
