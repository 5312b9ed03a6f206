"""Tables for download: CSV with an HXL hashtag row, and XLSX, both written row by row at constant memory.

Each export is a list of :class:`Column` (a header in the reader's language, an HXL hashtag, and how to read
the value) and an iterator of rows, usually :func:`in_batches` of the page's own query.

- CSV: UTF-8 with a BOM (spreadsheets then read accents right), the header row, then the HXL row that HXL
  tools (libhxl, HDX, the HXL Proxy) key on; streamed as it is written. Text a spreadsheet would run as a
  formula gets a quote in front (OWASP "CSV injection").
- XLSX: openpyxl's write-only mode (rows go to a temporary file as they come, so memory stays flat), the same
  two header rows, text stored as text (a leading "=" never becomes a formula), dates as dates.
"""

import csv
import io
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from flask import Response, stream_with_context
from flask_babel import lazy_gettext as _l
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from portal.core.translated import LANGUAGES, in_language
from portal.extensions import db

#: A spreadsheet reads a cell starting with one of these as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
BATCH = 500


@dataclass
class Column:
    header: Any
    hxl: str
    value: Callable[[Any], Any]
    width: int = 16


def safe_cell(value):
    """Return a CSV cell a spreadsheet shows as text: a leading formula character gets a quote before it."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _plain(value):
    if value is None:
        return ""
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return value


def in_batches(query, id_column, batch: int = BATCH) -> Iterator:
    """Yield the rows of ``query`` in id order, ``batch`` at a time, letting go of each batch once read."""
    last = None
    while True:
        page = query.order_by(None).order_by(id_column).limit(batch)
        if last is not None:
            page = page.where(id_column > last)
        rows = list(db.session.scalars(page).unique())
        yield from rows
        if len(rows) < batch:
            return
        last = rows[-1].id
        for row in rows:
            db.session.expunge(row)


def _attachment(filename: str) -> dict:
    return {"Content-Disposition": f'attachment; filename="{filename}"', "Cache-Control": "private, no-store"}


def csv_response(filename: str, columns: list[Column], rows: Iterable) -> Response:
    """Stream a CSV of ``rows``: header, HXL hashtags, then one line per row."""

    def generate():
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        buffer.write("\ufeff")
        writer.writerow([str(column.header) for column in columns])
        writer.writerow([column.hxl for column in columns])
        for count, row in enumerate(rows, 1):
            writer.writerow([safe_cell(_plain(column.value(row))) for column in columns])
            if count % 100 == 0:
                yield buffer.getvalue()
                buffer.seek(0)
                buffer.truncate()
        yield buffer.getvalue()

    return Response(stream_with_context(generate()), mimetype="text/csv", headers=_attachment(filename))


def _cell(sheet, value, bold: bool = False):
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str):
        cell.data_type = "s"  # text stays text, even when it starts with "="
    elif isinstance(value, datetime):
        cell.value = value.replace(tzinfo=None)
        cell.number_format = "yyyy-mm-dd hh:mm"
    elif isinstance(value, date):
        cell.number_format = "yyyy-mm-dd"
    if bold:
        cell.font = Font(bold=True)
    return cell


def xlsx_response(filename: str, title: str, columns: list[Column], rows: Iterable, language: str) -> Response:
    """Write an XLSX of ``rows`` in write-only mode to a temporary file, then stream that file."""
    book = Workbook(write_only=True)
    book.properties.language = language
    book.properties.title = title
    sheet = book.create_sheet(title=title[:31])
    for index, column in enumerate(columns, 1):
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    sheet.freeze_panes = "A3"
    sheet.append([_cell(sheet, str(column.header), bold=True) for column in columns])
    sheet.append([_cell(sheet, column.hxl) for column in columns])
    count = 0
    for count, row in enumerate(rows, 1):
        sheet.append([_cell(sheet, column.value(row)) for column in columns])
    sheet.auto_filter.ref = f"A2:{get_column_letter(len(columns))}{count + 2}"
    spool = tempfile.TemporaryFile()
    book.save(spool)
    spool.seek(0)

    def generate():
        with spool:
            while chunk := spool.read(64 * 1024):
                yield chunk

    return Response(generate(), mimetype=XLSX_TYPE, headers=_attachment(filename))


def translated_columns(label, hxl: str, field: str, width: int = 16) -> list[Column]:
    """A translated field's columns: one per language, HXL-tagged ``+i_es`` and ``+i_en``."""
    return [Column(in_language(label, lang), f"{hxl}+i_{lang}",
                   lambda record, name=f"{field}_{lang}": getattr(record, name), width) for lang in LANGUAGES]


def original_language_column() -> Column:
    """The language a record was first written in ("es" or "en")."""
    return Column(_l("Original language"), "#meta+lang+original", lambda record: record.original_language, 10)
