"""Helpers of the import tests: export as a reader would, edit the table, send it back through the pages."""

import csv
import io
import re

from tests.commitments.support import browser, hidden, post  # noqa: F401  (re-exported for the tests)


def export_csv(client, query: str = "") -> list[list[str]]:
    """The /commitments.csv rows as a spreadsheet would read them (header, HXL row, then data)."""
    data = client.get(f"/commitments.csv{query}").get_data()
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def to_csv(rows: list[list[str]], encoding: str = "utf-8-sig") -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return buffer.getvalue().encode(encoding)


def set_cell(rows, commitment_id: int, header: str, value: str) -> None:
    """Change one cell of the row of ``commitment_id``, found by its header (as a person edits a spreadsheet)."""
    column = rows[0].index(header)
    for row in rows[2:]:
        if row[0] == str(commitment_id):
            row[column] = value
            return
    raise AssertionError(f"no row for {commitment_id}")


def upload(client, data: bytes, filename: str = "commitments.csv"):
    """Send a table to the import page; return the response (the preview, or the form with its error)."""
    return post(client, "/commitments/import", {"table": (io.BytesIO(data), filename)},
                content_type="multipart/form-data")


def confirm(client, preview_page: str, scope: str = "all"):
    return post(client, "/commitments/import/confirm", {"token": hidden(preview_page, "token"), "scope": scope})


def summary(page: str) -> dict[str, int]:
    """The counts at the top of the preview, by the English label."""
    found = dict(re.findall(r"<li>([^<:]+): (\d+)</li>", page))
    return {label: int(number) for label, number in found.items()}
