"""Forms for minutes: the draft, a revision, a comment, an action item, a file, and comparing revisions."""

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, DateField, HiddenField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import Optional

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

#: Long enough for the minutes of a two-day symposium; the renderer's own limit is higher.
BODY_LIMIT = 50_000
DECISIONS_LIMIT = 20_000


def newlines(value):
    """Store line breaks as "\\n": browsers send "\\r\\n", which would make an unchanged text look changed."""
    return value.replace("\r\n", "\n").replace("\r", "\n") if isinstance(value, str) else value


VISIBILITY_HELP = _l("Applies once the minutes are approved. Until then a draft is seen only by your "
                     "organisation, and circulated minutes by the attending organisations.")


def _visibility_field():
    choices = options((key.value, label) for key, label in VISIBILITY_LABELS.items())
    return RadioField(_l("Who can read the approved minutes"), default="partners", choices=choices,
                      description=VISIBILITY_HELP)


class MinutesForm(PortalForm):
    title = StringField(_l("Title"), filters=[strip_text], validators=[required(), max_length(300)])
    symposium_id = SelectField(_l("Symposium"), coerce=str,
                               description=_l("Leave empty for a follow-up meeting outside a symposium."))
    meeting_date = DateField(_l("Date of the meeting"), validators=[required()])
    place = StringField(_l("Place"), filters=[strip_text], validators=[Optional(), max_length(200)],
                        description=_l("City and venue. Leave empty if the meeting was only virtual."))
    is_virtual = BooleanField(_l("The meeting was held virtually (or partly virtually)"))
    attendees = MultiCheckboxField(_l("Attending organisations"), coerce=int,
                                   description=_l("Your organisation always counts as attending."))
    body = TextAreaField(_l("Text of the minutes"), description=MARKDOWN_HELP, filters=[newlines],
                         validators=[max_length(BODY_LIMIT)])
    decisions = TextAreaField(_l("Decisions"), description=MARKDOWN_HELP, filters=[newlines],
                              validators=[max_length(DECISIONS_LIMIT)])
    visibility = _visibility_field()
    version = HiddenField()
    idempotency_key = HiddenField()

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        # Checked here: the Optional() validator of "place" stops its own validators when it is empty.
        if not self.place.data and not self.is_virtual.data:
            self.place.errors = [*self.place.errors,
                                 _l("Say where the meeting took place, or mark it as virtual.")]
            valid = False
        return valid


class RevisionForm(PortalForm):
    title = StringField(_l("Title"), filters=[strip_text], validators=[required(), max_length(300)])
    body = TextAreaField(_l("Text of the minutes"), description=MARKDOWN_HELP, filters=[newlines],
                         validators=[max_length(BODY_LIMIT)])
    decisions = TextAreaField(_l("Decisions"), description=MARKDOWN_HELP, filters=[newlines],
                              validators=[max_length(DECISIONS_LIMIT)])
    visibility = _visibility_field()
    reason = TextAreaField(
        _l("Reason for the change"), filters=[strip_text, newlines],
        validators=[required(_l("Say why the approved minutes change.")), max_length(2000)],
        description=_l("Shown with the revision, e.g. a correction agreed at the next meeting."))
    version = HiddenField()


class CommentForm(PortalForm):
    body = TextAreaField(_l("Your comment"), filters=[strip_text, newlines], description=MARKDOWN_HELP,
                         validators=[required(_l("Write a comment.")), max_length(5000)])
    idempotency_key = HiddenField()


class ActionItemForm(PortalForm):
    description_es, description_en = translated_pair(TextAreaField, _l("What is to be done"), "description",
                                                     required_=True, limit=2000, description=MARKDOWN_HELP,
                                                     filters=[newlines])
    responsible_organisation_id = SelectField(_l("Responsible organisation"), coerce=str,
                                              validators=[required()],
                                              description=_l("One of the attending organisations."))
    due_date = DateField(_l("Due date"), validators=[Optional()])
    idempotency_key = HiddenField()


class CompareForm(PortalForm):
    """Which two revisions to compare (read from the query string)."""

    class Meta:
        csrf = False

    old = SelectField(_l("Compare revision"), coerce=str, validate_choice=False)
    new = SelectField(_l("with revision"), coerce=str, validate_choice=False)
