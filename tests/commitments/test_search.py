"""Searching commitments: words in either language, accents folded, the last word as a prefix, best match
first, every filter and the visibility rule still applying, and the index kept in step with each write."""

import csv
import io
import json
from urllib.parse import quote

from sqlalchemy import text

from portal.extensions import db
from tests.commitments.support import browser, listed, post
from tests.commitments.test_editing import edit_form


def found(client, q: str, extra: str = "") -> list[int]:
    """The ids listed for a search, in the order shown."""
    return list(listed(client.text(f"/commitments/?q={quote(q)}{extra}")))


def bilingual(factory, cast, title_es, title_en, description_es="", description_en="", **fields):
    return factory.commitment(cast["owner"], author=cast["owner_editor"], title_es=title_es, title_en=title_en,
                              description_es=description_es, description_en=description_en, **fields)


def test_a_word_in_spanish_or_english_finds_the_commitment_with_accents_folded(app, cast, factory):
    made = bilingual(factory, cast, "Fortalecer la organización consular", "Strengthen the consular network",
                     "Protección de niñas y niños retornados", "Protection of returned children")
    other = bilingual(factory, cast, "Mesa de coordinación", "Coordination table")
    for language in ("es", "en"):
        client = browser(app, language=language)
        for q in ("organización", "organizacion", "ORGANIZACIÓN", "network", "niñas", "ninas", "Protección",
                  "proteccion", "children", "returned children", "consular organizacion"):
            assert found(client, q) == [made.id], (language, q)
        assert found(client, "coordinacion") == [other.id]
        assert found(client, "organizacion network") == [made.id], "words from both languages together"
        assert found(client, "organizacion tabla") == [], "every word must match"


def test_the_last_word_matches_as_a_prefix(app, cast, factory):
    consular = bilingual(factory, cast, "Red consular de protección", "Consular protection network")
    protocol = bilingual(factory, cast, "Protocolo de recepción", "Reception protocol")
    client = browser(app)
    assert found(client, "consul") == [consular.id]
    assert set(found(client, "prot")) == {consular.id, protocol.id}
    assert found(client, "protec") == [consular.id]
    assert found(client, "protoc") == [protocol.id]
    assert found(client, "red consul") == [consular.id]
    # Only the last word is a prefix: "protec red" wants the whole word "protec".
    assert found(client, "protec red") == []


def test_a_title_match_ranks_above_a_description_match_unless_a_sort_is_chosen(app, cast, factory):
    in_title = bilingual(factory, cast, "Retorno digno y reintegración", "Dignified return and reintegration")
    # Made last, so "recently updated" puts it first.
    in_description = bilingual(factory, cast, "Mesa interinstitucional", "Inter-agency table",
                               "Coordina el retorno y la reintegración.", "Coordinates return and reintegration.")
    bilingual(factory, cast, "Sin relación", "Unrelated")
    client = browser(app)
    assert found(client, "reintegracion") == [in_title.id, in_description.id]
    assert found(client, "reintegration") == [in_title.id, in_description.id]
    assert found(client, "reintegracion", "&sort=recent") == [in_description.id, in_title.id]
    assert found(client, "reintegracion", "&sort=title") == [in_title.id, in_description.id]  # "Dignified", "Inter"
    assert "Best match when searching" in client.text("/commitments/?q=reintegracion")


def test_filters_combine_with_the_search(app, cast, factory):
    themes = factory.theme_ids()
    symposium = factory.symposium(title="Tegucigalpa")
    honduran = bilingual(factory, cast, "Protección consular", "Consular protection", symposium_id=symposium.id,
                         themes=[themes["consular_protection"]])
    guatemalan = factory.commitment(cast["other"], author=cast["other_editor"], title="Protección consular",
                                    themes=[themes["safe_return"]])
    factory.update(guatemalan, cast["other_editor"], status="stalled")
    bilingual(factory, cast, "Retorno", "Return", symposium_id=symposium.id)
    client = browser(app)
    expectations = {
        "": {honduran, guatemalan}, "&country=HND": {honduran}, "&country=GTM": {guatemalan},
        f"&symposium={symposium.id}": {honduran}, f"&theme={themes['safe_return']}": {guatemalan},
        "&status=stalled": {guatemalan}, "&status=planned": {honduran}, "&flag=pending": {guatemalan},
        f"&organisation={cast['owner'].id}&sort=target": {honduran},
    }
    for extra, wanted in expectations.items():
        assert set(found(client, "consular", extra)) == {c.id for c in wanted}, extra
    page = client.text("/commitments/?q=consular&country=HND")
    assert "1 commitment matches" in page


def test_the_public_never_finds_what_it_may_not_see(app, cast, factory):
    shown = factory.commitment(cast["owner"], "public", author=cast["owner_editor"], title="Zqwvisible retorno")
    partners = factory.commitment(cast["owner"], "partners", author=cast["owner_editor"], title="Zqwpartners retorno")
    parties = factory.commitment(cast["owner"], "parties", author=cast["owner_editor"], title="Zqwparties retorno")
    public = browser(app)
    for q in ("retorno", "zqw", "zqwpartners", "zqwparties"):
        assert set(found(public, q)) <= {shown.id}, q
        api = json.loads(public.text(f"/api/v1/commitments?q={q}"))
        assert {item["id"] for item in api["items"]} <= {shown.id}, q
        exported = public.text(f"/commitments.csv?q={q}")
        assert "Zqwpartners" not in exported and "Zqwparties" not in exported, q
    assert "0 commitments match" in public.text("/commitments/?q=zqwparties")
    # A partner sees the partners' one, the owner also its parties-only one.
    assert set(found(browser(app, cast["other_editor"]), "retorno")) == {shown.id, partners.id}
    assert set(found(browser(app, cast["owner_editor"]), "retorno")) == {shown.id, partners.id, parties.id}


def test_the_api_and_exports_search_the_same_way(app, cast, factory):
    made = bilingual(factory, cast, "Organización consular", "Consular organisation")
    bilingual(factory, cast, "Otra cosa", "Something else")
    client = browser(app)
    api = json.loads(client.text("/api/v1/commitments?q=organizacion%20consul"))
    assert [item["id"] for item in api["items"]] == [made.id]
    rows = list(csv.reader(io.StringIO(client.text("/commitments.csv?q=organizacion"))))
    assert len(rows) == 3 and any("Organización consular" in cell for cell in rows[2])


def test_an_edited_title_is_found_at_once_and_the_old_one_no_more(app, cast, factory):
    commitment = factory.commitment(cast["owner"], "public", author=cast["owner_editor"], title="Zqvieja mesa")
    owner, public = browser(app, cast["owner_editor"]), browser(app)
    assert found(public, "zqvieja") == [commitment.id]
    url = f"/commitments/{commitment.id}/edit"
    response = post(owner, url, {**edit_form(owner.text(url)), "title_es": "Zqnueva mesa", "title_en": "",
                                     "visibility": "public"})
    assert response.status_code == 303
    assert found(public, "zqnueva") == [commitment.id]
    assert found(public, "zqvieja") == []


def test_archived_commitments_are_found_only_among_the_archived(app, cast, factory):
    commitment = factory.commitment(cast["owner"], "public", author=cast["owner_editor"], title="Zqarchivo")
    owner, public = browser(app, cast["owner_editor"]), browser(app)
    assert post(owner, f"/commitments/{commitment.id}/archive").status_code == 303
    assert found(public, "zqarchivo") == []
    assert found(public, "zqarchivo", "&flag=archived") == [commitment.id]


def test_a_deleted_row_leaves_the_index(app, cast, factory):
    """Commitments are never deleted by the portal; should one be removed by hand, search forgets it."""
    commitment = factory.commitment(cast["owner"], "public", author=cast["owner_editor"], title="Zqborrado")
    with app.app_context():
        db.session.execute(text("DELETE FROM commitment_themes WHERE commitment_id = :id"), {"id": commitment.id})
        db.session.execute(text("DELETE FROM commitments WHERE id = :id"), {"id": commitment.id})
        db.session.commit()
    assert found(browser(app), "zqborrado") == []
    with app.app_context():
        if db.engine.dialect.name == "sqlite":
            # The external-content index agrees with its table.
            db.session.execute(text("INSERT INTO commitments_search(commitments_search) VALUES ('integrity-check')"))
        db.session.rollback()


def test_query_syntax_typed_into_the_box_is_only_text(app, cast, factory):
    made = factory.commitment(cast["owner"], "public", author=cast["owner_editor"], title="Protección consular")
    client = browser(app)
    for q in ('"', '""', '"consular', 'consular"', "consular*", "*", "-consular", "consular -", "NEAR(consular)",
              "consular NEAR protección", "consular OR", "OR", "AND", "NOT", "title_es:consular", ":", "consular:*",
              "(consular", ")", "consular & protección", "!consular", "|", "<->", "consular <-> proteccion",
              "'", "''", "\\", "%", "_", "^consular", "{consular}", "[", "consular;--", "\u00a0", "\u200b", "☃",
              "a" * 100, "x " * 50):
        response = client.get(f"/commitments/?q={quote(q)}")
        assert response.status_code == 200, q
        api = client.get(f"/api/v1/commitments?q={quote(q)}")
        assert api.status_code in (200, 400), q
    # Punctuation separates words; what is left is searched as words.
    for q in ('"consular', "consular*", "-consular", "(consular", "consular:*", "consular & protección",
              'consular"', 'protección "consular', "protección) (consular"):
        assert made.id in found(client, q), q
    # Operators are words like any other: nothing here has "near", "title" or "es" in it.
    for q in ("NEAR(consular)", "title_es:consular", "*", "%"):
        assert found(client, q) == [], q


def test_the_index_objects_exist_at_head(app):
    """A later migration that rebuilds the commitments table must make the search objects again."""
    with app.app_context():
        if db.engine.dialect.name == "sqlite":
            names = set(db.session.execute(text(
                "SELECT name FROM sqlite_master WHERE name LIKE 'commitments_search%'")).scalars())
            assert {"commitments_search", "commitments_search_insert", "commitments_search_update",
                    "commitments_search_delete"} <= names
        else:
            assert db.session.execute(text(
                "SELECT attgenerated FROM pg_attribute WHERE attrelid = 'commitments'::regclass"
                " AND attname = 'search_vector'")).scalar() == "s"
            assert db.session.execute(text(
                "SELECT indexdef FROM pg_indexes WHERE indexname = 'ix_commitments_search_vector'")).scalar() \
                .endswith("USING gin (search_vector)")
        db.session.rollback()


def test_the_migration_indexes_the_rows_already_there_and_steps_down_cleanly(app, cast, factory):
    from flask_migrate import downgrade, upgrade

    before = factory.commitment(cast["owner"], "public", author=cast["owner_editor"], title="Zqantes organización")
    with app.app_context():
        downgrade(directory="migrations", revision="3f7a9c1e5b20-1")
    try:
        # Written while there is no index at all.
        during = factory.commitment(cast["owner"], "public", author=cast["owner_editor"],
                                    title="Zqdurante organización")
    finally:
        with app.app_context():
            upgrade(directory="migrations")  # back to the head even on failure: the next tests share the database
    client = browser(app)
    assert set(found(client, "organizacion")) == {before.id, during.id}
    assert found(client, "zqdurante") == [during.id]
    test_the_index_objects_exist_at_head(app)
