"""Every create form makes one row however often it is sent: twice in a row, twice at the same moment, or
with the other submission committing between this one's check and its insert (the unique key decides)."""

import threading
from datetime import date

import pytest
from sqlalchemy import func, select

import portal.core.locking
from portal.public.models import ContextFigure
from portal.extensions import db
from portal.joint_actions import service as action_service
from portal.joint_actions.models import Milestone
from portal.organisations.models import Organisation
from portal.symposia.models import AgendaItem, Symposium
from tests.commitments.support import browser, hidden, post, token
from tests.helpers import Browser


@pytest.fixture
def cast(factory):
    ministry = factory.organisation(slug="sreci", name="Cancillería de Honduras")
    iom = factory.organisation(kind="iom_office", slug="oim", name="OIM Honduras")
    editor = factory.user(ministry, role="editor", email="editor@sreci.example")
    symposium = factory.symposium(title="Simposio de Tegucigalpa", slug="tegucigalpa", start_date=date(2026, 3, 2))
    from portal.accounts.models import User

    with factory.app.app_context():
        action = action_service.create_action(db.session.get(User, editor.id), {
            "title_es": "Retorno digno", "description_es": "", "visibility": "public", "themes": []})
        db.session.commit()
        action_id = action.id
    return {"editor": editor, "iom_editor": factory.user(iom, role="editor", email="editor@oim.example"),
            "admin": factory.admin(email="root@portal.example"), "symposium": symposium, "action_id": action_id}


def create_forms(cast):
    """(name, who, page showing the form, URL it posts to, key field, valid data, model created)."""
    action = cast["action_id"]
    return [
        ("symposium", "admin", "/symposia/new", "/symposia/new", "idempotency_key", {
            "title_es": "Simposio de San Salvador", "start_date": "2026-03-02", "end_date": "2026-03-03",
            "city": "San Salvador", "country_iso3": "SLV", "timezone": "America/El_Salvador", "previous_id": ""},
         Symposium),
        ("organisation", "admin", "/admin/organisations/new", "/admin/organisations/new", "idempotency_key", {
            "name": "Ministerio de Trabajo", "kind": "ministry", "country_iso3": "GTM"}, Organisation),
        ("programme item", "admin", "/symposia/tegucigalpa/programme", "/symposia/tegucigalpa/programme",
         "idempotency_key", {"day": "2026-03-02", "starts_at": "09:00", "title_es": "Apertura"}, AgendaItem),
        ("milestone", "editor", f"/actions/{action}/plan", f"/actions/{action}/milestones", "milestone-idempotency_key",
         {"milestone-title_es": "Primer taller", "milestone-due_date": "2026-05-01"}, Milestone),
        ("context figure", "iom_editor", "/countries/HND/figures/new", "/countries/HND/figures/new",
         "idempotency_key", {"label_es": "Retornados", "label_en": "Returnees", "value": "95,250",
                             "period": "2014 – 2016", "source": "CENISS"}, ContextFigure),
    ]


def rows(app, model) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def prepared(app, cast, name):
    form_name, who, page, url, key_field, data, model = next(f for f in create_forms(cast) if f[0] == name)
    client = browser(app, cast[who])
    key = hidden(client.text(page), key_field)
    assert len(key) == 32, f"{name}: the form carries no idempotency key"
    return client, url, {**data, key_field: key}, model


NAMES = [form[0] for form in create_forms({"action_id": 0})]


@pytest.mark.parametrize("name", NAMES)
def test_a_create_form_sent_twice_makes_one_row_and_both_get_the_same_answer(app, cast, name):
    client, url, form, model = prepared(app, cast, name)
    before = rows(app, model)
    first, second = post(client, url, form), post(client, url, form)
    assert first.status_code == second.status_code == 303, name
    assert first.headers["Location"] == second.headers["Location"]
    assert rows(app, model) == before + 1


@pytest.mark.parametrize("name", NAMES)
def test_the_second_of_two_racing_submissions_finds_the_first_after_the_unique_key_refuses_it(
        app, cast, name, monkeypatch):
    client, url, form, model = prepared(app, cast, name)
    before = rows(app, model)
    first = post(client, url, form)
    real = portal.core.locking.find_by_key
    calls = []

    def too_early(model_, key):
        # The check runs before the other request has committed: it finds nothing the first time.
        calls.append(key)
        return None if len(calls) == 1 else real(model_, key)

    monkeypatch.setattr(portal.core.locking, "find_by_key", too_early)
    second = post(client, url, form)
    assert len(calls) == 2, "the insert was not refused by the unique key"
    assert first.status_code == second.status_code == 303, name
    assert first.headers["Location"] == second.headers["Location"]
    assert rows(app, model) == before + 1


@pytest.mark.parametrize("name", ["symposium", "organisation", "milestone"])
def test_a_create_form_sent_twice_at_the_same_moment_makes_one_row(app, cast, name):
    client, url, form, model = prepared(app, cast, name)
    csrf = token(client)
    # A second connection of the same browser session (a double click sends both at once).
    other = Browser(app)
    name_ = app.config["SESSION_COOKIE_NAME"]
    other.client.set_cookie(name_, client.client.get_cookie(name_).value)
    before = rows(app, model)
    start = threading.Barrier(2)
    answers = [None, None]

    def send(index, who):
        start.wait()
        answers[index] = post(who, url, form, csrf=csrf)

    threads = [threading.Thread(target=send, args=(i, who)) for i, who in enumerate((client, other))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert [answer.status_code for answer in answers] == [303, 303], name
    assert answers[0].headers["Location"] == answers[1].headers["Location"]
    assert rows(app, model) == before + 1


def test_an_on_off_button_pressed_twice_asks_for_the_same_state_twice(app, cast, factory):
    """Found by the fuzz suite: the buttons toggled, so "Disable" sent twice enabled the account again."""
    from portal.accounts.models import User

    member = factory.user(email="member@sreci.example")
    client = browser(app, cast["admin"])
    page = client.text("/admin/people/")
    assert f'action="/admin/people/{member.id}/enabled"' in page and 'name="to" value="0"' in page
    for _ in range(2):
        assert post(client, f"/admin/people/{member.id}/enabled", {"to": "0"}).status_code == 303
    with app.app_context():
        assert db.session.get(User, member.id).is_enabled is False
    assert post(client, f"/admin/people/{member.id}/enabled", {"to": "1"}).status_code == 303
    with app.app_context():
        assert db.session.get(User, member.id).is_enabled is True
