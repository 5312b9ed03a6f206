"""Approved minutes change only as revisions: write one with a reason, list them, read one, compare two."""

from types import SimpleNamespace

from flask import flash, render_template, request
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.exc import IntegrityError

from portal.core.forms import options
from portal.core.locking import apply_or_conflict, is_stale
from portal.core.permissions import login_required, public, require, require_visible
from portal.extensions import db
from portal.minutes import queries, service
from portal.minutes.blueprint import bp
from portal.minutes.diff import compare_texts
from portal.minutes.forms import CompareForm, RevisionForm
from portal.minutes.models import Minutes
from portal.minutes.permissions import can_revise_minutes
from portal.minutes.routes import is_preview, load_visible, to_detail


def _conflict(form: RevisionForm, minutes_id: int):
    """Answer 409 with the user's text kept and what changed in the current text."""
    db.session.rollback()
    current = db.session.get(Minutes, minutes_id)
    form.version.data = current.version
    flash(_("Someone else changed these minutes while you were writing. Your text is kept below; "
            "compare it with the current version and send it again."), "error")
    return render_template("minutes/revise.html", form=form, minutes=current, current=current,
                           changes=compare_texts(current, SimpleNamespace(**form.data)), preview=False), 409


@bp.route("/<id:minutes_id>/revise", methods=["GET", "POST"])
@login_required
def revise(minutes_id: int):
    """Change approved minutes as a new revision with a reason (with a preview); outdated pages get 409."""
    minutes = load_visible(minutes_id)
    require(can_revise_minutes(current_user, minutes))
    form = RevisionForm(obj=minutes)
    if not form.is_submitted():
        form.version.data = minutes.version
        form.reason.data = ""
    elif form.validate() and not is_preview():
        if is_stale(form.version.data, minutes):
            return _conflict(form, minutes_id)
        if service.is_unchanged(minutes, form.data):
            form.body.errors = [*form.body.errors,
                                _("Nothing has changed: edit the text before saving a revision.")]
        else:
            try:
                saved = apply_or_conflict(lambda: service.revise(current_user, minutes, form.data))
            except IntegrityError:
                saved = False  # another revision took this number at the same moment
            if not saved:
                return _conflict(form, minutes_id)
            flash(_("Revision %(number)d saved.", number=minutes.revisions[-1].number), "success")
            return to_detail(minutes)
    return render_template("minutes/revise.html", form=form, minutes=minutes, preview=is_preview())


@bp.get("/<id:minutes_id>/revisions")
@public
def revisions(minutes_id: int):
    """List every revision of approved minutes, with a form to compare any two."""
    minutes = load_visible(minutes_id)
    found = queries.revisions(minutes)
    form = _compare_form(found)
    return render_template("minutes/revisions.html", minutes=minutes, revisions=found, form=form)


@bp.get("/<id:minutes_id>/revisions/<id:revision_number>")
@public
def revision(minutes_id: int, revision_number: int):
    """Show the text of one revision."""
    minutes = load_visible(minutes_id)
    found = queries.revision(minutes, revision_number)
    require_visible(found is not None)
    return render_template("minutes/revision.html", minutes=minutes, revision=found)


def _compare_form(found) -> CompareForm:
    form = CompareForm(request.args)
    choices = options((str(r.number), _("Revision %(number)d", number=r.number)) for r in found)
    form.old.choices = form.new.choices = choices
    if not request.args and len(found) >= 2:
        form.old.data, form.new.data = str(found[1].number), str(found[0].number)
    return form


@bp.get("/<id:minutes_id>/compare")
@public
def compare(minutes_id: int):
    """Compare two revisions line by line (``?old=1&new=2``); unknown numbers show the choice again."""
    minutes = load_visible(minutes_id)
    found = queries.revisions(minutes)
    form = _compare_form(found)
    old = queries.revision(minutes, request.args.get("old", ""))
    new = queries.revision(minutes, request.args.get("new", ""))
    if old is None or new is None:
        for field, revision_found in ((form.old, old), (form.new, new)):
            if revision_found is None:
                field.errors = [_("Choose one of the revisions listed.")]
        return render_template("minutes/revisions.html", minutes=minutes, revisions=found, form=form)
    return render_template("minutes/compare.html", minutes=minutes, old=old, new=new,
                           changes=compare_texts(old, new), form=form)
