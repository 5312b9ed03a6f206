"""Options for the commitment forms and filters, read from the database in the reader's language."""

from flask_babel import lazy_gettext as _l
from sqlalchemy import or_, select

from portal.commitments.forms import CommitmentFilterForm, CommitmentForm
from portal.commitments.models import Theme
from portal.commitments.queries import SORTS, CommitmentFilters
from portal.core.forms import options
from portal.core.params import bounded_id
from portal.core.translated import marked
from portal.countries.names import country_name, sort_key
from portal.extensions import db
from portal.frameworks.models import active_tags, tag_by_slug
from portal.organisations.models import Organisation, active_organisations
from portal.progress.models import STATUS_LABELS
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
    tagged = [tag.id for tag in commitment.framework_tags] if commitment else []
    form.framework_tags.choices = options((tag.id, tag.label) for tag in active_tags(tagged))
    form.symposium_id.choices = options(
        [("", "—")] + [(str(s.id), f"{marked(s.title)} ({s.start_date.year})") for s in _symposia()]
    )


#: Filter menus list at most this many organisations or symposia: with thousands the page would weigh
#: hundreds of kilobytes. Beyond it, the menus list the chosen country's (and the chosen one first).
MENU_LIMIT = 100
COUNTRY_MENU_LIMIT = 500


def _organisation_menu(country: str | None, selected: int | None) -> tuple[list[Organisation], bool]:
    """The organisations to offer, and whether some were left out (choosing a country lists its own)."""
    query = active_organisations().order_by(None).order_by((Organisation.id == (selected or 0)).desc(),
                                                            Organisation.name)
    if country:
        query = query.where(or_(Organisation.country_iso3 == country, Organisation.id == (selected or 0)))
    limit = COUNTRY_MENU_LIMIT if country else MENU_LIMIT
    organisations = list(db.session.scalars(query.limit(limit + 1)))
    if len(organisations) <= limit:
        return organisations, False
    if country:
        return organisations[:limit], True
    return [org for org in organisations[:1] if org.id == selected], True


def _symposium_menu(country: str | None, selected: int | None) -> list[Symposium]:
    """The most recent symposia (of the chosen country, if any), the chosen one first."""
    query = select(Symposium).order_by((Symposium.id == (selected or 0)).desc(), Symposium.start_date.desc())
    if country:
        query = query.where(or_(Symposium.country_iso3 == country, Symposium.id == (selected or 0)))
    return list(db.session.scalars(query.limit(MENU_LIMIT)))


def fill_filter_choices(form: CommitmentFilterForm) -> None:
    """Offer the countries taking part, their organisations and symposia (see MENU_LIMIT), and the themes."""
    codes = db.session.scalars(select(Organisation.country_iso3).where(Organisation.is_active.is_(True))
                               .group_by(Organisation.country_iso3))
    countries = sorted(codes, key=lambda code: sort_key(country_name(code)))
    chosen = form.country.data.upper() if isinstance(form.country.data, str) and form.country.data in \
        {*countries, *(code.lower() for code in countries)} else None
    organisations, cut = _organisation_menu(chosen, bounded_id(form.organisation.data))
    form.country.choices = options([("", "—")] + [(code, country_name(code)) for code in countries])
    form.organisation.choices = options([("", "—")] + [(str(org.id), org.display_name) for org in organisations])
    if cut:
        form.organisation.description = _l("Choose a country to list its organisations.")
    form.symposium.choices = options([("", "—")] + [(str(s.id), marked(s.title))
                                                    for s in _symposium_menu(chosen, bounded_id(form.symposium.data))])
    form.theme.choices = options([("", "—")] + [(str(theme.id), theme.name) for theme in _themes()])
    form.tag.choices = options([("", "—")] + [(tag.slug, tag.label) for tag in active_tags()])


def read_filters(form: CommitmentFilterForm) -> CommitmentFilters:
    """Turn the (unchecked) query string into filters; unknown values are ignored, never an error."""
    valid = form.validate()
    country = form.country.data if isinstance(form.country.data, str) and len(form.country.data) == 3 else None
    return CommitmentFilters(
        q=form.q.data if valid and form.q.data else None,
        country=country.upper() if country and country.isalpha() else None,
        organisation=bounded_id(form.organisation.data),
        symposium=bounded_id(form.symposium.data),
        theme=bounded_id(form.theme.data),
        tag=tag.id if (tag := tag_by_slug(form.tag.data)) else None,
        status=form.status.data if form.status.data in STATUS_LABELS else None,
        flag=form.flag.data or None,
        sort=form.sort.data if form.sort.data in SORTS else None,
    )
