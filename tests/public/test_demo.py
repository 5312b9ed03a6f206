"""The demo's country pages: Honduras carries the press release's figures with their source, in both languages;
the IOM mission's account keeps them."""

from portal.demo.data import DEMO_EMAIL_DOMAIN, DEMO_PASSWORD
from portal.demo.loader import load_demo
from portal.extensions import db
from tests.commitments.support import browser
from tests.public.support import text_of


def test_honduras_shows_the_press_release_figures_and_the_iom_account_keeps_them(app):
    with app.app_context():
        load_demo()
        db.session.commit()
    english = text_of(browser(app, language="en").text("/countries/HND"))
    assert "Migrants returned to Honduras 95,250 01/2014 – 06/2016 · Source: CENISS" in english
    assert "Migrants returned more than once 12.5%" in english
    spanish = text_of(browser(app, language="es").text("/countries/HND"))
    assert "Migrantes retornados a Honduras 95,250" in spanish and "Fuente: CENISS" in spanish
    assert "Migrantes retornados más de una vez 12.5%" in spanish
    iom = browser(app)
    assert iom.login(f"oim-slv-gtm-hnd@{DEMO_EMAIL_DOMAIN}", DEMO_PASSWORD).status_code == 302
    assert iom.get("/countries/HND/figures/new").status_code == 200
    ceniss = browser(app)
    assert ceniss.login(f"ceniss-hnd@{DEMO_EMAIL_DOMAIN}", DEMO_PASSWORD).status_code == 302
    assert ceniss.get("/countries/HND/figures/new").status_code == 403
