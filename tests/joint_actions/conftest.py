"""The people of the joint-action tests: a lead ministry, a partner across the border, a ministry that is
proposed but has not answered, one that declined, an uninvolved ministry, an IOM office, and their staff."""

import pytest


@pytest.fixture
def cast(factory):
    """Everyone who may come to a joint action led by the lead ministry, keyed by the name used in the tests."""
    lead = factory.organisation(slug="sreci", name="Cancillería de Honduras", name_en="Foreign Ministry of Honduras")
    partner = factory.organisation(slug="inm", name="Instituto Nacional de Migración", country="MEX",
                                   name_en="National Migration Institute")
    pending = factory.organisation(slug="minex", name="Cancillería de Guatemala", country="GTM")
    declined = factory.organisation(slug="rree", name="Cancillería de El Salvador", country="SLV")
    outsider = factory.organisation(slug="ceniss", name="Centro Nacional de Información del Sector Social")
    iom = factory.organisation(kind="iom_office", slug="oim", name="OIM Honduras", name_en="IOM Honduras")
    return {
        "lead": lead, "partner": partner, "pending": pending, "declined": declined, "outsider": outsider, "iom": iom,
        "lead_editor": factory.user(lead, role="editor", email="editor@sreci.example"),
        "lead_admin": factory.user(lead, role="org_admin", email="chief@sreci.example"),
        "lead_viewer": factory.user(lead, role="viewer", email="viewer@sreci.example"),
        "partner_editor": factory.user(partner, role="editor", email="editor@inm.example"),
        "partner_viewer": factory.user(partner, role="viewer", email="viewer@inm.example"),
        "pending_editor": factory.user(pending, role="editor", email="editor@minex.example"),
        "declined_editor": factory.user(declined, role="editor", email="editor@rree.example"),
        "outsider_editor": factory.user(outsider, role="editor", email="editor@ceniss.example"),
        "iom_editor": factory.user(iom, role="editor", email="editor@oim.example"),
        "site_admin": factory.admin(email="root@portal.example"),
    }
