"""Forms for commitments, progress updates, reviews and the list filters."""

from datetime import timedelta

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import (
    DateField,
    DecimalField,
    HiddenField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    URLField,
)
from wtforms.validators import URL, NumberRange, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from portal.commitments.models import STATUS_LABELS, VISIBILITY_LABELS, ReviewState, Status
from portal.core.clock import local_today
from portal.core.forms import PortalForm, max_length, options, required, strip_text

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


class CommitmentForm(PortalForm):
    title = StringField(_l("Title"), filters=[strip_text], validators=[required(), max_length(300)])
    description = TextAreaField(_l("Description"), description=MARKDOWN_HELP, validators=[max_length(20000)])
    themes = MultiCheckboxField(_l("Themes"), coerce=int)
    symposium_id = SelectField(_l("Made at symposium"), coerce=str)
    target_date = DateField(_l("Target date"), validators=[Optional()],
                            description=_l("When the commitment should be fulfilled."))
    visibility = RadioField(_l("Who can read it"), default="partners",
                            choices=options((key.value, label) for key, label in VISIBILITY_LABELS.items()))
    indicator_unit = StringField(
        _l("Indicator unit"), filters=[strip_text], validators=[Optional(), max_length(80)],
        description=_l("Optional. What is counted, for example: copies of the guide delivered."),
    )
    indicator_baseline = optional_number(_l("Baseline"), _l("The value when the commitment was made."))
    indicator_target = optional_number(_l("Target"))
    version = HiddenField()
    idempotency_key = HiddenField()

    def validate_indicator_target(self, field):
        if field.data is not None and not self.indicator_unit.data:
            raise ValidationError(_l("Say what the indicator counts (its unit) before giving a target."))
        baseline = self.indicator_baseline.data
        if field.data is not None and baseline is not None and field.data <= baseline:
            raise ValidationError(_l("The target must be larger than the baseline."))


class ProgressUpdateForm(PortalForm):
    reported_on = DateField(_l("Date of the progress"), validators=[required()])
    status = SelectField(_l("Status now"), choices=options((k.value, v) for k, v in STATUS_LABELS.items()))
    note = TextAreaField(_l("What happened"), description=MARKDOWN_HELP, validators=[max_length(20000)])
    indicator_value = optional_number(_l("Indicator value reached"))
    evidence_url = URLField(
        _l("Link to evidence"), filters=[strip_text],
        validators=[Optional(), max_length(500), URL(message=_l("Enter a full web address starting with https://."))],
    )
    evidence_file = FileField(
        _l("Evidence file"),
        description=_l("PDF, Word, Excel, OpenDocument, PNG or JPEG, up to 20 MB."),
    )
    idempotency_key = HiddenField()

    def validate_reported_on(self, field):
        if field.data and field.data > local_today() + timedelta(days=1):
            raise ValidationError(_l("Progress cannot be reported for a future date."))

    def validate_evidence_url(self, field):
        if field.data and not field.data.lower().startswith(("https://", "http://")):
            raise ValidationError(_l("Enter a full web address starting with https://."))

    def validate_note(self, field):
        completing = self.status.data == Status.COMPLETED
        has_evidence = bool(self.evidence_url.data) or bool(getattr(self.evidence_file.data, "filename", ""))
        if completing and not has_evidence and len((field.data or "").strip()) < 20:
            raise ValidationError(
                _l("To mark the commitment completed, attach evidence or explain in a few sentences how it was done.")
            )


class ReviewForm(PortalForm):
    verdict = RadioField(
        _l("Your review"),
        choices=options([(ReviewState.VERIFIED.value, _l("Verify: the progress is confirmed")),
                         (ReviewState.QUESTIONED.value, _l("Question: the owner should clarify or correct"))]),
        validators=[required()],
    )
    comment = TextAreaField(_l("Comment"), validators=[max_length(5000)])

    def validate_comment(self, field):
        if self.verdict.data == ReviewState.QUESTIONED and not (field.data or "").strip():
            raise ValidationError(_l("Say what should be clarified."))


class CommitmentFilterForm(PortalForm):
    class Meta:
        csrf = False

    q = StringField(_l("Search"), filters=[strip_text], validators=[Optional(), max_length(100)])
    country = SelectField(_l("Country"), coerce=str, validate_choice=False)
    organisation = SelectField(_l("Organisation"), coerce=str, validate_choice=False)
    symposium = SelectField(_l("Symposium"), coerce=str, validate_choice=False)
    theme = SelectField(_l("Theme"), coerce=str, validate_choice=False)
    status = SelectField(
        _l("Status"), validate_choice=False,
        choices=options([("", _l("Any status"))] + [(k.value, v) for k, v in STATUS_LABELS.items()]),
    )
    flag = SelectField(_l("Follow-up"), validate_choice=False, choices=options([
        ("", _l("All")), ("overdue", _l("Overdue")), ("unreported", _l("Unreported for 90 days")),
        ("questioned", _l("Questioned")), ("pending", _l("Pending verification")), ("verified", _l("Verified")),
        ("archived", _l("Archived")),
    ]))
    sort = SelectField(_l("Sort by"), validate_choice=False, choices=options([
        ("recent", _l("Recently updated")), ("target", _l("Target date")), ("title", _l("Title")),
    ]))
