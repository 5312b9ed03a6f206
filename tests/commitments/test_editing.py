"""Logging and editing commitments: no lost edit, no double creation, a readable change history, archiving."""

import re
from datetime import date, timedelta

from markupsafe import escape

from portal.commitments.models import Commitment
from portal.progress.models import ProgressUpdate
from tests.commitments.support import browser, count, hidden, listed, load, post
from tests.helpers import translated

CONFLICT = ("Someone else saved this commitment while you were editing. Your text is kept below; "
            "compare it with the current version and save again.")


def edit_form(page: str) -> dict:
    """The fields of an edit page as the browser would send them back unchanged."""
    title = re.search(r'name="title_es"[^>]*value="([^"]*)"', page).group(1)
    return {"title_es": title, "description_es": "", "symposium_id": "", "visibility": "partners",
            "version": hidden(page, "version")}


def test_logging_a_commitment_through_the_form(app, cast, factory):
    symposium = factory.symposium(title="Simposio de Tegucigalpa")
    themes = factory.theme_ids()
    client = browser(app, cast["owner_editor"])
    page = client.text("/commitments/new")
    response = post(client, "/commitments/new", {
        "title_es": "Distribuir la Guía del Migrante", "description_es": "En **embajadas** y consulados.",
        "themes": [str(themes["consular_protection"])], "symposium_id": str(symposium.id),
        "target_date": (date.today() + timedelta(days=90)).isoformat(), "visibility": "public",
        "indicator_unit": "copias", "indicator_baseline": "0", "indicator_target": "64000",
        "idempotency_key": hidden(page, "idempotency_key")})
    assert response.status_code == 303
    detail = client.text(response.headers["Location"])
    assert "Distribuir la Guía del Migrante" in detail and "<strong>embajadas</strong>" in detail
    assert "Consular protection" in detail and "Simposio de Tegucigalpa" in detail and "64,000" in detail
    assert "Foreign Ministry of Honduras" in detail and "Created" in detail


def test_double_submitting_the_create_form_logs_one_commitment(app, cast):
    client = browser(app, cast["owner_editor"])
    key = hidden(client.text("/commitments/new"), "idempotency_key")
    form = {"title_es": "Mesa intersectorial", "visibility": "partners", "symposium_id": "", "idempotency_key": key}
    first, second = post(client, "/commitments/new", form), post(client, "/commitments/new", form)
    assert first.status_code == second.status_code == 303
    assert first.headers["Location"] == second.headers["Location"]
    assert count(app, Commitment) == 1
    # A new form gets a new key, so a second, deliberate commitment is still possible.
    other_key = hidden(client.text("/commitments/new"), "idempotency_key")
    assert other_key != key
    assert post(client, "/commitments/new", {**form, "idempotency_key": other_key}).status_code == 303
    assert count(app, Commitment) == 2


def test_double_submitting_the_progress_form_reports_once(app, cast, factory):
    commitment = factory.commitment(cast["owner"], author=cast["owner_editor"])
    client = browser(app, cast["owner_editor"])
    url = f"/commitments/{commitment.id}/updates/new"
    key = hidden(client.text(url), "idempotency_key")
    form = {"reported_on": date.today().isoformat(), "status": "in_progress", "note": "Primer envío.",
            "idempotency_key": key}
    assert [post(client, url, form).status_code for _ in range(2)] == [303, 303]
    assert count(app, ProgressUpdate) == 1


def test_second_person_saving_an_old_page_is_refused_and_keeps_their_text(app, cast, factory):
    commitment = factory.commitment(cast["owner"], "partners", author=cast["owner_editor"], title="Original title",
                                    description="Original text")
    url = f"/commitments/{commitment.id}/edit"
    alice, bob = browser(app, cast["owner_editor"]), browser(app, cast["org_admin"], language="es")
    alice_form, bob_form = edit_form(alice.text(url)), edit_form(bob.text(url))
    assert post(alice, url, {**alice_form, "title_es": "Alice's title", "description_es": "Alice's text"}).status_code == 303
    bob_text = "Bob's careful text, **written over an hour**."
    refused = post(bob, url, {**bob_form, "title_es": "Bob's title", "description_es": bob_text})
    page = refused.get_data(as_text=True)
    assert refused.status_code == 409
    assert str(escape(translated(app, CONFLICT, "es"))) in page
    assert 'value="Bob&#39;s title"' in page, "Bob's title is kept in the form"
    assert str(escape(bob_text)) in page.split('id="description_es"', 1)[1]
    current = page.split("current-version", 1)[1].split('<form', 1)[0]
    assert "Alice&#39;s title" in current and "Alice's text" in current
    saved = load(app, Commitment, commitment.id)
    assert (saved.title, saved.description) == ("Alice's title", "Alice's text")
    # Having compared, Bob saves again from the conflict page: it now carries the current version.
    assert hidden(page, "version") == str(saved.version)
    again = post(bob, url, {**bob_form, "version": hidden(page, "version"), "title_es": "Bob's title",
                            "description_es": bob_text})
    assert again.status_code == 303
    assert load(app, Commitment, commitment.id).title == "Bob's title"


def test_conflict_page_shows_the_current_version_in_the_users_language(app, cast, factory):
    commitment = factory.commitment(cast["owner"], "partners", author=cast["owner_editor"], title="Versión actual")
    url = f"/commitments/{commitment.id}/edit"
    alice, bob = browser(app, cast["owner_editor"]), browser(app, cast["org_admin"], language="es")
    bob_form = edit_form(bob.text(url))
    assert post(alice, url, {**edit_form(alice.text(url)), "visibility": "public"}).status_code == 303
    refused = post(bob, url, {**bob_form, "title_es": "Mi versión"})
    assert refused.status_code == 409
    page = refused.get_data(as_text=True)
    current = page.split("current-version", 1)[1].split("<form", 1)[0]
    label = translated(app, "Public: anyone can read it", "es")
    assert str(escape(label)) in current, "the current version names its visibility in the reader's language"
    assert ">public<" not in current


def test_a_change_of_themes_alone_still_collides_with_a_concurrent_edit(app, cast, factory):
    themes = factory.theme_ids()
    commitment = factory.commitment(cast["owner"], "partners", author=cast["owner_editor"], title="Themes")
    url = f"/commitments/{commitment.id}/edit"
    alice, bob = browser(app, cast["owner_editor"]), browser(app, cast["org_admin"])
    alice_form, bob_form = edit_form(alice.text(url)), edit_form(bob.text(url))
    assert post(alice, url, {**alice_form, "themes": [str(themes["safe_return"])]}).status_code == 303
    assert post(bob, url, {**bob_form, "title_es": "Bob renames"}).status_code == 409
    with app.app_context():
        from portal.extensions import db

        saved = db.session.get(Commitment, commitment.id)
        assert saved.title == "Themes" and [theme.code for theme in saved.themes] == ["safe_return"]


def test_a_made_up_or_missing_version_is_refused_like_a_stale_one(app, cast, factory):
    commitment = factory.commitment(cast["owner"], "partners", author=cast["owner_editor"], title="Kept")
    client = browser(app, cast["owner_editor"])
    url = f"/commitments/{commitment.id}/edit"
    form = edit_form(client.text(url))
    for version in ("", "abc", "99", "-1"):
        assert post(client, url, {**form, "version": version, "title_es": "Forced"}).status_code == 409
    assert load(app, Commitment, commitment.id).title == "Kept"


def history_rows(page: str) -> list[str]:
    """The rows of the change history table, newest first."""
    body = page.split('id="history"', 1)[1].split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return [row.split("</tr>", 1)[0] for row in body.split("<tr>")[1:]]


def test_change_history_says_who_changed_which_field_from_what_to_what(app, cast, factory):
    commitment = factory.commitment(cast["owner"], "partners", author=cast["owner_editor"], title="Before",
                                    target_date=date(2027, 3, 1))
    client = browser(app, cast["org_admin"])
    url = f"/commitments/{commitment.id}/edit"
    response = post(client, url, {**edit_form(client.text(url)), "title_es": "After", "target_date": "2027-06-30",
                                  "change_reason": "Agreed later", "agreed_at": "partners"})
    assert response.status_code == 303
    latest, created = history_rows(browser(app, cast["other_editor"]).text(f"/commitments/{commitment.id}"))
    assert "Foreign Ministry of Honduras" in latest and "Changed" in latest
    assert "Title in Spanish: <del>Before</del> → <ins>After</ins>" in latest
    assert re.search(r"Target date: <del>[^<]*2027-03-01[^<]*</del> → <ins>[^<]*2027-06-30[^<]*</ins>", latest) or \
        re.search(r"Target date: <del>March 1, 2027</del> → <ins>June 30, 2027</ins>", latest)
    assert "Who can read it" not in latest and "Description" not in latest
    assert "Created" in created


def test_change_history_keeps_field_changes_on_a_commitment_with_themes(app, cast, factory):
    """Most commitments have themes; editing one must still record what changed."""
    themes = factory.theme_ids()
    commitment = factory.commitment(cast["owner"], "partners", author=cast["owner_editor"], title="Before",
                                    themes=[themes["reintegration"]])
    client = browser(app, cast["owner_editor"])
    url = f"/commitments/{commitment.id}/edit"
    form = {**edit_form(client.text(url)), "themes": [str(themes["reintegration"])]}
    assert post(client, url, {**form, "title_es": "After"}).status_code == 303
    latest = history_rows(client.text(f"/commitments/{commitment.id}"))[0]
    assert "Title in Spanish: <del>Before</del> → <ins>After</ins>" in latest
    form = {**edit_form(client.text(url)), "themes": [str(themes["safe_return"])], "title_es": "After again"}
    assert post(client, url, form).status_code == 303
    latest = history_rows(client.text(f"/commitments/{commitment.id}"))[0]
    assert "Title in Spanish: <del>After</del> → <ins>After again</ins>" in latest and "Themes: " in latest


def test_change_history_names_themes_and_visibility_in_the_readers_language(app, cast, factory):
    themes = factory.theme_ids()
    commitment = factory.commitment(cast["owner"], "partners", author=cast["owner_editor"], title="Mesa")
    client = browser(app, cast["owner_editor"], language="es")
    url = f"/commitments/{commitment.id}/edit"
    form = {**edit_form(client.text(url)), "visibility": "public", "themes": [str(themes["consular_protection"])]}
    assert post(client, url, form).status_code == 303
    latest = history_rows(client.text(f"/commitments/{commitment.id}"))[0]
    with app.app_context():
        from portal.commitments.models import Theme
        from portal.extensions import db

        theme_name = db.session.get(Theme, themes["consular_protection"]).name_es
    assert theme_name in latest, "the theme is named as the reader knows it, not by its code"
    assert str(escape(translated(app, "Public: anyone can read it", "es"))) in latest
    assert "consular_protection" not in latest and "<ins>public</ins>" not in latest


def test_archiving_hides_from_lists_but_keeps_the_page_and_history(app, cast, factory):
    commitment = factory.commitment(cast["owner"], "public", author=cast["owner_editor"], title="Archivable zqa")
    factory.update(commitment, cast["owner_editor"], note="Halfway there.")
    owner, public = browser(app, cast["owner_editor"]), browser(app)
    assert post(owner, f"/commitments/{commitment.id}/archive").status_code == 303
    for query in ("", "?q=zqa", f"?organisation={cast['owner'].id}", "?flag=pending"):
        assert commitment.id not in listed(public.text(f"/commitments/{query}")), query
    assert commitment.id in listed(public.text("/commitments/?flag=archived"))
    page = public.text(f"/commitments/{commitment.id}")
    assert "Archivable zqa" in page and "Halfway there." in page and "flag-archived" in page
    assert "Archived" in page.split('id="history"', 1)[1]
    # Nothing more is reported on an archived commitment; restoring brings it back.
    owner_page = owner.text(f"/commitments/{commitment.id}")
    assert "Report progress" not in owner_page and "Restore" in owner_page
    assert owner.get(f"/commitments/{commitment.id}/updates/new").status_code == 403
    assert post(owner, f"/commitments/{commitment.id}/archive").status_code == 303
    assert commitment.id in listed(public.text("/commitments/"))
    assert commitment.id not in listed(public.text("/commitments/?flag=archived"))
    assert "Restored" in public.text(f"/commitments/{commitment.id}")


def test_invalid_commitment_forms_are_refused_with_a_message_and_the_text_kept(app, cast):
    client = browser(app, cast["owner_editor"], language="es")
    base = {"title_es": "Capacitar al personal consular", "visibility": "public", "symposium_id": "",
            "idempotency_key": "x"}
    cases = [
        ({"indicator_target": "120"}, "Say what the indicator counts (its unit) before giving a target."),
        ({"indicator_unit": "personas", "indicator_baseline": "50", "indicator_target": "50"},
         "The target must be larger than the baseline."),
        ({"title_es": "  "}, "Write it in Spanish, in English or in both."),
    ]
    for extra, message in cases:
        sent = {**base, **extra}
        response = post(client, "/commitments/new", sent)
        page = response.get_data(as_text=True)
        assert response.status_code == 200 and str(escape(translated(app, message, "es"))) in page, message
        for field in ("title_es", "indicator_unit", "indicator_target"):
            if sent.get(field, "").strip():
                assert f'name="{field}"' in page and f'value="{sent[field]}"' in page, (message, field)
    assert count(app, Commitment) == 0
