"""The people of the country tests: a Honduran ministry, a Mexican ministry, an IOM office, and their staff."""

import pytest

from tests.commitments.conftest import _TEMPLATES


@pytest.fixture
def app(make_app):
    app = make_app()
    app.jinja_env.bytecode_cache = _TEMPLATES
    return app


@pytest.fixture
def cast(factory):
    """Everyone who comes to a country page, keyed by the name used in the tests."""
    ministry = factory.organisation(slug="sreci", name="Cancillería de Honduras", name_en="Foreign Ministry of Honduras")
    mexico = factory.organisation(slug="inm", name="Instituto Nacional de Migración", country="MEX")
    iom = factory.organisation(kind="iom_office", slug="oim", name="OIM Honduras", name_en="IOM Honduras", country="SLV")
    return {
        "ministry": ministry, "mexico": mexico, "iom": iom,
        "ministry_editor": factory.user(ministry, role="editor", email="editor@sreci.example"),
        "mexico_editor": factory.user(mexico, role="editor", email="editor@inm.example"),
        "iom_editor": factory.user(iom, role="editor", email="editor@oim.example"),
        "iom_viewer": factory.user(iom, role="viewer", email="viewer@oim.example"),
        "iom_admin": factory.user(iom, role="org_admin", email="chief@oim.example"),
        "site_admin": factory.admin(email="root@portal.example"),
    }
