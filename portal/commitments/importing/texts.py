"""The one place where an import reads and writes a commitment's texts (title, description).

Files may carry one title and description, or one per language (``title_es``/``title_en``,
``description_es``/``description_en``, ``original_language``); today's commitment keeps one of each, so
the text in the original language (else Spanish, else English) is the one kept.
"""

from flask_babel import lazy_gettext as _l

TEXT_COLUMNS = ("title", "title_es", "title_en", "description", "description_es", "description_en",
                "original_language")
TITLE_MAX = 300


def _pick(row: dict[str, str], field: str) -> str | None:
    present = [name for name in (field, f"{field}_es", f"{field}_en") if name in row]
    if not present:
        return None
    language = (row.get("original_language") or "").strip().lower()[:2]
    order = [field, f"{field}_{language}", f"{field}_es", f"{field}_en"]
    return next((row[name] for name in order if row.get(name)), "")


def text_values(row: dict[str, str]) -> tuple[dict[str, str], list[tuple[str, object]]]:
    """The commitment text fields a parsed row sets ({field: text}, only for columns the file has), and
    the errors found as (field, reason)."""
    values, errors = {}, []
    title = _pick(row, "title")
    if title is not None:
        if not title:
            errors.append(("title", _l("A title is required.")))
        elif len(title) > TITLE_MAX:
            errors.append(("title", _l("The title is longer than %(limit)s characters.") % {"limit": TITLE_MAX}))
        values["title"] = title
    description = _pick(row, "description")
    if description is not None:
        values["description"] = description
    language = (row.get("original_language") or "").strip().lower()
    if language and language[:2] not in ("es", "en"):
        errors.append(("original_language", _l("Give \"es\" or \"en\".")))
    return values, errors


def text_changes(values: dict[str, str], commitment) -> dict[str, tuple[str, str]]:
    """The text fields the row would change on ``commitment``: {field: (old, new)}."""
    return {field: (getattr(commitment, field) or "", new) for field, new in values.items()
            if (getattr(commitment, field) or "").strip() != new.strip()}


def form_texts(values: dict[str, str], commitment=None) -> dict[str, str]:
    """The texts as the commitment form gives them to the service: unchanged ones kept from ``commitment``."""
    return {"title": values.get("title", commitment.title if commitment else ""),
            "description": values.get("description", commitment.description if commitment else "")}
