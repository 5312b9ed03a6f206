"""Optimistic locking carried through forms: an edit based on an old version is refused."""

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
