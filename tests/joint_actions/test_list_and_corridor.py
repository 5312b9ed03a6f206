"""The list's filters, counts and pages; the corridor page of two countries; the demo's joint actions."""

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from portal.demo.loader import load_demo
from portal.extensions import db
from portal.joint_actions.models import JointAction
from portal.minutes.models import Minutes
from tests.commitments.support import portal_today
from tests.joint_actions.support import Actions, browser, listed, status_counts


@pytest.fixture
def actions(app, cast):
    return Actions(app, cast)


def test_filters_by_country_and_role_organisation_theme_symposium_status_and_overdue(app, cast, factory, actions):
    themes = factory.theme_ids()
    symposium = factory.symposium()
    yesterday = portal_today(app) - timedelta(days=1)
    route = actions.create("public", title="Ruta", themes=[themes["safe_return"]], symposium_id=symposium.id,
                           end_date=yesterday)
    actions.plan(route, countries=(("HND", "origin"), ("MEX", "transit")))
    actions.propose(route, "partner")
    other = actions.create("public", title="Otra", end_date=yesterday)
    actions.plan(other, countries=(("GTM", "origin"), ("MEX", "destination")))
    actions.report(actions.lead_party(other), "lead_editor", "completed")
    client = browser(app)
    cases = {
        "": {route, other}, "country=MEX": {route, other}, "country=mex": {route, other},
        "country=MEX&country_role=transit": {route}, "country=HND&country_role=transit": set(),
        "country_role=origin": {route, other}, f"organisation={cast['partner'].id}": {route},
        f"theme={themes['safe_return']}": {route}, f"symposium={symposium.id}": {route},
        "status=completed": {other}, "status=planned": {route}, "flag=overdue": {route},
        # Unknown or malformed values are ignored, never an error.
        "country=XX1&country_role=sideways&organisation=x&theme=abc&status=nope&flag=zzz&page=-2": {route, other},
    }
    for query, expected in cases.items():
        response = client.get(f"/actions/?{query}")
        assert response.status_code == 200, query
        assert set(listed(response.get_data(as_text=True))) == expected, query
    assert {k: v for k, v in status_counts(client.text("/actions/?status=completed")).items() if v} == \
        {"planned": 1, "completed": 1}, "the counts leave the status filter out"


def test_pages_keep_the_filters(app, cast, actions):
    ids = [actions.create("public", title=f"Acción {n:02d}") for n in range(30)]
    for action_id in ids:
        actions.plan(action_id, countries=(("HND", "return"),), milestones=())
    client = browser(app)
    first = client.text("/actions/?country=HND&country_role=return")
    assert "30 joint actions match" in first and len(listed(first)) == 25
    following = re.search(r'href="([^"]*page=2[^"]*)" rel="next"', first).group(1).replace("&amp;", "&")
    assert "country=HND" in following and "country_role=return" in following
    second = client.text(following)
    assert len(listed(second)) == 5 and not set(listed(first)) & set(listed(second))


def test_the_corridor_shows_both_countries_roles_and_their_linked_commitments(app, cast, factory, actions):
    shared = actions.create("public", title="Retorno desde México")
    actions.plan(shared, countries=(("HND", "origin"), ("HND", "return"), ("MEX", "transit"), ("GTM", "origin")))
    actions.propose(shared, "partner")
    actions.propose(shared, "pending", answer=None)
    elsewhere = actions.create("public", title="Solo Guatemala y México")
    actions.plan(elsewhere, countries=(("GTM", "origin"), ("MEX", "transit")))
    honduran = factory.commitment(cast["lead"], "public", author=cast["lead_editor"], title="Compromiso hondureño")
    mexican = factory.commitment(cast["partner"], "public", author=cast["partner_editor"], title="Compromiso mexicano")
    reserved = factory.commitment(cast["partner"], "parties", author=cast["partner_editor"], title="Compromiso reservado")
    guatemalan = factory.commitment(cast["pending"], "public", author=cast["pending_editor"], title="Compromiso guatemalteco")
    for commitment in (honduran, mexican, reserved, guatemalan):
        actions.link(shared, commitment.id)
    client = browser(app)
    assert client.get("/corridors/mex-hnd").headers["Location"].endswith("/corridors/HND-MEX")
    assert client.get("/corridors/MEX-HND").status_code == 301
    for missing in ("/corridors/HND-HND", "/corridors/HND-XXX", "/corridors/HN1-MEX", "/corridors/HND"):
        assert client.get(missing).status_code == 404, missing
    page = client.text("/corridors/HND-MEX")
    assert listed(page) == [shared]
    words = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page))
    assert "Honduras Origin, Return" in words and "Mexico Transit" in words
    assert "Compromiso hondureño" in page and "Compromiso mexicano" in page
    assert "Compromiso guatemalteco" not in page, "only the two countries' institutions"
    assert "Compromiso reservado" not in page, "only commitments the reader may see"
    assert "Cancillería de Guatemala" not in page, "a pending proposal is no party"
    assert "Compromiso reservado" in browser(app, cast["partner_editor"]).text("/corridors/HND-MEX")
    assert listed(client.text("/corridors/GTM-MEX")) == [elsewhere, shared] or \
        set(listed(client.text("/corridors/GTM-MEX"))) == {elsewhere, shared}
    assert "No joint action you can see involves both countries." in client.text("/corridors/SLV-USA")


def test_the_demo_holds_the_three_joint_actions_with_their_parties_and_countries(app):
    with app.app_context():
        load_demo()
        db.session.commit()
        actions = {action.title: action for action in db.session.scalars(select(JointAction))}
        assert len(actions) == 3
        guide = actions["Distribución de la Guía del Migrante"]
        consular = actions["Identificación de casos y protección en el servicio consular hondureño"]
        families = actions["Asistencia integral a familias retornadas y a niñez no acompañada en el Triángulo Norte"]
        assert guide.lead_organisation.slug == "oim-slv-gtm-hnd"
        assert {p.organisation.slug for p in families.accepted_parties} == \
            {"dgpm-hnd", "oim-slv-gtm-hnd", "rree-slv", "minex-gtm", "inm-mex"}
        assert {p.organisation.slug for p in consular.accepted_parties} >= {"sreci-hnd", "embamex-hnd", "oim-slv-gtm-hnd"}
        assert [p.organisation.slug for p in guide.pending_parties] == ["embamex-hnd"]
        roles = {(entry.country_iso3, entry.role) for entry in families.countries}
        assert {("HND", "origin"), ("HND", "return"), ("GTM", "origin"), ("SLV", "origin"), ("MEX", "transit"),
                ("MEX", "destination")} == roles
        assert {action.status for action in actions.values()} >= {"stalled", "in_progress"}
        assert all(action.symposium_id for action in actions.values())
        # The guide's distribution was decided in the symposium's minutes (when the demo has minutes).
        minutes = db.session.scalar(select(Minutes.id).where(Minutes.symposium_id == guide.symposium_id))
        assert guide.source_minutes_id == minutes
        db.session.rollback()
    client = browser(app)
    page = client.text("/corridors/HND-MEX")
    assert len(listed(page)) == 3 and "Distribute the 64,000 copies" in page
    assert "Joint actions launched here" in client.text("/symposia/tegucigalpa-corresponsabilidad")
