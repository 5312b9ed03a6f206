"""Schemas of the API: the query parameters each operation accepts and the JSON it answers.

The same classes load the query string (400 naming a bad parameter), dump the answers and describe both
in the OpenAPI document.
"""

from marshmallow import RAISE, Schema, fields, validate

from portal.api.fields import CodeLabel, FrameworkTags, Inline, Link, Themes
from portal.api.pagination import CURSOR_PATTERN, MAX_LIMIT
from portal.progress.models import REVIEW_LABELS, STATUS_LABELS
from portal.core.permissions import Visibility
from portal.joint_actions.models import PARTY_ROLE_LABELS, ROUTE_ROLE_LABELS
from portal.organisations.models import ORG_KIND_LABELS

ISO3 = validate.Regexp(r"^[A-Za-z]{3}$", error="an ISO 3166-1 alpha-3 code, such as HND")
IDS = validate.Range(min=1, max=2**31 - 1)


# --- Query parameters --------------------------------------------------------------------------------------

class BaseArgs(Schema):
    class Meta:
        unknown = RAISE

    lang = fields.String(validate=validate.OneOf(["es", "en"]),
                         metadata={"description": "Language of the labels (else Accept-Language, else es)"})


class ListArgs(BaseArgs):
    limit = fields.Integer(validate=validate.Range(min=1, max=MAX_LIMIT),
                           metadata={"description": f"Items per page, 50 by default, {MAX_LIMIT} at most"})
    cursor = fields.String(validate=validate.Regexp(CURSOR_PATTERN, error="not a cursor given by this API"),
                           metadata={"description": "Where the page starts: take it from the previous page's 'next'"})


class FilterArgs(ListArgs):
    country = fields.String(validate=ISO3, metadata={"description": "Country (ISO 3166-1 alpha-3)"})
    organisation = fields.Integer(validate=IDS, metadata={"description": "Organisation id"})
    symposium = fields.Integer(validate=IDS, metadata={"description": "Symposium id"})
    theme = fields.Integer(validate=IDS, metadata={"description": "Theme id"})
    status = fields.String(validate=validate.OneOf([str(code) for code in STATUS_LABELS]))
    tag = fields.String(validate=validate.Regexp(r"^[a-z]+-[0-9a-z.\-]{1,30}$", error="not a framework tag"),
                        metadata={"description": "International framework tag, as in /frameworks/ (gcm-21, sdg-10.7)"})


class CommitmentArgs(FilterArgs):
    flag = fields.String(validate=validate.OneOf(["overdue", "unreported", "questioned", "pending", "verified",
                                                  "renegotiated", "archived"]), metadata={"description": "Follow-up flag"})
    q = fields.String(validate=[validate.Length(min=1, max=100),
                                validate.Regexp(r"^[^\x00]*$", error="must not contain NUL characters")], metadata={"description": "Text in title or description"})


class ActionArgs(FilterArgs):
    flag = fields.String(validate=validate.OneOf(["overdue"]), metadata={"description": "Follow-up flag"})


# --- Shared parts -----------------------------------------------------------------------------------------

class OrganisationRef(Schema):
    id = fields.Integer(required=True)
    slug = fields.String(required=True)
    name = fields.String(attribute="display_name", required=True)
    acronym = fields.String(allow_none=True)
    country = fields.String(attribute="country_iso3", required=True, metadata={"description": "ISO 3166-1 alpha-3"})
    url = Link("organisations.detail", slug="slug")


class SymposiumRef(Schema):
    id = fields.Integer(required=True)
    slug = fields.String(required=True)
    title = fields.String(required=True, metadata={"description": "In the reader's language, else the other"})
    url = Link("public.symposium", slug="slug")
    api_url = Link("api.symposium", slug="slug")


#: The language a record was first written in; its text in each language is in ``<field>_es``, ``<field>_en``.
LANGUAGE = fields.String(validate=validate.OneOf(["es", "en"]), required=True)
VISIBILITY = fields.String(validate=validate.OneOf([str(v) for v in Visibility]), required=True)


# --- Commitments ------------------------------------------------------------------------------------------

class Indicator(Schema):
    unit = fields.String(attribute="indicator_unit", allow_none=True)
    baseline = fields.Float(attribute="indicator_baseline", allow_none=True)
    target = fields.Float(attribute="indicator_target", allow_none=True)
    achieved = fields.Float(attribute="indicator_achieved", allow_none=True)


class Commitment(Schema):
    id = fields.Integer(required=True)
    url = Link("commitments.detail", commitment_id="id")
    api_url = Link("api.commitment", commitment_id="id")
    title = fields.String(required=True, metadata={"description": "In the reader's language, else the other"})
    title_es = fields.String(allow_none=True, required=True)
    title_en = fields.String(allow_none=True, required=True)
    original_language = LANGUAGE
    status = CodeLabel(STATUS_LABELS, required=True)
    review_state = CodeLabel(REVIEW_LABELS, required=True)
    themes = Themes()
    framework_tags = FrameworkTags()
    organisation = fields.Nested(OrganisationRef, required=True)
    country = fields.String(attribute="organisation.country_iso3", required=True)
    symposium = fields.Nested(SymposiumRef, allow_none=True)
    target_date = fields.Date(allow_none=True, metadata={"description": "The current target date"})
    is_renegotiated = fields.Boolean(required=True, metadata={
        "description": "The target date or indicator target was changed by agreement after it was first set"})
    last_reported_on = fields.Date(allow_none=True)
    indicator = Inline(Indicator)
    visibility = VISIBILITY
    is_archived = fields.Boolean(required=True)
    created_at = fields.DateTime(required=True)
    updated_at = fields.DateTime(required=True)


class Review(Schema):
    verdict = CodeLabel(REVIEW_LABELS, required=True)
    comment = fields.String(required=True)
    organisation = fields.Nested(OrganisationRef, attribute="reviewer_organisation", required=True)
    created_at = fields.DateTime(required=True)


class ProgressUpdate(Schema):
    id = fields.Integer(required=True)
    reported_on = fields.Date(required=True)
    status = CodeLabel(STATUS_LABELS, required=True)
    review_state = CodeLabel(REVIEW_LABELS, required=True)
    note = fields.String(required=True, metadata={"description": "Markdown"})
    indicator_value = fields.Float(allow_none=True)
    evidence_url = fields.String(allow_none=True)
    organisation = fields.Nested(OrganisationRef, required=True)
    reviews = fields.List(fields.Nested(Review), required=True)
    created_at = fields.DateTime(required=True)


class CommitmentDetail(Commitment):
    description = fields.String(required=True,
                                metadata={"description": "Markdown, in the reader's language, else the other"})
    description_es = fields.String(allow_none=True, required=True, metadata={"description": "Markdown"})
    description_en = fields.String(allow_none=True, required=True, metadata={"description": "Markdown"})
    updates = fields.List(fields.Nested(ProgressUpdate), required=True)


# --- Symposia ---------------------------------------------------------------------------------------------

class Symposium(SymposiumRef):
    title_es = fields.String(allow_none=True, required=True)
    title_en = fields.String(allow_none=True, required=True)
    original_language = LANGUAGE
    start_date = fields.Date(required=True)
    end_date = fields.Date(required=True)
    city = fields.String(required=True)
    country = fields.String(attribute="country_iso3", required=True)
    previous = fields.Nested(SymposiumRef, allow_none=True)
    updated_at = fields.DateTime(required=True)


class Participant(Schema):
    organisation = fields.Nested(OrganisationRef, required=True)
    is_organiser = fields.Boolean(required=True)


class Scorecard(Schema):
    total = fields.Integer(required=True)
    by_status = fields.Dict(keys=fields.String(), values=fields.Integer(), required=True)
    overdue = fields.Integer(required=True)
    unreported = fields.Integer(required=True)


class AgendaItem(Schema):
    day = fields.Date(required=True)
    starts_at = fields.Time(allow_none=True, metadata={"description": "Local time at the venue"})
    title = fields.String(required=True, metadata={"description": "In the reader's language, else the other"})
    title_es = fields.String(allow_none=True, required=True)
    title_en = fields.String(allow_none=True, required=True)
    original_language = LANGUAGE
    speaker_role = fields.String(required=True)


class SymposiumDetail(Symposium):
    description = fields.String(required=True,
                                metadata={"description": "Markdown, in the reader's language, else the other"})
    description_es = fields.String(allow_none=True, required=True, metadata={"description": "Markdown"})
    description_en = fields.String(allow_none=True, required=True, metadata={"description": "Markdown"})
    programme = fields.List(fields.Nested(AgendaItem), attribute="agenda", required=True)
    participants = fields.List(fields.Nested(Participant), required=True)
    scorecard = fields.Nested(Scorecard, required=True)


# --- Joint actions ----------------------------------------------------------------------------------------

class JointAction(Schema):
    id = fields.Integer(required=True)
    url = Link("joint_actions.detail", action_id="id")
    api_url = Link("api.joint_action", action_id="id")
    title = fields.String(required=True, metadata={"description": "In the reader's language, else the other"})
    title_es = fields.String(allow_none=True, required=True)
    title_en = fields.String(allow_none=True, required=True)
    original_language = LANGUAGE
    status = CodeLabel(STATUS_LABELS, required=True)
    lead_organisation = fields.Nested(OrganisationRef, required=True)
    start_date = fields.Date(allow_none=True)
    end_date = fields.Date(allow_none=True)
    themes = Themes()
    framework_tags = FrameworkTags()
    visibility = VISIBILITY
    created_at = fields.DateTime(required=True)
    updated_at = fields.DateTime(required=True)


class Party(Schema):
    organisation = fields.Nested(OrganisationRef, required=True)
    role = CodeLabel(PARTY_ROLE_LABELS, required=True)
    deliverable = fields.String(required=True, metadata={"description": "In the reader's language, else the other"})
    deliverable_es = fields.String(allow_none=True, required=True, metadata={"description": "Markdown"})
    deliverable_en = fields.String(allow_none=True, required=True, metadata={"description": "Markdown"})
    deliverable_due = fields.Date(allow_none=True)
    status = CodeLabel(STATUS_LABELS, required=True)
    last_reported_on = fields.Date(allow_none=True)


class ActionCountry(Schema):
    country = fields.String(attribute="country_iso3", required=True)
    role = CodeLabel(ROUTE_ROLE_LABELS, required=True)


class Milestone(Schema):
    title = fields.String(required=True, metadata={"description": "In the reader's language, else the other"})
    title_es = fields.String(allow_none=True, required=True)
    title_en = fields.String(allow_none=True, required=True)
    original_language = LANGUAGE
    due_date = fields.Date(allow_none=True)
    done_on = fields.Date(allow_none=True)


class JointActionDetail(JointAction):
    description = fields.String(required=True,
                                metadata={"description": "Markdown, in the reader's language, else the other"})
    description_es = fields.String(allow_none=True, required=True, metadata={"description": "Markdown"})
    description_en = fields.String(allow_none=True, required=True, metadata={"description": "Markdown"})
    symposium = fields.Nested(SymposiumRef, allow_none=True)
    parties = fields.List(fields.Nested(Party), attribute="accepted_parties", required=True)
    countries = fields.List(fields.Nested(ActionCountry), required=True)
    milestones = fields.List(fields.Nested(Milestone), required=True)


# --- Countries, organisations, minutes --------------------------------------------------------------------

class Country(Schema):
    id = fields.String(attribute="iso3", required=True, metadata={"description": "ISO 3166-1 alpha-3"})
    iso2 = fields.String(required=True)
    name = fields.String(required=True)
    url = Link("countries.detail", code="iso3")
    api_url = Link("api.country", code="iso3")
    organisations = fields.Integer(required=True, metadata={"description": "Active organisations"})
    commitments = fields.Integer(required=True, metadata={"description": "Commitments the reader may see"})


class ContextFigure(Schema):
    label = fields.String(required=True, metadata={"description": "In the reader's language, else the other"})
    label_es = fields.String(allow_none=True, required=True)
    label_en = fields.String(allow_none=True, required=True)
    value = fields.Float(required=True)
    unit = fields.String(required=True)
    period = fields.String(required=True)
    source = fields.String(required=True)
    source_url = fields.String(allow_none=True)
    note = fields.String(required=True, metadata={"description": "In the reader's language, else the other"})
    note_es = fields.String(allow_none=True, required=True)
    note_en = fields.String(allow_none=True, required=True)
    original_language = LANGUAGE


class CountryDetail(Country):
    scorecard = fields.Nested(Scorecard, required=True)
    context_figures = fields.List(fields.Nested(ContextFigure), required=True)


class Organisation(OrganisationRef):
    name_es = fields.String(attribute="name", required=True)
    name_en = fields.String(allow_none=True)
    kind = CodeLabel(ORG_KIND_LABELS, required=True)
    host_country = fields.String(attribute="host_country_iso3", allow_none=True)
    website = fields.String(allow_none=True)
    updated_at = fields.DateTime(required=True)


class Minutes(Schema):
    id = fields.Integer(required=True)
    url = Link("minutes.detail", minutes_id="id")
    api_url = Link("api.minutes_detail", minutes_id="id")
    title = fields.String(required=True)
    meeting_date = fields.Date(required=True)
    place = fields.String(allow_none=True)
    is_virtual = fields.Boolean(required=True)
    author_organisation = fields.Nested(OrganisationRef, required=True)
    symposium = fields.Nested(SymposiumRef, allow_none=True)
    approved_at = fields.DateTime(allow_none=True)
    visibility = VISIBILITY
    updated_at = fields.DateTime(required=True)


class MinutesDetail(Minutes):
    body = fields.String(required=True, metadata={"description": "Markdown"})
    decisions = fields.String(required=True, metadata={"description": "Markdown"})
