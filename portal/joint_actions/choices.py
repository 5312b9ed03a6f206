"""Options for the joint-action forms and filters, read from the database in the reader's language."""

from sqlalchemy import select

from portal.commitments.choices import fill_commitment_choices, fill_filter_choices
from portal.commitments.models import Commitment
from portal.commitments.permissions import visible_commitments_filter
from portal.core.forms import options
from portal.core.params import bounded_id
from portal.countries.names import country_choices, country_name, sort_key
from portal.extensions import db
from portal.frameworks.models import tag_by_slug
from portal.joint_actions.forms import ActionFilterForm, JointActionForm
from portal.joint_actions.models import (
    ActionCountry,
    JointAction,
    Response,
    RouteRole,
    joint_action_commitments,
)
from portal.joint_actions.queries import ActionFilters
from portal.minutes.models import Minutes
from portal.minutes.permissions import visible_minutes_filter
from portal.organisations.models import active_organisations
from portal.progress.models import Status


def fill_action_choices(form: JointActionForm, user, action: JointAction | None = None) -> None:
    """Offer the themes and symposia (as for commitments) and the minutes the user may see."""
    fill_commitment_choices(form, action)
    minutes = db.session.scalars(select(Minutes).where(visible_minutes_filter(user))
                                 .order_by(Minutes.meeting_date.desc(), Minutes.id.desc()))
    form.source_minutes_id.choices = options(
        [("", "—")] + [(str(m.id), f"{m.title} ({m.meeting_date.isoformat()})") for m in minutes])


def fill_partner_choices(form, action: JointAction) -> None:
    """Offer the active organisations that are neither a party nor awaiting an answer."""
    taken = {party.organisation_id for party in action.parties if party.response != Response.DECLINED}
    form.organisation_id.choices = options(
        [("", "—")] + [(str(org.id), org.display_name) for org in db.session.scalars(active_organisations())
                       if org.id not in taken])


def fill_country_choices(form) -> None:
    """Offer every country, by name in the reader's language."""
    form.country_iso3.choices = options([("", "—")] + country_choices())


def fill_commitment_link_choices(form, user, action: JointAction) -> None:
    """Offer the visible, unarchived commitments of the accepted parties that are not linked yet."""
    organisations = [party.organisation_id for party in action.accepted_parties]
    linked = select(joint_action_commitments.c.commitment_id).where(
        joint_action_commitments.c.joint_action_id == action.id)
    commitments = db.session.scalars(
        select(Commitment).where(Commitment.organisation_id.in_(organisations), visible_commitments_filter(user),
                                 Commitment.is_archived.is_(False), Commitment.id.not_in(linked))
        .order_by(Commitment.title, Commitment.id))
    form.commitment_id.choices = options(
        [("", "—")] + [(str(c.id), f"{c.title} ({c.organisation.acronym or c.organisation.display_name})")
                       for c in commitments])


def fill_action_filter_choices(form: ActionFilterForm) -> None:
    """Offer the countries involved in joint actions, the organisations, symposia and themes."""
    fill_filter_choices(form)
    codes = db.session.scalars(select(ActionCountry.country_iso3).distinct())
    countries = sorted(codes, key=lambda code: sort_key(country_name(code)))
    form.country.choices = options([("", "—")] + [(code, country_name(code)) for code in countries])


def read_filters(form: ActionFilterForm) -> ActionFilters:
    """Turn the (unchecked) query string into filters; unknown values are ignored, never an error."""
    form.validate()
    country = form.country.data if isinstance(form.country.data, str) else ""
    return ActionFilters(
        country=country.upper() if len(country) == 3 and country.isalpha() else None,
        country_role=form.country_role.data if form.country_role.data in set(RouteRole) else None,
        organisation=bounded_id(form.organisation.data),
        symposium=bounded_id(form.symposium.data),
        theme=bounded_id(form.theme.data),
        tag=tag.id if (tag := tag_by_slug(form.tag.data)) else None,
        status=form.status.data if form.status.data in set(Status) else None,
        flag=form.flag.data if form.flag.data == "overdue" else None,
    )
