"""flask import-commitments: the same preview as text; --dry-run writes nothing; the import writes every row."""

from portal.commitments.models import Commitment
from tests.commitments.support import count
from tests.importing.support import to_csv


def test_the_command_previews_then_imports(app, factory, cast, tmp_path):
    symposium = factory.symposium(slug="tegucigalpa-2016")
    path = tmp_path / "matriz.csv"
    path.write_bytes(to_csv([["Título", "Estado"], ["Ventanilla de atención a retornados", "En curso"],
                             ["Registro consular", "Planificado"]]))
    runner = app.test_cli_runner()
    args = ["import-commitments", str(path), "--as", cast["owner_editor"].email, "--symposium", symposium.slug, "--language", "en"]
    dry = runner.invoke(args=args + ["--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert "matriz.csv: 2 new, 0 proposed to other organisations, 0 changed" in dry.output and "3: new Registro consular" in dry.output
    assert count(app, Commitment) == 0
    done = runner.invoke(args=args)
    assert done.exit_code == 0 and "Imported: 2 new, 0 changed." in done.output
    assert count(app, Commitment, Commitment.symposium_id == symposium.id,
                 Commitment.organisation_id == cast["owner"].id) == 2
    assert count(app, Commitment, Commitment.status == "in_progress") == 1


def test_the_command_refuses_a_bad_file_or_an_unknown_editor(app, cast, tmp_path):
    path = tmp_path / "vacío.csv"
    path.write_bytes(b"")
    runner = app.test_cli_runner()
    empty = runner.invoke(args=["import-commitments", str(path), "--as", cast["owner_editor"].email])
    assert empty.exit_code == 1 and "El archivo está vacío." in empty.output
    nobody = runner.invoke(args=["import-commitments", str(path), "--as", "nobody@example.org", "--language", "en"])
    assert nobody.exit_code == 1 and "No editor has this e-mail address." in nobody.output


def test_the_template_has_drop_down_lists_and_an_example_row_that_imports(app, factory, cast):
    import io

    import openpyxl

    from tests.importing.support import browser, summary, upload

    for language, header, status in (("en", "Title", "Planned"), ("es", "Título", "Planificado")):
        client = browser(app, cast["owner_editor"], language)
        response = client.get("/commitments/import/template.xlsx")
        assert response.status_code == 200
        book = openpyxl.load_workbook(io.BytesIO(response.data))
        sheet = book.worksheets[0]
        assert sheet["A1"].value == header and sheet["G2"].value == status
        lists = {str(validation.sqref)[0] for validation in sheet.data_validations.dataValidation}
        assert {"C", "D", "F", "G"} <= lists, "organisation, country, theme and status offer a list"
        if language == "en":
            page = upload(client, response.data, "template.xlsx").get_data(as_text=True)
            assert summary(page)["New"] == 1 and summary(page)["With errors"] == 0


def test_the_demo_matrix_of_tegucigalpa_imports_cleanly_as_proposals_of_iom(app):
    from pathlib import Path

    import portal.demo

    runner = app.test_cli_runner()
    assert runner.invoke(args=["demo"]).exit_code == 0
    matrix = Path(portal.demo.__file__).parent / "tegucigalpa-matriz.csv"
    result = runner.invoke(args=["import-commitments", str(matrix), "--as", "oim-slv-gtm-hnd@portal-demo.example",
                                 "--language", "en"])
    assert result.exit_code == 0, result.output
    assert "0 with errors" in result.output and "Imported: 0 new, 0 changed. 6 proposed" in result.output


def test_the_readme_commands_work_as_written(tmp_path):
    from tests.test_commands_as_written import run_flask

    assert run_flask(tmp_path, "demo").returncode == 0
    result = run_flask(tmp_path, "import-commitments", "portal/demo/tegucigalpa-matriz.csv",
                       "--as", "oim-slv-gtm-hnd@portal-demo.example")
    assert result.returncode == 0, result.stderr
    assert "6 propuestos a otras organizaciones" in result.stdout and "Traceback" not in result.stderr
