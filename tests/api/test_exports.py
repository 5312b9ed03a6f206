"""CSV and XLSX exports of the commitment and joint-action lists and of the follow-up board: the reader's
items only, the page's filters, an HXL hashtag row that libhxl reads, and no formula smuggled in."""

import io

import hxl
import openpyxl
import pytest
from hxl.input import InputOptions

from tests.api.conftest import VISIBILITIES
from tests.commitments.support import browser

SEES = {None: {"public"}, "other_editor": {"public", "partners"}, "owner_editor": set(VISIBILITIES)}
EXPORTS = {"commitments": "/commitments", "actions": "/actions"}
SCHEMA = [
    ["#valid_tag", "#valid_severity", "#valid_required+min", "#valid_value+regex", "#valid_unique"],
    ["#activity+id", "error", "1", "^[0-9]+$", "true"],
    ["#country+code+v_iso3", "error", "1", "^[A-Z]{3}(; [A-Z]{3})*$", ""],
    ["#status+code", "error", "1", "^(planned|in_progress|completed|stalled|cancelled)$", ""],
    ["#meta+url", "error", "1", "^http://localhost/", ""],
]


def read_hxl(data: bytes):
    return hxl.data(io.BytesIO(data), InputOptions(allow_local=True))


def read_xlsx(data: bytes):
    return openpyxl.load_workbook(io.BytesIO(data)).active


def reader(app, world, who):
    return browser(app, world[who]) if who else app.test_client()


@pytest.mark.parametrize("who", SEES)
@pytest.mark.parametrize("kind", EXPORTS)
def test_exports_hold_exactly_what_the_reader_may_see(app, world, who, kind):
    client = reader(app, world, who)
    expected = {world[kind][v] for v in SEES[who]}
    csv = client.get(EXPORTS[kind] + ".csv")
    assert csv.status_code == 200 and csv.mimetype == "text/csv" and csv.data.startswith(b"\xef\xbb\xbf")
    dataset = read_hxl(csv.data)
    assert {int(row.get("#activity+id")) for row in dataset} == expected
    errors = []
    assert hxl.schema(hxl.data(SCHEMA), callback=errors.append).validate(read_hxl(csv.data)), errors
    sheet = read_xlsx(client.get(EXPORTS[kind] + ".xlsx").data)
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1][0] == "#activity+id" and sheet.freeze_panes == "A3"
    assert {row[0] for row in rows[2:]} == expected


def test_exports_take_the_list_pages_filters(app, world, factory):
    factory.commitment(world["other"], "public", author=world["other_editor"], title="Guatemala")
    client = app.test_client()
    dataset = read_hxl(client.get("/commitments.csv?country=GTM").data)
    assert [row.get("#activity+name") for row in dataset] == ["Guatemala"]
    assert [row.get("#country+code") for row in read_hxl(client.get("/commitments.csv?country=GTM").data)] == ["GTM"]
    sheet = read_xlsx(client.get("/commitments.xlsx?status=completed").data)
    assert sheet.max_row == 2  # the two header rows and nothing else


def test_text_a_spreadsheet_would_run_is_neutralised(app, world, factory):
    title = '=HYPERLINK("http://attacker.example","x")'
    commitment = factory.commitment(world["owner"], "public", author=world["owner_editor"], title=title)
    client = app.test_client()
    csv_text = client.get("/commitments.csv").data.decode("utf-8-sig")
    assert "'=HYPERLINK" in csv_text and ',=HYPERLINK' not in csv_text and ',"=HYPERLINK' not in csv_text
    sheet = read_xlsx(client.get("/commitments.xlsx").data)
    cell = next(row[1] for row in sheet.iter_rows(min_row=3) if row[0].value == commitment.id)
    assert cell.data_type == "s" and cell.value == title  # kept as text, exactly as typed


def test_headers_follow_the_language_and_hashtags_do_not(app, world):
    english = browser(app, None, language="en")
    spanish = browser(app, None, language="es")
    assert read_xlsx(english.get("/commitments.xlsx").data)["B1"].value == "Title in Spanish"
    assert read_xlsx(spanish.get("/commitments.xlsx").data)["B1"].value == "Título en español"
    assert read_xlsx(spanish.get("/commitments.xlsx").data)["C1"].value == "Título en inglés"
    assert read_hxl(spanish.get("/commitments.csv").data).display_tags[:3] == [
        "#activity+id", "#activity+name+i_es", "#activity+name+i_en"]


def test_the_board_exports_xlsx_beside_its_csv_for_follow_up_staff_only(app, world, factory):
    iom = factory.organisation(kind="iom_office", slug="oim")
    staff = factory.user(iom, role="editor", email="editor@oim.example")
    client = browser(app, staff)
    sheet = read_xlsx(client.get("/followup.xlsx").data)
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1][:3] == ("#country+code+v_iso3", "#country+name", "#org+name")
    assert "Cancillería de Honduras" in {row[2] for row in rows[2:]}
    assert list(read_hxl(client.get("/followup.csv").data))
    assert browser(app, world["owner_editor"]).get("/followup.xlsx").status_code == 403
    assert app.test_client().get("/followup.xlsx").status_code == 302
