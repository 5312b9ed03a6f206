"""Site administrators keep the framework lists: they see every tag and add new ones."""

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from portal.core.audit import record_event
from portal.core.permissions import is_site_admin, login_required, require
from portal.extensions import db
from portal.frameworks.forms import FrameworkTagForm
from portal.frameworks.models import FRAMEWORK_LABELS, FrameworkTag, active_tags

bp = Blueprint("frameworks_admin", __name__)


@bp.route("/", methods=["GET", "POST"])
@login_required
def index():
    """List the framework tags and add one (site administrators)."""
    require(is_site_admin(current_user))
    form = FrameworkTagForm()
    if form.validate_on_submit() and _add_tag(form):
        flash(_("Tag added."), "success")
        return redirect(url_for("frameworks_admin.index"), code=303)
    return render_template("frameworks/admin.html", form=form, tags=active_tags(), labels=FRAMEWORK_LABELS)


def _add_tag(form: FrameworkTagForm) -> bool:
    """Store the new tag and commit once; a code the framework already has is refused on the form."""
    position = (db.session.scalar(select(func.max(FrameworkTag.position))) or 0) + 1
    tag = FrameworkTag(framework=form.framework.data, code=form.code.data, name_es=form.name_es.data,
                       name_en=form.name_en.data, position=position)
    db.session.add(tag)
    try:
        db.session.flush()
        record_event(current_user, "create", tag, {"code": [None, tag.slug]})
        db.session.commit()
    except IntegrityError:
        # The same code is taken, by an earlier tag or by the same form sent twice at once.
        db.session.rollback()
        form.code.errors = [_("This framework already has a tag with this code.")]
        return False
    return True
