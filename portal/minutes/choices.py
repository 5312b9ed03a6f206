"""Options for the minutes forms, read from the database in the reader's language."""

from sqlalchemy import or_, select

from portal.core.forms import options
from portal.core.params import bounded_id
from portal.core.translated import marked
from portal.extensions import db
from portal.minutes.forms import ActionItemForm, MinutesForm
from portal.organisations.models import Organisation
from portal.symposia.models import Symposium


def _organisations(extra_ids=()) -> list[Organisation]:
    """The active organisations, plus any inactive one already named on the record."""
    shown = or_(Organisation.is_active.is_(True), Organisation.id.in_(list(extra_ids)))
    query = select(Organisation).where(shown)
    return sorted(db.session.scalars(query), key=lambda org: org.display_name.casefold())


def fill_minutes_choices(form: MinutesForm, author_organisation_id: int, minutes=None) -> None:
    """Offer the symposia and the organisations that may have attended (the author always attends)."""
    symposia = db.session.scalars(select(Symposium).order_by(Symposium.start_date.desc()))
    form.symposium_id.choices = options(
        [("", "—")] + [(str(s.id), f"{marked(s.title)} ({s.start_date.year})") for s in symposia])
    current = [org.id for org in minutes.attendees] if minutes else []
    form.attendees.choices = options(
        (org.id, org.display_name) for org in _organisations(current) if org.id != author_organisation_id)


def fill_item_choices(form: ActionItemForm, minutes) -> None:
    """Offer the attending organisations as the responsible one."""
    attending = sorted(minutes.attendees, key=lambda org: org.display_name.casefold())
    form.responsible_organisation_id.choices = options(
        [("", "—")] + [(str(org.id), org.display_name) for org in attending])


def symposium_from(value) -> Symposium | None:
    """Return the symposium named by a query-string id, or None for anything else."""
    symposium_id = bounded_id(value)
    return db.session.get(Symposium, symposium_id) if symposium_id else None
