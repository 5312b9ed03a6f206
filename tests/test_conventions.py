"""Conventions every endpoint must follow, checked over the whole URL map.

A new route that is neither marked public nor protected, that writes to the database on a
GET, or that accepts a POST without a CSRF token, fails here before it can ship.
"""

import re
from pathlib import Path

import pytest
from sqlalchemy import event

from portal.extensions import db
from tests.factories import PASSWORD
from tests.helpers import Browser

#: Sample values for URL parameters, by parameter name; new parameter names must be added here.
SAMPLE_VALUES = {
    "slug": lambda data: data["organisation"].slug,
    "symposium_slug": lambda data: data["symposium"].slug,
    "item_id": lambda data: data["agenda_item"].id,
    "organisation_id": lambda data: data["organisation"].id,
    "user_id": lambda data: data["member"].id,
    "code": lambda data: "HND",
    "token": lambda data: "not-a-real-token",
    "filename": lambda data: "css/portal.css",
    "commitment_id": lambda data: data["commitment"].id,
    "update_id": lambda data: data["update"].id,
    "minutes_id": lambda data: data["minutes"].id,
    "action_item_id": lambda data: data["action_item"].id,
    "revision_number": lambda data: 1,
    "attachment_id": lambda data: 1,
    "action_id": lambda data: data["joint_action"].id,
    "party_id": lambda data: data["joint_action"].parties[0].id,
    "entry_id": lambda data: data["joint_action"].countries[0].id,
    "milestone_id": lambda data: data["joint_action"].milestones[0].id,
    "other_code": lambda data: "MEX",
    "figure_id": lambda data: 1,
    "framework": lambda data: "gcm",
    "proposal_id": lambda data: 1,
    "token_id": lambda data: 1,
}
#: GET endpoints whose write is a probe that is always rolled back (the readiness check's write probe).
ROLLED_BACK_WRITE_PROBES = {"core.ready"}
WRITE_STATEMENT = re.compile(r"^\s*(INSERT|UPDATE|DELETE|REPLACE|CREATE|DROP|ALTER)\b", re.IGNORECASE)


def rules(app):
    return [rule for rule in app.url_map.iter_rules()]


def test_every_endpoint_is_classified_public_or_protected(app):
    unclassified = []
    for rule in rules(app):
        if rule.endpoint == "static":
            continue
        view = app.view_functions[rule.endpoint]
        if getattr(view, "access", None) not in ("public", "protected"):
            unclassified.append(rule.endpoint)
    assert not unclassified, f"mark these views @public or @login_required: {unclassified}"


def test_protected_endpoints_send_anonymous_visitors_to_sign_in(app, factory):
    data = sample_data(factory)
    client = app.test_client()
    for rule in rules(app):
        view = app.view_functions[rule.endpoint]
        if getattr(view, "access", None) != "protected":
            continue
        url = build(app, rule, data)
        method = "GET" if "GET" in rule.methods else "POST"
        response = client.open(url, method=method)
        if method == "GET":
            assert response.status_code == 302 and "/account/login" in response.headers["Location"], url
        else:
            # The CSRF check runs first; without a token nothing reaches the view either way.
            assert response.status_code in (302, 400), url


def sample_data(factory):
    organisation = factory.organisation()
    member = factory.user(organisation, role="editor")
    admin = factory.admin(email="root@portal.example")
    commitment = factory.commitment(organisation, author=member)
    update = factory.update(commitment, member)
    symposium, agenda_item = add_symposium(factory.app, organisation)
    minutes, action_item = add_minutes(factory.app, member)
    return {"organisation": organisation, "member": member, "admin": admin, "commitment": commitment,
            "update": update, "symposium": symposium, "agenda_item": agenda_item, "minutes": minutes,
            "action_item": action_item, "joint_action": add_joint_action(factory.app, member)}


def add_joint_action(app, lead):
    """Add a public joint action led by ``lead``'s organisation with a country and a milestone; return it, detached."""
    from portal.accounts.models import User
    from portal.joint_actions import service

    with app.app_context():
        actor = db.session.get(User, lead.id)
        action = service.create_action(actor, {"title_es": "Sample joint action", "visibility": "public"})
        service.add_country(actor, action, "HND", "origin")
        service.add_milestone(actor, action, {"title_es": "First step"})
        db.session.commit()
        for collection in (action.parties, action.countries, action.milestones):
            assert collection
        db.session.expunge_all()
        return action


def add_minutes(app, author):
    """Add approved minutes of ``author``'s organisation with one action item; return both, detached."""
    from datetime import date

    from portal.accounts.models import User
    from portal.minutes import service

    with app.app_context():
        actor = db.session.get(User, author.id)
        minutes = service.create_minutes(actor, {
            "title": "Sample minutes", "symposium_id": None, "meeting_date": date(2026, 3, 10), "place": "Tegucigalpa",
            "is_virtual": False, "attendees": [], "visibility": "partners", "body": "Text.", "decisions": ""})
        item = service.add_action_item(actor, minutes, {"description_es": "Do it.", "due_date": None,
                                                        "responsible_organisation_id": actor.organisation_id})
        service.circulate(actor, minutes)
        service.approve(actor, minutes)
        db.session.commit()
        db.session.refresh(minutes)
        db.session.refresh(item)
        db.session.expunge_all()
        return minutes, item


def add_symposium(app, organiser):
    """Add a symposium organised by ``organiser`` with one programme item; return both, detached."""
    from datetime import date, time

    from portal.symposia.models import AgendaItem, Symposium, SymposiumParticipant

    with app.app_context():
        symposium = Symposium(slug="sample-symposium", title_es="Sample symposium", start_date=date(2026, 3, 10),
                              end_date=date(2026, 3, 11), city="Tegucigalpa", country_iso3="HND")
        symposium.participants.append(SymposiumParticipant(organisation_id=organiser.id, is_organiser=True))
        item = AgendaItem(day=date(2026, 3, 10), starts_at=time(9, 0), title_es="Opening")
        symposium.agenda.append(item)
        db.session.add(symposium)
        db.session.commit()
        db.session.refresh(symposium)
        db.session.refresh(item)
        db.session.expunge_all()
        return symposium, item


def build(app, rule, data) -> str:
    def sample(arg):
        # A slug names a symposium in the symposia routes and an organisation elsewhere.
        if arg == "slug" and "symposi" in rule.endpoint:
            return SAMPLE_VALUES["symposium_slug"](data)
        return SAMPLE_VALUES[arg](data)

    missing = [arg for arg in rule.arguments if arg not in SAMPLE_VALUES]
    assert not missing, f"add sample values for {missing} ({rule.rule}) to SAMPLE_VALUES"
    values = {arg: sample(arg) for arg in rule.arguments}
    with app.test_request_context():
        from flask import url_for

        return url_for(rule.endpoint, **values)


@pytest.fixture
def signed_in_admin(app, factory):
    data = sample_data(factory)
    browser = Browser(app)
    assert browser.login(data["admin"].email, PASSWORD).status_code == 302
    return browser, data


def test_no_get_request_writes_to_the_database(app, signed_in_admin):
    browser, data = signed_in_admin
    writes = []

    def watch(conn, cursor, statement, parameters, context, executemany):
        if WRITE_STATEMENT.match(statement):
            writes.append(statement.split("(")[0][:60])

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", watch)
    try:
        for rule in rules(app):
            if "GET" not in rule.methods:
                continue
            url = build(app, rule, data)
            for client in (browser.client, app.test_client()):
                writes.clear()
                response = client.get(url)
                response.close()
                assert response.status_code < 500, url
                if rule.endpoint in ROLLED_BACK_WRITE_PROBES:
                    assert writes == ["UPDATE alembic_version SET version_num = version_num"], writes
                    continue
                assert not writes, f"GET {url} wrote: {writes}"
    finally:
        event.remove(engine, "before_cursor_execute", watch)


def test_every_post_endpoint_refuses_a_request_without_csrf_token(app, signed_in_admin):
    browser, data = signed_in_admin
    posts = [rule for rule in rules(app) if "POST" in rule.methods]
    assert posts
    for rule in posts:
        url = build(app, rule, data)
        assert browser.client.post(url, data={}).status_code == 400, url
        foreign = Browser(app).token("/account/login")
        assert browser.client.post(url, data={"csrf_token": foreign}).status_code == 400, url


def test_post_only_endpoints_answer_get_with_405(app, signed_in_admin):
    browser, data = signed_in_admin
    post_only = [rule for rule in rules(app) if "POST" in rule.methods and "GET" not in rule.methods]
    assert post_only
    for rule in post_only:
        assert browser.client.get(build(app, rule, data)).status_code == 405, rule.rule


def test_templates_never_mark_user_text_as_safe():
    offenders = []
    for path in Path("templates").rglob("*.html"):
        for number, line in enumerate(path.read_text().splitlines(), 1):
            if re.search(r"\|\s*safe\b|Markup\(", line):
                offenders.append(f"{path}:{number}")
    # render_markdown() is the one place allowed to build Markup, after sanitising.
    markdown_renderer = Path("portal/core/markdown.py")
    for path in Path("portal").rglob("*.py"):
        text = path.read_text()
        if "render_template_string" in text or (re.search(r"\bMarkup\(", text) and path != markdown_renderer):
            offenders.append(str(path))
    assert not offenders, offenders


def test_every_template_compiles(app):
    for path in Path("templates").rglob("*.html"):
        app.jinja_env.get_template(str(path.relative_to("templates")))
