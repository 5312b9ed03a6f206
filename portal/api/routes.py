"""The API's operations: each list and item reuses its page's query and permission rule."""

from flask import Blueprint, abort
from sqlalchemy import and_, select
from sqlalchemy.orm import selectinload

from portal.api import schemas
from portal.api.auth import api_reader, authenticate
from portal.api.limits import limit_api
from portal.api.pagination import keyset_page
from portal.api.problems import register_problem_renderer
from portal.api.views import api_get, latest
from portal.commitments import queries as commitment_queries
from portal.commitments.models import Commitment
from portal.commitments.permissions import can_view_commitment
from portal.commitments.queries import CommitmentFilters
from portal.commitments.scorecard import tallied_scorecard
from portal.commitments.tallies import SYMPOSIUM, commitment_tallies
from portal.core.permissions import require_visible
from portal.public import country_queries
from portal.countries.models import Country
from portal.countries.names import country_name
from portal.extensions import db
from portal.frameworks.models import tag_by_slug
from portal.joint_actions.models import JointAction
from portal.joint_actions.permissions import can_view_joint_action
from portal.joint_actions.queries import ActionFilters, matching_actions
from portal.minutes.models import Minutes
from portal.minutes.permissions import can_view_minutes
from portal.minutes.queries import approved_minutes
from portal.organisations.models import Organisation, active_organisations
from portal.symposia.models import Symposium

bp = Blueprint("api", __name__)
bp.before_request(authenticate)
bp.record_once(lambda state: register_problem_renderer(state.app))
limit_api(bp)

#: An id no row has (ids start at 1).
NO_SUCH_ID = -1
FILTERS = ("country", "organisation", "symposium", "theme", "status", "flag")


def _filters(cls, args: dict):
    values = {name: args.get(name) for name in FILTERS + ("q",) if name in cls.__dataclass_fields__}
    if values.get("country"):
        values["country"] = values["country"].upper()
    if args.get("tag"):
        # An unknown tag matches nothing, as an unknown organisation or theme id does.
        values["tag"] = tag.id if (tag := tag_by_slug(args["tag"])) else NO_SUCH_ID
    return cls(**values)


def _list(rows, next_url, schema):
    return {"items": schema(many=True).dump(rows), "next": next_url}, latest(rows)


def _visible_or_404(obj, rule):
    if obj is None:
        abort(404)
    require_visible(rule(api_reader(), obj))
    return obj


@api_get(bp, "/v1/commitments", schemas.CommitmentArgs, schemas.Commitment, many=True)
def commitments(args):
    """Commitments the reader may see, with the list page's filters
    Keyset pagination in id order; follow `next` until it is null."""
    query = commitment_queries.matching_commitments(api_reader(), _filters(CommitmentFilters, args)) \
        .options(selectinload(Commitment.framework_tags))
    return _list(*keyset_page(query, Commitment.id, args), schemas.Commitment)


@api_get(bp, "/v1/commitments/<id:commitment_id>", schemas.BaseArgs, schemas.CommitmentDetail)
def commitment(args, commitment_id: int):
    """One commitment with its progress updates and their reviews
    Hidden and unknown ids answer 404 alike."""
    item = _visible_or_404(db.session.get(Commitment, commitment_id), can_view_commitment)
    item.updates = commitment_queries.timeline(item)
    updated = max([item.updated_at] + [update.created_at for update in item.updates])
    return schemas.CommitmentDetail().dump(item), updated


@api_get(bp, "/v1/symposia", schemas.ListArgs, schemas.Symposium, many=True)
def symposia(args):
    """Symposia (every symposium is public)"""
    return _list(*keyset_page(select(Symposium), Symposium.id, args), schemas.Symposium)


@api_get(bp, "/v1/symposia/<slug:slug>", schemas.BaseArgs, schemas.SymposiumDetail)
def symposium(args, slug: str):
    """One symposium with its participants, programme and follow-up scorecard
    The scorecard counts only the commitments the reader may see."""
    item = db.one_or_404(select(Symposium).where(Symposium.slug == slug).options(selectinload(Symposium.agenda)))
    # From the summary rows, as the symposium's page counts (the same figures, without reading every commitment).
    item.scorecard = tallied_scorecard(api_reader(), Commitment.symposium_id == item.id,
                                       and_(commitment_tallies.c.scope == SYMPOSIUM,
                                            commitment_tallies.c.scope_id == item.id))
    return schemas.SymposiumDetail().dump(item), item.updated_at


@api_get(bp, "/v1/joint-actions", schemas.ActionArgs, schemas.JointAction, many=True)
def joint_actions(args):
    """Joint actions the reader may see, with the list page's filters"""
    query = matching_actions(api_reader(), _filters(ActionFilters, args)).options(
        selectinload(JointAction.framework_tags))
    return _list(*keyset_page(query, JointAction.id, args), schemas.JointAction)


@api_get(bp, "/v1/joint-actions/<id:action_id>", schemas.BaseArgs, schemas.JointActionDetail)
def joint_action(args, action_id: int):
    """One joint action: parties and roles, countries and route roles, milestones"""
    item = _visible_or_404(db.session.get(JointAction, action_id), can_view_joint_action)
    return schemas.JointActionDetail().dump(item), item.updated_at


@api_get(bp, "/v1/countries", schemas.BaseArgs, schemas.Country, many=True)
def countries(args):
    """Countries whose institutions take part, with counts of what the reader may see
    The list is short and comes in one page (`next` is null)."""
    rows = country_queries.country_rows(api_reader())
    known = {country.iso3: country for country in db.session.scalars(
        select(Country).where(Country.iso3.in_([row[0] for row in rows])))}
    items = [_country(known[iso3], organisations, count) for iso3, organisations, count in rows]
    items.sort(key=lambda country: country.iso3)
    return {"items": schemas.Country(many=True).dump(items), "next": None}, None


def _country(country: Country, organisations: int, commitments: int) -> Country:
    country.name = country_name(country.iso3)
    country.organisations, country.commitments = organisations, commitments
    return country


@api_get(bp, "/v1/countries/<country:code>", schemas.BaseArgs, schemas.CountryDetail)
def country(args, code: str):
    """One country: summary figures of its institutions' commitments, and context figures with their source"""
    item = db.get_or_404(Country, code.upper())
    row = next((row for row in country_queries.country_rows(api_reader()) if row[0] == item.iso3), (item.iso3, 0, 0))
    _country(item, row[1], row[2])
    item.scorecard = tallied_scorecard(api_reader(), country_queries.institutions_of(item.iso3),
                                       country_queries.tallies_of(item.iso3))
    item.context_figures = figures = country_queries.context_figures(item.iso3)
    return schemas.CountryDetail().dump(item), latest(figures)


@api_get(bp, "/v1/organisations", schemas.ListArgs, schemas.Organisation, many=True)
def organisations(args):
    """Active organisations taking part"""
    return _list(*keyset_page(active_organisations(), Organisation.id, args), schemas.Organisation)


@api_get(bp, "/v1/minutes", schemas.ListArgs, schemas.Minutes, many=True)
def minutes(args):
    """Approved minutes the reader may see"""
    return _list(*keyset_page(approved_minutes(api_reader()), Minutes.id, args), schemas.Minutes)


@api_get(bp, "/v1/minutes/<id:minutes_id>", schemas.BaseArgs, schemas.MinutesDetail)
def minutes_detail(args, minutes_id: int):
    """One approved minutes record with its text and decisions"""
    item = _visible_or_404(db.session.get(Minutes, minutes_id), can_view_minutes)
    if not item.is_approved:
        abort(404)
    return schemas.MinutesDetail().dump(item), item.updated_at
