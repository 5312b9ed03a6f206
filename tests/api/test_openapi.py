"""The OpenAPI document is valid OpenAPI 3.1, and the running API answers as it documents (schemathesis)."""

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from openapi_spec_validator import validate

from tests.api.conftest import make_action


def test_the_document_is_valid_openapi_3_1(app):
    document = app.test_client().get("/api/v1/openapi.json").json
    assert document["openapi"] == "3.1.0"
    validate(document)
    assert {"/api/v1/commitments", "/api/v1/commitments/{commitment_id}", "/api/v1/symposia",
            "/api/v1/symposia/{slug}", "/api/v1/joint-actions", "/api/v1/joint-actions/{action_id}",
            "/api/v1/countries", "/api/v1/countries/{code}", "/api/v1/organisations",
            "/api/v1/minutes"} <= set(document["paths"])


def test_the_reference_page_lists_every_operation_and_loads_nothing_from_elsewhere(app):
    page = app.test_client().get("/api/").get_data(as_text=True)
    for path in ("/api/v1/commitments", "/api/v1/joint-actions/{action_id}", "/api/v1/countries/{code}"):
        assert f"GET {path}" in page
    assert "curl" in page
    assert "src=\"http" not in page and "href=\"https://cdn" not in page


@pytest.fixture
def filled_app(app, factory):
    """An app with something of each kind to answer about, and room for every generated request."""
    app.config["RATELIMIT_API_PER_ADDRESS"] = "100000 per minute"
    owner = factory.organisation(slug="sreci")
    editor = factory.user(owner)
    symposium = factory.symposium(slug="tegucigalpa")
    for visibility in ("public", "partners"):
        commitment = factory.commitment(owner, visibility, author=editor, symposium_id=symposium.id)
        factory.update(commitment, editor)
        make_action(app, owner, editor, visibility, "Acción")
    return app


def test_the_api_answers_as_documented(filled_app):
    """Every operation, with up to 25 generated requests each: no server error, documented status codes,
    content types, headers, and bodies that match the response schemas."""
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", filled_app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 11
    for operation in operations:
        @given(case=operation.as_strategy())
        @settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck), database=None)
        def check(case):
            case.call_and_validate()

        check()
