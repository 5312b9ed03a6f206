"""Minutes: the list and page, writing and editing a draft, and the workflow (circulate, endorse, approve).

Revisions live in revision_routes.py; action items, their conversion and files in item_routes.py.
"""

from functools import partial
from types import SimpleNamespace
from uuid import uuid4

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.exc import IntegrityError

from portal.core.forms import EmptyForm
from portal.core.locking import apply_or_conflict, create_once, save_unless_stale
from portal.core.params import page_number
from portal.core.permissions import login_required, public, require, require_visible
from portal.extensions import db
from portal.minutes import queries, service
from portal.minutes.blueprint import bp
from portal.minutes.choices import fill_minutes_choices, symposium_from
from portal.minutes.diff import compare_texts
from portal.minutes.forms import CommentForm, MinutesForm
from portal.minutes.models import Minutes, MinutesComment
from portal.minutes.permissions import (
    can_approve_minutes,
    can_circulate_minutes,
    can_comment_minutes,
    can_create_minutes,
    can_edit_minutes,
    can_endorse_minutes,
    can_return_minutes_to_draft,
    can_view_minutes,
)
from portal.minutes.queries import minutes_history


def load_visible(minutes_id: int) -> Minutes:
    """Load minutes the current user may see, or answer 404."""
    minutes = db.get_or_404(Minutes, minutes_id)
    require_visible(can_view_minutes(current_user, minutes))
    return minutes


def to_detail(minutes: Minutes, anchor: str | None = None):
    """Redirect (303) to the minutes' page."""
    return redirect(url_for("minutes.detail", minutes_id=minutes.id, _anchor=anchor), code=303)


def is_preview() -> bool:
    """Tell whether the form was sent with its "Preview" button (nothing is saved then)."""
    return "preview" in request.form


@bp.get("/")
@public
def index():
    """List the minutes the reader may see, optionally those of one symposium."""
    symposium = symposium_from(request.args.get("symposium"))
    pagination = queries.minutes_page(current_user, symposium.id if symposium else None, page=page_number())
    return render_template("minutes/index.html", page=pagination, symposium=symposium, args=request.args)


def conflict(minutes_id: int):
    """Answer 409 with the minutes as they are now, when a concurrent change got there first."""
    db.session.rollback()
    flash(_("Someone else changed these minutes at the same moment. Check them as they are now and try "
            "again."), "error")
    return render_detail(load_visible(minutes_id), status=409)


def render_detail(minutes: Minutes, comment_form: CommentForm | None = None, status: int = 200):
    """Render the minutes' page, with the comment form (kept as typed after an error)."""
    if comment_form is None and can_comment_minutes(current_user, minutes):
        comment_form = CommentForm(formdata=None)
        comment_form.idempotency_key.data = uuid4().hex
    comments = minutes.comments if not minutes.is_draft else []
    return render_template("minutes/detail.html", minutes=minutes, comments=comments,
                           comment_form=comment_form, button_form=EmptyForm(), history=minutes_history(minutes)), status


@bp.get("/<id:minutes_id>")
@public
def detail(minutes_id: int):
    """Show minutes: the text, decisions, action items and their status, endorsements, comments, files."""
    return render_detail(load_visible(minutes_id))


@bp.route("/new", methods=["GET", "POST"])
@login_required
def create():
    """Start the minutes of a meeting as a draft of the user's organisation."""
    require(can_create_minutes(current_user))
    form = MinutesForm()
    fill_minutes_choices(form, current_user.organisation_id)
    if not form.is_submitted():
        form.idempotency_key.data = uuid4().hex
        if symposium := symposium_from(request.args.get("symposium")):
            form.symposium_id.data = str(symposium.id)
            form.meeting_date.data = symposium.start_date
            form.place.data = symposium.city
            form.attendees.data = [p.organisation_id for p in symposium.participants
                                   if p.organisation_id != current_user.organisation_id]
    elif form.validate() and not is_preview():
        key = (form.idempotency_key.data or "")[:64]
        minutes, created = create_once(key, partial(service.find_by_idempotency_key, Minutes),
                                       lambda: service.create_minutes(current_user, form.data, key))
        if created:
            flash(_("Draft minutes saved. Only your organisation can see them until you circulate them."),
                  "success")
        return to_detail(minutes)
    return render_template("minutes/form.html", form=form, minutes=None, preview=is_preview())


@bp.route("/<id:minutes_id>/edit", methods=["GET", "POST"])
@login_required
def edit(minutes_id: int):
    """Edit a draft, with a preview; an edit made on an outdated page is refused with 409, the text kept."""
    minutes = load_visible(minutes_id)
    require(can_edit_minutes(current_user, minutes))
    form = MinutesForm(obj=minutes)
    fill_minutes_choices(form, minutes.author_organisation_id, minutes)
    if not form.is_submitted():
        form.version.data = minutes.version
        form.symposium_id.data = str(minutes.symposium_id or "")
        form.attendees.data = [org.id for org in minutes.attendees
                               if org.id != minutes.author_organisation_id]
    elif _validate_edit(form, minutes) and not is_preview():
        if save_unless_stale(form.version.data, minutes,
                             lambda: service.update_minutes(current_user, minutes, form.data)):
            flash(_("Draft minutes saved."), "success")
            return to_detail(minutes)
        current = db.session.get(Minutes, minutes_id)
        form.version.data = current.version
        flash(_("Someone else saved these minutes while you were editing. Your text is kept below; "
                "compare it with the current version and save again."), "error")
        changes = compare_texts(current, SimpleNamespace(**form.data))
        return render_template("minutes/form.html", form=form, minutes=current, current=current,
                               changes=changes, preview=False), 409
    return render_template("minutes/form.html", form=form, minutes=minutes, preview=is_preview())


def _validate_edit(form: MinutesForm, minutes: Minutes) -> bool:
    """Validate the form, refusing to drop an attending organisation responsible for an action item."""
    valid = form.validate()
    attending = set(form.attendees.data or ()) | {minutes.author_organisation_id}
    dropped = {item.responsible_organisation.display_name for item in minutes.action_items
               if item.responsible_organisation_id not in attending}
    if dropped:
        form.attendees.errors = [*form.attendees.errors, _(
            "These organisations are responsible for action items, so they stay among the attendees: "
            "%(names)s.", names=", ".join(sorted(dropped)))]
    return valid and not dropped


def _button_pressed() -> None:
    """Check the CSRF token of a workflow button, or answer 400."""
    if not EmptyForm().validate_on_submit():
        abort(400)


@bp.post("/<id:minutes_id>/circulate")
@login_required
def circulate(minutes_id: int):
    """Send a draft to the attending organisations for comments and endorsement."""
    minutes = load_visible(minutes_id)
    require(can_circulate_minutes(current_user, minutes))
    _button_pressed()
    if not minutes.body.strip():
        flash(_("Write the minutes before circulating them."), "error")
        return to_detail(minutes)
    if not apply_or_conflict(lambda: service.circulate(current_user, minutes)):
        return conflict(minutes_id)
    flash(_("The minutes have been circulated to the attending organisations."), "success")
    return to_detail(minutes)


@bp.post("/<id:minutes_id>/return-to-draft")
@login_required
def return_to_draft(minutes_id: int):
    """Take circulated minutes back to draft to correct them; endorsements given so far are withdrawn."""
    minutes = load_visible(minutes_id)
    require(can_return_minutes_to_draft(current_user, minutes))
    _button_pressed()
    if not apply_or_conflict(lambda: service.return_to_draft(current_user, minutes)):
        return conflict(minutes_id)
    flash(_("The minutes are a draft again. Circulate them again when they are ready."), "success")
    return to_detail(minutes)


@bp.post("/<id:minutes_id>/approve")
@login_required
def approve(minutes_id: int):
    """Approve circulated minutes: they are locked, and later changes are revisions."""
    minutes = load_visible(minutes_id)
    require(can_approve_minutes(current_user, minutes))
    _button_pressed()
    if not apply_or_conflict(lambda: service.approve(current_user, minutes)):
        return conflict(minutes_id)
    flash(_("The minutes are approved."), "success")
    return to_detail(minutes)


@bp.post("/<id:minutes_id>/endorse")
@login_required
def endorse(minutes_id: int):
    """Endorse circulated minutes on behalf of the user's organisation (once per organisation)."""
    minutes = load_visible(minutes_id)
    require(can_endorse_minutes(current_user, minutes))
    _button_pressed()
    try:
        service.endorse(current_user, minutes)
        db.session.commit()
    except IntegrityError:
        # Someone else of the same organisation endorsed at the same moment: one endorsement stays.
        db.session.rollback()
    except service.EndorsementClosed:
        db.session.rollback()
        flash(_("These minutes are no longer open for endorsement: they were approved or returned to draft "
                "meanwhile."), "error")
        return to_detail(minutes)
    flash(_("Your organisation has endorsed these minutes."), "success")
    return to_detail(minutes, "endorsements")


@bp.post("/<id:minutes_id>/comments")
@login_required
def comment(minutes_id: int):
    """Add a comment of the user's organisation to circulated minutes."""
    minutes = load_visible(minutes_id)
    require(can_comment_minutes(current_user, minutes))
    form = CommentForm()
    if not form.validate():
        return render_detail(minutes, form)
    key = (form.idempotency_key.data or "")[:64] or None
    create_once(key, partial(service.find_by_idempotency_key, MinutesComment),
                lambda: service.add_comment(current_user, minutes, form.body.data, key))
    flash(_("Comment added."), "success")
    return to_detail(minutes, "comments")
