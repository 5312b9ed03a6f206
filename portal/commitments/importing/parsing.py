"""Reading an uploaded table of commitments (CSV or XLSX) into rows of text, refusing unsafe or odd files.

Only text comes out: XLSX formulas are never evaluated (a cell holding "=…" is read as its text), dates become
ISO text, numbers their plain text. The HXL hashtag row that the portal's exports write under the headers is
skipped. Every refusal is an :class:`ImportFileError` with a message in the reader's language.
"""

import csv
import io
import unicodedata
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from charset_normalizer import from_bytes
from flask_babel import lazy_gettext as _l

from portal.commitments.importing.columns import match_header
from portal.core.uploads import format_limit

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 5_000
MAX_COLUMNS = 60
MAX_CELL = 20_000
#: An XLSX is a zip: its parts together may expand to no more than this, nor any part by more than the ratio.
MAX_UNCOMPRESSED = 50 * 1024 * 1024
MAX_RATIO = 200
MAX_ZIP_ENTRIES = 200


class ImportFileError(ValueError):
    """A file that cannot be imported; ``message`` says why in the reader's language."""

    def __init__(self, message, **values):
        super().__init__(str(message))
        self.message = message
        self.values = values

    def __str__(self) -> str:
        return str(self.message) % self.values if self.values else str(self.message)


@dataclass
class ParsedTable:
    #: The field each column feeds (None for a column the import ignores), in file order.
    fields: list[str | None]
    headers: list[str]
    #: (line number in the file, {field: text}) per data row.
    rows: list[tuple[int, dict[str, str]]] = field(default_factory=list)


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return format(Decimal(repr(value)).normalize(), "f") if value == value else ""
    if isinstance(value, int):
        return str(value)
    return str(value)


def _clean(value: str) -> str:
    """Undo the quote the exports put before text a spreadsheet would run as a formula; trim."""
    text = unicodedata.normalize("NFC", value).strip()
    if text.startswith("'") and text[1:2] in ("=", "+", "-", "@"):
        text = text[1:]
    if len(text) > MAX_CELL:
        raise ImportFileError(_l("A cell holds more than %(limit)s characters."), limit=MAX_CELL)
    return text


def _is_hxl_row(cells: list[str]) -> bool:
    filled = [cell for cell in cells if cell]
    return bool(filled) and all(cell.startswith("#") for cell in filled)


def _decode(data: bytes) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    if b"\x00" in data:
        raise ImportFileError(_l("This file is neither CSV nor XLSX. Send the table as CSV or XLSX."))
    best = from_bytes(data, cp_isolation=["cp1252", "latin_1", "utf_16"]).best()
    if best is None:
        raise ImportFileError(_l("The text of this file cannot be read: save it as CSV in UTF-8 and send it again."))
    text = str(best)
    if "\ufffd" in text:
        raise ImportFileError(_l("The text of this file cannot be read: save it as CSV in UTF-8 and send it again."))
    return text


def _csv_rows(data: bytes):
    text = _decode(data)
    if "\x00" in text:
        raise ImportFileError(_l("This file is neither CSV nor XLSX. Send the table as CSV or XLSX."))
    sample = text[:4096]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    try:
        yield from csv.reader(io.StringIO(text, newline=""), dialect)
    except csv.Error as error:
        raise ImportFileError(_l("This CSV file is malformed: %(reason)s."), reason=str(error)) from error


def _check_zip(data: bytes) -> None:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        entries = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError) as error:
        raise ImportFileError(_l("This XLSX file is damaged.")) from error
    names = {entry.filename for entry in entries}
    if "[Content_Types].xml" not in names or not any(name.startswith("xl/worksheets/") for name in names):
        raise ImportFileError(_l("This file is neither CSV nor XLSX. Send the table as CSV or XLSX."))
    total = sum(entry.file_size for entry in entries)
    squeezed = any(entry.file_size > max(entry.compress_size, 1) * MAX_RATIO and entry.file_size > 1024 * 1024
                   for entry in entries)
    if len(entries) > MAX_ZIP_ENTRIES or total > MAX_UNCOMPRESSED or squeezed:
        raise ImportFileError(_l("This XLSX file expands to an unsafe size."))


def _xlsx_rows(data: bytes):
    from openpyxl import load_workbook

    _check_zip(data)
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=False, keep_links=False)
    except Exception as error:  # openpyxl raises many kinds on a damaged file
        raise ImportFileError(_l("This XLSX file is damaged.")) from error
    try:
        sheet = book.worksheets[0]
        for row in sheet.iter_rows(values_only=True, max_col=MAX_COLUMNS + 1):
            yield [_text(value) for value in row]
    except ImportFileError:
        raise
    except Exception as error:
        raise ImportFileError(_l("This XLSX file is damaged.")) from error
    finally:
        book.close()


def file_kind(filename: str, data: bytes) -> str:
    """"csv" or "xlsx", from the content first (a renamed file is caught), or refuse."""
    name = (filename or "").lower()
    if data.startswith(b"PK\x03\x04"):
        return "xlsx"
    if name.endswith((".xlsx", ".xlsm")):
        raise ImportFileError(_l("This file is named .xlsx but is not an XLSX workbook."))
    if not name.endswith((".csv", ".txt")) and name:
        raise ImportFileError(_l("This file is neither CSV nor XLSX. Send the table as CSV or XLSX."))
    head = data[:4096]
    binary = sum(1 for byte in head if byte < 9 or 13 < byte < 32)
    if b"\x00" in head and not head.startswith((b"\xff\xfe", b"\xfe\xff")) or binary > len(head) // 20:
        raise ImportFileError(_l("This file is neither CSV nor XLSX. Send the table as CSV or XLSX."))
    return "csv"


def read_table(filename: str, data: bytes, max_bytes: int = MAX_BYTES) -> ParsedTable:
    """Read an uploaded CSV or XLSX into a :class:`ParsedTable`, or raise :class:`ImportFileError`."""
    if not data or not data.strip():
        raise ImportFileError(_l("The file is empty."))
    if len(data) > max_bytes:
        raise ImportFileError(_l("The file is larger than %(limit)s. Split it into smaller files."),
                              limit=format_limit(max_bytes))
    lines = _xlsx_rows(data) if file_kind(filename, data) == "xlsx" else _csv_rows(data)
    table = None
    for number, raw in enumerate(lines, 1):
        if len(raw) > MAX_COLUMNS and any(str(cell).strip() for cell in raw[MAX_COLUMNS:]):
            raise ImportFileError(_l("The table has more than %(limit)s columns."), limit=MAX_COLUMNS)
        cells = [_clean(str(cell)) for cell in raw[:MAX_COLUMNS]]
        if table is None:
            if not any(cells):
                continue
            table = _header(cells)
            continue
        if not any(cells) or _is_hxl_row(cells):
            continue
        if len(table.rows) >= MAX_ROWS:
            raise ImportFileError(_l("The table has more than %(limit)s rows. Split it into smaller files."),
                                  limit=MAX_ROWS)
        table.rows.append((number, {name: cells[index] for index, name in enumerate(table.fields)
                                    if name and index < len(cells)}))
    if table is None or not table.rows:
        raise ImportFileError(_l("The table has no commitments under its header row."))
    _check_ids(table)
    return table


def _header(cells: list[str]) -> ParsedTable:
    fields = [match_header(cell) for cell in cells]
    if not {"title", "title_es", "title_en", "id"} & set(fields):
        raise ImportFileError(_l("No \"Title\" (\"Título\") column was found in the first row. Start from the "
                                 "template or from an export of the commitments."))
    seen = [name for name in fields if name]
    duplicated = sorted({name for name in seen if seen.count(name) > 1})
    if duplicated:
        header = cells[fields.index(duplicated[0], fields.index(duplicated[0]) + 1)]
        raise ImportFileError(_l("The column \"%(column)s\" appears twice."), column=header)
    return ParsedTable(fields=fields, headers=cells)


def _check_ids(table: ParsedTable) -> None:
    seen: dict[str, int] = {}
    for number, row in table.rows:
        if ident := row.get("id"):
            if ident in seen:
                raise ImportFileError(_l("The id %(id)s appears on rows %(first)s and %(second)s; each "
                                         "commitment may appear once."), id=ident, first=seen[ident], second=number)
            seen[ident] = number
