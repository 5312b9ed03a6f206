"""IATI 2.03 activity files of joint actions, validated against the official schema shipped in pyIATI's
source distribution (tests/iati), with every code checked against the IATI codelists."""

from decimal import Decimal
from pathlib import Path

import pytest
from lxml import etree

from portal.extensions import db
from portal.joint_actions.models import ActionCountry, JointAction
from tests.api.conftest import VISIBILITIES
from tests.commitments.support import browser

IATI = Path(__file__).resolve().parent.parent / "iati"
SEES = {None: {"public"}, "other_editor": {"public", "partners"}, "owner_editor": set(VISIBILITIES)}
CODES = {  # (XPath of the coded attribute, codelist)
    "activity-status/@code": "ActivityStatus", "activity-date/@type": "ActivityDateType",
    "participating-org/@role": "OrganisationRole", "participating-org/@type": "OrganisationType",
    "reporting-org/@type": "OrganisationType", "description/@type": "DescriptionType",
    "recipient-country/@code": "Country", "sector/@code": "Sector", "sector/@vocabulary": "SectorVocabulary",
    "document-link/category/@code": "DocumentCategory",
}


@pytest.fixture(scope="module")
def schema():
    return etree.XMLSchema(etree.parse(str(IATI / "schema-2.03" / "iati-activities-schema.xsd")))


def codelist(name: str) -> set[str]:
    return set(etree.parse(str(IATI / "codelists" / f"{name}.xml")).xpath("//codelist-item/code/text()"))


def valid(schema, data: bytes):
    document = etree.fromstring(data)
    assert schema.validate(document), schema.error_log
    return document


@pytest.fixture
def routed(app, world, factory):
    """Give the public action countries on a route and themes that map to DAC sectors."""
    with app.app_context():
        action = db.session.get(JointAction, world["actions"]["public"])
        action.countries = [ActionCountry(country_iso3="HND", role="origin"),
                            ActionCountry(country_iso3="MEX", role="transit"),
                            ActionCountry(country_iso3="USA", role="destination")]
        action.status = "in_progress"
        db.session.commit()
    return world


@pytest.mark.parametrize("who", SEES)
def test_the_file_of_every_action_is_valid_and_holds_what_the_reader_may_see(app, routed, schema, who):
    client = browser(app, routed[who]) if who else app.test_client()
    response = client.get("/actions/iati.xml")
    assert response.status_code == 200 and response.mimetype == "application/xml"
    document = valid(schema, response.data)
    identifiers = document.xpath("//iati-activity/iati-identifier/text()")
    assert identifiers == [f"XM-DAC-47066-JA-{routed['actions'][v]}" for v in VISIBILITIES if v in SEES[who]]


def test_every_code_is_in_its_iati_codelist(app, routed, schema):
    document = valid(schema, app.test_client().get("/actions/iati.xml").data)
    for path, name in CODES.items():
        used = set(document.xpath(f"//iati-activity/{path}"))
        assert used <= codelist(name), (path, used - codelist(name))
    public = document.xpath("//iati-activity")[0]
    assert public.xpath("recipient-country/@code") == ["HN", "MX", "US"]
    assert sum(Decimal(p) for p in public.xpath("recipient-country/@percentage")) == 100
    assert public.xpath("activity-status/@code") == ["2"]
    assert public.xpath("participating-org/@role") == ["2"]


def test_one_action_has_its_own_file_and_a_hidden_one_answers_404(app, routed, schema):
    client = app.test_client()
    document = valid(schema, client.get(f"/actions/{routed['actions']['public']}/iati.xml").data)
    assert len(document.xpath("//iati-activity")) == 1
    assert client.get(f"/actions/{routed['actions']['parties']}/iati.xml").status_code == 404
    party = browser(app, routed["owner_editor"])
    valid(schema, party.get(f"/actions/{routed['actions']['parties']}/iati.xml").data)


def test_the_schema_check_would_catch_a_broken_file(app, routed, schema):
    document = etree.fromstring(app.test_client().get("/actions/iati.xml").data)
    status = document.xpath("//activity-status")[0]
    status.getparent().remove(status)
    assert not schema.validate(document)
