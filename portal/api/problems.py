"""Errors of the API as RFC 9457 problem details (application/problem+json), never an HTML page."""

from flask import Flask, jsonify, request
from werkzeug.exceptions import BadRequest, HTTPException, Unauthorized
from werkzeug.http import HTTP_STATUS_CODES

PROBLEM_TYPE = "application/problem+json"
API_PREFIX = "/api/"


class BadParameter(BadRequest):
    """A query parameter the API cannot use; the problem names it."""

    def __init__(self, name: str, reason: str):
        super().__init__(f"Bad value for the parameter '{name}': {reason}")
        self.parameter = name
        self.reason = reason


class InvalidToken(Unauthorized):
    """A bearer token that is unknown, revoked, expired, or whose account is disabled."""

    def __init__(self, detail: str = "The access token is not valid (unknown, revoked or expired)."):
        super().__init__(detail)
        self.www_authenticate = None  # set in the header below, with the error code RFC 6750 asks for


def problem(status: int, detail: str | None = None, headers=None, **extra):
    """Build a problem+json response."""
    body = {"type": "about:blank", "title": HTTP_STATUS_CODES.get(status, "Error"), "status": status}
    if detail:
        body["detail"] = detail
    body.update(extra)
    response = jsonify(body)
    response.status_code = status
    response.mimetype = PROBLEM_TYPE
    for name, value in headers or ():
        if name.lower() != "content-type":
            response.headers[name] = value
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.headers["Cache-Control"] = "no-store"
    return response


def render_problem(error: HTTPException | None, status: int):
    """Turn an HTTP error (or a server fault) raised under /api/ into a problem response."""
    extra, headers = {}, []
    if isinstance(error, BadParameter):
        extra["invalid_params"] = [{"name": error.parameter, "reason": error.reason}]
    if isinstance(error, InvalidToken):
        headers.append(("WWW-Authenticate", 'Bearer realm="api", error="invalid_token"'))
    elif error is not None and status != 500:
        headers.extend(error.get_headers())
    detail = error.description if isinstance(error, HTTPException) and status < 500 else None
    if status == 404:
        detail = "There is nothing at this address, or you may not see it."
    if status == 503:
        headers.append(("Retry-After", "5"))
    return problem(status, detail, headers, **extra)


def is_api_request() -> bool:
    return request.path.startswith(API_PREFIX) and request.path != API_PREFIX


def register_problem_renderer(app: Flask) -> None:
    """Let the app's error handlers answer API paths with problem details instead of HTML pages."""
    app.extensions.setdefault("error_renderers", []).append((is_api_request, render_problem))

