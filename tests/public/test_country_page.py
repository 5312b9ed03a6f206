"""A country's page: each section shows what exists, says so when empty, and links to the full lists."""

import re
from datetime import timedelta

from tests.commitments.support import browser, portal_today
from tests.public.support import add_action, add_figure, text_of


def section(page: str, heading_id: str) -> str:
    """The text of the page's section headed by ``heading_id``."""
    match = re.search(rf'<section aria-labelledby="{heading_id}">(.*?)</section>', page, re.S)
    assert match, heading_id
    return text_of(match.group(1))


def test_unknown_code_answers_404_and_lower_case_redirects(app):
    client = browser(app)
    assert client.get("/countries/XYZ").status_code == 404
    response = client.get("/countries/hnd")
    assert response.status_code == 301 and response.headers["Location"].endswith("/countries/HND")


def test_empty_sections_say_so(app, cast):
    page = browser(app).text("/countries/GTM")
    assert "No context figure has been published for this country yet." in section(page, "context")
    assert "No institution of this country takes part yet." in section(page, "institutions")
    assert "No commitment of this country's institutions that you can see has been logged yet." in \
        section(page, "commitments")
    assert "No progress you can see has been reported on these commitments yet." in section(page, "progress")
    assert "No joint action you can see involves this country yet." in section(page, "joint-actions")
    assert "This country works with no other country in a joint action you can see." in section(page, "joint-actions")
    assert "No symposium has been held in this country yet." in section(page, "symposia")


def test_empty_sections_in_spanish(app, cast):
    page = browser(app, language="es").text("/countries/GTM")
    assert "Aún no se ha publicado ninguna cifra de contexto para este país." in section(page, "context")
    assert "Aún no se ha celebrado ningún simposio en este país." in section(page, "symposia")


def test_sections_show_institutions_commitments_actions_corridors_symposia_and_progress(app, factory, cast):
    today = portal_today(app)
    guide = factory.commitment(cast["ministry"], title="Guía del migrante", author=cast["ministry_editor"],
                               target_date=today - timedelta(days=3))
    factory.update(guide, cast["ministry_editor"], status="in_progress", reported_on=today - timedelta(days=200),
                   note="Primera entrega.")
    factory.commitment(cast["mexico"], title="Compromiso de México", author=cast["mexico_editor"])
    add_action(app, cast["ministry_editor"], title="Ruta segura", countries=(("HND", "origin"), ("MEX", "transit"),
                                                                             ("HND", "return")))
    add_action(app, cast["mexico_editor"], title="Sólo México y Guatemala",
               countries=(("MEX", "origin"), ("GTM", "transit")))
    factory.symposium(slug="tegucigalpa-2016", title="Simposio de Tegucigalpa", city="Tegucigalpa")
    factory.symposium(slug="ciudad-de-mexico", title="Simposio de México", city="Ciudad de México", country="MEX")
    add_figure(app, cast["iom_editor"])
    page = browser(app).text("/countries/HND")
    assert "Foreign Ministry of Honduras" in section(page, "institutions")
    assert "Instituto Nacional de Migración" not in section(page, "institutions")
    commitments = section(page, "commitments")
    assert "Guía del migrante" in commitments and "Compromiso de México" not in commitments
    assert "Overdue 1" in commitments, "the follow-up flags count the overdue commitment"
    assert 'href="/commitments/?country=HND"' in page
    actions = section(page, "joint-actions")
    assert "Origin (1) Ruta segura" in actions and "Return (1) Ruta segura" in actions and "Transit (0) None." in actions
    assert "Sólo México y Guatemala" not in actions
    assert 'href="/corridors/HND-MEX"' in page and "Honduras – Mexico 1 joint action" in actions
    symposia = section(page, "symposia")
    assert "Simposio de Tegucigalpa" in symposia and "Simposio de México" not in symposia
    assert "Guía del migrante" in section(page, "progress")
    assert 'id="country-progress"' in page, "progress over time starts with the first report"


def test_long_lists_are_cut_with_a_link_to_the_full_list(app, factory, cast):
    from portal.public.country_queries import ACTIONS_PER_ROLE, LISTED, TIMELINE

    ids = factory.bulk_commitments(cast["ministry"], cast["ministry_editor"], LISTED + 5)
    for commitment_id in ids[:TIMELINE + 3]:
        factory.update(type("C", (), {"id": commitment_id})(), cast["ministry_editor"],
                       reported_on=portal_today(app) - timedelta(days=1))
    for n in range(ACTIONS_PER_ROLE + 2):
        add_action(app, cast["ministry_editor"], title=f"Acción {n}", countries=(("HND", "destination"),))
    page = browser(app).text("/countries/HND")
    assert len(re.findall(r'href="/commitments/\d+"', page)) == LISTED + TIMELINE
    assert f"See all {LISTED + 5} commitments in the list" in section(page, "commitments")
    assert len(re.findall(r'href="/actions/\d+"', page)) == ACTIONS_PER_ROLE
    assert f"Destination ({ACTIONS_PER_ROLE + 2})" in section(page, "joint-actions")
    assert f"See all {ACTIONS_PER_ROLE + 2}" in section(page, "joint-actions")
    assert 'href="/actions/?country=HND&amp;country_role=destination"' in page
