"""Framework tags and the crosswalk: seeded lists in both languages, tags on commitments and joint actions,
filters, and pages that show what each reader may see and nothing more."""

import re

from sqlalchemy import select

from portal.extensions import db
from portal.frameworks.models import FrameworkTag
from portal.joint_actions import service as action_service
from tests.commitments.support import browser, hidden, listed, post


def tag_id(app, slug: str) -> int:
    framework, code = slug.rsplit("-", 1) if not slug.startswith("sdg") else ("sdg", slug[4:])
    with app.app_context():
        return db.session.scalar(select(FrameworkTag.id).where(FrameworkTag.framework == framework,
                                                               FrameworkTag.code == code))


def test_the_frameworks_are_seeded_in_both_languages(app):
    english = browser(app).text("/frameworks/")
    assert "GCM 21: Cooperate in facilitating safe and dignified return and readmission" in english
    for code in ("10.7", "10.c", "8.7", "8.8", "16.2", "16.9", "17.18"):
        assert f"SDG {code}:" in english
    assert all(f"GCM {number}:" in english for number in range(1, 24)) and "GCM 24:" not in english
    assert "Reintegration after arrival" in english and "Psychosocial" in english and "Structural" in english
    spanish = browser(app, language="es").text("/frameworks/")
    assert "ODS 10.7:" in spanish and "Colaborar para facilitar el regreso y la readmisión" in spanish


def test_an_editor_tags_a_commitment_and_the_reader_follows_the_tag(app, cast, factory):
    client = browser(app, cast["ministry_editor"])
    page = client.text("/commitments/new")
    assert "GCM 21: Cooperate in facilitating" in page
    created = post(client, "/commitments/new", {
        "title_es": "Reintegración en comunidades de origen", "visibility": "public", "symposium_id": "",
        "framework_tags": [str(tag_id(app, "gcm-21")), str(tag_id(app, "return-stage-reintegration"))],
        "idempotency_key": hidden(page, "idempotency_key")})
    assert created.status_code == 303
    factory.commitment(cast["ministry"], "public", title="Sin etiqueta", author=cast["ministry_editor"])
    reader = browser(app)
    detail = reader.text(created.headers["Location"])
    assert 'href="/frameworks/gcm/21"' in detail and "Reintegration after arrival" in detail
    assert set(listed(reader.text("/commitments/?tag=gcm-21")).values()) == {"Reintegración en comunidades de origen"}
    assert len(listed(reader.text("/commitments/?tag=not-a-tag"))) == 2  # an unknown tag filters nothing
    crosswalk = reader.text("/frameworks/gcm/21")
    assert "Reintegración en comunidades de origen" in crosswalk and "Sin etiqueta" not in crosswalk
    assert re.search(r"Honduras</a></th>\s*<td>1</td>", crosswalk)  # one planned commitment in Honduras


def test_the_crosswalk_shows_only_what_the_reader_may_see(app, cast, factory):
    gcm21 = tag_id(app, "gcm-21")
    factory.commitment(cast["ministry"], "public", title="Pública etiquetada", framework_tags=[gcm21],
                       author=cast["ministry_editor"])
    factory.commitment(cast["ministry"], "partners", title="Interna etiquetada", framework_tags=[gcm21],
                       author=cast["ministry_editor"])
    with app.app_context():
        from portal.accounts.models import User

        lead = db.session.get(User, cast["mexico_editor"].id)
        action_service.create_action(lead, {"title_es": "Acción interna etiquetada", "description_es": "",
                                            "visibility": "partners", "themes": [], "framework_tags": [gcm21]})
        db.session.commit()
    public_page = browser(app).text("/frameworks/gcm/21")
    assert "Pública etiquetada" in public_page
    assert "Interna etiquetada" not in public_page and "Acción interna etiquetada" not in public_page
    assert "1 commitment that you can see." in public_page
    assert set(listed(browser(app).text("/commitments/?tag=gcm-21")).values()) == {"Pública etiquetada"}
    partner_page = browser(app, cast["iom_editor"]).text("/frameworks/gcm/21")
    assert "Interna etiquetada" in partner_page and "Acción interna etiquetada" in partner_page
    assert "2 commitments that you can see." in partner_page
    index = browser(app).text("/frameworks/")
    assert re.search(r'href="/frameworks/gcm/21">[^<]*</a></th>\s*<td>1</td><td>0</td>', index)


def test_an_unknown_tag_page_is_not_found(app):
    reader = browser(app)
    assert reader.get("/frameworks/gcm/99").status_code == 404
    assert reader.get("/frameworks/nothing/21").status_code == 404


def test_a_site_admin_extends_a_framework_and_a_taken_code_is_refused(app, cast):
    admin = browser(app, cast["site_admin"])
    data = {"framework": "sdg", "code": "5.2", "name_es": "Eliminar la violencia contra las mujeres",
            "name_en": "Eliminate violence against women"}
    assert post(admin, "/admin/frameworks/", data).status_code == 303
    assert "SDG 5.2: Eliminate violence against women" in browser(app).text("/frameworks/")
    again = post(admin, "/admin/frameworks/", {**data, "name_en": "Another name"})
    assert again.status_code == 200 and "This framework already has a tag with this code." in again.get_data(as_text=True)
    with app.app_context():
        assert db.session.query(FrameworkTag).filter_by(framework="sdg", code="5.2").count() == 1
    editor = browser(app, cast["ministry_editor"])
    assert post(editor, "/admin/frameworks/", {**data, "code": "5.3"}).status_code == 403
    with app.app_context():  # seeded reference rows are kept between PostgreSQL tests: leave them as seeded
        db.session.query(FrameworkTag).filter_by(framework="sdg", code="5.2").delete()
        db.session.commit()
