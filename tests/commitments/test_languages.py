"""Commitments in Spanish, English or both: each reader gets their language where it exists, else the other,
marked and with its lang; search, forms, history, locking, API and exports cover both languages."""

import csv
import io
import json

from flask_migrate import downgrade, upgrade
from markupsafe import escape
from sqlalchemy import text

from portal.commitments.models import Commitment
from portal.extensions import db
from tests.commitments.support import browser, count, hidden, listed, load, post
from tests.helpers import translated

#: The revision before commitments had a column per language.
BEFORE_LANGUAGES = "5b1e0c7d2a41-1"


def english_only(factory, cast, **fields):
    return factory.commitment(cast["owner"], "public", author=cast["owner_editor"], title=None,
                              title_en="Return with dignity", description=None,
                              description_en="Reception with **care**.", **fields)


def spanish_only(factory, cast):
    return factory.commitment(cast["owner"], "public", author=cast["owner_editor"], title=None,
                              title_es="Retorno digno", description=None, description_es="Recepción con **cuidado**.")


def bilingual(factory, cast):
    return factory.commitment(cast["owner"], "public", author=cast["owner_editor"], title=None,
                              title_es="Mesa intersectorial", title_en="Inter-agency table",
                              description=None, description_es="Reuniones trimestrales.",
                              description_en="Quarterly meetings.")


def test_each_language_reads_its_own_text_and_the_other_marked_with_its_lang(app, cast, factory):
    only_en, only_es, both = english_only(factory, cast), spanish_only(factory, cast), bilingual(factory, cast)
    spanish, english = browser(app, language="es"), browser(app, language="en")

    page = spanish.text(f"/commitments/{only_en.id}")
    assert '<h1><span lang="en">Return with dignity</span> <small class="only-in">(solo en inglés)</small></h1>' in page
    assert '<div lang="en"><p>Reception with <strong>care</strong>.</p>\n</div>' in page
    page = english.text(f"/commitments/{only_en.id}")
    assert "<h1>Return with dignity</h1>" in page and "only-in" not in page and '<span lang="es">' not in page

    page = english.text(f"/commitments/{only_es.id}")
    assert '<h1><span lang="es">Retorno digno</span> <small class="only-in">(only in Spanish)</small></h1>' in page
    assert '<div lang="es"><p>Recepción con <strong>cuidado</strong>.</p>' in page

    for client, title, description in ((spanish, "Mesa intersectorial", "Reuniones trimestrales."),
                                       (english, "Inter-agency table", "Quarterly meetings.")):
        page = client.text(f"/commitments/{both.id}")
        assert f"<h1>{title}</h1>" in page and f"<p>{description}</p>" in page
        assert "only-in" not in page

    # The list: the reader's language where written, the other one marked.
    assert listed(spanish.text("/commitments/")) == {only_en.id: "Return with dignity", only_es.id: "Retorno digno",
                                                     both.id: "Mesa intersectorial"}
    assert listed(english.text("/commitments/")) == {only_en.id: "Return with dignity", only_es.id: "Retorno digno",
                                                     both.id: "Inter-agency table"}
    assert english.text("/commitments/").count("(only in Spanish)") == 1
    assert spanish.text("/commitments/").count("(solo en inglés)") == 1


def test_search_finds_words_in_either_language_whatever_the_readers(app, cast, factory):
    both, only_en = bilingual(factory, cast), english_only(factory, cast)
    for language in ("es", "en"):
        client = browser(app, language=language)
        assert set(listed(client.text("/commitments/?q=trimestrales"))) == {both.id}
        assert set(listed(client.text("/commitments/?q=Inter-agency"))) == {both.id}
        assert set(listed(client.text("/commitments/?q=dignity"))) == {only_en.id}
    api = json.loads(browser(app).text("/api/v1/commitments?q=quarterly"))
    assert [item["id"] for item in api["items"]] == [both.id]


def test_the_api_and_exports_carry_both_languages_as_separate_fields(app, cast, factory):
    both, only_en = bilingual(factory, cast), english_only(factory, cast)
    client = browser(app, language="es")
    item = json.loads(client.text(f"/api/v1/commitments/{both.id}"))
    assert (item["title_es"], item["title_en"], item["original_language"]) == \
        ("Mesa intersectorial", "Inter-agency table", "es")
    assert (item["description_es"], item["description_en"]) == ("Reuniones trimestrales.", "Quarterly meetings.")
    item = json.loads(client.text(f"/api/v1/commitments/{only_en.id}"))
    assert (item["title"], item["title_es"], item["title_en"], item["original_language"]) == \
        ("Return with dignity", None, "Return with dignity", "en")
    rows = list(csv.reader(io.StringIO(browser(app, language="en").text("/commitments.csv"))))
    header, tags = rows[0], rows[1]
    assert ["Title in Spanish", "Title in English", "Original language"] == header[1:4]
    assert ["#activity+name+i_es", "#activity+name+i_en"] == tags[1:3]
    by_id = {row[0]: row for row in rows[2:]}
    assert by_id[str(only_en.id)][1:4] == ["", "Return with dignity", "en"]
    assert by_id[str(both.id)][1:4] == ["Mesa intersectorial", "Inter-agency table", "es"]


def test_forms_take_both_languages_and_need_one(app, cast):
    client = browser(app, cast["owner_editor"], language="es")
    page = client.text("/commitments/new")
    assert '<div class="language-pair">' in page and '<input id="title_es" lang="es"' in page
    assert '<input id="title_en" lang="en"' in page and 'id="description_en" lang="en"' in page
    base = {"visibility": "public", "symposium_id": "", "idempotency_key": hidden(page, "idempotency_key")}
    refused = post(client, "/commitments/new", {**base, "title_es": " ", "title_en": "", "description_en": "Kept."})
    assert refused.status_code == 200
    assert str(escape(translated(app, "Write it in Spanish, in English or in both.", "es"))) in refused.get_data(True)
    assert count(app, Commitment) == 0
    created = post(client, "/commitments/new", {**base, "title_en": "Return with dignity"})
    assert created.status_code == 303
    saved = load(app, Commitment, int(created.headers["Location"].rsplit("/", 1)[1]))
    assert (saved.title_es, saved.title_en, saved.original_language) == (None, "Return with dignity", "en")


def test_a_translation_added_later_is_an_edit_in_the_history(app, cast, factory):
    commitment = spanish_only(factory, cast)
    client = browser(app, cast["owner_editor"])
    url = f"/commitments/{commitment.id}/edit"
    page = client.text(url)
    saved = post(client, url, {"title_es": "Retorno digno", "title_en": "Return with dignity", "symposium_id": "",
                               "description_es": "Recepción con **cuidado**.", "visibility": "public",
                               "version": hidden(page, "version")})
    assert saved.status_code == 303
    after = load(app, Commitment, commitment.id)
    assert (after.title_en, after.original_language, after.version) == ("Return with dignity", "es",
                                                                          commitment.version + 1)
    history = client.text(f"/commitments/{commitment.id}").split('id="history"', 1)[1]
    assert "Title in English: <del>—</del> → <ins>Return with dignity</ins>" in history
    assert "Title in Spanish:" not in history.split("</tr>", 2)[1]


def test_a_refused_stale_edit_keeps_both_texts(app, cast, factory):
    commitment = bilingual(factory, cast)
    url = f"/commitments/{commitment.id}/edit"
    alice, bob = browser(app, cast["owner_editor"]), browser(app, cast["org_admin"], language="es")
    alice_version, bob_version = hidden(alice.text(url), "version"), hidden(bob.text(url), "version")
    base = {"symposium_id": "", "visibility": "public"}
    assert post(alice, url, {**base, "version": alice_version, "title_es": "Mesa de Alice",
                             "title_en": "Alice's table"}).status_code == 303
    refused = post(bob, url, {**base, "version": bob_version, "title_es": "Mesa de Bob", "title_en": "Bob's table",
                              "description_es": "Texto de Bob.", "description_en": "Bob's text."})
    page = refused.get_data(as_text=True)
    assert refused.status_code == 409
    form = page.split("<form", 1)[1]
    assert 'value="Mesa de Bob"' in form and 'value="Bob&#39;s table"' in form
    assert "Texto de Bob." in form and "Bob&#39;s text." in form
    current = page.split("current-version", 1)[1].split("<form", 1)[0]
    assert '<span lang="es">Mesa de Alice</span>' in current and '<span lang="en">Alice&#39;s table</span>' in current
    saved = load(app, Commitment, commitment.id)
    assert (saved.title_es, saved.title_en) == ("Mesa de Alice", "Alice's table")


def test_the_migration_keeps_every_commitment_as_spanish_and_back(app, cast, factory):
    kept = factory.commitment(cast["owner"], "public", author=cast["owner_editor"], title=None,
                              title_es="Guía del Migrante", description=None, description_es="Copias.")
    english = english_only(factory, cast)
    with app.app_context():
        total = count(app, Commitment)
        downgrade(directory="migrations", revision=BEFORE_LANGUAGES)
        rows = dict(db.session.execute(text("SELECT id, title FROM commitments")).all())
        descriptions = dict(db.session.execute(text("SELECT id, description FROM commitments")).all())
        db.session.rollback()
        # Down: each commitment keeps its original language's text.
        assert rows == {kept.id: "Guía del Migrante", english.id: "Return with dignity"}
        assert descriptions == {kept.id: "Copias.", english.id: "Reception with **care**."}
        db.session.execute(text("UPDATE commitments SET description = '' WHERE id = :id"), {"id": kept.id})
        db.session.commit()
        upgrade(directory="migrations")
        assert count(app, Commitment) == total
        after = db.session.execute(text("SELECT id, title_es, title_en, description_es, description_en, "
                                        "original_language FROM commitments ORDER BY id")).all()
        db.session.rollback()
    # Up: the text already there is Spanish, the portal's default language; a blank description is none.
    assert [tuple(row) for row in after] == [(kept.id, "Guía del Migrante", None, None, None, "es"),
                                             (english.id, "Return with dignity", None, "Reception with **care**.",
                                              None, "es")]
