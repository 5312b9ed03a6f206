"""What the public sees on the home page, the countries index and a country page: public items only, in every
list and every figure; a signed-in partner sees and counts what partners may see."""

import re
from datetime import timedelta

import pytest

from tests.commitments.support import browser, portal_today
from tests.public.support import add_action, text_of

FACT = re.compile(r"<dt>([^<]*)</dt><dd>([^<]*)</dd>")


def facts(page: str) -> dict[str, str]:
    """The headline figures of the home page: {label: figure}."""
    return dict(FACT.findall(page))


def country_row(page: str, iso3: str) -> str:
    """The text of a country's entry on the countries index."""
    return text_of(re.search(rf'<li data-country="{iso3}">.*?</li>', page, re.S).group(0))


def status_table(page: str, chart_id: str) -> dict[str, str]:
    """The status chart's data table: {status key: count}."""
    figure = re.search(rf'<figure class="chart" id="{chart_id}">.*?</figure>', page, re.S).group(0)
    table = figure[figure.index("<table"):]
    return dict(re.findall(r'<tr data-key="(\w+)"><th scope="row">[^<]*</th><td>([^<]*)</td>', table))


@pytest.fixture
def world(app, factory, cast):
    """A public commitment of the Honduran ministry, completed; a partners-only one, in progress; one update each,
    both verified; a public and a partners-only joint action involving Honduras."""
    day = portal_today(app) - timedelta(days=10)
    public = factory.commitment(cast["ministry"], title="Guía pública", author=cast["ministry_editor"])
    hidden = factory.commitment(cast["ministry"], visibility="partners", title="Plan reservado",
                                author=cast["ministry_editor"])
    for commitment, status in ((public, "completed"), (hidden, "in_progress")):
        update = factory.update(commitment, cast["ministry_editor"], status=status, reported_on=day,
                                note=f"Informe de avance de {commitment.title}, con detalle suficiente.")
        factory.review(update, cast["iom_editor"])
    add_action(app, cast["ministry_editor"], title="Acción pública", countries=(("HND", "origin"), ("MEX", "transit")))
    add_action(app, cast["ministry_editor"], visibility="partners", title="Acción reservada",
               countries=(("HND", "return"), ("GTM", "destination")))
    return {"public": public, "hidden": hidden}


def test_public_home_lists_and_counts_public_items_only(app, cast, world):
    page = browser(app).text("/")
    assert "Plan reservado" not in page and "Guía pública" in page
    figures = facts(page)
    assert figures["Commitments"] == "1"
    assert figures["Share completed"] == "100 %"
    assert figures["Progress updates in the last 90 days"] == "1"
    assert status_table(page, "home-status") == {"planned": "0", "in_progress": "0", "completed": "1",
                                                 "stalled": "0", "cancelled": "0"}


def test_partner_home_lists_and_counts_what_partners_may_see(app, cast, world):
    page = browser(app, cast["mexico_editor"]).text("/")
    assert "Plan reservado" in page and "Guía pública" in page
    figures = facts(page)
    assert figures["Commitments"] == "2"
    assert figures["Share completed"] == "50 %"
    assert figures["Progress updates in the last 90 days"] == "2"
    assert status_table(page, "home-status")["in_progress"] == "1"


def test_public_country_page_lists_and_counts_public_items_only(app, cast, world):
    page = browser(app).text("/countries/HND")
    assert "Plan reservado" not in page and "Acción reservada" not in page
    assert "Guía pública" in page and "Acción pública" in page
    assert "1 commitment that you can see." in text_of(page)
    assert status_table(page, "country-status") == {"planned": "0", "in_progress": "0", "completed": "1",
                                                    "stalled": "0", "cancelled": "0"}
    assert "/corridors/GTM-HND" not in page and "/corridors/HND-MEX" in page
    assert "Return (0)" in text_of(page) and "Origin (1)" in text_of(page)


def test_partner_country_page_lists_and_counts_what_partners_may_see(app, cast, world):
    page = browser(app, cast["mexico_editor"]).text("/countries/HND")
    assert "Plan reservado" in page and "Acción reservada" in page
    assert "2 commitments that you can see." in text_of(page)
    assert status_table(page, "country-status")["in_progress"] == "1"
    assert "/corridors/GTM-HND" in page
    assert "Return (1)" in text_of(page)


def test_countries_index_counts_visible_commitments(app, cast, world):
    assert country_row(browser(app).text("/countries/"), "HND") == "Honduras 1 organisation 1 commitment"
    assert country_row(browser(app, cast["mexico_editor"]).text("/countries/"), "HND") == \
        "Honduras 1 organisation 2 commitments"
    assert country_row(browser(app).text("/countries/"), "MEX") == \
        "Mexico 1 organisation No commitment that you can see yet"
    assert country_row(browser(app, language="es").text("/countries/"), "HND") == "Honduras 1 organización 1 compromiso"


def test_parties_only_commitment_counts_only_for_its_owner(app, factory, cast, world):
    factory.commitment(cast["ministry"], visibility="parties", title="Solo las partes", author=cast["ministry_editor"])
    assert "Solo las partes" not in browser(app, cast["mexico_editor"]).text("/countries/HND")
    assert facts(browser(app, cast["mexico_editor"]).text("/"))["Commitments"] == "2"
    owner = browser(app, cast["ministry_editor"])
    assert "Solo las partes" in owner.text("/countries/HND")
    assert facts(owner.text("/"))["Commitments"] == "3"


def test_recent_progress_figure_counts_visible_joint_action_shares_within_90_days(app, cast):
    from tests.public.support import report_on_lead_share

    today = portal_today(app)
    public = add_action(app, cast["ministry_editor"], title="Pública")
    hidden = add_action(app, cast["ministry_editor"], visibility="partners", title="Reservada")
    report_on_lead_share(app, public, cast["ministry_editor"], today - timedelta(days=2))
    report_on_lead_share(app, public, cast["ministry_editor"], today - timedelta(days=120))
    report_on_lead_share(app, hidden, cast["ministry_editor"], today - timedelta(days=2))
    assert facts(browser(app).text("/"))["Progress updates in the last 90 days"] == "1"
    assert facts(browser(app, cast["mexico_editor"]).text("/"))["Progress updates in the last 90 days"] == "2"
