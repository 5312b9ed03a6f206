"""The progress update form and the review form, shared by every subject of an update."""

from datetime import timedelta

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import DateField, HiddenField, RadioField, SelectField, TextAreaField, URLField
from wtforms.validators import URL, Optional, ValidationError

from portal.core.clock import local_today
from portal.core.forms import (
    MARKDOWN_HELP,
    PortalForm,
    max_length,
    optional_number,
    options,
    required,
    strip_text,
)
from portal.progress.models import STATUS_LABELS, ReviewState, Status


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
    idempotency_key = HiddenField()
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
