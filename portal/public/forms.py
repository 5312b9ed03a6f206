"""The form for a country's context figures."""

import re
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from wtforms import DecimalField, HiddenField, IntegerField, StringField, TextAreaField, URLField
from wtforms.validators import Optional, ValidationError

from portal.core.forms import PortalForm, max_length, required, required_input, strip_text

#: Numeric(18, 2): sixteen digits before the point.
VALUE_LIMIT = Decimal(10) ** 15
NUMBER_NEEDED = _l("Enter a number, for example 95250 or 12.5.")
#: "95,250" or "1,234.5": thousands grouped with commas, as the region writes them.
_GROUPED = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$")


def plain_number(value):
    """Accept figures written with thousands separators ("95,250") and surrounding spaces."""
    if isinstance(value, str):
        value = value.strip().replace("\u00a0", "").replace(" ", "")
        if _GROUPED.match(value):
            value = value.replace(",", "")
    return value


class NumberField(DecimalField):
    """A decimal field that reads "95,250" as 95250 and refuses anything else that is not a number."""

    def process_formdata(self, valuelist):
        values = [plain_number(value) for value in valuelist]
        if values and values[0] in ("", None):
            self.data = None  # left empty: the "required" rule says so
            return
        try:
            super().process_formdata(values)
        except ValueError:
            raise ValueError(NUMBER_NEEDED) from None
        if self.data is not None and not self.data.is_finite():
            # "NaN" and "Infinity" parse as decimals but are no figure (and cannot be compared).
            self.data = None
            raise ValueError(NUMBER_NEEDED)


class WholeNumberField(IntegerField):
    """An optional whole number from 0 to 1000, with one clear message for anything else."""

    def process_formdata(self, valuelist):
        value = (valuelist[0] or "").strip() if valuelist else ""
        if not value:
            self.data = None
            return
        if not value.isdigit() or int(value) > 1000:
            self.data = None
            raise ValueError(_l("Enter a whole number from 0 to 1000."))
        self.data = int(value)


class ContextFigureForm(PortalForm):
    label_es = StringField(_l("Label in Spanish"), filters=[strip_text], validators=[required(), max_length(300)],
                           description=_l("What the figure counts, for example: Migrantes retornados a Honduras."))
    label_en = StringField(_l("Label in English"), filters=[strip_text], validators=[required(), max_length(300)],
                           description=_l("The same in English, for example: Migrants returned to Honduras."))
    value = NumberField(_l("Value"), places=None, validators=[required_input(NUMBER_NEEDED)])
    unit = StringField(_l("Unit"), filters=[strip_text], validators=[Optional(), max_length(40)],
                       description=_l("Optional, for example: % or people."))
    period = StringField(_l("Period"), filters=[strip_text], validators=[required(), max_length(120)],
                         description=_l("The period the figure covers, as the source words it."))
    source = StringField(_l("Source"), filters=[strip_text], validators=[required(), max_length(300)])
    source_url = URLField(_l("Link to the source"), filters=[strip_text],
                          validators=[Optional(), max_length(500)],
                          description=_l("Optional. A web address starting with https://."))
    note = TextAreaField(_l("Note"), filters=[strip_text], validators=[max_length(2000)])
    position = WholeNumberField(_l("Order on the page"), default=0,
                                description=_l("Optional. Figures with a smaller number come first."))
    version = HiddenField()

    def validate_value(self, field):
        if field.process_errors:
            return  # already told: not a number
        if field.data is None:
            raise ValidationError(NUMBER_NEEDED)
        if abs(field.data) >= VALUE_LIMIT:
            raise ValidationError(_l("Enter a number of at most 15 digits."))
        if field.data.as_tuple().exponent < -2:
            raise ValidationError(_l("Use at most two decimals."))

    def validate_source_url(self, field):
        if field.data and not re.match(r"^https?://[^\s/?#]+\.[^\s]*$", field.data, re.IGNORECASE):
            raise ValidationError(_l("Enter a full web address starting with https://."))
