"""How every API view answers: arguments checked against a schema, labels in the asked language, JSON with
validators (ETag, Last-Modified, 304), caching and CORS for anonymous readers. Each view registers itself
here with its schemas, and the OpenAPI document is built from this registry."""

import hashlib
import json
from dataclasses import dataclass
from functools import wraps

from flask import current_app, request
from flask_babel import force_locale
from marshmallow import Schema, ValidationError

from portal.api.auth import is_anonymous
from portal.api.problems import BadParameter
from portal.core.permissions import public


@dataclass
class Operation:
    endpoint: str
    summary: str
    description: str
    args: type[Schema]
    response: type[Schema]
    many: bool


#: Every API operation, in registration order (read by the OpenAPI builder).
OPERATIONS: list[Operation] = []


def language(args: dict) -> str:
    """``?lang=`` first, then Accept-Language, then the portal's default language."""
    languages = current_app.config["LANGUAGES"]
    return args.get("lang") or request.accept_languages.best_match(languages) or \
        current_app.config["BABEL_DEFAULT_LOCALE"]


def parse_args(schema: Schema) -> dict:
    """Load the query string through ``schema``; the first bad or unknown parameter answers 400 naming it."""
    try:
        return schema.load(request.args.to_dict(flat=True))
    except ValidationError as error:
        name, messages = next(iter(error.messages.items()))
        reason = messages[0] if isinstance(messages, list) else str(messages)
        raise BadParameter(name, reason.rstrip(".")) from None


def json_response(payload, last_modified=None):
    """A JSON answer with an ETag of its body and, when known, Last-Modified; 304 when the client is current."""
    body = json.dumps(payload, ensure_ascii=False, separators=(",", ":"), default=str)
    response = current_app.response_class(body, mimetype="application/json")
    response.set_etag(hashlib.sha256(body.encode()).hexdigest()[:32])
    if last_modified is not None:
        response.last_modified = last_modified
    response.vary.update(("Accept-Language", "Authorization"))
    if is_anonymous():
        response.headers["Cache-Control"] = "public, max-age=60"
        response.headers["Access-Control-Allow-Origin"] = "*"
    else:
        response.headers["Cache-Control"] = "private, no-store"
    return response.make_conditional(request)


def api_get(bp, rule: str, args: type[Schema], response: type[Schema], many: bool = False):
    """Register a read-only API view: ``view(args, **url_values) -> (payload, last_modified)``."""

    def decorator(view):
        @wraps(view)
        def wrapper(**url_values):
            parsed = parse_args(args())
            with force_locale(language(parsed)):
                payload, last_modified = view(parsed, **url_values)
            return json_response(payload, last_modified)

        endpoint = f"{bp.name}.{view.__name__}"
        summary, _, description = (view.__doc__ or "").strip().partition("\n")
        OPERATIONS.append(Operation(endpoint, summary.strip(), description.strip(), args, response, many))
        bp.get(rule)(public(wrapper))
        return wrapper

    return decorator


def latest(rows, attribute: str = "updated_at"):
    """The most recent change among ``rows`` (for Last-Modified), or None."""
    stamps = [getattr(row, attribute) for row in rows if getattr(row, attribute, None) is not None]
    return max(stamps) if stamps else None
