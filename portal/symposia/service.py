"""Symposium operations: they flush and write the audit trail; the route commits once."""

from sqlalchemy import select

from portal.core.audit import changed_fields, record_event
from portal.core.db import utcnow
from portal.core.text import slugify
from portal.core.params import bounded_id
from portal.extensions import db
from portal.symposia.models import AgendaItem, Symposium, SymposiumParticipant

#: Every language of the translated fields is edited, and recorded, like any other field.
FIELDS = ["title_es", "title_en", "description_es", "description_en", "original_language", "start_date", "end_date",
          "city", "country_iso3", "timezone", "previous_id"]
#: The facts set as given; the texts go through ``set_texts`` (blank is none, the original language settled).
PLAIN_FIELDS = ["start_date", "end_date", "city", "country_iso3", "timezone"]


def unique_slug(symposium: Symposium) -> str:
    """Return a slug made of the title and year, numbered if already taken."""
    # The original language's title: the address does not depend on who created the symposium.
    title = symposium.text("title", symposium.original_language)
    base = slugify(f"{symposium.city} {symposium.start_date.year} {title}", max_length=100)
    candidate, number = base, 2
    while db.session.scalar(select(Symposium.id).where(Symposium.slug == candidate, Symposium.id != symposium.id)):
        candidate, number = f"{base}-{number}", number + 1
    return candidate


def _apply(symposium: Symposium, data: dict) -> None:
    for field in PLAIN_FIELDS:
        setattr(symposium, field, data.get(field))
    symposium.set_texts(data)
    previous = data.get("previous_id")
    symposium.previous_id = bounded_id(str(previous)) if previous else None


def _set_participants(symposium: Symposium, organisers: set[int], participants: set[int]) -> bool:
    """Make the participant list match the form, keeping delegates of organisations that stay."""
    wanted = organisers | participants
    current = {p.organisation_id: p for p in symposium.participants}
    changed = False
    for organisation_id, participant in current.items():
        if organisation_id not in wanted:
            symposium.participants.remove(participant)
            changed = True
    for organisation_id in wanted:
        participant = current.get(organisation_id)
        if participant is None:
            participant = SymposiumParticipant(organisation_id=organisation_id)
            symposium.participants.append(participant)
            changed = True
        is_organiser = organisation_id in organisers
        changed = changed or participant.is_organiser != is_organiser
        participant.is_organiser = is_organiser
    return changed


def create_symposium(actor, data: dict, idempotency_key: str | None = None) -> Symposium:
    """Create a symposium; the creator's organisation is among its organisers."""
    symposium = Symposium(created_by_id=actor.id, idempotency_key=idempotency_key)
    _apply(symposium, data)
    organisers = set(data.get("organisers") or [])
    if actor.organisation_id:
        organisers.add(actor.organisation_id)
    _set_participants(symposium, organisers, set(data.get("participants") or []))
    symposium.slug = unique_slug(symposium)
    db.session.add(symposium)
    db.session.flush()
    record_event(actor, "create", symposium, {"title_es": [None, symposium.title_es],
                                              "title_en": [None, symposium.title_en]})
    return symposium


def update_symposium(actor, symposium: Symposium, data: dict) -> None:
    """Change a symposium's facts and its organisers and participants."""
    _apply(symposium, data)
    changes = changed_fields(symposium, FIELDS)
    if _set_participants(symposium, set(data.get("organisers") or []), set(data.get("participants") or [])):
        changes["participants"] = ["", ""]
        # Participant rows live in their own table; touch the symposium so concurrent edits collide.
        symposium.updated_at = utcnow()
    if changes:
        record_event(actor, "update", symposium, changes)


def set_delegates(actor, symposium: Symposium, delegates: dict[int, str]) -> None:
    """Record the delegates of each participating organisation."""
    for participant in symposium.participants:
        text = delegates.get(participant.organisation_id)
        if text is not None:
            participant.delegates = "\n".join(line.strip() for line in text.splitlines() if line.strip())
    record_event(actor, "update_delegates", symposium)


def add_agenda_item(actor, symposium: Symposium, data: dict, idempotency_key: str | None = None) -> AgendaItem:
    """Add an item to the programme."""
    item = AgendaItem(day=data["day"], starts_at=data.get("starts_at"),
                      speaker_role=data.get("speaker_role") or "", idempotency_key=idempotency_key)
    item.set_texts(data)
    symposium.agenda.append(item)
    db.session.flush()
    record_event(actor, "add_agenda_item", symposium, {"item": _item_title(item)})
    return item


def _item_title(item: AgendaItem) -> str:
    # The audit trail names the item in its original language, whoever reads the trail later.
    return str(item.text("title", item.original_language))


def remove_agenda_item(actor, symposium: Symposium, item: AgendaItem) -> None:
    """Remove an item from the programme (the audit trail keeps its title)."""
    symposium.agenda.remove(item)
    record_event(actor, "remove_agenda_item", symposium, {"item": _item_title(item)})


def attach_file(actor, symposium: Symposium, attachment) -> None:
    """Add a stored file (concept note, programme, presentation) to a symposium."""
    symposium.attachments.append(attachment)
    record_event(actor, "attach", symposium, {"attachment": attachment.id, "name": attachment.original_name})


def detach_file(actor, symposium: Symposium, attachment) -> None:
    """Take a file off a symposium's page; the stored file and its row stay (they are referenced by the audit)."""
    symposium.attachments.remove(attachment)
    record_event(actor, "detach", symposium, {"attachment": attachment.id, "name": attachment.original_name})
