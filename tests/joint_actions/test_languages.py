"""Joint actions and each party's deliverable in Spanish, English or both: the reader's language where it
exists, else the other marked with its lang; forms, history, locking, API, exports and IATI carry both."""

import csv
import io
import json

from flask_migrate import downgrade, upgrade
from sqlalchemy import text

from portal.extensions import db
from portal.joint_actions.models import JointAction, Party
from tests.joint_actions.support import Actions, browser, hidden, load, post

#: The revision before joint actions had a column per language.
BEFORE_LANGUAGES = "7c2d9e4f1b63-1"


def english_action(app, cast) -> int:
    return Actions(app, cast).create("public", title=None, title_en="Safe return from Mexico",
                                     description_en="With **mobile consulates**.")


def test_each_language_reads_its_own_text_and_the_other_marked_with_its_lang(app, cast):
    actions = Actions(app, cast)
    action_id = english_action(app, cast)
    party_id = actions.propose(action_id, "partner", deliverable="Datos mensuales.")
    spanish, english = browser(app, language="es"), browser(app, language="en")

    page = spanish.text(f"/actions/{action_id}")
    assert '<h1><span lang="en">Safe return from Mexico</span> <small class="only-in">(solo en inglés)</small></h1>' \
        in page
    assert '<div lang="en"><p>With <strong>mobile consulates</strong>.</p>' in page
    assert "<p>Datos mensuales.</p>" in page and '<div lang="es"><p>Datos mensuales.' not in page
    page = english.text(f"/actions/{action_id}")
    assert "<h1>Safe return from Mexico</h1>" in page
    assert '<div lang="es"><p>Datos mensuales.</p>\n</div>\n<p class="only-in">(only in Spanish)</p>' in page
    assert party_id
    listing = spanish.text("/actions/")
    assert '<span lang="en">Safe return from Mexico</span> <small class="only-in">(solo en inglés)</small>' in listing


def test_the_api_exports_and_iati_carry_both_languages(app, cast):
    actions = Actions(app, cast)
    both = actions.create("public", title=None, title_es="Retorno seguro", title_en="Safe return",
                          description_es="Con consulados.", description_en="With consulates.")
    actions.propose(both, "partner", deliverable="Datos.", deliverable_en="Figures.")
    client = browser(app, language="es")
    item = json.loads(client.text(f"/api/v1/joint-actions/{both}"))
    assert (item["title"], item["title_es"], item["title_en"], item["original_language"]) == \
        ("Retorno seguro", "Retorno seguro", "Safe return", "es")
    assert (item["description_es"], item["description_en"]) == ("Con consulados.", "With consulates.")
    partner = next(party for party in item["parties"] if party["role"]["code"] == "partner")
    assert (partner["deliverable_es"], partner["deliverable_en"]) == ("Datos.", "Figures.")
    rows = list(csv.reader(io.StringIO(browser(app, language="en").text("/actions.csv"))))
    header = rows[0]
    assert header.index("Title in English") == header.index("Title in Spanish") + 1
    row = next(row for row in rows[2:] if row[0] == str(both))
    assert row[header.index("Title in Spanish")] == "Retorno seguro"
    assert row[header.index("Title in English")] == "Safe return"
    iati = client.text(f"/actions/{both}/iati.xml")
    assert "<title><narrative>Retorno seguro</narrative><narrative xml:lang=\"en\">Safe return</narrative></title>" \
        in iati


def test_a_refused_stale_edit_keeps_both_texts_and_a_translation_is_recorded(app, cast):
    action_id = Actions(app, cast).create("public", title=None, title_es="Antes")
    url = f"/actions/{action_id}/edit"
    first, second = browser(app, cast["lead_editor"]), browser(app, cast["lead_admin"])
    base = {"symposium_id": "", "source_minutes_id": "", "visibility": "public"}
    stale = hidden(first.text(url), "version")
    assert post(second, url, {**base, "version": hidden(second.text(url), "version"), "title_es": "Antes",
                              "title_en": "Before"}).status_code == 303
    refused = post(first, url, {**base, "version": stale, "title_es": "Mi versión", "title_en": "My version"})
    form = refused.get_data(as_text=True).split("<form", 1)[1]
    assert refused.status_code == 409 and 'value="Mi versión"' in form and 'value="My version"' in form
    history = browser(app, cast["lead_editor"]).text(f"/actions/{action_id}").split('id="history"', 1)[1]
    assert "Title in English: <del>—</del> → <ins>Before</ins>" in history
    assert load(app, JointAction, action_id).title_en == "Before"


def test_a_stale_deliverable_form_keeps_both_texts(app, cast):
    actions = Actions(app, cast)
    action_id = actions.create("public")
    party_id = actions.propose(action_id, "partner")
    url = f"/actions/{action_id}/parties/{party_id}/edit"
    first, second = browser(app, cast["partner_editor"]), browser(app, cast["partner_editor"])
    stale = hidden(first.text(url), "version")
    assert post(second, url, {"deliverable_es": "Datos.", "deliverable_en": "Figures.",
                              "version": hidden(second.text(url), "version")}).status_code == 303
    refused = post(first, url, {"deliverable_es": "Mis datos.", "deliverable_en": "My figures.", "version": stale})
    page = refused.get_data(as_text=True)
    assert refused.status_code == 409
    assert "Mis datos." in page.split("<form", 1)[1] and "My figures." in page.split("<form", 1)[1]
    current = page.split("current-version", 1)[1].split("<form", 1)[0]
    assert '<div class="prose" lang="en"><p>Figures.</p>' in current
    assert (load(app, Party, party_id).deliverable_es, load(app, Party, party_id).deliverable_en) == \
        ("Datos.", "Figures.")


def test_the_migration_keeps_every_joint_action_as_spanish_and_back(app, cast):
    actions = Actions(app, cast)
    spanish = actions.create("public", title=None, title_es="Guía del Migrante", description_es="Copias.")
    english = english_action(app, cast)
    party = actions.propose(spanish, "partner", deliverable="Datos.")
    with app.app_context():
        downgrade(directory="migrations", revision=BEFORE_LANGUAGES)
        titles = dict(db.session.execute(text("SELECT id, title FROM joint_actions")).all())
        deliverable = db.session.execute(text("SELECT deliverable FROM joint_action_parties WHERE id = :id"),
                                         {"id": party}).scalar()
        db.session.rollback()
        assert titles == {spanish: "Guía del Migrante", english: "Safe return from Mexico"}
        assert deliverable == "Datos."
        upgrade(directory="migrations")
        after = db.session.execute(text("SELECT id, title_es, title_en, description_es, original_language "
                                        "FROM joint_actions ORDER BY id")).all()
        parties = db.session.execute(text("SELECT deliverable_es, deliverable_en, original_language "
                                          "FROM joint_action_parties WHERE id = :id"), {"id": party}).one()
        db.session.rollback()
    assert [tuple(row) for row in after] == [(spanish, "Guía del Migrante", None, "Copias.", "es"),
                                             (english, "Safe return from Mexico", None, "With **mobile consulates**.",
                                              "es")]
    assert tuple(parties) == ("Datos.", None, "es")
