"""The form a site administrator extends a framework with."""

from flask_babel import lazy_gettext as _l
from wtforms import SelectField, StringField
from wtforms.validators import Regexp

from portal.core.forms import PortalForm, max_length, options, required, strip_text
from portal.frameworks.models import FRAMEWORK_LABELS


class FrameworkTagForm(PortalForm):
    framework = SelectField(_l("Framework"), choices=options((key.value, label)
                                                             for key, label in FRAMEWORK_LABELS.items()))
    code = StringField(_l("Code"), filters=[strip_text], validators=[
        required(), max_length(30),
        Regexp(r"^[0-9a-z][0-9a-z.\-]*$", message=_l("Use lower-case letters, digits, dots and hyphens, as in 10.7."))],
        description=_l("The framework's own number (21, 10.7) or a short name in lower case."))
    name_es = StringField(_l("Name in Spanish"), filters=[strip_text], validators=[required(), max_length(300)])
    name_en = StringField(_l("Name in English"), filters=[strip_text], validators=[required(), max_length(300)])
