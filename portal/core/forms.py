"""Form base and validators shared by every module.

Every message is given explicitly through lazy_gettext so that it reaches the user in
their language; WTForms' own messages are listed in ``wtforms_messages.py`` for the same reason.
"""

import re

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import DecimalField, HiddenField, SelectField, SelectMultipleField
from wtforms.fields import SelectChoice
from wtforms.validators import (
    DataRequired,
    Email,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)
from wtforms.widgets import CheckboxInput, ListWidget

#: C0 controls except tab and newlines, DEL, C1 controls, and bidi overrides that disguise text.
_FORBIDDEN = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ufeff\ud800-\udfff]")
_SINGLE_LINE_FORBIDDEN = re.compile(r"[\t\r\n]")


def strip_text(value):
    """Trim surrounding white space from submitted text."""
    return value.strip() if isinstance(value, str) else value


class PortalForm(FlaskForm):
    """Base form: refuses control characters in any text field, in the user's language."""

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        for field in self:
            # Hidden fields are never typed by people; the routes check their values themselves.
            if not isinstance(field.data, str) or field.type in ("CSRFTokenField", "HiddenField", "PasswordField"):
                continue
            if _FORBIDDEN.search(field.data) or (
                field.type not in ("TextAreaField",) and _SINGLE_LINE_FORBIDDEN.search(field.data)
            ):
                field.errors = [*field.errors, _l("This text contains characters that are not allowed.")]
                valid = False
        return valid


def options(pairs) -> list[SelectChoice]:
    """Turn (value, label) pairs into select options."""
    return [SelectChoice(value, label) for value, label in pairs]


class EmptyForm(PortalForm):
    """A form with only the CSRF token, for buttons that change state."""


class LanguageForm(PortalForm):
    lang = SelectField(_l("Language"), choices=options([("es", "Español"), ("en", "English")]))
    next = HiddenField()


def required(message=None):
    """Require a value, with a translated message."""
    return DataRequired(message=message or _l("This field is required."))


def required_input(message=None):
    """Require a value that may be falsy (0, False), with a translated message."""
    return InputRequired(message=message or _l("This field is required."))


def max_length(limit: int):
    """Limit text length, with a translated message."""
    return Length(max=limit, message=_l("Use at most %(max)d characters.", max=limit))


def email_address():
    """Check the shape of an e-mail address, with a translated message."""
    return Email(message=_l("Enter a valid e-mail address."), check_deliverability=False)


def no_control_characters(form, field):
    """Refuse text with control characters (also applied by PortalForm to every field)."""
    if isinstance(field.data, str) and _FORBIDDEN.search(field.data):
        raise ValidationError(_l("This text contains characters that are not allowed."))


MARKDOWN_HELP = _l("You can use Markdown: **bold**, *italics*, lists with -, links as [text](https://...).")
NUMBER_LIMIT = 10**13


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def optional_number(label, description=None):
    return DecimalField(
        label, description=description, places=None,
        validators=[Optional(), NumberRange(min=-NUMBER_LIMIT, max=NUMBER_LIMIT, message=_l("Enter a number of at most 13 digits."))],
    )


class AttachmentForm(PortalForm):
    """One file to attach, checked by content when stored (see core.uploads)."""

    file = FileField(_l("File"), description=_l("PDF, Word, Excel, OpenDocument, PNG or JPEG, up to 20 MB."))

    def validate_file(self, field):
        if not getattr(field.data, "filename", ""):
            raise ValidationError(_l("Choose a file to attach."))
