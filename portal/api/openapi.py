"""The OpenAPI 3.1 document, built by apispec from the registered operations and their marshmallow schemas,
and the API reference page that reads it."""

import re

from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin
from flask import current_app, jsonify, render_template, url_for

from portal.api.fields import CodeSchema
from portal.api.routes import bp
from portal.api.views import OPERATIONS
from portal.core.permissions import public

_PATH_PARAM = re.compile(r"<(?:(\w+):)?(\w+)>")
_PARAM_SCHEMAS = {"id": {"type": "integer", "minimum": 1, "maximum": 2**31 - 1}, "slug": {"type": "string", "pattern": "^[a-z0-9-]+$"},
                  "country": {"type": "string", "pattern": "^[A-Za-z]{3}$"}}
PROBLEM = {"content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}}
ERRORS = {
    "304": {"description": "Not modified: the ETag or date sent is current"},
    "400": {"description": "A bad or unknown query parameter, named in `invalid_params`", **PROBLEM},
    "401": {"description": "The bearer token is unknown, revoked or expired, or its account is disabled", **PROBLEM},
    "429": {"description": "Too many requests; try again after `Retry-After` seconds", **PROBLEM},
}
PROBLEM_SCHEMA = {
    "type": "object", "required": ["type", "title", "status"],
    "properties": {
        "type": {"type": "string"}, "title": {"type": "string"}, "status": {"type": "integer"},
        "detail": {"type": "string"},
        "invalid_params": {"type": "array", "items": {"type": "object", "required": ["name", "reason"], "properties": {
            "name": {"type": "string"}, "reason": {"type": "string"}}}},
    },
}


def _path_and_parameters(rule: str) -> tuple[str, list[dict]]:
    parameters = [{"in": "path", "name": name, "required": True, "schema": _PARAM_SCHEMAS.get(kind, {"type": "string"})}
                  for kind, name in _PATH_PARAM.findall(rule)]
    return _PATH_PARAM.sub(r"{\2}", rule), parameters


def build_spec() -> dict:
    """Describe every registered operation: parameters from its argument schema, answers from its response schema."""
    spec = APISpec(title="Co-responsibility portal API", version="1.0.0", openapi_version="3.1.0",
                   plugins=[MarshmallowPlugin()],
                   info={"description": "Read-only open data: what the reader may see, as on the portal's pages. "
                                        "Anonymous readers get public items; a personal access token "
                                        "(`Authorization: Bearer`) reads what its owner may see."},
                   servers=[{"url": current_app.config["BASE_URL"].rstrip("/")}])
    spec.components.schema("Code", schema=CodeSchema)
    spec.components.schema("Problem", PROBLEM_SCHEMA)
    spec.components.security_scheme("token", {"type": "http", "scheme": "bearer",
                                              "description": "A personal access token from My account"})
    rules = {rule.endpoint: rule.rule for rule in current_app.url_map.iter_rules()}
    for operation in OPERATIONS:
        path, parameters = _path_and_parameters(rules[operation.endpoint])
        name = operation.response.__name__
        if name not in spec.components.schemas:
            spec.components.schema(name, schema=operation.response)
        body = {"$ref": f"#/components/schemas/{name}"}
        if operation.many:
            body = {"type": "object", "required": ["items", "next"], "properties": {
                "items": {"type": "array", "items": body},
                "next": {"type": ["string", "null"], "format": "uri",
                         "description": "The next page, or null on the last one"}}}
        responses = {"200": {"description": "OK", "content": {"application/json": {"schema": body}}}, **ERRORS}
        if "<" in rules[operation.endpoint]:
            responses["404"] = {"description": "Unknown, or hidden from this reader", **PROBLEM}
        spec.path(path=path, operations={"get": {
            "operationId": operation.endpoint.split(".", 1)[1], "summary": operation.summary,
            "description": operation.description, "security": [{}, {"token": []}],
            "parameters": parameters + [{"in": "query", "schema": operation.args}],
            "responses": responses,
        }})
    return spec.to_dict()


@bp.get("/v1/openapi.json")
@public
def openapi():
    """The OpenAPI 3.1 document of the API."""
    response = jsonify(build_spec())
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


@bp.get("/")
@public
def reference():
    """The API reference: every operation with its parameters and answers, read from the OpenAPI document."""
    return render_template("api/reference.html", spec=build_spec(), spec_url=url_for("api.openapi"))
