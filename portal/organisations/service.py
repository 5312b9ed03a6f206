"""Organisation and membership operations; they flush and audit, the route commits."""

from sqlalchemy import select

from portal.accounts.models import User
from portal.core.audit import changed_fields, record_event
from portal.core.text import slugify
from portal.extensions import db
from portal.organisations.models import Organisation, OrgKind

ORG_FIELDS = ["name", "name_en", "acronym", "kind", "country_iso3", "host_country_iso3", "website"]
MEMBER_FIELDS = ["position", "organisation_id", "role"]


def unique_slug(base: str, exclude_id: int | None = None) -> str:
    """Return ``base`` as a slug, numbered if another organisation already uses it."""
    slug = slugify(base)
    candidate, number = slug, 2
    while True:
        clash = db.session.scalar(select(Organisation.id).where(Organisation.slug == candidate))
        if clash is None or clash == exclude_id:
            return candidate
        candidate, number = f"{slug}-{number}", number + 1


def _apply(organisation: Organisation, data: dict) -> None:
    for field in ORG_FIELDS:
        setattr(organisation, field, data.get(field) or None)
    if organisation.kind != OrgKind.EMBASSY:
        organisation.host_country_iso3 = None


def create_organisation(actor, data: dict, idempotency_key: str | None = None) -> Organisation:
    """Create an organisation from validated form data."""
    organisation = Organisation(idempotency_key=idempotency_key)
    _apply(organisation, data)
    base = f"{data.get('acronym') or data['name']}-{data['country_iso3']}"
    organisation.slug = unique_slug(base)
    db.session.add(organisation)
    db.session.flush()
    record_event(actor, "create", organisation, {f: [None, getattr(organisation, f)] for f in ORG_FIELDS})
    return organisation


def update_organisation(actor, organisation: Organisation, data: dict) -> None:
    """Change an organisation's fields and record what changed."""
    _apply(organisation, data)
    changes = changed_fields(organisation, ORG_FIELDS)
    if changes:
        record_event(actor, "update", organisation, changes)


def set_organisation_active(actor, organisation: Organisation, active: bool) -> None:
    """Disable or re-enable an organisation; its items and history stay."""
    organisation.is_active = active
    record_event(actor, "enable" if active else "disable", organisation)


def update_member(actor, member: User, data: dict) -> dict:
    """Change a member's position, organisation or role; return the changed fields ({field: [old, new]})."""
    for field in MEMBER_FIELDS:
        setattr(member, field, data[field])
    changes = changed_fields(member, MEMBER_FIELDS)
    if "organisation_id" in changes or "role" in changes:
        # New rights take effect now, not when the old session happens to end.
        member.end_all_sessions()
    if changes:
        record_event(actor, "update", member, changes)
    return changes
