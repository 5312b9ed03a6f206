"""The IOM follow-up board: who may read it, its figures against the data, its filters and sort, the CSV export
(safe in a spreadsheet), the update requests it shows, and a query count that does not grow with the data."""

import csv
import io
import re
from datetime import date, datetime, timedelta, timezone
from html import unescape

import pytest
from sqlalchemy import insert

from portal.followup.models import UpdateRequest
from tests.commitments.support import browser, is_login_redirect, listed, portal_today
from tests.helpers import budget, translated
from tests.joint_actions.support import Actions

ROW = re.compile(r'<tr id="organisation-(\d+)">(.*?)</tr>', re.S)
CELL = re.compile(r"<t[hd][^>]*>(.*?)</t[hd]>", re.S)
TAG = re.compile(r"<[^>]+>")


@pytest.fixture
def cast(factory):
    hnd = factory.organisation(slug="sreci", name="Cancillería de Honduras", name_en="Foreign Ministry of Honduras")
    gtm = factory.organisation(slug="minex", name="Cancillería de Guatemala", country="GTM",
                               name_en="Foreign Ministry of Guatemala")
    iom = factory.organisation(kind="iom_office", slug="oim", name="OIM Honduras", name_en="IOM Honduras")
    return {
        "hnd": hnd, "gtm": gtm, "iom": iom, "lead": hnd, "partner": gtm,
        "hnd_editor": factory.user(hnd, email="editor@sreci.example"),
        "lead_editor": factory.user(hnd, email="lead@sreci.example"),
        "hnd_admin": factory.user(hnd, role="org_admin", email="chief@sreci.example"),
        "gtm_editor": factory.user(gtm, email="editor@minex.example"),
        "partner_editor": factory.user(gtm, email="partner@minex.example"),
        "iom_editor": factory.user(iom, email="editor@oim.example"),
        "iom_admin": factory.user(iom, role="org_admin", email="chief@oim.example"),
        "iom_viewer": factory.user(iom, role="viewer", email="viewer@oim.example"),
        "site_admin": factory.admin(email="root@portal.example"),
    }


def board(page: str) -> dict[int, list[str]]:
    """The organisation rows of the board: {organisation id: [cell texts]}."""
    return {int(org_id): [" ".join(unescape(TAG.sub("", cell)).split()) for cell in CELL.findall(row)]
            for org_id, row in ROW.findall(page)}


def csv_rows(client, url="/followup.csv") -> list[dict]:
    response = client.get(url)
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.data.decode("utf-8-sig"))))
    assert rows[0]["Country code"] == "#country+code+v_iso3"  # the HXL hashtag row under the headers
    return rows[1:]


def make_world(app, factory, cast):
    """Honduras: 2 overdue (one of them renegotiated), 1 unreported, 1 questioned, 1 completed, 1 archived, 1 parties-only (5 open visible to
    IOM). Guatemala: 1 open commitment on time, reported today."""
    today = portal_today(app)
    symposium = factory.symposium(title="Simposio de Tegucigalpa")
    themes = factory.theme_ids()
    author = cast["hnd_editor"]
    made = {}
    made["late1"] = factory.commitment(cast["hnd"], "public", author=author, target_date=today - timedelta(days=5),
                                       symposium_id=symposium.id, themes=[themes["safe_return"]])
    made["late2"] = factory.commitment(cast["hnd"], "partners", author=author, target_date=today - timedelta(days=1))
    factory.change(made["late2"], is_renegotiated=True)
    made["silent"] = factory.commitment(cast["hnd"], "public", author=author, symposium_id=symposium.id)
    factory.change(made["silent"], created_at=datetime.now(timezone.utc) - timedelta(days=120))
    made["questioned"] = factory.commitment(cast["hnd"], "public", author=author, target_date=today + timedelta(days=30))
    update = factory.update(made["questioned"], author, reported_on=today - timedelta(days=2))
    factory.review(update, cast["iom_editor"], "questioned", "¿Dónde está la evidencia?")
    made["done"] = factory.commitment(cast["hnd"], "public", author=author, target_date=today - timedelta(days=9))
    factory.update(made["done"], author, status="completed", reported_on=today - timedelta(days=3))
    made["archived"] = factory.commitment(cast["hnd"], "public", author=author, target_date=today - timedelta(days=9))
    factory.change(made["archived"], is_archived=True)
    made["secret"] = factory.commitment(cast["hnd"], "parties", author=author, target_date=today - timedelta(days=9))
    made["gtm"] = factory.commitment(cast["gtm"], "public", author=cast["gtm_editor"], symposium_id=symposium.id,
                                     target_date=today + timedelta(days=60))
    factory.update(made["gtm"], cast["gtm_editor"], reported_on=today)
    return made, symposium, themes


@pytest.mark.parametrize("who", ["iom_editor", "iom_admin", "site_admin"])
def test_iom_follow_up_staff_and_site_admins_read_the_board(app, cast, who):
    client = browser(app, cast[who])
    page = client.text("/followup")
    assert "<h1>Follow-up board</h1>" in page
    assert 'href="/followup"' in page  # the menu link
    assert client.get("/followup.csv").status_code == 200


@pytest.mark.parametrize("who", ["iom_viewer", "hnd_editor", "hnd_admin"])
def test_everyone_else_is_refused(app, cast, who):
    client = browser(app, cast[who])
    assert client.get("/followup").status_code == 403
    assert client.get("/followup.csv").status_code == 403
    assert 'href="/followup"' not in client.text("/")


def test_signed_out_visitors_are_sent_to_sign_in(app, cast):
    client = browser(app)
    assert is_login_redirect(client.get("/followup")) and is_login_redirect(client.get("/followup.csv"))
    assert 'href="/followup"' not in client.text("/")


def test_board_figures_equal_the_data_and_drill_down_to_the_same_commitments(app, cast, factory):
    made, _, _ = make_world(app, factory, cast)
    client = browser(app, cast["iom_editor"])
    page = client.text("/followup")
    rows = board(page)
    # organisation · country, commitments, open, overdue, unreported, questioned, renegotiated, shares, last
    # update, requests
    assert rows[cast["hnd"].id][:7] == ["Foreign Ministry of Honduras · Honduras", "5", "4", "2", "1", "1", "1"]
    assert rows[cast["gtm"].id][:7] == ["Foreign Ministry of Guatemala · Guatemala", "1", "1", "0", "0", "0", "0"]
    assert cast["iom"].id not in rows
    # The worst first.
    assert list(rows) == [cast["hnd"].id, cast["gtm"].id]
    # Every linked figure leads to exactly the commitments it counts.
    for flag, expected in (("overdue", {made["late1"].id, made["late2"].id}), ("unreported", {made["silent"].id}),
                           ("questioned", {made["questioned"].id}), ("renegotiated", {made["late2"].id})):
        url = f"/commitments/?organisation={cast['hnd'].id}&amp;flag={flag}"
        assert f'href="{url}"' in page, flag
        assert set(listed(client.text(unescape(url)))) == expected, flag
    # The site admin also counts the parties-only commitment.
    admin_rows = board(browser(app, cast["site_admin"]).text("/followup"))
    assert admin_rows[cast["hnd"].id][1:4] == ["6", "5", "3"]
    # The CSV says the same.
    by_name = {row["Organisation"]: row for row in csv_rows(client)}
    hnd = by_name["Foreign Ministry of Honduras"]
    assert (hnd["Country code"], hnd["Commitments"], hnd["Open commitments"], hnd["Overdue"], hnd["Unreported for 90 days"],
            hnd["Questioned"], hnd["Renegotiated"]) == ("HND", "5", "4", "2", "1", "1", "1")
    assert by_name["Foreign Ministry of Guatemala"]["Last update"] == portal_today(app).isoformat()


def test_filters_by_country_symposium_and_theme(app, cast, factory):
    made, symposium, themes = make_world(app, factory, cast)
    client = browser(app, cast["iom_editor"])
    rows = board(client.text("/followup?country=GTM"))
    assert list(rows) == [cast["gtm"].id]
    rows = board(client.text(f"/followup?symposium={symposium.id}"))
    assert rows[cast["hnd"].id][1:6] == ["2", "2", "1", "1", "0"] and rows[cast["gtm"].id][1] == "1"
    rows = board(client.text(f"/followup?theme={themes['safe_return']}"))
    assert list(rows) == [cast["hnd"].id] and rows[cast["hnd"].id][1:4] == ["1", "1", "1"]
    page = client.text(f"/followup?symposium={symposium.id}&theme={themes['safe_return']}")
    assert f'href="/commitments/?symposium={symposium.id}&amp;theme={themes["safe_return"]}&amp;organisation=' in page
    assert {row["Organisation"] for row in csv_rows(client, "/followup.csv?country=GTM")} == {
        "Foreign Ministry of Guatemala"}
    # Unknown values are ignored, never an error.
    assert len(board(client.text("/followup?country=XX<&symposium=abc&theme=-1&sort=drop"))) == 2
    assert list(board(client.text("/followup?sort=name"))) == [cast["gtm"].id, cast["hnd"].id]


def test_joint_action_shares_are_counted_per_party(app, cast, factory):
    actions = Actions(app, cast)
    today = portal_today(app)
    action_id = actions.create("partners", end_date=today - timedelta(days=3))
    party_id = actions.propose(action_id, "partner")
    update_id = actions.report(party_id, "partner_editor", reported_on=today)
    rows = board(browser(app, cast["iom_editor"]).text("/followup"))
    assert rows[cast["gtm"].id][7] == "1 open, 1 late"
    from portal.progress.models import ProgressUpdate

    factory.review(ProgressUpdate(id=update_id), cast["iom_editor"], "questioned", "¿Y la lista de asistencia?")
    rows = board(browser(app, cast["iom_editor"]).text("/followup"))
    assert rows[cast["gtm"].id][7] == "1 open, 1 late, 1 questioned"
    assert rows[cast["hnd"].id][7] == "1 open, 1 late"


def test_csv_cells_that_a_spreadsheet_would_run_as_formulas_are_quoted(app, cast, factory):
    for n, name in enumerate(['=HYPERLINK("https://evil.example","x")', "+1+1", "-2+3", "@SUM(A1)", "\tTab"]):
        organisation = factory.organisation(slug=f"evil-{n}", name=name)
        factory.commitment(organisation, "public")
    names = {row["Organisation"] for row in csv_rows(browser(app, cast["iom_editor"]))}
    assert names == {"'=HYPERLINK(\"https://evil.example\",\"x\")", "'+1+1", "'-2+3", "'@SUM(A1)", "'\tTab"}


def test_recent_requests_show_open_answered_and_late(app, cast, factory):
    made, _, _ = make_world(app, factory, cast)
    today = portal_today(app)
    with app.app_context():
        from portal.extensions import db

        for commitment, due, message in ((made["late1"], today + timedelta(days=5), "open one"),
                                         (made["silent"], today - timedelta(days=2), "late one"),
                                         (made["gtm"], today + timedelta(days=5), "answered one")):
            db.session.add(UpdateRequest(commitment_id=commitment.id, organisation_id=commitment.organisation_id,
                                         requested_by_id=cast["iom_editor"].id, requesting_organisation_id=cast["iom"].id,
                                         message=message, due_date=due))
        db.session.commit()
    factory.update(made["gtm"], cast["gtm_editor"])
    for language in ("en", "es"):
        page = browser(app, cast["iom_editor"], language=language).text("/followup")
        section = page.split('id="recent-requests"')[1]
        for title, state in ((made["late1"].title, "Open"), (made["silent"].title, "Late"),
                             (made["gtm"].title, "Answered")):
            row = section.split(title)[1].split("</tr>")[0]
            assert f'>{translated(app, state, language)}</span>' in row, (language, title)
    rows = board(browser(app, cast["iom_editor"]).text("/followup"))
    assert rows[cast["hnd"].id][9] == "2 open, 1 late" and rows[cast["gtm"].id][9] == "—"
    spanish = browser(app, cast["iom_editor"], language="es").text("/followup")
    assert f"<h1>{translated(app, 'Follow-up board', 'es')}</h1>" in spanish


def add_data(factory, cast, organisations, number):
    """Spread ``number`` commitments (some overdue, some questioned) and a request each over the organisations."""
    today = date.today()
    per = number // len(organisations)
    ids = []
    for index, organisation in enumerate(organisations):
        author = cast["hnd_editor"]
        ids += factory.bulk_commitments(organisation, author, per, target_date=today - timedelta(days=index % 3),
                                        review_state="questioned" if index % 2 else "pending", status="in_progress")
    with factory.app.app_context():
        from portal.extensions import db

        db.session.execute(insert(UpdateRequest), [
            {"commitment_id": cid, "organisation_id": organisations[0].id, "requested_by_id": cast["iom_editor"].id,
             "requesting_organisation_id": cast["iom"].id, "message": "¿Novedades?", "due_date": today}
            for cid in ids[:: max(1, len(ids) // 40)]])
        db.session.commit()


def test_board_queries_do_not_grow_with_organisations_and_items(app, cast, factory):
    client = browser(app, cast["iom_editor"])
    urls = ["/followup", "/followup?country=HND&sort=silent", "/followup.csv"]
    add_data(factory, cast, [cast["hnd"], cast["gtm"]], 10)
    small = [budget(app, client, url) for url in urls]
    many = [factory.organisation(slug=f"bulk-org-{n}", country=("HND", "GTM", "SLV", "MEX")[n % 4])
            for n in range(48)]
    add_data(factory, cast, many + [cast["hnd"], cast["gtm"]], 500)
    assert len(board(client.text("/followup"))) == 50
    large = [budget(app, client, url) for url in urls]
    print("board queries with 10 items in 2 organisations and 510 in 50:", small, large)
    assert large == small


def test_demo_has_an_answered_and_an_open_request_from_the_iom_mission(app):
    from portal.demo.data import DEMO_PASSWORD
    from tests.helpers import Browser

    assert app.test_cli_runner().invoke(args=["demo"]).exit_code == 0
    iom = Browser(app)
    iom.client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    assert iom.login("oim-slv-gtm-hnd@portal-demo.example", DEMO_PASSWORD).status_code == 302
    section = iom.text("/followup").split('id="recent-requests"')[1]
    guide = section.split("Distribute the 64,000 copies")[1].split("</tr>")[0]
    table = section.split("Inter-agency coordination table")[1].split("</tr>")[0]
    assert ">Answered</span>" in guide and "Directorate-General for" in guide
    assert ">Open</span>" in table
