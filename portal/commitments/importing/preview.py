"""What importing a table would do, row by row: new, changed (old -> new), unchanged, conflict or error.

Nothing is written here; :mod:`portal.commitments.importing.apply` carries out a preview.
"""

import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from portal.commitments.importing.lookup import References
from portal.commitments.importing.parsing import ParsedTable
from portal.commitments.importing.texts import TEXT_FIELDS, display_title, text_changes, text_values
from portal.core.translated import LANGUAGES
from portal.commitments.models import Commitment
from portal.commitments.permissions import can_edit_commitment, can_propose_commitment, can_view_commitment
from portal.core.permissions import Visibility
from portal.extensions import db

NEW, PROPOSED, CHANGED, UNCHANGED, CONFLICT, ERROR = "new", "proposed", "changed", "unchanged", "conflict", "error"
NUMBER_FIELDS = ("indicator_baseline", "indicator_target", "indicator_achieved")
NUMBER_MAX = Decimal("1e14")


@dataclass
class RowPreview:
    line: int
    kind: str = NEW
    title: str = ""
    commitment_id: int | None = None
    organisation: object = None
    #: Resolved values for the columns the file has: {field: value}.
    values: dict = field(default_factory=dict)
    #: {field: (old, new)} as text, for a changed row.
    changes: dict = field(default_factory=dict)
    #: [(field, reason)]
    errors: list = field(default_factory=list)


@dataclass
class Preview:
    filename: str
    rows: list[RowPreview]

    def count(self, kind: str) -> int:
        return sum(1 for row in self.rows if row.kind == kind)

    @property
    def counts(self) -> dict[str, int]:
        return {kind: self.count(kind) for kind in (NEW, PROPOSED, CHANGED, UNCHANGED, CONFLICT, ERROR)}

    @property
    def valid_rows(self) -> list[RowPreview]:
        return [row for row in self.rows if row.kind in (NEW, PROPOSED, CHANGED)]

    @property
    def is_clean(self) -> bool:
        return not any(row.kind in (ERROR, CONFLICT) for row in self.rows)


def _date(text: str):
    match = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ][\d:.]+)?", text) or None
    try:
        if match:
            return date(int(match[1]), int(match[2]), int(match[3])), None
        if match := re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})", text):
            return date(int(match[3]), int(match[2]), int(match[1])), None
    except ValueError:
        pass
    return None, _l("Give a date as YYYY-MM-DD, e.g. 2026-12-31.")


def _number(text: str):
    plain = text.replace(" ", "").replace("\u00a0", "")
    if "," in plain and "." not in plain:
        plain = plain.replace(",", ".")
    try:
        value = Decimal(plain)
    except InvalidOperation:
        return None, _l("Give a number, e.g. 250 or 12.5.")
    if not value.is_finite() or abs(value) >= NUMBER_MAX:
        return None, _l("Give a number, e.g. 250 or 12.5.")
    return value.quantize(Decimal("0.01")), None


def _resolve(row: dict[str, str], refs: References, preview: RowPreview) -> None:
    """Turn the row's text into values, collecting an error per column that cannot be read."""
    texts, errors = text_values(row)
    preview.values.update(texts)
    preview.errors.extend(errors)
    preview.title = display_title(texts)

    def keep(name, value, error):
        if error:
            preview.errors.append((name, error))
        else:
            preview.values[name] = value

    if text := row.get("organisation"):
        keep("organisation", *refs.organisations.find(text))
    if "symposium" in row:
        keep("symposium", *refs.symposia.find(row["symposium"])) if row["symposium"] else keep("symposium", None, None)
    themes = "theme_codes" if "theme_codes" in row else "themes" if "themes" in row else None
    if themes:
        keep("themes", *refs.find_many(refs.themes, row[themes]))
    if "framework_tags" in row:
        keep("framework_tags", *refs.find_many(refs.tags, row["framework_tags"]))
    status = "status_code" if row.get("status_code") else "status" if row.get("status") else None
    if status:
        keep("status", *refs.statuses.find(row[status]))
    if row.get("visibility"):
        keep("visibility", *refs.visibilities.find(row["visibility"]))
    if "target_date" in row:
        keep("target_date", *_date(row["target_date"])) if row["target_date"] else keep("target_date", None, None)
    if "indicator_unit" in row:
        keep("indicator_unit", row["indicator_unit"][:80] or None, None)
    for name in NUMBER_FIELDS:
        if name in row:
            keep(name, *_number(row[name])) if row[name] else keep(name, None, None)


def _shown(value) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return "; ".join(_shown(item) for item in value)
    for attribute in ("code", "display_title", "display_name"):
        if hasattr(value, attribute) and not isinstance(value, str):
            return str(getattr(value, "slug", None) if attribute == "code" and hasattr(value, "slug")
                       else getattr(value, attribute))
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


_CURRENT = {
    "symposium": lambda c: c.symposium,
    "themes": lambda c: list(c.themes),
    "framework_tags": lambda c: list(c.framework_tags),
}


def _compare(commitment: Commitment, preview: RowPreview) -> None:
    """Fill ``changes`` with what the row would change on ``commitment``."""
    changes = text_changes({k: v for k, v in preview.values.items() if k in TEXT_FIELDS}, commitment)
    for name, new in preview.values.items():
        if name in TEXT_FIELDS or name == "organisation" or (name == "indicator_achieved" and new is None):
            continue  # texts compared above; a value reached is never taken back by leaving its cell empty
        old = _CURRENT[name](commitment) if name in _CURRENT else getattr(commitment, name)
        if name in ("themes", "framework_tags"):
            same = sorted(item.id for item in old) == sorted(item.id for item in new)
        else:
            same = old == new
        if not same:
            changes[name] = (_shown(old), _shown(new))
    preview.changes = changes
    preview.kind = CHANGED if changes else UNCHANGED


def _existing(rows: list[tuple[int, dict]]) -> dict[int, Commitment]:
    ids = sorted({int(row["id"]) for _, row in rows if row.get("id", "").isdigit()})
    found = {}
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        found.update({c.id: c for c in db.session.scalars(select(Commitment).where(Commitment.id.in_(chunk)))})
    return found


def _check_row(actor, preview: RowPreview, row: dict, existing: dict[int, Commitment]) -> None:
    organisation = preview.values.get("organisation") or actor.organisation
    preview.organisation = organisation
    ident = row.get("id", "")
    if ident:
        commitment = existing.get(int(ident)) if ident.isdigit() else None
        if commitment is None or not can_view_commitment(actor, commitment):
            preview.errors.append(("id", _l("No commitment has this id.")))
            return
        preview.commitment_id = commitment.id
        preview.title = display_title(preview.values, commitment)
        if not can_edit_commitment(actor, commitment):
            preview.errors.append(("id", _l("Only the editors of %(organisation)s may change this commitment.",
                                            organisation=commitment.organisation.display_name)))
            return
        if organisation.id != commitment.organisation_id:
            preview.errors.append(("organisation", _l("A commitment cannot move to another organisation.")))
            return
        if not row.get("version", "").isdigit():
            preview.errors.append(("version", _l("Give the version from the export to change a commitment.")))
            return
        if not preview.errors:
            _compare(commitment, preview)
            if int(row["version"]) != commitment.version and preview.kind == CHANGED:
                preview.kind = CONFLICT
        return
    if organisation.id != actor.organisation_id:
        if can_propose_commitment(actor, organisation.id, preview.values.get("symposium")):
            preview.kind = PROPOSED
        else:
            preview.errors.append(("organisation", _l(
                "You may import only the commitments of %(organisation)s. IOM follow-up staff and a "
                "symposium's organisers may propose commitments to other organisations.",
                organisation=actor.organisation.display_name)))
    if not any(preview.values.get(f"title_{lang}") for lang in LANGUAGES):
        preview.errors.append(("title", _l("A title is required, in Spanish, in English or in both.")))
    preview.values.setdefault("visibility", Visibility.PARTNERS.value)


def build_preview(actor, table: ParsedTable, filename: str, symposium=None) -> Preview:
    """Preview the import of ``table`` by ``actor``: every row's outcome, nothing written.

    ``symposium``, if given, is the symposium of the new rows that name none.
    """
    refs = References()
    existing = _existing(table.rows)
    rows = []
    with db.session.no_autoflush:
        for line, row in table.rows:
            preview = RowPreview(line=line)
            _resolve(row, refs, preview)
            if symposium is not None and "symposium" not in preview.values and not row.get("id"):
                preview.values["symposium"] = symposium
            _check_row(actor, preview, row, existing)
            if preview.errors:
                preview.kind = ERROR
            rows.append(preview)
    return Preview(filename=filename, rows=rows)
