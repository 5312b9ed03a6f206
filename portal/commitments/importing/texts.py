"""The one place where an import reads and writes a commitment's texts (title and description, each in
Spanish, English or both; see ``portal.core.translated``).

A file may carry one column per language (``title_es``/``title_en``, as the export writes them), or a
single title and description, which are taken to be in the row's original language (else Spanish).
Only the columns the file has are changed: a file with Spanish titles alone keeps the English ones.
"""

from flask_babel import lazy_gettext as _l

from portal.core.translated import LANGUAGES, clean, pick

FIELDS = ("title", "description")
#: What the commitment form and service take for the texts.
TEXT_FIELDS = tuple(f"{field}_{lang}" for field in FIELDS for lang in LANGUAGES) + ("original_language",)
TEXT_COLUMNS = FIELDS + TEXT_FIELDS
TITLE_MAX = 300


def _language(row: dict[str, str]) -> str | None:
    language = (row.get("original_language") or "").strip().lower()[:2]
    return language if language in LANGUAGES else None


def _field_texts(row: dict[str, str], field: str) -> dict[str, str | None]:
    """{"title_es": ..., "title_en": ...} for the languages the file gives for ``field``."""
    texts = {f"{field}_{lang}": clean(row[f"{field}_{lang}"]) for lang in LANGUAGES if f"{field}_{lang}" in row}
    if field in row and not texts:
        texts[f"{field}_{_language(row) or 'es'}"] = clean(row[field])
    return texts


def text_values(row: dict[str, str]) -> tuple[dict[str, str | None], list[tuple[str, object]]]:
    """The commitment text fields a parsed row sets ({field_lang: text}, only for columns the file has), and
    the errors found as (column, reason)."""
    values, errors = {}, []
    titles = _field_texts(row, "title")
    if titles and not any(titles.values()):
        errors.append(("title", _l("A title is required, in Spanish, in English or in both.")))
    for name, title in titles.items():
        if title and len(title) > TITLE_MAX:
            errors.append((name, _l("The title is longer than %(limit)s characters.") % {"limit": TITLE_MAX}))
    values.update(titles)
    values.update(_field_texts(row, "description"))
    if (row.get("original_language") or "").strip():
        if _language(row) is None:
            errors.append(("original_language", _l("Give \"es\" or \"en\".")))
        else:
            values["original_language"] = _language(row)
    return values, errors


def display_title(values: dict, commitment=None):
    """The row's title as the reader would see it (their language, else the other, marked)."""
    texts = {lang: values.get(f"title_{lang}") for lang in LANGUAGES}
    if commitment is not None:
        texts = {lang: texts[lang] if f"title_{lang}" in values else getattr(commitment, f"title_{lang}")
                 for lang in LANGUAGES}
    return pick(texts)


def text_changes(values: dict, commitment) -> dict[str, tuple[str, str]]:
    """The text fields the row would change on ``commitment``: {field: (old, new)}."""
    changes = {}
    for name, new in values.items():
        old = getattr(commitment, name) or ""
        if old.strip() != (new or "").strip():
            changes[name] = (old, new or "")
    return changes


def form_texts(values: dict, commitment=None) -> dict[str, str | None]:
    """The texts as the commitment form gives them to the service: those the file lacks kept from ``commitment``."""
    return {name: values[name] if name in values else (getattr(commitment, name) if commitment else None)
            for name in TEXT_FIELDS}
