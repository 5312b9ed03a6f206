"""The import forms: send a table, then confirm its preview."""

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import HiddenField, RadioField, TextAreaField

from portal.core.forms import PortalForm, max_length, options, required


class ImportUploadForm(PortalForm):
    table = FileField(_l("Table of commitments (CSV or XLSX)"),
                      description=_l("An export of the commitments, or the template, at most 5 MB and 5,000 rows."))


class ImportConfirmForm(PortalForm):
    token = HiddenField()
    scope = RadioField(_l("What to import"), choices=options([
                           ("all", _l("Every row, or nothing if any row has a problem")),
                           ("valid", _l("Only the valid rows; skip the others"))]),
                       default="all", validators=[required()])


class DeclineProposalForm(PortalForm):
    reason = TextAreaField(_l("Why you decline it"), validators=[required(), max_length(2000)],
                           description=_l("Whoever drafted it reads this."))
