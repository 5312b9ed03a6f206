"""The form for a country's context figures."""

import re

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, IntegerField, StringField, TextAreaField, URLField
from wtforms.validators import Optional, ValidationError

from portal.core.forms import (
    NUMBER_NEEDED,
    NumberField,
    PortalForm,
    max_length,
    required,
    required_input,
    strip_text,
    translated_pair,
)


class WholeNumberField(IntegerField):
    """An optional whole number from 0 to 1000, with one clear message for anything else."""

    def process_formdata(self, valuelist):
        value = (valuelist[0] or "").strip() if valuelist else ""
        if not value:
            self.data = None
            return
        if not (value.isascii() and value.isdigit()) or int(value) > 1000:
            self.data = None
            raise ValueError(_l("Enter a whole number from 0 to 1000."))
        self.data = int(value)


class ContextFigureForm(PortalForm):
    idempotency_key = HiddenField()
    label_es, label_en = translated_pair(StringField, _l("Label"), "label", required_=True, limit=300,
                                         description=_l("What the figure counts, for example: returned migrants."))
    #: Numeric(18, 2)
    value = NumberField(_l("Value"), digits=18, places=2, validators=[required_input(NUMBER_NEEDED)])
    unit = StringField(_l("Unit"), filters=[strip_text], validators=[Optional(), max_length(40)],
                       description=_l("Optional, for example: % or people."))
    period = StringField(_l("Period"), filters=[strip_text], validators=[required(), max_length(120)],
                         description=_l("The period the figure covers, as the source words it."))
    source = StringField(_l("Source"), filters=[strip_text], validators=[required(), max_length(300)])
    source_url = URLField(_l("Link to the source"), filters=[strip_text],
                          validators=[Optional(), max_length(500)],
                          description=_l("Optional. A web address starting with https://."))
    note_es, note_en = translated_pair(TextAreaField, _l("Note"), "note", limit=2000)
    position = WholeNumberField(_l("Order on the page"), default=0,
                                description=_l("Optional. Figures with a smaller number come first."))
    version = HiddenField()

    def validate_value(self, field):
        if not field.process_errors and field.data is None:
            raise ValidationError(NUMBER_NEEDED)

    def validate_source_url(self, field):
        if field.data and not re.match(r"^https?://[^\s/?#]+\.[^\s]*$", field.data, re.IGNORECASE):
            raise ValidationError(_l("Enter a full web address starting with https://."))
