"""Forms for organisations and for the people who work for them."""

from flask_babel import lazy_gettext as _l
from wtforms import DateField, EmailField, HiddenField, SelectField, StringField
from wtforms.validators import URL, Optional, ValidationError

from portal.core.forms import PortalForm, email_address, max_length, options, required, strip_text
from portal.core.permissions import Role
from portal.countries.names import country_choices
from portal.organisations.models import ORG_KIND_LABELS, OrgKind

ROLE_LABELS = {
    Role.VIEWER: _l("Viewer: reads partners' items"),
    Role.EDITOR: _l("Editor: posts and updates the organisation's items"),
    Role.ORG_ADMIN: _l("Organisation administrator: also manages the organisation's accounts"),
}


def role_choices():
    return options((role.value, label) for role, label in ROLE_LABELS.items())


class OrganisationForm(PortalForm):
    idempotency_key = HiddenField()
    name = StringField(_l("Official name"), filters=[strip_text], validators=[required(), max_length(200)])
    name_en = StringField(
        _l("Name in English"),
        description=_l("Optional. Shown to readers who use the portal in English."),
        filters=[strip_text],
        validators=[Optional(), max_length(200)],
    )
    acronym = StringField(_l("Acronym"), filters=[strip_text], validators=[Optional(), max_length(30)])
    kind = SelectField(_l("Kind of organisation"), choices=options((k.value, v) for k, v in ORG_KIND_LABELS.items()))
    country_iso3 = SelectField(
        _l("Country represented"),
        description=_l("For an embassy or consulate: the country that sends it."),
        validators=[required()],
    )
    host_country_iso3 = SelectField(
        _l("Host country"),
        description=_l("Only for embassies, consulates and missions: the country where it sits."),
        validators=[Optional()],
    )
    website = StringField(
        _l("Website"),
        filters=[strip_text],
        validators=[Optional(), max_length(300), URL(message=_l("Enter a full web address starting with https://."))],
    )
    version = HiddenField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        countries = country_choices()
        self.country_iso3.choices = options([("", _l("Choose a country")), *countries])
        self.host_country_iso3.choices = options([("", _l("None")), *countries])

    def validate_host_country_iso3(self, field):
        if field.data and self.kind.data != OrgKind.EMBASSY:
            raise ValidationError(_l("Only embassies, consulates and missions have a host country."))


class InvitationForm(PortalForm):
    email = EmailField(_l("E-mail"), filters=[strip_text], validators=[required(), email_address(), max_length(254)])
    position = StringField(
        _l("Position or title"),
        description=_l("For example: consular affairs focal point. A person's name is not needed."),
        filters=[strip_text],
        validators=[required(), max_length(200)],
    )
    organisation_id = SelectField(_l("Organisation"), coerce=int, validate_choice=True)
    role = SelectField(_l("Role"), choices=role_choices)


class MemberForm(PortalForm):
    position = StringField(
        _l("Position or title"), filters=[strip_text], validators=[required(), max_length(200)]
    )
    organisation_id = SelectField(_l("Organisation"), coerce=int, validate_choice=True)
    role = SelectField(_l("Role"), choices=role_choices)
    version = HiddenField()


class PeopleFilterForm(PortalForm):
    class Meta:
        csrf = False

    organisation = SelectField(_l("Organisation"), coerce=str, validate_choice=False)
    q = StringField(
        _l("Search by e-mail or position"),
        filters=[strip_text],
        validators=[Optional(), max_length(100)],
    )


class AuditFilterForm(PortalForm):
    """Filters of the audit view; they live in the URL."""

    class Meta:
        csrf = False

    organisation = SelectField(_l("Organisation"), coerce=str, validate_choice=False)
    person = StringField(_l("Person (e-mail contains)"), filters=[strip_text], validators=[Optional(), max_length(100)])
    record_type = SelectField(_l("Record type"), coerce=str, validate_choice=False)
    since = DateField(_l("From"), validators=[Optional()])
    until = DateField(_l("Until"), validators=[Optional()])
