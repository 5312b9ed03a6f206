"""The minutes' action items in Spanish, English or both: the reader's language where it exists, else the
other marked with its lang; the form needs one language; a commitment or joint action made from an item
starts with each language the item is written in; the migration keeps every item."""

import re
from html import unescape

from flask_migrate import downgrade, upgrade
from sqlalchemy import select, text

from portal.commitments.models import Commitment
from portal.extensions import db
from portal.minutes.models import ActionItem
from portal.core.translated import Translated
from tests.commitments.support import browser, post
from tests.minutes.test_conversion import item_of

#: The revision before milestones, context figures' notes and action items had a column per language.
BEFORE_LANGUAGES = "a3f8c1d6e2b7-1"
ENGLISH = {"description_en": "Send the **returns** report\n\nWith monthly figures."}
BOTH = {"description_es": "Enviar el **informe** de retornos\n\nCon cifras por mes.",
        "description_en": "Send the **returns** report\n\nWith monthly figures."}


def value_of(html: str, name: str) -> str:
    """What an input or a textarea of the form holds ("" when empty)."""
    field = re.search(rf'<(input|textarea)[^>]*id="{name}"[^>]*>', html)
    assert field, f"no field {name}"
    if field.group(1) == "input":
        found = re.search(r'value="([^"]*)"', field.group(0))
        return unescape(found.group(1)) if found else ""
    return unescape(re.search(rf'<textarea[^>]*id="{name}"[^>]*>\r?\n?(.*?)</textarea>', html, re.DOTALL).group(1))


def test_each_language_reads_its_own_text_and_the_other_marked_with_its_lang(app, cast, make_minutes):
    minutes_id = make_minutes("approved", visibility="public", items=[(ENGLISH, "attending"), (BOTH, "attending_b")])
    spanish = browser(app, language="es").text(f"/minutes/{minutes_id}")
    english = browser(app, language="en").text(f"/minutes/{minutes_id}")
    assert '<div lang="en"><p>Send the <strong>returns</strong> report</p>\n<p>With monthly figures.</p>\n</div>\n' \
           '<p class="only-in">(solo en inglés)</p>' in spanish
    assert "<p>Enviar el <strong>informe</strong> de retornos</p>" in spanish
    assert english.count("<p>Send the <strong>returns</strong> report</p>") == 2
    assert "(only in" not in english and "informe" not in english


def test_a_shortened_text_keeps_its_language_and_its_mark(app):
    with app.test_request_context(headers={"Accept-Language": "es"}):
        template = app.jinja_env.from_string("{{ value|translated(20) }}")
        page = template.render(value=Translated("Send the returns report with monthly figures", "en", True))
    assert page == '<span lang="en">Send the returns...</span> <small class="only-in">(solo en inglés)</small>'


def test_the_form_takes_either_language_and_needs_one(app, cast, make_minutes):
    minutes_id = make_minutes("draft")
    client = browser(app, cast["author_editor"], language="es")
    url = f"/minutes/{minutes_id}/actions/new"
    base = {"responsible_organisation_id": str(cast["attending"].id), "due_date": ""}
    refused = post(client, url, {**base, "description_es": " ", "description_en": ""})
    page = refused.get_data(as_text=True)
    assert refused.status_code == 200 and "Escríbalo en español, en inglés o en ambos idiomas." in page
    assert '<div class="language-pair">' in page and 'lang="en"' in page.split('<div class="language-pair">')[1]
    assert post(client, url, {**base, "description_en": "Send the report\r\nmonthly."}).status_code == 303
    with app.app_context():
        item = db.session.scalar(select(ActionItem))
        assert (item.description_es, item.description_en, item.original_language) == \
            (None, "Send the report\nmonthly.", "en")


def test_a_commitment_made_from_an_item_starts_with_each_language(app, cast, make_minutes):
    minutes_id = make_minutes("approved", visibility="public", items=[(BOTH, "attending")])
    item = item_of(app, minutes_id)
    client = browser(app, cast["attending_editor"], language="es")
    url = f"/minutes/{minutes_id}/actions/{item.id}/commitment"
    page = client.text(url)
    sent = {name: value_of(page, name) for name in ("title_es", "title_en", "description_es", "description_en")}
    assert sent == {"title_es": "Enviar el **informe** de retornos", "title_en": "Send the **returns** report",
                    **BOTH}
    form = {**sent, "symposium_id": "", "target_date": value_of(page, "target_date"), "visibility": "public",
            "idempotency_key": value_of(page, "idempotency_key"), "title_es": "Enviar el informe de retornos",
            "title_en": "Send the returns report"}
    assert post(client, url, form).status_code == 303
    with app.app_context():
        commitment = db.session.scalar(select(Commitment))
        assert (commitment.title_es, commitment.title_en) == ("Enviar el informe de retornos", "Send the returns report")
        assert (commitment.description_es, commitment.description_en) == \
            (BOTH["description_es"], BOTH["description_en"])


def test_a_joint_action_made_from_an_english_item_starts_in_english(app, cast, make_minutes):
    minutes_id = make_minutes("approved", visibility="public", items=[(ENGLISH, "attending")])
    item = item_of(app, minutes_id)
    page = browser(app, cast["attending_editor"], language="es").text(f"/actions/from-minutes/{minutes_id}/items/{item.id}")
    assert (value_of(page, "title_es"), value_of(page, "title_en")) == ("", "Send the **returns** report")
    assert (value_of(page, "description_es"), value_of(page, "description_en")) == ("", ENGLISH["description_en"])
    assert '<div lang="en"><p>Send the <strong>returns</strong> report</p>' in page, "the item is shown marked"


def test_the_migration_keeps_every_item_and_back(app, cast, make_minutes):
    minutes_id = make_minutes("draft", items=[(ENGLISH, "attending"), (BOTH, "attending_b")])
    with app.app_context():
        downgrade(directory="migrations", revision=BEFORE_LANGUAGES)
        texts = db.session.execute(text("SELECT description FROM minutes_action_items WHERE minutes_id = :id "
                                        "ORDER BY position"), {"id": minutes_id}).scalars().all()
        db.session.rollback()
        # Each keeps its original language's text: English for the first; Spanish, the default, for the second.
        assert texts == [ENGLISH["description_en"], BOTH["description_es"]]
        upgrade(directory="migrations")
        after = db.session.execute(text("SELECT description_es, description_en, original_language "
                                        "FROM minutes_action_items WHERE minutes_id = :id ORDER BY position"),
                                   {"id": minutes_id}).all()
        db.session.rollback()
    assert [tuple(row) for row in after] == [(ENGLISH["description_en"], None, "es"),
                                             (BOTH["description_es"], None, "es")]
