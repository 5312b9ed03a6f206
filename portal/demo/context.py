"""Demo context figures: what the Tegucigalpa press release reports about returns to Honduras, with its source.

Only figures the press release states with their source are loaded (no URL is invented: the release
names CENISS but links nowhere). Added by the IOM mission's account, as IOM staff keep these figures.
"""

from decimal import Decimal

from portal.public import service

#: country, Spanish label, English label, value, unit, period, source, (Spanish note, English note)
FIGURES = [
    ("HND", "Migrantes retornados a Honduras", "Migrants returned to Honduras", Decimal("95250"), "",
     "01/2014 – 06/2016", "CENISS (Centro Nacional de Información del Sector Social)",
     ("Cifra aproximada, citada por la OIM en su comunicado sobre el simposio de Tegucigalpa.",
      "An approximate figure, cited by IOM in its press release on the Tegucigalpa symposium.")),
    ("HND", "Migrantes retornados más de una vez", "Migrants returned more than once", Decimal("12.5"), "%",
     "01/2014 – 06/2016", "CENISS (Centro Nacional de Información del Sector Social)",
     ("Proporción de las personas retornadas en el mismo período, citada por la OIM en el mismo comunicado.",
      "The share of all people returned over the same period, cited by IOM in the same press release.")),
]


def load_demo_context(by_organisation: dict) -> None:
    """Add the demo context figures (flush only), as the IOM mission's account."""
    author = by_organisation["oim-slv-gtm-hnd"]
    for position, (country, label_es, label_en, value, unit, period, source, (note_es, note_en)) in \
            enumerate(FIGURES, start=1):
        figure = service.create_figure(author, country, {
            "label_es": label_es, "label_en": label_en, "value": value, "unit": unit, "period": period,
            "source": source, "source_url": None, "note_es": note_es, "note_en": note_en, "position": position})
        figure.original_language = "es"  # written first in Spanish, whatever the loading locale
