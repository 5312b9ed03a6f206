"""Degrade, don't fail: when the database cannot be written or reached, or the disk is full, answer 503.

The answer carries Retry-After and, for a form that was sent, the page says the portal is read-only
for a moment and shows the form again with what was typed (never a password), ready to be sent once
more; the idempotency key travels with it, so a second send stores one record. The transaction is
rolled back, and any evidence file stored during the request whose row was not committed is deleted,
so nothing is half-written and no file is left without its row.
"""

import errno
import logging

from flask import current_app, g, render_template, request
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy.exc import DBAPIError, InternalError, OperationalError

from portal.core.metrics import count_database_error
from portal.extensions import db, login_manager

log = logging.getLogger("portal.errors")

#: Errors of the file system that mean "no room or no write now", not a bug.
STORAGE_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EROFS})
#: Fields never shown again: secrets, and the CSRF token (a fresh one is sent).
SECRET_FIELD_PARTS = ("password", "csrf_token", "totp", "secret", "token")
#: Fields holding a one-time code of the second sign-in step.
SECRET_FIELDS = frozenset({"code", "recovery_code"})
#: Fields the forms keep hidden; they go back as hidden fields.
HIDDEN_FIELDS = frozenset({"idempotency_key", "version", "next", "lang"})
WRITE_TEXT = _l("The portal is read-only for a moment, so nothing was saved. What you typed is below: "
                "send it again in a minute.")
READ_TEXT = _l("The portal cannot reach its database for a moment. Please try again in a minute.")
LOST_TEXT = _l("The portal has no room to receive forms for a moment, so nothing was saved. Go back and "
               "send the form again in a minute.")
FILES_TEXT = _l("Files you attached were not kept: attach them again before sending.")


def is_database_unavailable(error: Exception) -> bool:
    """Tell whether a database error means "cannot read or write now" (unreachable, read-only, full, locked)."""
    if isinstance(error, OperationalError):
        return True
    if isinstance(error, InternalError):
        # PostgreSQL: a read-only transaction or standby (SQLSTATE 25006).
        return getattr(error.orig, "sqlstate", None) == "25006"
    return isinstance(error, DBAPIError) and error.connection_invalidated


def is_storage_full(error: BaseException) -> bool:
    """Tell whether an OSError means the disk is full, over quota or read-only."""
    return isinstance(error, OSError) and error.errno in STORAGE_ERRNOS


def unavailable_response(error: BaseException, other_renderer=None):
    """Roll back, drop uncommitted files, and answer 503 with Retry-After and the form kept."""
    _roll_back()
    from portal.core.uploads import discard_uncommitted_files

    discard_uncommitted_files()
    kind = "storage.full" if isinstance(error, OSError) else "db.unavailable"
    original = getattr(error, "orig", None) or error
    log.error("%s method=%s path=%r error=%s", kind, request.method, request.path,
              str(original).strip().splitlines()[0][:200] if str(original).strip() else type(original).__name__)
    count_database_error(kind)
    retry_after = str(current_app.config["DATABASE_RETRY_AFTER"])
    if other_renderer is not None:
        response = current_app.make_response(other_renderer(None, 503))
        response.headers["Retry-After"] = retry_after
        return response
    _settle_current_user()
    writing = request.method not in ("GET", "HEAD", "OPTIONS")
    fields, had_files, text = [], False, WRITE_TEXT if writing else READ_TEXT
    if writing:
        try:
            fields, had_files = kept_fields(), any(f.filename for f in request.files.values())
        except Exception:  # noqa: BLE001 - the form itself could not be read (no room to receive it)
            writing, text = False, LOST_TEXT
    body = render_template("errors/unavailable.html", code=503, writing=writing, text=text, fields=fields,
                           had_files=had_files, files_text=FILES_TEXT)
    return body, 503, {"Retry-After": retry_after, "Cache-Control": "no-store"}


def kept_fields() -> list[tuple[str, str, bool]]:
    """(name, value, hidden) of every sent field that may be shown again."""
    kept = []
    for name, value in request.form.items(multi=True):
        lowered = name.lower()
        if lowered in SECRET_FIELDS or any(part in lowered for part in SECRET_FIELD_PARTS):
            continue
        kept.append((name, value, lowered in HIDDEN_FIELDS or lowered.endswith("-version")))
    return kept


def _roll_back() -> None:
    try:
        db.session.rollback()
    except Exception:  # noqa: BLE001 - a dead connection cannot roll back; drop the session instead
        db.session.remove()


def _settle_current_user() -> None:
    """Load the signed-in user for the page's header, or show it signed out if the database cannot say."""
    try:
        current_user.is_authenticated  # noqa: B018 - loads the user now, while failure can be caught
    except Exception:  # noqa: BLE001
        _roll_back()
        g._login_user = login_manager.anonymous_user()
