"""Forms for commitments and the list filters."""


from flask_babel import lazy_gettext as _l
from wtforms import (
    DateField,
    HiddenField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import Optional, ValidationError

from portal.core.forms import (
    MARKDOWN_HELP,
    MultiCheckboxField,
    PortalForm,
    max_length,
    optional_number,
    options,
    strip_text,
    translated_pair,
)
from portal.core.permissions import VISIBILITY_LABELS
from portal.progress.models import STATUS_LABELS


class CommitmentForm(PortalForm):
    title_es, title_en = translated_pair(StringField, _l("Title"), "title", required_=True, limit=300)
    description_es, description_en = translated_pair(TextAreaField, _l("Description"), "description",
                                                     limit=20000, description=MARKDOWN_HELP)
    themes = MultiCheckboxField(_l("Themes"), coerce=int)
    framework_tags = MultiCheckboxField(_l("International frameworks"), coerce=int,
                                        description=_l("Optional. What the commitment contributes to."))
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


class CommitmentFilterForm(PortalForm):
    class Meta:
        csrf = False

    q = StringField(_l("Search"), filters=[strip_text], validators=[Optional(), max_length(100)])
    country = SelectField(_l("Country"), coerce=str, validate_choice=False)
    organisation = SelectField(_l("Organisation"), coerce=str, validate_choice=False)
    symposium = SelectField(_l("Symposium"), coerce=str, validate_choice=False)
    theme = SelectField(_l("Theme"), coerce=str, validate_choice=False)
    tag = SelectField(_l("International framework"), coerce=str, validate_choice=False)
    status = SelectField(
        _l("Status"), validate_choice=False,
        choices=options([("", _l("Any status"))] + [(k.value, v) for k, v in STATUS_LABELS.items()]),
    )
    flag = SelectField(_l("Follow-up"), validate_choice=False, choices=options([
        ("", _l("All")), ("overdue", _l("Overdue")), ("unreported", _l("Unreported for 90 days")),
        ("questioned", _l("Questioned")), ("pending", _l("Pending verification")), ("verified", _l("Verified")),
        ("renegotiated", _l("Renegotiated")), ("archived", _l("Archived")),
    ]))
    sort = SelectField(_l("Sort by"), validate_choice=False, choices=options([
        # Nothing chosen: a search lists the best matches first, the plain list the most recently updated.
        ("", _l("Best match when searching")), ("recent", _l("Recently updated")), ("target", _l("Target date")),
        ("title", _l("Title")),
    ]))


class CommitmentEditForm(CommitmentForm):
    """The edit form: a changed target date or indicator target asks why, and where it was agreed."""

    change_reason = TextAreaField(
        _l("Why the target date or target changes"), validators=[max_length(2000)],
        description=_l("Needed only when you change a target date or a target already set."))
    agreed_at = SelectField(_l("Where it was agreed"), coerce=str, default="")

    #: Set by the route before validation: {field: (old, new)} that the save would renegotiate.
    renegotiated: dict = {}

    def validate_change_reason(self, field):
        if self.renegotiated and not (field.data or "").strip():
            raise ValidationError(_l("Say why the target date or target changes."))

    def validate_agreed_at(self, field):
        if self.renegotiated and not field.data:
            raise ValidationError(_l("Say where the change was agreed."))
