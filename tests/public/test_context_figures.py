"""Context figures: who may add, edit and archive them; stale edits; bad input; both languages."""

from decimal import Decimal

import pytest

from portal.core.audit import AuditEvent
from portal.public.models import ContextFigure
from tests.commitments.support import browser, count, hidden, is_login_redirect, load, post
from tests.public.support import add_figure, text_of
from tests.helpers import translated

GOOD = {"label_es": "Migrantes retornados a Honduras", "label_en": "Migrants returned to Honduras",
        "value": "95,250", "unit": "", "period": "enero 2014 – junio 2016", "source": "CENISS",
        "source_url": "https://www.ceniss.gob.hn/", "note_es": "", "position": "1"}


@pytest.mark.parametrize("who", ["iom_editor", "iom_admin", "site_admin"])
def test_iom_staff_and_site_admins_add_edit_and_archive(app, cast, who):
    client = browser(app, cast[who])
    assert client.get("/countries/HND/figures/new").status_code == 200
    response = post(client, "/countries/HND/figures/new", GOOD)
    assert response.status_code == 303 and response.headers["Location"].endswith("/countries/HND#context")
    [figure] = _figures(app)
    assert (figure.label_en, figure.value, figure.source_url) == (GOOD["label_en"], Decimal("95250"), GOOD["source_url"])
    edit_url = f"/countries/HND/figures/{figure.id}/edit"
    version = hidden(client.text(edit_url), "version")
    response = post(client, edit_url, {**GOOD, "value": "12.5", "unit": "%", "version": version})
    assert response.status_code == 303
    assert load(app, ContextFigure, figure.id).value == Decimal("12.5")
    assert post(client, f"/countries/HND/figures/{figure.id}/archive").status_code == 303
    assert load(app, ContextFigure, figure.id).is_archived
    page = browser(app).text("/countries/HND")
    assert GOOD["label_en"] not in page and "No context figure has been published for this country yet." in page
    actions = [event.action for event in _events(app, figure.id)]
    assert actions == ["create", "update", "archive"]


@pytest.mark.parametrize("who", ["ministry_editor", "mexico_editor", "iom_viewer"])
def test_others_are_refused_and_nothing_changes(app, cast, who):
    figure_id = add_figure(app, cast["iom_editor"])
    client = browser(app, cast[who])
    assert client.get("/countries/HND/figures/new").status_code == 403
    assert post(client, "/countries/HND/figures/new", GOOD).status_code == 403
    assert client.get(f"/countries/HND/figures/{figure_id}/edit").status_code == 403
    assert post(client, f"/countries/HND/figures/{figure_id}/edit", {**GOOD, "version": "1"}).status_code == 403
    assert post(client, f"/countries/HND/figures/{figure_id}/archive").status_code == 403
    assert count(app, ContextFigure) == 1
    figure = load(app, ContextFigure, figure_id)
    assert (figure.label_en, figure.is_archived, figure.version) == ("Migrants returned", False, 1)
    page = client.text("/countries/HND")
    assert "Migrants returned" in page and "/figures/new" not in page and f"/figures/{figure_id}/edit" not in page


def test_signed_out_visitors_are_sent_to_sign_in(app, cast):
    figure_id = add_figure(app, cast["iom_editor"])
    client = browser(app)
    assert is_login_redirect(client.get("/countries/HND/figures/new"))
    assert is_login_redirect(client.get(f"/countries/HND/figures/{figure_id}/edit"))
    page = client.text("/countries/HND")
    assert "Migrants returned" in page and "/figures/" not in page


def test_a_figure_of_another_country_or_archived_answers_404(app, cast):
    figure_id = add_figure(app, cast["iom_editor"])
    client = browser(app, cast["iom_editor"])
    assert client.get(f"/countries/MEX/figures/{figure_id}/edit").status_code == 404
    assert client.get("/countries/HND/figures/999/edit").status_code == 404
    assert client.get("/countries/XXX/figures/new").status_code == 404
    assert post(client, f"/countries/HND/figures/{figure_id}/archive").status_code == 303
    assert client.get(f"/countries/HND/figures/{figure_id}/edit").status_code == 404
    assert post(client, f"/countries/HND/figures/{figure_id}/archive").status_code == 404


def test_a_stale_edit_is_refused_and_the_text_kept(app, cast):
    figure_id = add_figure(app, cast["iom_editor"])
    first, second = browser(app, cast["iom_editor"]), browser(app, cast["site_admin"])
    edit_url = f"/countries/HND/figures/{figure_id}/edit"
    old_version = hidden(second.text(edit_url), "version")
    assert post(first, edit_url, {**GOOD, "label_en": "Returns, first edit", "version": hidden(first.text(edit_url), "version")}
                ).status_code == 303
    response = post(second, edit_url, {**GOOD, "label_en": "Returns, late edit", "version": old_version})
    assert response.status_code == 409
    page = response.get_data(as_text=True)
    assert 'value="Returns, late edit"' in page, "the late editor's text is shown again"
    assert "Returns, first edit" in page and "Someone else saved this figure" in page
    assert load(app, ContextFigure, figure_id).label_en == "Returns, first edit"
    # Saved again from the refused form (now carrying the current version), it goes through.
    response = post(second, edit_url, {**GOOD, "label_en": "Returns, late edit", "version": hidden(page, "version")})
    assert response.status_code == 303 and load(app, ContextFigure, figure_id).label_en == "Returns, late edit"


@pytest.mark.parametrize("field, value, message", [
    ("label_en", "x" * 301, ("Use at most %(max)d characters.", {"max": 300})),
    ("value", "unos cien mil", "Enter a number, for example 95250 or 12.5."),
    ("value", "NaN", "Enter a number, for example 95250 or 12.5."),
    ("value", "", "Enter a number, for example 95250 or 12.5."),
    ("value", "12.345", ("Use at most %(places)d decimals.", {"places": 2})),
    ("value", "1e20", "Enter a number, for example 95250 or 12.5."),
    ("value", "12345678901234567", ("Enter a number with at most %(digits)d digits before the decimal point.",
                                    {"digits": 16})),
    ("value", "١٢٣", "Enter a number, for example 95250 or 12.5."),
    ("value", "Infinity", "Enter a number, for example 95250 or 12.5."),
    ("source_url", "javascript:alert(1)", "Enter a full web address starting with https://."),
    ("source_url", "ftp://ceniss.gob.hn/data", "Enter a full web address starting with https://."),
    ("period", "", "This field is required."),
    ("source", "", "This field is required."),
    ("position", "first", "Enter a whole number from 0 to 1000."),
    ("position", "-3", "Enter a whole number from 0 to 1000."),
    ("value", "  ", "Enter a number, for example 95250 or 12.5."),
])
@pytest.mark.parametrize("language", ["en", "es"])
def test_bad_input_is_explained_and_changes_nothing(app, cast, field, value, message, language):
    figure_id = add_figure(app, cast["iom_editor"])
    client = browser(app, cast["iom_editor"], language=language)
    message, variables = message if isinstance(message, tuple) else (message, {})
    expected = translated(app, message, language, **variables)
    for url in ("/countries/HND/figures/new", f"/countries/HND/figures/{figure_id}/edit"):
        response = post(client, url, {**GOOD, "label_es": "Texto conservado", field: value, "version": "1"})
        assert response.status_code == 200, url
        page = response.get_data(as_text=True)
        assert expected in text_of(page), (url, expected)
        if field != "label_es":
            assert 'value="Texto conservado"' in page, "the user's text is kept"
    assert count(app, ContextFigure) == 1
    figure = load(app, ContextFigure, figure_id)
    assert (figure.label_es, figure.version) == ("Migrantes retornados", 1)


def test_labels_show_in_the_readers_language_with_number_period_and_linked_source(app, cast):
    add_figure(app, cast["iom_editor"], label_es="Retornados más de una vez", label_en="Returned more than once",
               value=Decimal("12.5"), unit="%", source_url="https://www.ceniss.gob.hn/", position=2)
    add_figure(app, cast["iom_editor"], value=Decimal("95250"), position=1, note_es="Cifra oficial.")
    spanish = text_of(browser(app, language="es").text("/countries/HND"))
    english_page = browser(app, language="en").text("/countries/HND")
    english = text_of(english_page)
    assert "Migrantes retornados 95,250" in spanish and "Retornados más de una vez 12.5%" in spanish
    assert "Returned more than once" not in spanish and "Migrants returned" not in spanish
    # The note is written in Spanish only: English readers get it marked.
    assert "Migrants returned 95,250 2014 – 2016 · Source: CENISS Cifra oficial. (only in Spanish)" in english
    assert english.index("Migrants returned") < english.index("Returned more than once"), "ordered by position"
    assert "Migrantes retornados" not in english
    assert '<a href="https://www.ceniss.gob.hn/" rel="noopener noreferrer">CENISS</a>' in english_page
    assert english_page.count(">CENISS</a>") == 1, "a figure without a link names its source as plain text"


def test_an_unchanged_save_records_no_change(app, cast):
    figure_id = add_figure(app, cast["iom_editor"], value=Decimal("95250"))
    client = browser(app, cast["iom_editor"])
    edit_url = f"/countries/HND/figures/{figure_id}/edit"
    page = client.text(edit_url)
    same = {"label_es": "Migrantes retornados", "label_en": "Migrants returned", "value": "95250", "unit": "",
            "period": "2014 – 2016", "source": "CENISS", "source_url": "", "note_es": "", "note_en": "", "position": "0"}
    assert post(client, edit_url, {**same, "version": hidden(page, "version")}).status_code == 303
    assert [event.action for event in _events(app, figure_id)] == ["create"]


def _figures(app) -> list[ContextFigure]:
    from sqlalchemy import select

    from portal.extensions import db

    with app.app_context():
        figures = list(db.session.scalars(select(ContextFigure)))
        db.session.expunge_all()
        return figures


def _events(app, figure_id: int) -> list[AuditEvent]:
    from sqlalchemy import select

    from portal.extensions import db

    with app.app_context():
        events = list(db.session.scalars(select(AuditEvent).where(
            AuditEvent.object_type == "context_figures", AuditEvent.object_id == figure_id).order_by(AuditEvent.id)))
        db.session.expunge_all()
        return events


def test_zero_negative_and_grouped_values_are_figures(app, cast):
    client = browser(app, cast["iom_editor"])
    for value, stored in (("0", Decimal("0")), ("-1,250.5", Decimal("-1250.5")), (" 64 000 ", Decimal("64000"))):
        assert post(client, "/countries/HND/figures/new", {**GOOD, "value": value, "position": ""}).status_code == 303
        assert _figures(app)[-1].value == stored, value


def test_the_same_figure_sent_twice_is_added_once(app, cast):
    client = browser(app, cast["iom_editor"])
    assert post(client, "/countries/HND/figures/new", GOOD).status_code == 303
    response = post(client, "/countries/HND/figures/new", GOOD)
    assert response.status_code == 303
    assert "This figure is already on the page." in client.text("/countries/HND")
    assert count(app, ContextFigure) == 1
    assert post(client, "/countries/HND/figures/new", {**GOOD, "period": "2016"}).status_code == 303
    assert post(client, "/countries/MEX/figures/new", GOOD).status_code == 303
    assert count(app, ContextFigure) == 3, "another period, or another country, is another figure"


def test_an_archived_figure_is_restored_by_iom_staff_only(app, cast):
    figure_id = add_figure(app, cast["iom_editor"])
    iom = browser(app, cast["iom_editor"])
    assert post(iom, f"/countries/HND/figures/{figure_id}/archive").status_code == 303
    assert "Archived figures" in iom.text("/countries/HND")
    assert "Archived figures" not in browser(app).text("/countries/HND")
    ministry = browser(app, cast["ministry_editor"])
    assert post(ministry, f"/countries/HND/figures/{figure_id}/restore").status_code == 403
    assert post(iom, f"/countries/MEX/figures/{figure_id}/restore").status_code == 404
    assert post(iom, f"/countries/HND/figures/{figure_id}/restore").status_code == 303
    assert not load(app, ContextFigure, figure_id).is_archived
    assert "Migrants returned" in browser(app).text("/countries/HND")
    assert post(iom, f"/countries/HND/figures/{figure_id}/restore").status_code == 404  # not archived any more
    assert [event.action for event in _events(app, figure_id)][-2:] == ["archive", "restore"]
