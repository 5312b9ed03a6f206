"""Site-wide endpoints: language switch and health check."""

from flask import Blueprint, current_app, jsonify, redirect, session, url_for
from flask_login import current_user
from sqlalchemy import text

from portal.core.forms import LanguageForm
from portal.core.permissions import public
from portal.core.security import safe_next_url
from portal.extensions import db

bp = Blueprint("core", __name__)


@bp.post("/language")
@public
def switch_language():
    """Switch the interface language and remember the choice."""
    form = LanguageForm()
    if form.validate_on_submit():
        session["lang"] = form.lang.data
        if current_user.is_authenticated:
            current_user.locale = form.lang.data
            db.session.commit()
    return redirect(safe_next_url(form.next.data) or url_for("public.home"), code=303)


@bp.get("/healthz")
@public
def health():
    """Report whether the database answers, for load balancers and monitoring."""
    db.session.execute(text("SELECT 1"))
    body = {"status": "ok"}
    if current_app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        body["journal_mode"] = db.session.execute(text("PRAGMA journal_mode")).scalar()
    return jsonify(body)
