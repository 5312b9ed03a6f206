"""Options for the commitment forms and filters, read from the database in the reader's language."""

from sqlalchemy import select

from portal.commitments.forms import CommitmentFilterForm, CommitmentForm
from portal.commitments.models import STATUS_LABELS, Theme
from portal.commitments.queries import SORTS, CommitmentFilters
from portal.core.forms import options
from portal.countries.names import country_name, sort_key
from portal.extensions import db
from portal.organisations.models import active_organisations
from portal.symposia.models import Symposium


def _themes(extra_ids=()) -> list[Theme]:
    query = select(Theme).where((Theme.is_active.is_(True)) | (Theme.id.in_(list(extra_ids))))
    return list(db.session.scalars(query.order_by(Theme.position, Theme.id)))


def _symposia() -> list[Symposium]:
    return list(db.session.scalars(select(Symposium).order_by(Symposium.start_date.desc())))


def fill_commitment_choices(form: CommitmentForm, commitment=None) -> None:
    """Offer the active themes (and any the commitment already has) and the symposia."""
    current = [theme.id for theme in commitment.themes] if commitment else []
    form.themes.choices = options((theme.id, theme.name) for theme in _themes(current))
    form.symposium_id.choices = options(
        [("", "—")] + [(str(s.id), f"{s.display_title} ({s.start_date.year})") for s in _symposia()]
    )


def fill_filter_choices(form: CommitmentFilterForm) -> None:
    """Offer the countries and organisations taking part, the symposia and the themes."""
    organisations = list(db.session.scalars(active_organisations()))
    countries = sorted({org.country_iso3 for org in organisations}, key=lambda code: sort_key(country_name(code)))
    form.country.choices = options([("", "—")] + [(code, country_name(code)) for code in countries])
    form.organisation.choices = options([("", "—")] + [(str(org.id), org.display_name) for org in organisations])
    form.symposium.choices = options([("", "—")] + [(str(s.id), s.display_title) for s in _symposia()])
    form.theme.choices = options([("", "—")] + [(str(theme.id), theme.name) for theme in _themes()])


def _as_id(value) -> int | None:
    return int(value) if isinstance(value, str) and value.isdigit() and len(value) < 10 else None


def read_filters(form: CommitmentFilterForm) -> CommitmentFilters:
    """Turn the (unchecked) query string into filters; unknown values are ignored, never an error."""
    valid = form.validate()
    country = form.country.data if isinstance(form.country.data, str) and len(form.country.data) == 3 else None
    return CommitmentFilters(
        q=form.q.data if valid and form.q.data else None,
        country=country.upper() if country and country.isalpha() else None,
        organisation=_as_id(form.organisation.data),
        symposium=_as_id(form.symposium.data),
        theme=_as_id(form.theme.data),
        status=form.status.data if form.status.data in STATUS_LABELS else None,
        flag=form.flag.data or None,
        sort=form.sort.data if form.sort.data in SORTS else "recent",
    )
