"""Form base and validators shared by every module.

Every message is given explicitly through lazy_gettext so that it reaches the user in
their language; WTForms' own messages are listed in ``wtforms_messages.py`` for the same reason.
"""

import re
from decimal import Decimal

from flask import request
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import DecimalField, HiddenField, SelectField, SelectMultipleField
from wtforms.fields import SelectChoice
from wtforms.validators import DataRequired, Email, InputRequired, Length, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from portal.core.translated import in_language

#: C0 controls except tab and newlines, DEL, C1 controls, and bidi overrides that disguise text.
_FORBIDDEN = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ufeff\ud800-\udfff]")
_SINGLE_LINE_FORBIDDEN = re.compile(r"[\t\r\n]")


def strip_text(value):
    """Trim surrounding white space from submitted text."""
    return value.strip() if isinstance(value, str) else value


class PortalForm(FlaskForm):
    """Base form: refuses control characters in any text field, in the user's language.

    Hidden fields (idempotency keys, versions, return addresses) and passwords are included: no
    person types a NUL or an escape, SQLite would store one and PostgreSQL refuses it with an error,
    so the two databases would disagree. The CSRF token has its own check.
    """

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        for field in self:
            if not isinstance(field.data, str) or field.type == "CSRFTokenField":
                continue
            if _FORBIDDEN.search(field.data) or (
                # Tabs and line breaks: refused in a one-line text, but not where they block nothing
                # (a return address is checked by the route; a pasted password may hold a tab).
                field.type not in ("TextAreaField", "HiddenField", "PasswordField")
                and _SINGLE_LINE_FORBIDDEN.search(field.data)
            ):
                field.errors = [*field.errors, _l("This text contains characters that are not allowed.")]
                valid = False
        return valid


def toggled(current: bool) -> bool:
    """The state an on/off button asks for. The button says which ("to" = "1" or "0"), so that pressing it
    twice (a double click, a form sent again) asks for the same state twice instead of undoing itself;
    a submission without it asks for the opposite of now."""
    value = request.form.get("to")
    return value == "1" if value in ("0", "1") else not current


def options(pairs) -> list[SelectChoice]:
    """Turn (value, label) pairs into select options."""
    return [SelectChoice(value, label) for value, label in pairs]


class EmptyForm(PortalForm):
    """A form with only the CSRF token, for buttons that change state."""


class LanguageForm(PortalForm):
    """The language switch on every page. No CSRF token, so that a cached public page needs no session: the
    view checks instead that the form came from this site (``security.from_this_site``)."""

    class Meta:
        csrf = False

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


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def optional_number(label, description=None):
    """An optional indicator figure, kept in a Numeric(16, 2) column."""
    return NumberField(label, description=description, digits=16, places=2)

NUMBER_NEEDED = _l("Enter a number, for example 95250 or 12.5.")
#: A number as people write it: ASCII digits, an optional sign and decimal point. "NaN", "Infinity",
#: "1e-400" and digits of other scripts ("٣") are refused: Decimal would read them, the database could not
#: keep them (or would keep 0).
_PLAIN_NUMBER = re.compile(r"^([+-]?)([0-9]+)(?:\.([0-9]*))?$|^([+-]?)()\.([0-9]+)$")
#: "95,250" or "1,234.5": thousands grouped with commas, as the region writes them.
_GROUPED = re.compile(r"^[+-]?[0-9]{1,3}(,[0-9]{3})+(\.[0-9]+)?$")


def plain_number(value):
    """Accept figures written with thousands separators ("95,250") and surrounding spaces."""
    if isinstance(value, str):
        value = value.strip().replace("\u00a0", "").replace(" ", "")
        if _GROUPED.match(value):
            value = value.replace(",", "")
    return value


class NumberField(DecimalField):
    """A decimal number for a ``Numeric(digits, places)`` column: refuses what the column cannot keep
    as typed (too many digits before the point, more decimals than it stores) and anything that is not
    a plain number, each with a message in the user's language. Empty gives None."""

    def __init__(self, label=None, validators=None, digits: int = 16, places: int = 2, **kwargs):
        super().__init__(label, validators, places=None, **kwargs)
        self.digits, self.decimals = digits, places

    def process_formdata(self, valuelist):
        text = plain_number(valuelist[0]) if valuelist else ""
        self.data = None
        if text in ("", None):
            return  # left empty: a "required" rule, if any, says so
        match = _PLAIN_NUMBER.match(text) if len(text) <= 200 else None
        if not match:
            raise ValueError(NUMBER_NEEDED)
        sign, whole, fraction = match.group(1) or match.group(4) or "", match.group(2) or match.group(5), \
            match.group(3) or match.group(6) or ""
        whole, fraction = whole.lstrip("0"), fraction.rstrip("0")
        if len(whole) > self.digits - self.decimals:
            raise ValueError(_l("Enter a number with at most %(digits)d digits before the decimal point.",
                                digits=self.digits - self.decimals))
        if len(fraction) > self.decimals:
            raise ValueError(_l("Use at most %(places)d decimals.", places=self.decimals))
        self.data = Decimal(f"{sign}{whole or 0}.{fraction or 0}")


class AttachmentForm(PortalForm):
    """One file to attach, checked by content when stored (see core.uploads)."""

    file = FileField(_l("File"), description=_l("PDF, Word, Excel, OpenDocument, PNG or JPEG, up to 20 MB."))

    def validate_file(self, field):
        if not getattr(field.data, "filename", ""):
            raise ValidationError(_l("Choose a file to attach."))


class AtLeastOneLanguage:
    """On the Spanish field of a pair: refuse the form when neither language is written."""

    field_flags = {}

    def __init__(self, other: str):
        self.other = other

    def __call__(self, form, field):
        if not (field.data or "").strip() and not (form[self.other].data or "").strip():
            raise ValidationError(_l("Write it in Spanish, in English or in both."))


def translated_pair(field_class, label, name: str, *, required_: bool = False, limit: int | None = None,
                    description=None, filters=()):
    """The Spanish and English fields of a translated text (``name_es``, ``name_en``), drawn side by side
    by ``render_form``: ``title_es, title_en = translated_pair(StringField, _l("Title"), "title", ...)``.

    Each is optional on its own; ``required_`` asks for at least one of the two. ``filters`` run after
    the trimming, on both.
    """
    validators = [max_length(limit)] if limit else []
    spanish = [AtLeastOneLanguage(f"{name}_en"), *validators] if required_ else validators
    return (field_class(in_language(label, "es"), filters=[strip_text, *filters], validators=spanish,
                        description=description, render_kw={"lang": "es"}),
            field_class(in_language(label, "en"), filters=[strip_text, *filters], validators=validators,
                        description=description, render_kw={"lang": "en"}))
