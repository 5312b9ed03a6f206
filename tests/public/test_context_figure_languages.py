"""Context figures in Spanish, English or both: a label in one language at least, a note in either; the
reader's language where it exists, else the other marked with its lang; the API, a stale edit and the
migration keep both."""

import json
from decimal import Decimal

from flask_migrate import downgrade, upgrade
from sqlalchemy import text

from portal.core.audit import AuditEvent
from portal.extensions import db
from portal.public.models import ContextFigure
from tests.commitments.support import browser, count, hidden, load, post
from tests.public.support import add_figure

#: The revision before milestones, context figures' notes and action items had a column per language.
BEFORE_LANGUAGES = "a3f8c1d6e2b7-1"
FORM = {"value": "95250", "unit": "", "period": "2014 – 2016", "source": "CENISS", "source_url": "",
        "position": "1"}


def english_figure(app, cast) -> int:
    return add_figure(app, cast["iom_editor"], label_es=None, label_en="Returned more than once",
                      note_en="Share of all returns.", value=Decimal("12.5"), unit="%")


def test_each_language_reads_its_own_label_and_note_and_the_other_marked_with_its_lang(app, cast):
    english_figure(app, cast)
    add_figure(app, cast["iom_editor"], label_en=None, note_es="Cifra oficial.", position=1)
    spanish = browser(app, language="es").text("/countries/HND")
    english = browser(app, language="en").text("/countries/HND")
    assert '<dt><span lang="en">Returned more than once</span> <small class="only-in">(solo en inglés)</small></dt>' \
        in spanish
    assert '<dd class="muted"><span lang="en">Share of all returns.</span> <small class="only-in">(solo en inglés)' \
        '</small></dd>' in spanish
    assert "<dt>Migrantes retornados</dt>" in spanish and '<dd class="muted">Cifra oficial.</dd>' in spanish
    assert "<dt>Returned more than once</dt>" in english and '<dd class="muted">Share of all returns.</dd>' in english
    assert '<dt><span lang="es">Migrantes retornados</span> <small class="only-in">(only in Spanish)</small></dt>' \
        in english
    assert '<span lang="es">Cifra oficial.</span> <small class="only-in">(only in Spanish)</small>' in english


def test_the_api_carries_both_languages_and_the_readers(app, cast):
    english_figure(app, cast)
    add_figure(app, cast["iom_editor"], note_es="Cifra oficial.", note_en="Official figure.", position=1)
    for language, labels in (("es", ["Returned more than once", "Migrantes retornados"]),
                             ("en", ["Returned more than once", "Migrants returned"])):
        figures = json.loads(browser(app, language=language).text("/api/v1/countries/HND"))["context_figures"]
        assert [figure["label"] for figure in figures] == labels
    english, both = figures
    assert (both["label_es"], both["label_en"], both["note_es"], both["note_en"], both["original_language"]) == \
        ("Migrantes retornados", "Migrants returned", "Cifra oficial.", "Official figure.", "es")
    assert (english["label_es"], english["label_en"], english["note_es"], english["note"]) == \
        (None, "Returned more than once", None, "Share of all returns.")


def test_a_label_in_one_language_is_enough_and_none_is_refused_in_the_readers_language(app, cast):
    client = browser(app, cast["iom_editor"], language="es")
    refused = post(client, "/countries/HND/figures/new", {**FORM, "label_es": " ", "label_en": "",
                                                          "note_es": "Nota conservada."})
    assert refused.status_code == 200 and count(app, ContextFigure) == 0
    page = refused.get_data(as_text=True)
    assert "Escríbalo en español, en inglés o en ambos idiomas." in page and "Nota conservada." in page
    assert '<div class="language-pair">' in page and 'lang="en"' in page.split('<div class="language-pair">')[1]
    assert post(client, "/countries/HND/figures/new", {**FORM, "label_es": "", "label_en": "Returnees",
                                                       "note_en": "Rounded."}).status_code == 303
    with app.app_context():
        figure = db.session.query(ContextFigure).one()
        assert (figure.label_es, figure.label_en, figure.note_es, figure.note_en, figure.original_language) == \
            (None, "Returnees", None, "Rounded.", "en")


def test_a_refused_stale_edit_keeps_both_texts_and_a_translation_is_recorded(app, cast):
    figure_id = add_figure(app, cast["iom_editor"], label_en=None, note_es="Cifra oficial.")
    url = f"/countries/HND/figures/{figure_id}/edit"
    first, second = browser(app, cast["iom_editor"]), browser(app, cast["site_admin"])
    stale = hidden(first.text(url), "version")
    assert post(second, url, {**FORM, "label_es": "Migrantes retornados", "label_en": "Returnees",
                              "note_es": "Cifra oficial.", "note_en": "Official figure.",
                              "version": hidden(second.text(url), "version")}).status_code == 303
    refused = post(first, url, {**FORM, "label_es": "Mi etiqueta", "label_en": "My label", "note_es": "Mi nota.",
                                "note_en": "My note.", "version": stale})
    page = refused.get_data(as_text=True)
    form = page.split("<form", 1)[1]
    assert refused.status_code == 409
    assert 'value="Mi etiqueta"' in form and 'value="My label"' in form and "Mi nota." in form and "My note." in form
    current = page.split("current-version", 1)[1].split("<form", 1)[0]
    assert '<dt>Label in English</dt><dd lang="en">Returnees</dd>' in current
    assert '<dt>Note in English</dt><dd lang="en">Official figure.</dd>' in current
    figure = load(app, ContextFigure, figure_id)
    assert (figure.label_en, figure.note_en, figure.version) == ("Returnees", "Official figure.", 2)
    with app.app_context():
        changes = db.session.query(AuditEvent).filter_by(object_type="context_figures", object_id=figure_id, action="update").one().changes
    assert changes["label_en"] == [None, "Returnees"] and changes["note_en"] == [None, "Official figure."]


def test_the_migration_keeps_every_figure_and_down_fills_a_missing_label(app, cast):
    spanish = add_figure(app, cast["iom_editor"], label_en=None, note_es="Cifra oficial.")
    english = english_figure(app, cast)
    with app.app_context():
        downgrade(directory="migrations", revision=BEFORE_LANGUAGES)
        rows = db.session.execute(text("SELECT id, label_es, label_en, note FROM context_figures ORDER BY id")).all()
        db.session.rollback()
        assert [tuple(row) for row in rows] == [
            (spanish, "Migrantes retornados", "Migrantes retornados", "Cifra oficial."),
            (english, "Returned more than once", "Returned more than once", "Share of all returns.")]
        upgrade(directory="migrations")
        after = db.session.execute(text("SELECT id, label_es, label_en, note_es, note_en, original_language "
                                        "FROM context_figures ORDER BY id")).all()
        db.session.rollback()
    assert [tuple(row) for row in after] == [
        (spanish, "Migrantes retornados", "Migrantes retornados", "Cifra oficial.", None, "es"),
        (english, "Returned more than once", "Returned more than once", "Share of all returns.", None, "es")]
