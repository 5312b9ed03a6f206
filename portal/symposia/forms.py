"""Forms for symposia: the main facts, delegates per organisation, programme items."""

from zoneinfo import available_timezones

from flask_babel import lazy_gettext as _l
from wtforms import (
    DateField,
    HiddenField,
    SelectField,
    StringField,
    TextAreaField,
    TimeField,
)
from wtforms.validators import Optional, ValidationError

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
from portal.countries.names import country_choices

#: Time zones offered first: the countries of the dialogue.
REGION_ZONES = ["America/Tegucigalpa", "America/Guatemala", "America/El_Salvador", "America/Mexico_City",
                "America/New_York", "America/Los_Angeles", "Europe/Madrid", "Europe/Zurich"]


class SymposiumForm(PortalForm):
    idempotency_key = HiddenField()
    title_es, title_en = translated_pair(StringField, _l("Title"), "title", required_=True, limit=300)
    start_date = DateField(_l("First day"), validators=[required()])
    end_date = DateField(_l("Last day"), validators=[required()])
    city = StringField(_l("City"), filters=[strip_text], validators=[required(), max_length(120)])
    country_iso3 = SelectField(_l("Country"), validators=[required()])
    timezone = SelectField(_l("Time zone of the venue"), default="America/Tegucigalpa")
    description_es, description_en = translated_pair(TextAreaField, _l("Description"), "description",
                                                     limit=20000, description=MARKDOWN_HELP)
    previous_id = SelectField(_l("Follows up the symposium"), coerce=str,
                              description=_l("The earlier meeting of the same series, if any."))
    organisers = MultiCheckboxField(_l("Organising organisations"), coerce=int)
    participants = MultiCheckboxField(_l("Participating organisations"), coerce=int)
    version = HiddenField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.country_iso3.choices = options([("", _l("Choose a country")), *country_choices()])
        others = sorted(available_timezones() - set(REGION_ZONES))
        self.timezone.choices = options((zone, zone.replace("_", " ")) for zone in REGION_ZONES + others)

    def validate_end_date(self, field):
        if field.data and self.start_date.data and field.data < self.start_date.data:
            raise ValidationError(_l("The last day cannot come before the first day."))
        if field.data and self.start_date.data and (field.data - self.start_date.data).days > 31:
            raise ValidationError(_l("A symposium lasts at most a month."))


class AgendaItemForm(PortalForm):
    idempotency_key = HiddenField()
    day = DateField(_l("Day"), validators=[required()])
    starts_at = TimeField(_l("Time"), validators=[Optional()])
    title_es, title_en = translated_pair(StringField, _l("Item"), "title", required_=True, limit=300)
    speaker_role = StringField(_l("Speaker (title or position)"), filters=[strip_text],
                               validators=[Optional(), max_length(300)])

    def __init__(self, symposium, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.symposium = symposium

    def validate_day(self, field):
        if field.data and not (self.symposium.start_date <= field.data <= self.symposium.end_date):
            raise ValidationError(_l("Choose a day of the symposium."))


def delegates_form(symposium):
    """Build a form with one text box of delegates per participating organisation."""

    class DelegatesForm(PortalForm):
        pass

    for participant in symposium.participants:
        field = TextAreaField(
            participant.organisation.display_name,
            description=_l("One delegate per line, by title or position; a name is optional."),
            validators=[max_length(3000)], default=participant.delegates,
        )
        setattr(DelegatesForm, f"delegates_{participant.organisation_id}", field)
    return DelegatesForm()
