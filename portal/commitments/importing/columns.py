"""The columns an import understands, by header in English or Spanish (as the exports and template write them),
or by the HXL hashtag of the export."""

import re
import unicodedata

#: field -> headers that name it (compared without case, accents or punctuation).
ALIASES: dict[str, tuple[str, ...]] = {
    "id": ("id", "identifier", "identificador", "#activity+id"),
    "version": ("version", "versión", "#meta+version"),
    "title": ("title", "título", "#activity+name"),
    "title_es": ("title_es", "title (es)", "title es", "título_es", "título (es)", "título en español",
                 "title in spanish", "#activity+name+i_es"),
    "title_en": ("title_en", "title (en)", "title en", "título_en", "título (en)", "título en inglés",
                 "title in english", "#activity+name+i_en"),
    "description": ("description", "descripción", "#description"),
    "description_es": ("description_es", "description (es)", "descripción_es", "descripción (es)",
                       "descripción en español", "description in spanish", "#description+i_es"),
    "description_en": ("description_en", "description (en)", "descripción_en", "descripción (en)",
                       "descripción en inglés", "description in english", "#description+i_en"),
    "original_language": ("original_language", "original language", "idioma original", "#meta+lang+original"),
    "organisation": ("organisation", "organization", "organización", "organisation code", "organisation slug",
                     "código de organización", "#org+name+impl"),
    "symposium": ("symposium", "simposio", "#event+name"),
    "theme_codes": ("theme codes", "códigos de tema", "#sector+code"),
    "themes": ("themes", "temas", "theme", "tema", "#sector+name"),
    "status_code": ("status code", "código de estado", "#status+code"),
    "status": ("status", "estado", "#status+name"),
    "target_date": ("target date", "fecha límite", "#date+end+planned"),
    "indicator_unit": ("indicator unit", "unidad del indicador", "#indicator+unit"),
    "indicator_baseline": ("baseline", "línea de base", "#indicator+num+baseline"),
    "indicator_target": ("target", "meta", "#indicator+num+target"),
    "indicator_achieved": ("achieved", "logrado", "#indicator+num+achieved"),
    "visibility": ("visibility", "visibilidad", "who can read it", "quién puede consultarlo"),
    "framework_tags": ("international frameworks", "marcos internacionales", "frameworks", "marcos",
                       "framework tags", "etiquetas de marcos internacionales", "#meta+framework+code"),
}


def normalise(text: str) -> str:
    """Lower case, no accents, punctuation as single spaces: "Título (ES)" -> "titulo es"."""
    if text.startswith("#"):
        return text.strip().lower()
    plain = "".join(char for char in unicodedata.normalize("NFKD", text) if not unicodedata.combining(char))
    return re.sub(r"[^a-z0-9#+]+", " ", plain.lower()).strip()


_BY_HEADER = {normalise(alias): name for name, aliases in ALIASES.items() for alias in aliases}


def match_header(header: str) -> str | None:
    """The field a column header names, or None for a column the import ignores (country, review, address…)."""
    return _BY_HEADER.get(normalise(header or ""))
