"""User-written text in Spanish, English or both: one column per language, and an honest fallback.

A translated field ``x`` is stored as two nullable columns, ``x_es`` and ``x_en``; the record keeps the
language it was first written in (``original_language``). Reading ``record.x`` gives a ``Translated``
string: the reader's language where it exists, otherwise the other one, marked as a fallback so pages
can say so ("only in Spanish") and set ``lang`` on the element for screen readers.

Columns rather than a JSON document or a translation table: each language can be searched and indexed
on its own, the API and exports carry ``x_es`` and ``x_en`` as plain fields, a list reads both in the
same row (no query per row), and SQLite and PostgreSQL need no JSON dialect.
"""

from flask import current_app, has_request_context
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from jinja2.filters import do_truncate
from sqlalchemy import CheckConstraint, String, func, or_
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import declared_attr, mapped_column

from portal.core.markdown import render_markdown

LANGUAGES = ("es", "en")
OTHER = {"es": "en", "en": "es"}
#: Said beside a text shown in the other language, in the reader's language.
ONLY_IN = {"es": _l("only in Spanish"), "en": _l("only in English")}
LANGUAGE_NAMES = {"es": _l("Spanish"), "en": _l("English")}


def reader_language() -> str:
    """The reader's language: the interface language of the request, Spanish outside one."""
    locale = str(get_locale()) if has_request_context() else "es"
    return locale if locale in LANGUAGES else "es"


class Translated(str):
    """A text in one language: a ``str``, plus ``lang`` and whether it stands in for the reader's."""

    lang: str
    is_fallback: bool

    def __new__(cls, text: str, lang: str, is_fallback: bool = False):
        value = super().__new__(cls, text)
        value.lang = lang
        value.is_fallback = is_fallback
        return value


def pick(texts: dict[str, str | None], lang: str | None = None) -> Translated:
    """The text in ``lang`` (the reader's by default), else the other language's, marked as fallback."""
    lang = lang or reader_language()
    if texts.get(lang):
        return Translated(texts[lang], lang)
    other = OTHER[lang]
    if texts.get(other):
        return Translated(texts[other], other, is_fallback=True)
    return Translated("", lang)


def clean(value: str | None) -> str | None:
    """Blank text is no text: stored as NULL, so "written in this language" is ``IS NOT NULL``."""
    value = (value or "").strip()
    return value or None


def _accessor(field: str) -> hybrid_property:
    def read(self) -> Translated:
        return self.text(field)

    def expression(cls):
        # In a query: the reader's language, else the other (ordering and matching as the reader sees it).
        lang = reader_language()
        return func.coalesce(getattr(cls, f"{field}_{lang}"), getattr(cls, f"{field}_{OTHER[lang]}"))

    read.__name__ = field
    return hybrid_property(read, expr=expression)


class TranslatedMixin:
    """What every record with translated fields shares; made by ``translated_fields``."""

    translated_fields: tuple[str, ...] = ()

    def texts(self, field: str) -> dict[str, str | None]:
        """Both languages of a field: {"es": ..., "en": ...}."""
        return {lang: getattr(self, f"{field}_{lang}") for lang in LANGUAGES}

    def text(self, field: str, lang: str | None = None) -> Translated:
        """The field in the reader's language, or the other one marked as a fallback."""
        return pick(self.texts(field), lang)

    def languages(self) -> list[str]:
        """The languages the record is written in, its original first."""
        written = [lang for lang in LANGUAGES
                   if any(getattr(self, f"{field}_{lang}") for field in self.translated_fields)]
        return sorted(written, key=lambda lang: lang != self.original_language)

    def set_texts(self, data: dict, default_language: str | None = None) -> None:
        """Set every translated field from ``data`` (``x_es``, ``x_en``) and settle the original language.

        The original language stays while its text stays; a new record, or one whose original text
        was removed, takes the one language written, or ``default_language`` when both are.
        """
        for field in self.translated_fields:
            for lang in LANGUAGES:
                setattr(self, f"{field}_{lang}", clean(data.get(f"{field}_{lang}")))
        first = self.translated_fields[0]
        written = [lang for lang in LANGUAGES if getattr(self, f"{first}_{lang}")]
        if self.original_language in written:
            return
        preferred = default_language or reader_language()
        self.original_language = preferred if preferred in written or not written else written[0]

    @classmethod
    def columns_of(cls, field: str) -> list:
        """Both columns of a field, to search or select them."""
        return [getattr(cls, f"{field}_{lang}") for lang in LANGUAGES]

    @classmethod
    def text_matches(cls, pattern: str, fields: tuple[str, ...] | None = None):
        """SQL: a LIKE ``pattern`` (escaped with "\\") matches a translated field in either language."""
        return or_(*(column.ilike(pattern, escape="\\") for field in fields or cls.translated_fields
                     for column in cls.columns_of(field)))


def translated_fields(**fields) -> type:
    """A mixin with ``x_es`` and ``x_en`` for each field ``x=<SQL type>``, ``original_language`` and
    the ``x`` accessor: ``class Commitment(translated_fields(title=String(300), description=Text), ...)``.
    """
    attrs: dict = {"translated_fields": tuple(fields)}
    for field, sql_type in fields.items():
        for lang in LANGUAGES:
            attrs[f"{field}_{lang}"] = declared_attr(lambda cls, t=sql_type: mapped_column(t, nullable=True))
        attrs[field] = _accessor(field)
    attrs["original_language"] = declared_attr(
        lambda cls: mapped_column(String(2), nullable=False, default="es", server_default="es"))
    return type("Translated" + "".join(name.title() for name in fields), (TranslatedMixin,), attrs)


def written_in_a_language(field: str) -> CheckConstraint:
    """The table constraint for a required translated field: at least one language is written."""
    return CheckConstraint(f"{field}_es IS NOT NULL OR {field}_en IS NOT NULL", name=f"{field}_in_a_language")


# --- Pages ------------------------------------------------------------------------------------------------

def _macros():
    # The markup lives in a template, escaped by Jinja like any other (templates/_macros/translated.html).
    return current_app.jinja_env.get_template("_macros/translated.html").module


def translated_inline(value, length: int | None = None):
    """``{{ record.title|translated }}``: the text; in the other language, in a ``<span lang>`` and marked.
    ``|translated(160)`` shortens a long text first, as Jinja's ``truncate`` does, keeping its language."""
    if length and isinstance(value, Translated):
        value = Translated(do_truncate(current_app.jinja_env, value, length), value.lang, value.is_fallback)
    if isinstance(value, Translated) and value.is_fallback:
        return _macros().inline(value)
    return value or ""  # in the page's language: the page's lang applies, and Jinja escapes it


def translated_markdown(value):
    """``{{ record.description|translated_markdown }}``: the Markdown rendered; in the other language, in a
    ``<div lang>`` and marked."""
    if isinstance(value, Translated) and value.is_fallback:
        return _macros().block(value)
    return render_markdown(value)


def register_translated_filters(app) -> None:
    """Expose the filters and the language names to every template."""
    app.jinja_env.filters["translated"] = translated_inline
    app.jinja_env.filters["translated_markdown"] = translated_markdown
    app.jinja_env.globals["language_name"] = lambda lang: LANGUAGE_NAMES.get(lang, lang)
    app.jinja_env.globals["only_in"] = lambda lang: ONLY_IN[lang]
    app.jinja_env.globals["in_language"] = in_language
    # For rows read column by column: {{ pick_text(row.title_es, row.title_en)|translated }}.
    app.jinja_env.globals["pick_text"] = lambda es, en: pick({"es": es, "en": en})


def with_languages(labels: dict, fields: tuple[str, ...]) -> dict:
    """Field labels for a change history: each translated field's label per language ("Title in
    Spanish"), and the original language, added to ``labels``."""
    expanded = dict(labels)
    for field in fields:
        for lang in LANGUAGES:
            expanded[f"{field}_{lang}"] = in_language(labels[field], lang)
    expanded["original_language"] = _l("Original language")
    return expanded


def in_language(label, lang: str):
    """"Title in Spanish": a field's label for one language, as forms, exports and histories name it."""
    if lang == "es":
        return _l("%(field)s in Spanish", field=label)
    return _l("%(field)s in English", field=label)


def marked(value) -> str:
    """Plain text (a feed, an e-mail): the text, with "(only in Spanish)" after it when it is a fallback."""
    if isinstance(value, Translated) and value.is_fallback:
        return f"{value} ({ONLY_IN[value.lang]})"
    return str(value)
