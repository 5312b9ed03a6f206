"""Forms for joint actions: the shared part, partners and their answers, a party's share, the plan, the filters."""

from datetime import date, timedelta

from flask_babel import lazy_gettext as _l
from wtforms import DateField, HiddenField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import Optional, ValidationError

from portal.commitments.forms import CommitmentFilterForm
from portal.core.forms import (
    MARKDOWN_HELP,
    MultiCheckboxField,
    PortalForm,
    max_length,
    options,
    required,
    strip_text,
    translated_pair,
)
from portal.core.permissions import VISIBILITY_LABELS
from portal.joint_actions.models import PARTY_ROLE_LABELS, ROUTE_ROLE_LABELS, PartyRole

PROPOSED_ROLES = [(role.value, label) for role, label in PARTY_ROLE_LABELS.items() if role != PartyRole.LEAD]


class JointActionForm(PortalForm):
    title_es, title_en = translated_pair(StringField, _l("Title"), "title", required_=True, limit=300)
    description_es, description_en = translated_pair(TextAreaField, _l("Description"), "description",
                                                     limit=20000, description=MARKDOWN_HELP)
    themes = MultiCheckboxField(_l("Themes"), coerce=int)
    framework_tags = MultiCheckboxField(_l("International frameworks"), coerce=int,
                                        description=_l("Optional. What the joint action contributes to."))
    symposium_id = SelectField(_l("Launched at symposium"), coerce=str)
    source_minutes_id = SelectField(_l("From the minutes"), coerce=str)
    start_date = DateField(_l("Start date"), validators=[Optional()])
    end_date = DateField(_l("End date"), validators=[Optional()],
                         description=_l("When the joint action should be completed."))
    visibility = RadioField(_l("Who can read it"), default="partners",
                            choices=options((key.value, label) for key, label in VISIBILITY_LABELS.items()))
    version = HiddenField()
    idempotency_key = HiddenField()

    def validate_end_date(self, field):
        if field.data and self.start_date.data and field.data < self.start_date.data:
            raise ValidationError(_l("The end date cannot be before the start date."))


class ProposePartnerForm(PortalForm):
    organisation_id = SelectField(_l("Organisation"), coerce=str, validators=[required()])
    role = SelectField(_l("Role"), choices=options(PROPOSED_ROLES))
    deliverable_es, deliverable_en = translated_pair(TextAreaField, _l("Its deliverable"), "deliverable",
                                                     required_=True, limit=5000, description=MARKDOWN_HELP)
    deliverable_due = DateField(_l("Due date of the deliverable"), validators=[Optional()])


class RespondForm(PortalForm):
    answer = RadioField(
        _l("Your organisation's answer"), validators=[required()],
        choices=options([("accept", _l("Accept: we take part with this role and deliverable")),
                         ("decline", _l("Decline: we do not take part"))]),
    )


class PartyForm(PortalForm):
    deliverable_es, deliverable_en = translated_pair(TextAreaField, _l("Deliverable"), "deliverable",
                                                     required_=True, limit=5000, description=MARKDOWN_HELP)
    deliverable_due = DateField(_l("Due date of the deliverable"), validators=[Optional()])
    version = HiddenField()


class CountryForm(PortalForm):
    country_iso3 = SelectField(_l("Country"), coerce=str, validators=[required()])
    role = SelectField(_l("Role on the migration route"),
                       choices=options((key.value, label) for key, label in ROUTE_ROLE_LABELS.items()))


class MilestoneForm(PortalForm):
    idempotency_key = HiddenField()
    title_es, title_en = translated_pair(StringField, _l("Milestone"), "title", required_=True, limit=300)
    due_date = DateField(_l("Due date"), validators=[Optional()])
    done_on = DateField(_l("Done on"), validators=[Optional()],
                        description=_l("Only if the milestone has already been reached."))

    def validate_done_on(self, field):
        if field.data and field.data > date.today() + timedelta(days=1):
            raise ValidationError(_l("A milestone cannot be reached on a future date."))


class LinkCommitmentForm(PortalForm):
    commitment_id = SelectField(_l("Commitment of a party"), coerce=str, validators=[required()])


class ActionFilterForm(CommitmentFilterForm):
    """The commitments' filters (country, organisation, symposium, theme, status), plus the country's role."""

    q = None
    sort = None
    country_role = SelectField(_l("Role of the country"), validate_choice=False, choices=options(
        [("", _l("Any role"))] + [(key.value, label) for key, label in ROUTE_ROLE_LABELS.items()]))
    organisation = SelectField(_l("Organisation taking part"), coerce=str, validate_choice=False)
    flag = SelectField(_l("Follow-up"), validate_choice=False,
                       choices=options([("", _l("All")), ("overdue", _l("Overdue"))]))


class DateProposalForm(PortalForm):
    """The lead proposes a new end date or milestone date; the other parties agree before it applies."""

    what = SelectField(_l("Which date"), coerce=str)
    new_date = DateField(_l("New date"), validators=[required()])
    reason = TextAreaField(_l("Why it changes"), filters=[strip_text], validators=[required(), max_length(2000)])
    agreed_at = SelectField(_l("Agreement"), coerce=str, default="",
                            description=_l("Choose a meeting only if the partners already agreed the date there; "
                                           "it then applies at once."))
    idempotency_key = HiddenField()
