"""Every public page costs a signed-out reader the same number of SQL statements with 10 or 500 of everything:
commitments, progress updates, symposia, joint actions, minutes and organisations (page cache off, as in tests)."""

import re
from datetime import date, timedelta
from uuid import uuid4

import pytest
from sqlalchemy import insert

from portal.commitments.models import commitment_framework_tags
from portal.extensions import db
from portal.frameworks.models import tag_by_slug
from portal.joint_actions.models import (
    ActionCountry,
    JointAction,
    Party,
    joint_action_commitments,
    joint_action_framework_tags,
)
from portal.minutes.models import ActionItem, Minutes, minutes_attendees
from portal.organisations.models import Organisation
from portal.symposia.models import Symposium
from tests.helpers import Browser, budget

SMALL, LARGE = 10, 500


@pytest.fixture
def world(factory):
    honduras = factory.organisation(slug="sreci", name="Cancillería de Honduras", country="HND")
    guatemala = factory.organisation(slug="minex", name="Cancillería de Guatemala", country="GTM")
    iom = factory.organisation(kind="iom_office", slug="oim", name="OIM", country="HND")
    first = factory.symposium(slug="tegucigalpa-2025", country="HND", start_date=date.today() - timedelta(days=400))
    second = factory.symposium(slug="tegucigalpa-2026", country="HND", previous_id=first.id)
    editor = factory.user(honduras, role="editor")
    themes = factory.theme_ids()
    commitment = factory.commitment(honduras, "public", author=editor, symposium_id=second.id,
                                    title="Centros de atención al migrante retornado")
    return {"honduras": honduras, "guatemala": guatemala, "editor": editor, "partner": factory.user(guatemala),
            "reviewer": factory.user(iom), "symposia": [first, second], "commitment": commitment,
            "themes": [themes["safe_return"], themes["reintegration"]]}


def grow(app, factory, world, number: int) -> None:
    """Add ``number`` commitments on each side of the corridor (public and partners-only, on both symposia),
    progress updates on the featured commitment, symposia, joint actions, minutes and organisations."""
    editor, partner, themes = world["editor"], world["partner"], world["themes"]
    ids = []
    for organisation, author, visibility in ((world["honduras"], editor, "public"),
                                             (world["guatemala"], partner, "partners")):
        for symposium in world["symposia"]:
            ids += factory.bulk_commitments(organisation, author, number // 2, themes=themes, visibility=visibility,
                                            symposium_id=symposium.id, status="in_progress",
                                            review_state="pending", target_date=date.today() - timedelta(days=3))
    factory.bulk_updates(world["commitment"], editor, number, reviewer=world["reviewer"])
    key = uuid4().hex[:8]
    today = date.today()
    with app.app_context():
        db.session.execute(insert(Organisation), [
            {"slug": f"org-{key}-{n}", "name": f"Institución {n}", "kind": "ministry", "is_active": True,
             "country_iso3": ("HND", "GTM", "MEX", "SLV")[n % 4]} for n in range(number)])
        db.session.execute(insert(Symposium), [
            # Every other one only in English: the reader's language or the other costs no query.
            {"slug": f"s-{key}-{n}", "title_es": f"Reunión {n}" if n % 2 else None, "title_en": f"Meeting {n}",
             "original_language": "es" if n % 2 else "en",
             "start_date": today - timedelta(days=n),
             "end_date": today - timedelta(days=n), "city": "Tegucigalpa", "country_iso3": ("HND", "GTM")[n % 2],
             "previous_id": world["symposia"][1].id} for n in range(number)])
        actions = db.session.scalars(insert(JointAction).returning(JointAction.id), [
            {"title_es": f"Acción {key} {n}", "lead_organisation_id": world["honduras"].id,
             "visibility": ("public", "partners")[n % 2], "status": "in_progress", "created_by_id": editor.id,
             "symposium_id": world["symposia"][1].id, "end_date": today + timedelta(days=n)}
            for n in range(number)]).all()
        db.session.execute(insert(Party), [
            {"action_id": action, "organisation_id": organisation, "role": role, "deliverable_es": "",
             "status": "in_progress", "response": "accepted", "proposed_by_id": editor.id, "review_state": "none",
             "position": position}
            for action in actions for position, (organisation, role) in
            enumerate(((world["honduras"].id, "lead"), (world["guatemala"].id, "partner")))])
        db.session.execute(insert(ActionCountry), [
            {"action_id": action, "country_iso3": iso3, "role": role, "position": position}
            for action in actions for position, (iso3, role) in enumerate((("HND", "origin"), ("GTM", "transit")))])
        db.session.execute(insert(joint_action_commitments), [
            {"joint_action_id": action, "commitment_id": commitment} for action, commitment in zip(actions, ids)])
        gcm21 = tag_by_slug("gcm-21").id
        db.session.execute(insert(commitment_framework_tags), [{"commitment_id": id_, "tag_id": gcm21} for id_ in ids])
        db.session.execute(insert(joint_action_framework_tags), [{"joint_action_id": id_, "tag_id": gcm21}
                                                                 for id_ in actions])
        minutes = db.session.scalars(insert(Minutes).returning(Minutes.id), [
            {"title": f"Acta {key} {n}", "symposium_id": world["symposia"][n % 2].id, "meeting_date": today,
             "author_organisation_id": world["honduras"].id, "status": "approved",
             "visibility": ("public", "partners")[n % 2], "body": "Acuerdos.", "decisions": "",
             "created_by_id": editor.id} for n in range(number)]).all()
        db.session.execute(insert(minutes_attendees), [
            {"minutes_id": mid, "organisation_id": org.id}
            for mid in minutes for org in (world["honduras"], world["guatemala"])])
        db.session.execute(insert(ActionItem), [
            {"minutes_id": mid, "description_es": "Enviar el informe.", "responsible_organisation_id": world["honduras"].id,
             "due_date": today + timedelta(days=30), "position": 0} for mid in minutes])
        db.session.commit()


def pages(world) -> dict[str, str]:
    return {
        "home": "/",
        "countries index": "/countries/",
        "country page": "/countries/HND",
        "symposia list": "/symposia/",
        "symposium page": f"/symposia/{world['symposia'][1].slug}",
        "commitment list": "/commitments/",
        "commitment list, filters": f"/commitments/?country=HND&status=in_progress&theme={world['themes'][0]}"
                                    f"&symposium={world['symposia'][1].id}&sort=target",
        "commitment list, search": "/commitments/?q=Bulk&flag=overdue&sort=title",
        "commitment page": f"/commitments/{world['commitment'].id}",
        "corridor": "/corridors/GTM-HND",
        "frameworks": "/frameworks/",
        "framework tag": "/frameworks/gcm/21",
        "follow-up report": f"/symposia/{world['symposia'][1].slug}/report",
    }


def test_public_pages_cost_the_same_queries_with_10_or_500_of_everything(app, factory, world):
    assert app.config["PAGE_CACHE_SECONDS"] == 0  # every request below renders its page
    reader = Browser(app)
    reader.client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    grow(app, factory, world, SMALL)
    small = {name: budget(app, reader, url) for name, url in pages(world).items()}
    grow(app, factory, world, LARGE - SMALL)
    large = {name: budget(app, reader, url) for name, url in pages(world).items()}
    for url in pages(world).values():
        assert reader.get(url).status_code == 200, url
    listing = reader.text("/commitments/")
    assert int(re.search(r"(\d+) commitments match", listing).group(1)) == 1 + LARGE  # the public ones only
    assert reader.text(f"/commitments/{world['commitment'].id}").count("Step ") == LARGE
    symposia = reader.text("/symposia/")  # 502 symposia, 50 a page
    assert symposia.count('<h2 class="item-title">') == 50 and "Page 1 of 11" in symposia
    assert reader.text("/symposia/?page=11").count('<h2 class="item-title">') == 2
    print("public page queries with", SMALL, "and", LARGE, "items:", small, large)
    assert large == small
