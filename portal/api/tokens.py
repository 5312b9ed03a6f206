"""Personal access tokens: the owner creates, names, lists and revokes them on the profile page.

A token is shown once, on the page that answers its creation, and stored only as a hash. It reads the
API as its owner, never writes, and stops at its expiry date, when revoked, or when its account is disabled.
"""

from datetime import timedelta

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select
from wtforms import SelectField, StringField

from portal.api.models import ApiToken, hash_token, new_token
from portal.core.audit import record_event
from portal.core.clock import local_today
from portal.core.db import utcnow
from portal.core.forms import EmptyForm, PortalForm, max_length, options, required, strip_text
from portal.core.permissions import login_required, require_visible
from portal.extensions import db

tokens_bp = Blueprint("tokens", __name__)
LIFETIMES = (30, 90, 180, 365)
#: The profile page holds two forms; the prefix keeps their field ids (and CSRF fields) apart.
FORM_PREFIX = "token"


class TokenForm(PortalForm):
    name = StringField(_l("Token name"), filters=[strip_text], validators=[required(), max_length(100)],
                       description=_l("What the token is for, e.g. “IOM monthly report script”."))
    days = SelectField(_l("Valid for"), default="90", choices=options(
        [(str(days), _l("%(days)d days", days=days)) for days in LIFETIMES]))


def can_manage_token(user, token: ApiToken) -> bool:
    """Only a token's owner sees and revokes it."""
    return bool(getattr(user, "is_authenticated", False)) and token.user_id == user.id


@tokens_bp.app_template_global()
def personal_tokens(user) -> list[ApiToken]:
    """The user's tokens, newest first (for the profile page)."""
    return list(db.session.scalars(select(ApiToken).where(ApiToken.user_id == user.id)
                                   .order_by(ApiToken.created_at.desc(), ApiToken.id.desc())))


@tokens_bp.app_template_global()
def token_form() -> TokenForm:
    return TokenForm(formdata=None, prefix=FORM_PREFIX)


def create_token(actor, name: str, days: int) -> tuple[ApiToken, str]:
    """Store a new token of ``actor`` (its hash); return the row and the token to show once."""
    raw = new_token()
    token = ApiToken(user_id=actor.id, name=name, token_hash=hash_token(raw), hint=raw[:8],
                     expires_on=local_today() + timedelta(days=days))
    db.session.add(token)
    record_event(actor, "token.created", token)
    return token, raw


def revoke_token(actor, token: ApiToken) -> None:
    """Revoke a token at once (kept in the list as revoked)."""
    token.revoked_at = utcnow()
    record_event(actor, "token.revoked", token)


@tokens_bp.post("/")
@login_required
def create():
    """Create a personal access token and show it once."""
    form = TokenForm(prefix=FORM_PREFIX)
    if not form.validate():
        return render_template("api/tokens.html", form=form), 400
    token, raw = create_token(current_user, form.name.data, int(form.days.data))
    db.session.commit()
    # The token is on this page only: not in the session, not in a redirect, not cached anywhere.
    return render_template("api/token_created.html", token=token, raw=raw), {"Cache-Control": "no-store"}


@tokens_bp.post("/<id:token_id>/revoke")
@login_required
def revoke(token_id: int):
    """Revoke one of the user's tokens."""
    token = db.get_or_404(ApiToken, token_id)
    require_visible(can_manage_token(current_user, token))
    if not EmptyForm().validate_on_submit():
        abort(400)
    if token.revoked_at is None:
        revoke_token(current_user, token)
        db.session.commit()
    flash(_("The token “%(name)s” has been revoked.", name=token.name), "success")
    return redirect(url_for("accounts.profile") + "#tokens", code=303)
