"""send-reminders: each user's digest, in their language, through a real SMTP server, once per period."""

import email
import re
import socket
from datetime import timedelta
from email import policy

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import select

from portal.accounts.models import User
from portal.extensions import db
from portal.followup.models import ReminderSent
from portal.followup.reminders import period_of, send_reminders
from tests.commitments.support import browser, post
from tests.followup.dashboard_support import Scene
from tests.helpers import translated

BASE = "http://portal.example:8080"
LINK = re.compile(re.escape(BASE) + r"(/[^\s#]*)")


class Inbox:
    """An aiosmtpd handler keeping every message it receives."""

    def __init__(self):
        self.messages: list[email.message.EmailMessage] = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(email.message_from_bytes(envelope.content, policy=policy.default))
        return "250 Message accepted"

    def to(self, address: str) -> list:
        return [m for m in self.messages if m["To"] == address]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp():
    """A real SMTP server on 127.0.0.1 for the duration of one test."""
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        yield controller.port, inbox
    finally:
        controller.stop()


@pytest.fixture
def app(make_app, smtp):
    return make_app(MAIL_SERVER="127.0.0.1", MAIL_PORT=smtp[0], MAIL_FROM="seguimiento@portal.example",
                    BASE_URL=BASE)


@pytest.fixture
def inbox(smtp):
    return smtp[1]


def quiet_scene(app, factory) -> Scene:
    """The scene, with its own people left out of the mailing unless a test says otherwise."""
    scene = Scene(app, factory)
    for user in (scene.editor, scene.viewer, scene.other_editor, scene.iom_editor):
        factory.change(user, digest_frequency="never")
    return scene


@pytest.fixture
def scene(app, factory):
    return quiet_scene(app, factory)


def run(app, today=None, force_weekly=False):
    with app.app_context():
        return send_reminders(today=today, force_weekly=force_weekly)


def body(message) -> str:
    return message.get_content()


def sent_rows(app, user) -> list[tuple[str, str]]:
    with app.app_context():
        return sorted(db.session.execute(select(ReminderSent.period, ReminderSent.item_key)
                                         .where(ReminderSent.user_id == user.id)).all())


def test_each_user_gets_the_digest_in_their_language_with_links_that_work(app, scene, factory, inbox):
    s = scene
    spanish = factory.user(s.ours, role="editor", email="punto.focal@sreci.example", digest_frequency="daily")
    english = factory.user(s.ours, role="editor", email="focal.point@sreci.example", locale="en",
                           digest_frequency="daily")
    overdue = s.commitment(s.ours, "Protocolo de recepción", "parties", target=s.today - timedelta(days=4))
    s.commitment(s.ours, "Censo de retornados", "parties", target=s.today + timedelta(days=7))
    asked = s.commitment(s.ours, "Guía consular", "parties")
    s.request(asked, due=s.today + timedelta(days=3))
    s.minutes(s.iom, "Acta de la reunión de seguimiento", attendees=[s.ours])
    s.commitment(s.other, "Another ministry's item", "parties", target=s.today - timedelta(days=4))

    outcome = run(app)
    assert (outcome.users, outcome.items) == (2, 8)
    assert len(inbox.messages) == 2
    (es,), (en,) = inbox.to(spanish.email), inbox.to(english.email)
    assert es["Content-Language"] == "es" and en["Content-Language"] == "en"
    assert es["From"] == "seguimiento@portal.example"
    for message, language in ((es, "es"), (en, "en")):
        text = body(message)
        for heading in ("Overdue", "Update requests addressed to us", "Minutes waiting for our endorsement"):
            assert f"== {translated(app, heading, language)} ==" in text
        for title in ("Protocolo de recepción", "Censo de retornados", "Guía consular",
                      "Acta de la reunión de seguimiento"):
            assert title in text
        assert "Another ministry" not in text
        assert translated(app, "Your organisation's dashboard:", language) in text
    assert body(es).startswith("Estimada/o colega:") and body(en).startswith("Hello,")
    assert "Cancillería de Honduras" in es["Subject"] and "Foreign Ministry of Honduras" in en["Subject"]
    # Every link is absolute on BASE_URL, and opens for the signed-in recipient.
    paths = set(LINK.findall(body(en)))
    assert f"/commitments/{overdue.id}" in paths and "/dashboard" in paths and "/account/" in paths
    assert len(paths) >= 6
    reader = browser(app, english)
    for path in paths:
        assert reader.get(path).status_code == 200, path


def test_a_second_run_in_the_period_sends_nothing_and_a_new_item_goes_alone(app, scene, factory, inbox):
    s = scene
    user = factory.user(s.ours, role="editor", digest_frequency="daily")
    s.commitment(s.ours, "Primer compromiso vencido", target=s.today - timedelta(days=2))
    assert run(app).users == 1
    second = run(app)
    assert (second.users, second.items, second.empty) == (0, 0, 1)
    assert len(inbox.messages) == 1
    s.commitment(s.ours, "Segundo compromiso vencido", target=s.today - timedelta(days=1))
    assert run(app).items == 1
    assert len(inbox.messages) == 2
    latest = body(inbox.messages[-1])
    assert "Segundo compromiso vencido" in latest and "Primer compromiso vencido" not in latest
    day = s.today.isoformat()
    assert [period for period, _ in sent_rows(app, user)] == [day, day]


def test_weekly_digests_go_out_on_the_weekday_or_when_forced(app, scene, factory, inbox):
    s = scene
    user = factory.user(s.ours, role="editor", digest_frequency="weekly")
    s.commitment(s.ours, "Informe semanal pendiente", target=s.today - timedelta(days=30))
    monday = s.today - timedelta(days=s.today.weekday())
    tuesday = monday + timedelta(days=1)
    assert run(app, today=tuesday).users == 0 and not inbox.messages
    assert run(app, today=tuesday, force_weekly=True).users == 1
    # Monday of the same ISO week: already told this week.
    assert run(app, today=monday).users == 0
    assert run(app, today=monday + timedelta(days=7)).users == 1
    year, week, _ = monday.isocalendar()
    assert {period for period, _ in sent_rows(app, user)} == {f"{year}-W{week:02d}", period_of("weekly", monday + timedelta(days=7))}
    assert len(inbox.messages) == 2


def test_never_disabled_empty_and_organisation_less_accounts_get_nothing(app, scene, factory, inbox):
    s = scene
    factory.user(s.ours, role="editor", digest_frequency="never")
    factory.user(s.ours, role="editor", digest_frequency="daily", is_enabled=False)
    factory.admin(digest_frequency="daily")
    quiet = factory.organisation(slug="quiet")
    factory.user(quiet, role="editor", digest_frequency="daily")
    s.commitment(s.ours, "Vencido sin lectores", target=s.today - timedelta(days=2))
    outcome = run(app, force_weekly=True)
    assert (outcome.users, outcome.empty) == (0, 1)
    assert not inbox.messages
    with app.app_context():
        assert db.session.scalar(select(ReminderSent.id)) is None


def test_a_refused_send_is_not_recorded_and_is_tried_again(make_app, database_url, factory, smtp):
    closed = make_app(MAIL_SERVER="127.0.0.1", MAIL_PORT=free_port(), BASE_URL=BASE)
    s = quiet_scene(closed, factory)
    factory.change(s.editor, digest_frequency="daily")
    s.commitment(s.ours, "Vencido", target=s.today - timedelta(days=2))
    result = closed.test_cli_runner().invoke(args=["send-reminders"])
    assert result.exit_code == 1 and "0 user(s) mailed" in result.output and "1 failed" in result.output
    assert sent_rows(closed, s.editor) == []
    working = make_app(MAIL_SERVER="127.0.0.1", MAIL_PORT=smtp[0], BASE_URL=BASE)
    assert run(working).users == 1 and len(smtp[1].messages) == 1


def test_without_a_mail_server_the_digest_is_written_to_the_outbox(make_app, factory, tmp_path):
    app = make_app(BASE_URL=BASE)
    s = quiet_scene(app, factory)
    factory.change(s.viewer, digest_frequency="weekly", locale="en")
    s.commitment(s.ours, "Overdue report", target=s.today - timedelta(days=2))
    result = app.test_cli_runner().invoke(args=["send-reminders", "--force-weekly"])
    assert result.exit_code == 0, result.output
    assert "send-reminders: 1 user(s) mailed, 1 item(s)" in result.output
    files = list((tmp_path / "instance" / "outbox").glob("*.eml"))
    assert len(files) == 1
    message = email.message_from_bytes(files[0].read_bytes(), policy=policy.default)
    assert message["To"] == s.viewer.email and "Overdue report" in body(message)
    assert f"{BASE}/commitments/" in body(message)
    # Run again: nothing new, no second file.
    assert "0 user(s) mailed" in app.test_cli_runner().invoke(args=["send-reminders", "--force-weekly"]).output
    assert len(list((tmp_path / "instance" / "outbox").glob("*.eml"))) == 1


def test_period_keys():
    from datetime import date

    assert period_of("daily", date(2026, 11, 28)) == "2026-11-28"
    assert period_of("weekly", date(2026, 11, 28)) == "2026-W48"
    assert period_of("weekly", date(2027, 1, 1)) == "2026-W53"


def test_the_profile_sets_how_often_the_digest_comes(app, scene):
    client = browser(app, scene.editor)
    page = client.text("/account/")
    assert 'name="digest_frequency"' in page and 'selected value="never"' in page
    response = post(client, "/account/", {"locale": "", "digest_frequency": "daily"})
    assert response.status_code == 303
    refused = post(client, "/account/", {"locale": "en", "digest_frequency": "hourly"})
    assert refused.status_code == 200 and "Not a valid choice" in refused.get_data(as_text=True)
    with app.app_context():
        user = db.session.get(User, scene.editor.id)
        assert (user.digest_frequency, user.locale) == ("daily", None)
