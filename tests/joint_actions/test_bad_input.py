"""Bad input on every joint-action form: the message that says what is wrong, in the user's language, on the
form again with the typed text kept; nothing written; never a server error."""

from datetime import date, timedelta

import pytest
from markupsafe import escape
from wtforms.i18n import get_translations

from portal.extensions import db
from tests.helpers import translated
from tests.joint_actions.support import Actions, browser, post
from tests.test_bad_input import CONTROL, OVERLONG, counts

REQUIRED = "This field is required."
TOO_LONG = "Use at most %(max)d characters."
CONTROL_MESSAGE = "This text contains characters that are not allowed."
NOT_A_CHOICE = "Not a valid choice."
BAD_DATE = "Not a valid date value."
WTFORMS_OWN = {NOT_A_CHOICE, BAD_DATE}
RADIOS = {"visibility", "answer", "verdict"}
ONE_LANGUAGE = "Write it in Spanish, in English or in both."
TOMORROW = (date.today() + timedelta(days=3)).isoformat()
LONG_NOTE = "Se distribuyeron las guías en los catorce consulados, según las actas firmadas."


@pytest.fixture
def forms(app, cast):
    """(url, who, valid data, {field: [(bad value or None for missing, message, message variables)]}, kept fields)."""
    actions = Actions(app, cast)
    action_id = actions.create("public", title="Acción")
    partner = actions.propose(action_id, "partner")
    pending = actions.propose(action_id, "pending", answer=None)
    update = actions.report(partner, "partner_editor")
    base = f"/actions/{action_id}"
    def text(limit):
        return [(None, REQUIRED, {}), (OVERLONG, TOO_LONG, {"max": limit}), (CONTROL, CONTROL_MESSAGE, {})]

    def language(limit):
        # A translated text: left out in both languages, it asks for one of them.
        return [(None, ONE_LANGUAGE, {}), (OVERLONG, TOO_LONG, {"max": limit}), (CONTROL, CONTROL_MESSAGE, {})]

    choice = [("not-a-choice", NOT_A_CHOICE, {})]
    shared = {"title_es": "Acción conjunta", "title_en": "", "description_es": "Con **texto**.", "symposium_id": "", "source_minutes_id": "",
              "visibility": "public", "start_date": "2026-01-01", "end_date": "2026-12-31"}
    shared_errors = {"title_es": language(300), "description_es": [(OVERLONG * 5, TOO_LONG, {"max": 20000})],
                     "visibility": choice, "symposium_id": choice, "source_minutes_id": choice,
                     "end_date": [("2025-12-31", "The end date cannot be before the start date.", {})],
                     "start_date": [("31/31/2026", BAD_DATE, {})]}
    return {
        "create": ("/actions/new", "lead_editor", shared, shared_errors, ["title_es", "description_es"]),
        "edit": (f"{base}/edit", "lead_editor", {**shared, "version": "1"}, shared_errors, ["title_es", "description_es"]),
        "propose": (f"{base}/parties/new", "lead_editor",
                    {"organisation_id": str(cast["outsider"].id), "role": "partner", "deliverable_es": "Datos."},
                    {"organisation_id": [(None, REQUIRED, {})] + choice, "role": choice, "deliverable_es": language(5000),
                     "deliverable_due": [("2026-02-30", BAD_DATE, {})]}, ["deliverable_es"]),
        "respond": (f"{base}/parties/{pending}/respond", "pending_editor", {"answer": "accept"},
                    {"answer": [(None, REQUIRED, {})] + choice}, []),
        "party": (f"{base}/parties/{partner}/edit", "partner_editor", {"deliverable_es": "Datos mensuales."},
                  {"deliverable_es": language(5000), "deliverable_due": [("mañana", BAD_DATE, {})]},
                  ["deliverable_es"]),
        "report": (f"{base}/parties/{partner}/updates/new", "partner_editor",
                   {"reported_on": date.today().isoformat(), "status": "in_progress", "note": LONG_NOTE,
                    "evidence_url": "https://example.org/acta"},
                   {"reported_on": [(None, REQUIRED, {}), (TOMORROW, "Progress cannot be reported for a future date.",
                                                           {})],
                    "status": choice, "note": [(OVERLONG * 5, TOO_LONG, {"max": 20000}), (CONTROL, CONTROL_MESSAGE, {})],
                    "evidence_url": [("javascript:alert(1)", "Enter a full web address starting with https://.", {})]},
                   ["note"]),
        "review": (f"{base}/parties/{partner}/updates/{update}/review", "iom_editor",
                   {"verdict": "questioned", "comment": "¿Cuántas personas?"},
                   {"verdict": [(None, REQUIRED, {})] + choice, "comment": [(None, "Say what should be clarified.", {}),
                                                                             (OVERLONG, TOO_LONG, {"max": 5000})]},
                   ["comment"]),
        "country": (f"{base}/countries", "lead_editor", {"country-country_iso3": "MEX", "country-role": "transit"},
                    {"country-country_iso3": [(None, REQUIRED, {})] + choice, "country-role": choice}, []),
        "milestone": (f"{base}/milestones", "lead_editor",
                      {"milestone-title_es": "Taller regional", "milestone-due_date": "2027-03-01"},
                      {"milestone-title_es": language(300),
                       "milestone-done_on": [(TOMORROW, "A milestone cannot be reached on a future date.", {})],
                       "milestone-due_date": [("2027-13-01", BAD_DATE, {})]},
                      ["milestone-title_es"]),
        "link": (f"{base}/commitments", "lead_editor", {"link-commitment_id": ""},
                 {"link-commitment_id": [(None, REQUIRED, {}), ("987654", NOT_A_CHOICE, {})]}, []),
    }


def said(app, message: str, language: str, variables: dict) -> str:
    """The message as the reader sees it: WTForms' own messages (choices, dates) come from WTForms' catalog."""
    if message in WTFORMS_OWN:
        return get_translations([language]).gettext(message)
    expected = translated(app, message, language, **variables)
    assert language == "en" or expected != message % variables, f"{message!r} has no Spanish translation"
    return expected


@pytest.mark.parametrize("form_name", ["create", "edit", "propose", "respond", "party", "report", "review", "country",
                                       "milestone", "link"])
@pytest.mark.parametrize("language", ["es", "en"])
def test_bad_input_is_refused_clearly_and_changes_nothing(app, cast, forms, form_name, language):
    url, who, valid, errors, kept = forms[form_name]
    client = browser(app, cast[who], language=language)
    for field, cases in errors.items():
        for value, message, variables in cases:
            # A browser sends an empty text, date or select field as ""; only an unticked radio group is absent.
            if value is None and field in RADIOS:
                submitted = {name: data for name, data in valid.items() if name != field}
            else:
                submitted = {**valid, field: "" if value is None else value}
            with app.app_context():
                before = counts()
            response = post(client, url, submitted)
            page = response.get_data(as_text=True)
            context = f"{form_name}.{field}={str(value)[:20]!r} ({language})"
            assert response.status_code == 200, context
            assert f'<html lang="{language}">' in page, context
            expected = said(app, message, language, variables)
            assert str(escape(expected)) in page, f"{context}: no {expected!r}"
            with app.app_context():
                assert counts() == before, f"{context} wrote to the database"
                db.session.rollback()
            for name in kept:
                typed = submitted.get(name)
                if typed and typed not in (OVERLONG * 5,) and not (name == field and value == CONTROL):
                    assert str(escape(typed.strip())) in page, f"{context}: the typed {name} was lost"


def test_a_form_of_the_plan_keeps_the_other_forms_usable(app, cast, forms):
    """A refused country leaves the milestone and link forms on the page, empty and without errors."""
    url, who, _, _, _ = forms["country"]
    client = browser(app, cast[who])
    page = post(client, url, {"country-country_iso3": "", "country-role": "transit"}).get_data(as_text=True)
    assert page.count('class="field-error"') == 1
    assert 'name="milestone-title_es"' in page and 'name="link-commitment_id"' in page
