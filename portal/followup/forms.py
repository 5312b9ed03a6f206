"""Forms of the follow-up module: an update request, and the board's filters."""

from datetime import timedelta

from flask_babel import lazy_gettext as _l
from wtforms import DateField, HiddenField, SelectField, TextAreaField
from wtforms.validators import ValidationError

from portal.core.clock import local_today
from portal.core.forms import PortalForm, max_length, options, required, strip_text

MESSAGE_LIMIT = 2000
#: How far ahead an answer is expected when the requester does not say otherwise.
DEFAULT_DAYS = 14


class UpdateRequestForm(PortalForm):
    message = TextAreaField(
        _l("What would you like to know?"), filters=[strip_text],
        validators=[required(_l("Write what you would like to know.")), max_length(MESSAGE_LIMIT)],
        description=_l("The organisation asked sees this message on its dashboard and on the item."),
    )
    due_date = DateField(_l("Answer expected by"),
                         validators=[required(_l("Enter the date by which you expect an answer."))])
    idempotency_key = HiddenField()

    def validate_due_date(self, field):
        if field.data and field.data < local_today():
            raise ValidationError(_l("The date cannot be in the past."))

    @staticmethod
    def default_due_date():
        return local_today() + timedelta(days=DEFAULT_DAYS)


BOARD_SORTS = {
    "worst": _l("Most in need of follow-up"),
    "name": _l("Organisation"),
    "country": _l("Country"),
    "silent": _l("Longest without an update"),
}


class BoardFilterForm(PortalForm):
    class Meta:
        csrf = False

    country = SelectField(_l("Country"), coerce=str, validate_choice=False)
    symposium = SelectField(_l("Symposium"), coerce=str, validate_choice=False)
    theme = SelectField(_l("Theme"), coerce=str, validate_choice=False)
    sort = SelectField(_l("Sort by"), validate_choice=False, choices=options(BOARD_SORTS.items()))
