"""The home page: headline figures, symposia coming up and held, recently verified progress, every country."""

import re
from datetime import timedelta

from tests.commitments.support import browser, portal_today
from tests.public.support import text_of
from tests.public.test_visibility import facts


def section(page: str, heading_id: str) -> str:
    match = re.search(rf'<section aria-labelledby="{heading_id}">(.*?)</section>', page, re.S)
    assert match, heading_id
    return text_of(match.group(1))


def test_an_empty_portal_says_so(app):
    page = browser(app).text("/")
    assert facts(page) == {"Commitments": "0", "Share completed": "0 %", "Progress updates in the last 90 days": "0",
                           "Countries taking part": "0", "Organisations taking part": "0"}
    assert "No commitment that you can see has been logged yet." in section(page, "figures")
    assert "No symposium is planned yet." in section(page, "symposia")
    assert "No symposium has been held yet." in section(page, "symposia")
    assert "No progress that you can see has been verified yet." in section(page, "verified")
    assert "No country takes part yet." in section(page, "taking-part")


def test_symposia_coming_up_and_held(app, factory):
    today = portal_today(app)
    factory.symposium(title="Simposio pasado", start_date=today - timedelta(days=300))
    factory.symposium(title="Simposio próximo", start_date=today + timedelta(days=40), country="GTM",
                      city="Ciudad de Guatemala")
    factory.symposium(title="Simposio en curso", start_date=today - timedelta(days=1), end_date=today + timedelta(days=1))
    symposia = section(browser(app).text("/"), "symposia")
    coming, held = symposia.split("Recently held")
    assert "Simposio en curso" in coming and "Simposio próximo" in coming and "Simposio pasado" not in coming
    assert coming.index("Simposio en curso") < coming.index("Simposio próximo")
    assert "Ciudad de Guatemala (Guatemala)" in coming
    assert "Simposio pasado" in held and "Simposio próximo" not in held


def test_only_verified_progress_is_listed_and_only_what_the_reader_may_see(app, factory, cast):
    day = portal_today(app) - timedelta(days=5)
    titles = {}
    for title, visibility, verdict in (("Verificado público", "public", "verified"),
                                       ("Cuestionado público", "public", "questioned"),
                                       ("Pendiente público", "public", None),
                                       ("Verificado reservado", "partners", "verified")):
        commitment = factory.commitment(cast["ministry"], visibility=visibility, title=title,
                                        author=cast["ministry_editor"])
        update = factory.update(commitment, cast["ministry_editor"], reported_on=day)
        if verdict:
            factory.review(update, cast["iom_editor"], verdict, comment="¿Hay evidencia?")
        titles[title] = commitment.id
    public = section(browser(app).text("/"), "verified")
    assert "Verificado público" in public
    assert "Cuestionado público" not in public and "Pendiente público" not in public
    assert "Verificado reservado" not in public
    assert "Verificado reservado" in section(browser(app, cast["mexico_editor"]).text("/"), "verified")


def test_every_country_taking_part_is_linked(app, cast):
    page = browser(app).text("/")
    for iso3 in ("HND", "MEX", "SLV"):
        assert f'href="/countries/{iso3}"' in page
    assert facts(page)["Countries taking part"] == "3" and facts(page)["Organisations taking part"] == "3"
    assert "El Salvador Honduras Mexico" in section(page, "taking-part"), "in alphabetical order of their names"


def test_home_in_spanish(app, factory, cast):
    factory.commitment(cast["ministry"], title="Guía")
    page = browser(app, language="es").text("/")
    assert "El seguimiento en cifras" in page and "Proporción cumplida" in page
    assert "Informes de avance de los últimos 90 días" in page
