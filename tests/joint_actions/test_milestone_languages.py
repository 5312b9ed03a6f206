"""A joint action's milestones in Spanish, English or both: the reader's language where it exists, else the
other marked with its lang; the form needs one language, the API carries both, the migration keeps them."""

import json
from datetime import date

from flask_migrate import downgrade, upgrade
from sqlalchemy import select, text

from portal.extensions import db
from portal.joint_actions import dates, service
from portal.joint_actions.models import JointAction, Milestone
from tests.joint_actions.support import Actions, actor, browser, count, post

#: The revision before milestones, context figures' notes and action items had a column per language.
BEFORE_LANGUAGES = "a3f8c1d6e2b7-1"


def with_milestones(app, cast) -> int:
    """A public action with a milestone in English only and one in both languages; returns its id."""
    actions = Actions(app, cast)
    action_id = actions.create("public")
    with app.app_context():
        action = db.session.get(JointAction, action_id)
        editor = actor(cast["lead_editor"])
        service.add_milestone(editor, action, {"title_en": "Protocol signed"})
        service.add_milestone(editor, action, {"title_es": "Taller regional", "title_en": "Regional workshop"})
        db.session.commit()
    return action_id


def test_each_language_reads_its_own_title_and_the_other_marked_with_its_lang(app, cast):
    action_id = with_milestones(app, cast)
    lead = cast["lead_editor"]
    for path in (f"/actions/{action_id}", f"/actions/{action_id}/plan"):
        spanish = browser(app, lead, language="es").text(path)
        english = browser(app, lead, language="en").text(path)
        assert '<span lang="en">Protocol signed</span> <small class="only-in">(solo en inglés)</small>' in spanish, path
        assert "Taller regional" in spanish and "Regional workshop" not in spanish, path
        assert "Protocol signed" in english and "(only in" not in english and "Taller regional" not in english, path
    assert "<td>Protocol signed</td>" in browser(app, language="en").text(f"/actions/{action_id}")


def test_a_date_proposal_names_the_milestone_in_the_readers_language(app, cast):
    action_id = with_milestones(app, cast)
    with app.app_context():
        first = db.session.scalar(select(Milestone).where(Milestone.title_en == "Protocol signed"))
        dates.propose_date(actor(cast["lead_editor"]), db.session.get(JointAction, action_id), first,
                           {"new_date": date(2027, 1, 1), "reason": "Retraso."})
        db.session.commit()
    spanish = browser(app, cast["lead_editor"], language="es").text(f"/actions/{action_id}")
    assert '<h3 class="item-title"><span lang="en">Protocol signed</span> <small class="only-in">(solo en inglés)' \
        '</small>:' in spanish
    options = browser(app, cast["lead_editor"], language="es").text(f"/actions/{action_id}/dates/propose")
    assert "Protocol signed (solo en inglés)</option>" in options and "Taller regional</option>" in options


def test_the_api_carries_both_languages(app, cast):
    action_id = with_milestones(app, cast)
    for language, titles in (("es", ["Protocol signed", "Taller regional"]),
                             ("en", ["Protocol signed", "Regional workshop"])):
        item = json.loads(browser(app, language=language).text(f"/api/v1/joint-actions/{action_id}"))
        assert sorted(milestone["title"] for milestone in item["milestones"]) == sorted(titles)
    by_english = {milestone["title_en"]: milestone for milestone in item["milestones"]}
    assert (by_english["Protocol signed"]["title_es"], by_english["Protocol signed"]["original_language"]) == \
        (None, "en")
    assert by_english["Regional workshop"]["title_es"] == "Taller regional"


def test_the_form_takes_either_language_and_needs_one(app, cast):
    action_id = Actions(app, cast).create("public")
    client = browser(app, cast["lead_editor"], language="es")
    url = f"/actions/{action_id}/milestones"
    refused = post(client, url, {"milestone-title_es": "", "milestone-title_en": " ",
                                 "milestone-due_date": "2027-03-01"})
    page = refused.get_data(as_text=True)
    assert refused.status_code == 200 and "Escríbalo en español, en inglés o en ambos idiomas." in page
    assert '<div class="language-pair">' in page and 'name="milestone-title_en"' in page
    assert count(app, Milestone) == 0
    assert post(client, url, {"milestone-title_en": "Protocol signed", "milestone-due_date": "2027-03-01"}
                ).status_code == 303
    with app.app_context():
        milestone = db.session.scalar(select(Milestone))
        assert (milestone.title_es, milestone.title_en, milestone.original_language) == (None, "Protocol signed", "en")


def test_the_migration_keeps_every_milestone_as_spanish_and_back(app, cast):
    action_id = with_milestones(app, cast)
    with app.app_context():
        downgrade(directory="migrations", revision=BEFORE_LANGUAGES)
        titles = db.session.execute(text("SELECT title FROM joint_action_milestones WHERE action_id = :id "
                                         "ORDER BY id"), {"id": action_id}).scalars().all()
        db.session.rollback()
        # Each keeps its original language's text: English for the first, Spanish (the default) for the second.
        assert titles == ["Protocol signed", "Taller regional"]
        upgrade(directory="migrations")
        after = db.session.execute(text("SELECT title_es, title_en, original_language FROM joint_action_milestones "
                                        "WHERE action_id = :id ORDER BY id"), {"id": action_id}).all()
        db.session.rollback()
    assert [tuple(row) for row in after] == [("Protocol signed", None, "es"), ("Taller regional", None, "es")]
