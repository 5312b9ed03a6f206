"""Optimistic locking carried through forms: an edit based on an old version is refused; and creation
forms that create their record once however often they are sent."""

from uuid import uuid4

from flask import abort
from sqlalchemy import String, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, mapped_column
from sqlalchemy.orm.exc import StaleDataError

from portal.extensions import db


def is_stale(form_version, obj) -> bool:
    """Tell whether the form was rendered from another version than the record's current one."""
    try:
        return int(form_version) != obj.version
    except (TypeError, ValueError):
        return True


def commit_or_conflict() -> bool:
    """Commit; on a concurrent change, roll back and return False instead of losing either edit."""
    try:
        db.session.commit()
    except StaleDataError:
        db.session.rollback()
        return False
    return True


def apply_or_conflict(change) -> bool:
    """Run ``change()`` and commit; roll back and return False when a concurrent save got there first.

    The clash shows at the commit, or earlier at a flush inside ``change()`` (a service that flushes, or
    a query that autoflushes the pending UPDATE): both are a conflict, never a server error.
    """
    try:
        change()
    except StaleDataError:
        db.session.rollback()
        return False
    return commit_or_conflict()


def save_unless_stale(form_version, obj, change) -> bool:
    """Run ``change()`` and commit, unless the form was rendered from an older version of ``obj``
    or a concurrent save got there first; then roll back and return False (the caller answers 409)."""
    if not is_stale(form_version, obj) and apply_or_conflict(change):
        return True
    db.session.rollback()
    return False


def create_once(key: str | None, find, create):
    """Run ``create()`` and commit, unless a submission carrying the same idempotency ``key`` already
    created the record (``find(key)`` returns it). Return (record, whether this request created it)."""
    if existing := find(key):
        return existing, False
    try:
        # The duplicate key may surface at a flush inside create() as well as at the commit.
        record = create()
        db.session.commit()
    except IntegrityError:
        # The same form arrived twice at once; the other request created it.
        db.session.rollback()
        return find(key) or abort(409), False
    return record, True


def idempotency_key_column() -> Mapped[str | None]:
    """The column a create form's key is kept in: unique, so that two submissions of one form sent at
    the same moment make one row on both databases (the second insert fails, and finds the first)."""
    return mapped_column(String(64), unique=True)


def offer_key(form) -> None:
    """Give a create form a fresh idempotency key when it has none (shown afresh); a form sent back
    keeps the key it came with, so sending it twice creates once."""
    if not form.idempotency_key.data:
        form.idempotency_key.data = uuid4().hex


def find_by_key(model, key: str | None):
    """Return the ``model`` row created by the submission carrying ``key``, or None."""
    if not key:
        return None
    return db.session.scalar(select(model).where(model.idempotency_key == key))


def sent_key(form) -> str | None:
    """The idempotency key a create form came back with."""
    return (form.idempotency_key.data or "")[:64] or None


def create_from_form(form, model, create):
    """Create a ``model`` row once per submitted form: ``create(key)`` builds it and stores the key.
    Return (record, whether this request created it); a repeat gets the first submission's record."""
    key = sent_key(form)
    return create_once(key, lambda sent: find_by_key(model, sent), lambda: create(key))
