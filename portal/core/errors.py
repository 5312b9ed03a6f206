"""Error pages in the reader's language, never with a traceback."""

import logging
import uuid

from flask import Flask, current_app, render_template, request
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.exceptions import HTTPException, InternalServerError, ServiceUnavailable

from portal.core.degrade import is_database_unavailable, is_storage_full, unavailable_response
from portal.core.security_log import security_event
from portal.core.uploads import discard_uncommitted_files
from portal.extensions import db

log = logging.getLogger("portal.errors")

ERROR_TEXTS = {
    400: (_l("Bad request"), _l("The request could not be understood. Go back, check what you entered and try again.")),
    403: (_l("Not allowed"), _l("Your account is not allowed to do this.")),
    404: (_l("Page not found"), _l("There is no page at this address, or you may not see it.")),
    405: (_l("Method not allowed"), _l("This address does not accept that kind of request.")),
    409: (_l("Changed in the meantime"), _l("Someone else changed this record at the same moment. Go back, reload the page and try again.")),
    413: (_l("Too large"), _l("What you sent is larger than the portal accepts.")),
    429: (_l("Too many attempts"), _l("Too many attempts in a short time. Wait a few minutes and try again.")),
    500: (_l("Something went wrong"), _l("The portal could not complete the request, so nothing was changed. Please try again; if it happens again, tell the administrators the reference below.")),
    503: (_l("Temporarily unavailable"), _l("The portal is busy or under maintenance. Please try again in a moment.")),
}
CSRF_TEXT = _l("This form has expired or did not come from this site. Reload the page and send it again.")


def render_error(code: int, detail: str | None = None, reference: str | None = None):
    """Render the error page for ``code`` with an optional message."""
    title, text = ERROR_TEXTS.get(code, ERROR_TEXTS[500])
    body = render_template("errors/error.html", code=code, title=title, text=detail or text, reference=reference)
    return body, code


def _other_renderer():
    """A module (the API) may answer its own paths in its own format: (applies, render) pairs in app.extensions."""
    for applies, render in current_app.extensions.get("error_renderers", ()):
        if applies():
            return render
    return None


def register_error_handlers(app: Flask) -> None:
    """Install the error handlers for HTTP errors, CSRF failures and database trouble."""

    @app.errorhandler(CSRFError)
    def csrf_error(error):
        security_event("csrf.failed", level=logging.WARNING, reason=error.description)
        return render_error(400, str(CSRF_TEXT))

    @app.errorhandler(HTTPException)
    def http_error(error):
        if render := _other_renderer():
            return render(error, error.code)
        if error.code not in ERROR_TEXTS:
            return error
        if error.code == 403:
            security_event("access.denied", level=logging.WARNING, method=request.method)
        body, code = render_error(error.code)
        response = app.make_response((body, code))
        for name, value in error.get_headers():
            if name.lower() != "content-type":
                response.headers[name] = value
        return response

    @app.errorhandler(StaleDataError)
    def concurrent_change(error):
        # Two saves of one versioned record at once (a button pressed twice, say) where the route did
        # not expect it: the second loses, nothing of it is kept, and the person is told to reload.
        db.session.rollback()
        log.info("db.conflict path=%r", request.path)
        return render_error(409)

    @app.errorhandler(DBAPIError)
    def database_error(error):
        # Unreachable, read-only, full or locked beyond its wait: 503 with the form kept, never 500.
        if is_database_unavailable(error):
            return unavailable_response(error, _other_renderer())
        return server_error(InternalServerError(original_exception=error))

    @app.errorhandler(OSError)
    def storage_error(error):
        if is_storage_full(error):
            return unavailable_response(error, _other_renderer())
        return server_error(InternalServerError(original_exception=error))

    @app.errorhandler(InternalServerError)
    def server_error(error):
        try:
            db.session.rollback()
        except Exception:  # noqa: BLE001 - a dead connection cannot roll back
            db.session.remove()
        discard_uncommitted_files()
        reference = uuid.uuid4().hex[:12]
        original = getattr(error, "original_exception", None) or error
        log.error("server.error ref=%s path=%r", reference, request.path, exc_info=original)
        if render := _other_renderer():
            return render(None, 500)
        return render_error(500, reference=reference)

    @app.errorhandler(ServiceUnavailable)
    def unavailable(error):
        if render := _other_renderer():
            return render(error, 503)
        body, code = render_error(503)
        return body, code, {"Retry-After": "30"}
