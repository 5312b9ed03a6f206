"""Site-wide endpoints: the language switch (health checks in health.py)."""

from flask import Blueprint, abort, redirect, session, url_for
from flask_login import current_user

from portal.core.forms import LanguageForm
from portal.core.permissions import public
from portal.core.security import from_this_site, safe_next_url
from portal.extensions import csrf, db

bp = Blueprint("core", __name__)


@bp.post("/language")
@public
@csrf.exempt
def switch_language():
    """Switch the interface language and remember the choice."""
    if not from_this_site():
        abort(400)
    form = LanguageForm()
    if form.validate_on_submit():
        session["lang"] = form.lang.data
        if current_user.is_authenticated:
            current_user.locale = form.lang.data
            db.session.commit()
    return redirect(safe_next_url(form.next.data) or url_for("public.home"), code=303)
