"""Country names in the reader's language, from pycountry's ISO 3166 translations."""

import gettext
import unicodedata
from functools import lru_cache

import pycountry
from flask_babel import get_locale


@lru_cache(maxsize=8)
def _translations(language: str) -> gettext.NullTranslations:
    if language == "en":
        return gettext.NullTranslations()
    return gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[language], fallback=True)


def country_name(iso3: str | None, language: str | None = None) -> str:
    """Return the common name of a country in the given (or current) language."""
    if not iso3:
        return ""
    record = pycountry.countries.get(alpha_3=iso3)
    if record is None:
        return iso3
    english = getattr(record, "common_name", None) or record.name
    language = language or str(get_locale() or "es")
    return _translations(language).gettext(english)


def country_choices(language: str | None = None) -> list[tuple[str, str]]:
    """Return (alpha-3, name) pairs for every country, sorted by name in the given language."""
    pairs = [(c.alpha_3, country_name(c.alpha_3, language)) for c in pycountry.countries]
    return sorted(pairs, key=lambda pair: sort_key(pair[1]))


def sort_key(name: str) -> str:
    """Return a key that sorts names alphabetically, ignoring case and accents."""
    return "".join(ch for ch in unicodedata.normalize("NFKD", name.casefold()) if not unicodedata.combining(ch))


def register_country_helpers(app) -> None:
    """Let every template name a country in the reader's language."""
    app.jinja_env.globals["country_name"] = country_name
