"""An export edited in a spreadsheet and sent back: unchanged is zero changes, edited cells are the changes,
and a commitment changed by someone else since the export is a conflict that overwrites nothing."""

from sqlalchemy import select

from portal.commitments.models import Commitment
from portal.core.audit import AuditEvent
from portal.extensions import db
from portal.frameworks.models import FrameworkTag
from portal.progress.models import ProgressUpdate
from tests.commitments.support import count, load
from tests.importing.support import browser, confirm, export_csv, set_cell, summary, to_csv, upload


def _three(factory, cast, symposium=None):
    themes = factory.theme_ids()
    with factory.app.app_context():
        tags = db.session.scalars(select(FrameworkTag.id).order_by(FrameworkTag.id).limit(2)).all()
    return [factory.commitment(cast["owner"], author=cast["owner_editor"], title=f"Compromiso {n}",
                               visibility="public", themes=[list(themes.values())[n]],
                               framework_tags=tags[:n], indicator_unit="personas", indicator_target=100 + n)
            for n in range(3)]


def test_an_export_sent_back_unchanged_changes_nothing(app, factory, cast):
    _three(factory, cast)
    client = browser(app, cast["owner_editor"])
    rows = export_csv(client)
    for language, encoding in (("en", "utf-8-sig"), ("es", "utf-8")):
        page = upload(browser(app, cast["owner_editor"], language), to_csv(export_csv(
            browser(app, cast["owner_editor"], language)), encoding)).get_data(as_text=True)
        assert "Nothing to import" in page or "Nada que importar" in page
    page = upload(client, to_csv(rows)).get_data(as_text=True)
    assert summary(page)["Unchanged"] == 3 and summary(page)["Changed"] == 0 and summary(page)["New"] == 0


def test_three_edited_cells_are_three_changes_and_a_new_status_is_a_progress_update(app, factory, cast):
    first, second, _ = _three(factory, cast)
    client = browser(app, cast["owner_editor"])
    rows = export_csv(client)
    set_cell(rows, first.id, "Title in Spanish", "Compromiso renombrado")
    set_cell(rows, second.id, "Target", "250")
    set_cell(rows, second.id, "Status code", "in_progress")
    page = upload(client, to_csv(rows)).get_data(as_text=True)
    assert summary(page)["Changed"] == 2 and summary(page)["Unchanged"] == 1
    assert "Compromiso 0 → Compromiso renombrado" in page and "101 → 250" in page
    assert count(app, Commitment, Commitment.title == "Compromiso renombrado") == 0, "a preview writes nothing"
    response = confirm(client, page)
    assert response.status_code == 303
    assert load(app, Commitment, first.id).title == "Compromiso renombrado"
    changed = load(app, Commitment, second.id)
    assert changed.indicator_target == 250 and changed.status == "in_progress"
    assert count(app, ProgressUpdate, ProgressUpdate.commitment_id == second.id) == 1
    with app.app_context():
        events = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "import")).all()
        assert {event.object_id for event in events} == {first.id, second.id}
        assert all(event.changes["file"] == "commitments.csv" for event in events)
    # Sent again: the same token imports nothing more.
    again = confirm(client, page)
    assert again.status_code == 303 and "/commitments/import" in again.headers["Location"]
    assert count(app, ProgressUpdate, ProgressUpdate.commitment_id == second.id) == 1


def test_a_row_changed_by_someone_else_since_the_export_is_a_conflict(app, factory, cast):
    first, second, _ = _three(factory, cast)
    client = browser(app, cast["owner_editor"])
    rows = export_csv(client)
    factory.change(first, title_es="Cambiado por una colega", version=first.version + 1)
    set_cell(rows, first.id, "Description in Spanish", "Mi descripción")
    set_cell(rows, second.id, "Description in Spanish", "Otra descripción")
    page = upload(client, to_csv(rows)).get_data(as_text=True)
    assert summary(page)["Changed by someone else since the export"] == 1 and summary(page)["Changed"] == 1
    response = confirm(client, page)
    assert response.status_code == 409, "all or nothing: nothing imported"
    assert load(app, Commitment, first.id).title == "Cambiado por una colega"
    assert load(app, Commitment, first.id).description == "" and load(app, Commitment, second.id).description == ""
    assert confirm(client, page, scope="valid").status_code == 303
    assert load(app, Commitment, first.id).description == "", "the conflict is never overwritten"
    assert load(app, Commitment, second.id).description == "Otra descripción"


def test_new_rows_add_commitments_of_the_importers_organisation_only(app, factory, cast):
    client = browser(app, cast["owner_editor"])
    table = [["Título", "Organización", "Códigos de tema", "Estado", "Fecha límite"],
             ["Nuevo compromiso", "", "", "Planificado", "2027-06-30"],
             ["Ajeno", cast["other"].name, "", "", ""]]
    page = upload(client, to_csv(table)).get_data(as_text=True)
    assert summary(page)["New"] == 1 and summary(page)["With errors"] == 1
    assert confirm(client, page).status_code == 409
    assert count(app, Commitment) == 0
    done = confirm(client, page, scope="valid")
    assert done.status_code == 303
    follow = client.get(done.headers["Location"]).get_data(as_text=True)
    assert "1 row skipped" in follow
    created = load(app, Commitment, db_first_id(app))
    assert created.organisation_id == cast["owner"].id and str(created.target_date) == "2027-06-30"


def db_first_id(app):
    with app.app_context():
        return db.session.scalar(select(Commitment.id))


def test_figures_after_an_import_equal_figures_after_entering_the_same_rows_by_hand(app, factory, cast):
    from tests.commitments.support import status_counts

    rows = [("Guía para personas retornadas", "in_progress", "40"), ("Registro consular", "completed", "100"),
            ("Mesa técnica", "planned", "")]
    table = [["Título", "Estado", "Unidad del indicador", "Meta", "Logrado", "Quién puede consultarlo"]]
    table += [[title, status, "personas", "100", achieved, "public"] for title, status, achieved in rows]
    importer = browser(app, cast["owner_editor"])
    assert confirm(importer, upload(importer, to_csv(table)).get_data(as_text=True)).status_code == 303
    by_hand = cast["other_editor"]
    for title, status, achieved in rows:
        commitment = factory.commitment(cast["other"], author=by_hand, title=title, visibility="public",
                                        indicator_unit="personas", indicator_target=100)
        if status != "planned" or achieved:
            factory.update(commitment, by_hand, status=status, indicator_value=int(achieved) if achieved else None)
    public = app.test_client()
    imported = public.get(f"/commitments/?organisation={cast['owner'].id}").get_data(as_text=True)
    entered = public.get(f"/commitments/?organisation={cast['other'].id}").get_data(as_text=True)
    assert status_counts(imported) == status_counts(entered)
    assert {k: v for k, v in status_counts(imported).items() if v} == {"planned": 1, "in_progress": 1, "completed": 1}
    with app.app_context():
        def figures(organisation):
            return sorted((c.title, c.status, c.indicator_achieved, c.review_state) for c in db.session.scalars(
                select(Commitment).where(Commitment.organisation_id == organisation.id)))
        assert figures(cast["owner"]) == figures(cast["other"])


def test_a_row_written_in_english_only_is_kept_in_english(app, factory, cast):
    client = browser(app, cast["owner_editor"])
    table = [["Title in English", "Description in English"], ["Consular protection network", "Twelve consulates."]]
    page = upload(client, to_csv(table)).get_data(as_text=True)
    assert summary(page)["New"] == 1
    assert confirm(client, page).status_code == 303
    with app.app_context():
        commitment = db.session.scalar(select(Commitment))
        assert (commitment.title_es, commitment.title_en, commitment.description_en, commitment.original_language) \
            == (None, "Consular protection network", "Twelve consulates.", "en")
