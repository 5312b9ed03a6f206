"""Files an import refuses: each with a clear message in the reader's language, nothing written, never a 500."""

import html
import io
import zipfile

import openpyxl
import pytest

from portal.commitments.models import Commitment
from tests.commitments.support import count
from tests.importing.support import browser, summary, to_csv, upload

HEADER = ["Title", "Target date"]


def _xlsx(rows) -> bytes:
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _bomb() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"<" + b" " * (40 * 1024 * 1024) + b"/>")
    return buffer.getvalue()


BAD = {
    "empty": (b"", "t.csv", "The file is empty.", "El archivo está vacío."),
    "not a table": (b"%PDF-1.7\n\x00\x01\x02binary", "t.pdf", "neither CSV nor XLSX", "ni CSV ni XLSX"),
    "renamed binary": (b"\x00\x01\x02\x03" * 100, "t.xlsx", "not an XLSX workbook", "no es un libro XLSX"),
    "zip bomb": (_bomb(), "t.xlsx", "unsafe size", "tamaño peligroso"),
    "too many rows": (to_csv([HEADER] + [[f"C {n}", ""] for n in range(5001)]), "t.csv", "more than 5000 rows",
                      "más de 5000 filas"),
    "too large": (b"Title\n" + b"x" * (64 * 1024), "t.csv", "larger than 60 KB", "mayor de 60 KB"),
    "too many columns": (to_csv([["Title"] + [f"c{n}" for n in range(80)], ["x"] * 81]), "t.csv",
                         "more than 60 columns", "más de 60 columnas"),
    "no header": (to_csv([["a", "b"], ["1", "2"]]), "t.csv", "No \"Title\"", "No se encontró"),
    "duplicate ids": (to_csv([["Id", "Version", "Title"], ["7", "1", "a"], ["7", "1", "b"]]), "t.csv",
                      "appears on rows 2 and 3", "aparece en las filas 2 y 3"),
    "broken encoding": (b"Title\n" + bytes(range(0x80, 0xA0)) * 40, "t.csv", "cannot be read", "no se puede leer"),
}


@pytest.mark.parametrize("case", BAD)
@pytest.mark.parametrize("language", ["en", "es"])
def test_a_bad_file_is_refused_with_its_reason_and_nothing_is_written(make_app, cast, case, language):
    # A smaller size limit than the 5 MB of production keeps the test's upload in memory.
    app = make_app(IMPORT_MAX_BYTES=60 * 1024)
    data, name, english, spanish = BAD[case]
    response = upload(browser(app, cast["owner_editor"], language), data, name)
    page = html.unescape(response.get_data(as_text=True))
    assert response.status_code == 422
    assert (english if language == "en" else spanish) in page
    assert count(app, Commitment) == 0


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252"])
def test_csv_in_the_usual_encodings_and_xlsx_read_the_same(app, cast, encoding):
    rows = [["Título", "Descripción"], ["Protección consular en México", "=SUM(A1:A9)"]]
    client = browser(app, cast["owner_editor"])
    for data, name in ((to_csv(rows, encoding), "c.csv"), (_xlsx(rows), "c.xlsx")):
        page = upload(client, data, name).get_data(as_text=True)
        assert "Protección consular en México" in page, name
        assert summary(page)["New"] == 1 and summary(page)["With errors"] == 0


def test_an_unknown_value_names_the_closest_known_ones(app, cast):
    rows = [["Title", "Status", "Themes"], ["A", "In progres", "consular protection"], ["B", "Planned", "Zzz"]]
    page = html.unescape(upload(browser(app, cast["owner_editor"]), to_csv(rows)).get_data(as_text=True))
    assert "Unknown status “In progres”. Did you mean “in_progress”" in page
    assert "Unknown theme “Zzz”." in page


def test_each_bad_value_names_its_column_and_reason_and_nothing_is_written(app, factory, cast):
    theirs = factory.commitment(cast["other"], author=cast["other_editor"], title="Ajeno", visibility="public")
    rows = [["Id", "Version", "Title", "Target date", "Target", "Status"],
            ["", "", "Fecha mala", "31-31-2026", "", ""],
            ["", "", "Número malo", "", "muchos", ""],
            ["", "", "", "", "", ""],
            ["99999", "1", "No existe", "", "", ""],
            [str(theirs.id), "1", "Ajeno cambiado", "", "", ""],
            ["", "", "Sin título no", "", "", "Terminado"]]
    rows[3] = ["", "", "", "2027-01-01", "", ""]
    client = browser(app, cast["owner_editor"])
    response = upload(client, to_csv(rows))
    page = html.unescape(response.get_data(as_text=True))
    assert summary(page)["With errors"] == 6
    for message in ("Target date: Give a date as YYYY-MM-DD", "Target: Give a number", "Title: A title is required, in Spanish, in English or in both.",
                    "Id: No commitment has this id.",
                    "Id: Only the editors of Ministerio de Relaciones Exteriores de Guatemala may change",
                    "Status: Unknown status “Terminado”"):
        assert message in page, message
    assert count(app, Commitment) == 1
    spanish = html.unescape(upload(browser(app, cast["owner_editor"], "es"), to_csv(rows)).get_data(as_text=True))
    assert "Fecha límite: Indique la fecha como AAAA-MM-DD" in spanish
    assert "No se reconoce «Terminado» como estado" in spanish
