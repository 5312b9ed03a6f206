"""Forms for signing in, changing a password, accepting an invitation and preferences."""

from flask import current_app
from flask_babel import lazy_gettext as _l
from wtforms import EmailField, HiddenField, PasswordField, SelectField, StringField
from wtforms.validators import EqualTo

from portal.accounts.models import DigestFrequency
from portal.core.forms import PortalForm, email_address, max_length, options, required, strip_text


class LoginForm(PortalForm):
    email = EmailField(_l("E-mail"), filters=[strip_text], validators=[required(), max_length(254)])
    password = PasswordField(_l("Password"), validators=[required(), max_length(1024)])
    next = HiddenField()


class NewPasswordMixin:
    new_password = PasswordField(_l("New password"), validators=[required(), max_length(1024)])
    confirm_password = PasswordField(
        _l("Repeat the new password"),
        validators=[required(), EqualTo("new_password", message=_l("The two passwords are not the same."))],
    )


    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.new_password.description = _l(
            "At least %(min)d characters. A phrase of several words is easy to remember and hard to guess.",
            min=current_app.config["PASSWORD_MIN_LENGTH"],
        )


class ChangePasswordForm(NewPasswordMixin, PortalForm):
    current_password = PasswordField(_l("Current password"), validators=[required(), max_length(1024)])


class AcceptInvitationForm(NewPasswordMixin, PortalForm):
    pass


class PreferencesForm(PortalForm):
    locale = SelectField(
        _l("Interface language"),
        choices=options([("", _l("Follow my browser")), ("es", "Español"), ("en", "English")]),
    )
    digest_frequency = SelectField(
        _l("E-mail digest"),
        description=_l("What is due, late or waiting for your organisation, sent in your interface language "
                       "(Spanish if you follow your browser)."),
        choices=options([(DigestFrequency.DAILY.value, _l("Every day")),
                         (DigestFrequency.WEEKLY.value, _l("Once a week")),
                         (DigestFrequency.NEVER.value, _l("Never"))]),
    )


class InvitationEmailForm(PortalForm):
    """Used only to check an invited address before an account is created."""

    email = EmailField(_l("E-mail"), validators=[required(), email_address(), max_length(254)])


class ResetRequestForm(PortalForm):
    email = EmailField(_l("E-mail"), filters=[strip_text], validators=[required(), max_length(254)])


class ResetPasswordForm(NewPasswordMixin, PortalForm):
    pass


class CodeForm(PortalForm):
    """A six-digit code from the authenticator app, or a recovery code."""

    code = StringField(_l("Code"), filters=[strip_text], validators=[required(), max_length(40)],
                       description=_l("The six digits your authenticator app shows, or one of your recovery codes."))


class EnrolForm(PortalForm):
    password = PasswordField(_l("Your password"), validators=[required(), max_length(1024)])
    code = StringField(_l("Code shown by the app"), filters=[strip_text], validators=[required(), max_length(40)])
