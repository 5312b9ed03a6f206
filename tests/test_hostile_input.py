"""Reproductions of the server errors and silent acceptances a black-box fuzzer found (issue 21).

Each answered 500 on one database or the other, or stored something the person did not type; each
must now be refused (or read as absent) alike on SQLite and PostgreSQL, and change nothing.
"""

import re
from decimal import Decimal

import pytest
from sqlalchemy import func, inspect, select, table

from portal.commitments.models import Commitment
from portal.progress.models import ProgressUpdate
from portal.extensions import db
from portal.joint_actions.models import JointAction
from tests.commitments.support import browser, hidden, post

HUGE = "9223372036854775808"  # 2**63: one past BIGINT
LISTS = ["/commitments/", "/actions/", "/symposia/", "/minutes/", "/admin/people/", "/followup"]


@pytest.fixture
def cast(factory):
    ministry = factory.organisation(slug="sreci", name="Cancillería de Honduras")
    iom = factory.organisation(kind="iom_office", slug="oim", name="OIM Honduras")
    return {
        "ministry": ministry,
        "editor": factory.user(ministry, role="editor", email="editor@sreci.example"),
        "iom_editor": factory.user(iom, role="editor", email="editor@oim.example"),
        "admin": factory.admin(email="root@portal.example"),
    }


def counts(app) -> dict[str, int]:
    """Rows in every table but the throttle's (a refused sign-in is counted there on purpose)."""
    with app.app_context():
        names = [name for name in inspect(db.engine).get_table_names() if name != "failed_logins"]
        result = {name: db.session.scalar(select(func.count()).select_from(table(name))) for name in names}
        db.session.rollback()
    return result


#: FTS5 and tsquery syntax, as a person might type it or an attacker send it to the search box.
SEARCH_SYNTAX = ['"', '"Compromiso', 'visible"', '""""', "*", "visible*", "-visible", "NEAR(compromiso visible)",
                 "compromiso NEAR visible", "OR", "AND NOT", "title_es:visible", "visible:*", ":", "visible:A",
                 "(visible", ")(", "compromiso & visible", "!visible", "|", "<->", "compromiso <-> visible",
                 "'", "\\", "^", "{visible}", "visible;--", "\u200b", "\u00a0", "a" * 100, "x " * 50]


@pytest.mark.parametrize("q", SEARCH_SYNTAX)
def test_search_syntax_typed_into_the_box_is_searched_as_text_never_an_error(app, cast, factory, q):
    from urllib.parse import quote

    made = factory.commitment(cast["ministry"], "public", author=cast["editor"], title="Compromiso visible")
    client = browser(app)
    page = client.get(f"/commitments/?q={quote(q)}")
    assert page.status_code == 200, q
    # What is left of a query once punctuation separates the words is searched as words.
    words = set(re.findall(r"[^\W_]+", q.lower()))
    if words and words <= {"compromiso", "visible"}:
        assert f'href="/commitments/{made.id}"' in page.get_data(as_text=True), q
    for url in (f"/api/v1/commitments?q={quote(q)}", f"/commitments.csv?q={quote(q)}"):
        assert client.get(url).status_code == 200, (url, q)


@pytest.mark.parametrize("url", LISTS)
@pytest.mark.parametrize("page", [HUGE, "1" * 400, "-1", "٣", "²", "0x10", "1e9"])
def test_a_page_number_the_database_cannot_hold_gives_a_page_not_an_error(app, cast, factory, url, page):
    factory.commitment(cast["ministry"], author=cast["editor"], title="Compromiso visible")
    client = browser(app, cast["admin"])
    response = client.get(f"{url}?page={page}")
    assert response.status_code == 200, (url, page)


def test_a_far_page_is_empty_and_the_first_page_still_lists(app, cast, factory):
    factory.commitment(cast["ministry"], author=cast["editor"], title="Compromiso visible")
    client = browser(app, cast["admin"])
    assert "Compromiso visible" not in client.text(f"/commitments/?page={HUGE}")
    assert "Compromiso visible" in client.text("/commitments/?page=٣")  # not a number: the first page


@pytest.mark.parametrize("query", [
    "/admin/people/?organisation=1000000000000000000000000000000",
    "/admin/people/?organisation=٣", "/admin/people/?organisation=²",
    f"/commitments/?organisation={HUGE}&symposium={HUGE}&theme=²", f"/actions/?organisation={HUGE}&theme=²",
    f"/minutes/?symposium={HUGE}", "/symposia/?year=²²²²", f"/followup?symposium={HUGE}&theme=²",
])
def test_an_id_the_database_cannot_hold_is_ignored_in_filters(app, cast, query):
    client = browser(app, cast["admin"] if "followup" not in query else cast["iom_editor"])
    assert client.get(query).status_code == 200


@pytest.mark.parametrize("field", ["indicator_target", "indicator_baseline"])
@pytest.mark.parametrize("value", ["NaN", "-Infinity", "sNaN", "1e-400", "1e3", "١٢٣", "123456789012345", "0.001"])
def test_an_indicator_the_column_cannot_keep_is_refused_on_edit(app, cast, factory, field, value):
    commitment = factory.commitment(cast["ministry"], author=cast["editor"], indicator_unit="guías",
                                    indicator_baseline=Decimal(10), indicator_target=Decimal(100))
    client = browser(app, cast["editor"])
    url = f"/commitments/{commitment.id}/edit"
    page = client.text(url)
    before = counts(app)
    form = {"title_es": commitment.title, "symposium_id": "", "visibility": "public", "indicator_unit": "guías",
            "indicator_baseline": "10", "indicator_target": "100", "version": hidden(page, "version"), field: value}
    response = post(client, url, form)
    assert response.status_code == 200, value
    assert 'class="field-error"' in response.get_data(as_text=True)
    assert counts(app) == before
    with app.app_context():
        saved = db.session.get(Commitment, commitment.id)
        assert (saved.indicator_baseline, saved.indicator_target, saved.version) == (10, 100, commitment.version)


def test_an_indicator_of_arabic_indic_digits_is_refused_in_spanish(app, cast, factory):
    commitment = factory.commitment(cast["ministry"], author=cast["editor"], indicator_unit="guías")
    client = browser(app, cast["editor"], language="es")
    url = f"/commitments/{commitment.id}/updates/new"
    response = post(client, url, {"reported_on": "2026-01-05", "status": "in_progress", "note": "Avance.",
                                  "indicator_value": "٣٠", "idempotency_key": hidden(client.text(url), "idempotency_key")})
    assert response.status_code == 200
    assert "Ingrese un número, por ejemplo 95250 o 12.5." in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(ProgressUpdate)) == 0


def test_an_exact_indicator_reads_back_the_same(app, cast, factory):
    commitment = factory.commitment(cast["ministry"], author=cast["editor"], indicator_unit="guías")
    client = browser(app, cast["editor"])
    url = f"/commitments/{commitment.id}/edit"
    page = client.text(url)
    response = post(client, url, {"title_es": commitment.title, "symposium_id": "", "visibility": "public",
                                  "indicator_unit": "guías", "indicator_baseline": "0.50",
                                  "indicator_target": "12,345,678,901,234.99", "version": hidden(page, "version")})
    assert response.status_code == 303
    with app.app_context():
        saved = db.session.get(Commitment, commitment.id)
        assert (saved.indicator_baseline, saved.indicator_target) == (Decimal("0.5"), Decimal("12345678901234.99"))


@pytest.mark.parametrize("key", ["abc\x00def", "\x00", "key\x1bwith-escape", "bidi\u202eoverride"])
def test_a_control_character_in_an_idempotency_key_is_refused_and_stores_nothing(app, cast, factory, key):
    commitment = factory.commitment(cast["ministry"], author=cast["editor"])
    client = browser(app, cast["editor"])
    before = counts(app)
    forms = [
        ("/commitments/new", {"title_es": "Mesa intersectorial", "visibility": "partners", "symposium_id": ""}),
        ("/actions/new", {"title_es": "Retorno digno", "visibility": "partners", "symposium_id": "",
                          "source_minutes_id": "", "start_date": "2026-01-05"}),
        (f"/commitments/{commitment.id}/updates/new", {"reported_on": "2026-01-05", "status": "in_progress",
                                                        "note": "Avance."}),
    ]
    for url, form in forms:
        response = post(client, url, {**form, "idempotency_key": key})
        assert response.status_code == 200, url
        assert "characters that are not allowed" in response.get_data(as_text=True), url
    assert counts(app) == before
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(JointAction)) == 0


def test_a_new_password_with_a_nul_byte_is_refused(app, cast):
    from tests.factories import PASSWORD

    client = browser(app, cast["editor"])
    response = post(client, "/account/password", {"current_password": PASSWORD, "new_password": "a long\x00 phrase 77",
                                                   "confirm_password": "a long\x00 phrase 77"})
    assert response.status_code == 200
    assert "characters that are not allowed" in response.get_data(as_text=True)
    client.logout()
    assert client.login(cast["editor"].email, PASSWORD).status_code == 302


def test_a_button_whose_save_meets_a_concurrent_change_answers_409_not_500(app, cast, factory, monkeypatch):
    """Found by the fuzz suite on PostgreSQL: "disable account" pressed twice at once raised StaleDataError."""
    from sqlalchemy import update as sql_update

    from portal.accounts import service as accounts
    from portal.accounts.models import User

    member = factory.user(cast["ministry"], email="member@sreci.example")
    client = browser(app, cast["admin"])
    csrf = client.text("/admin/people/")
    real = accounts.set_enabled

    def meanwhile(actor, user, enabled):
        # The other request saves the same account between this one's read and its write.
        db.session.execute(sql_update(User).where(User.id == user.id).values(version=User.version + 1)
                           .execution_options(synchronize_session=False))
        real(actor, user, enabled)

    monkeypatch.setattr(accounts, "set_enabled", meanwhile)
    from tests.helpers import csrf_from

    response = client.post(f"/admin/people/{member.id}/enabled", data={"csrf_token": csrf_from(csrf)})
    assert response.status_code == 409
    assert "Someone else changed this record at the same moment" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(User, member.id).is_enabled
