"""Creating and editing symposia: facts, participants, delegates, programme; the calendar file."""

from flask import Blueprint, Response, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from portal.core.forms import EmptyForm, options
from portal.core.locking import commit_or_conflict, create_from_form, is_stale, offer_key
from portal.core.permissions import login_required, public, require
from portal.core.translated import marked
from portal.extensions import db
from portal.organisations.models import active_organisations
from portal.symposia import service
from portal.symposia.calendar import symposium_calendar
from portal.symposia.forms import AgendaItemForm, SymposiumForm, delegates_form
from portal.symposia.models import AgendaItem, Symposium
from portal.symposia.permissions import can_create_symposium, can_edit_symposium

bp = Blueprint("symposia", __name__)
for rule in (can_create_symposium, can_edit_symposium):
    bp.add_app_template_global(rule)


def load(slug: str) -> Symposium:
    """Load a symposium by its slug with its participants and programme, or answer 404."""
    return db.one_or_404(select(Symposium).where(Symposium.slug == slug).options(
        selectinload(Symposium.participants), selectinload(Symposium.agenda), selectinload(Symposium.attachments)))


def _fill_choices(form: SymposiumForm, symposium: Symposium | None) -> None:
    organisations = [(org.id, org.display_name) for org in db.session.scalars(active_organisations())]
    form.organisers.choices = options(organisations)
    form.participants.choices = options(organisations)
    others = select(Symposium).order_by(Symposium.start_date.desc())
    if symposium is not None:
        others = others.where(Symposium.id != symposium.id)
    form.previous_id.choices = options([("", "—")] + [(str(s.id), f"{marked(s.title)} ({s.start_date.year})")
                                                      for s in db.session.scalars(others)])


@bp.route("/new", methods=["GET", "POST"])
@login_required
def create():
    """Create a symposium."""
    require(can_create_symposium(current_user))
    form = SymposiumForm()
    _fill_choices(form, None)
    offer_key(form)
    if form.validate_on_submit():
        symposium, _created = create_from_form(form, Symposium,
                                               lambda key: service.create_symposium(current_user, form.data, key))
        flash(_("Symposium created."), "success")
        return redirect(url_for("public.symposium", slug=symposium.slug), code=303)
    return render_template("symposia/form.html", form=form, symposium=None)


@bp.route("/<slug:slug>/edit", methods=["GET", "POST"])
@login_required
def edit(slug: str):
    """Edit a symposium's facts and who organised and attended it, refusing outdated edits."""
    symposium = load(slug)
    require(can_edit_symposium(current_user, symposium))
    form = SymposiumForm(obj=symposium)
    _fill_choices(form, symposium)
    if not form.is_submitted():
        form.version.data = symposium.version
        form.previous_id.data = str(symposium.previous_id or "")
        form.organisers.data = [p.organisation_id for p in symposium.participants if p.is_organiser]
        form.participants.data = [p.organisation_id for p in symposium.participants if not p.is_organiser]
    elif form.validate():
        if not is_stale(form.version.data, symposium):
            service.update_symposium(current_user, symposium, form.data)
            if commit_or_conflict():
                flash(_("Symposium saved."), "success")
                return redirect(url_for("public.symposium", slug=symposium.slug), code=303)
        db.session.rollback()
        current = load(slug)
        form.version.data = current.version
        flash(_("Someone else saved this symposium while you were editing. Your text is kept below; "
                "compare it with the current version and save again."), "error")
        return render_template("symposia/form.html", form=form, symposium=current, current=current), 409
    return render_template("symposia/form.html", form=form, symposium=symposium)


@bp.route("/<slug:slug>/delegates", methods=["GET", "POST"])
@login_required
def delegates(slug: str):
    """Record each participating organisation's delegates, by title or position."""
    symposium = load(slug)
    require(can_edit_symposium(current_user, symposium))
    form = delegates_form(symposium)
    if form.validate_on_submit():
        values = {p.organisation_id: form[f"delegates_{p.organisation_id}"].data for p in symposium.participants}
        service.set_delegates(current_user, symposium, values)
        db.session.commit()
        flash(_("Delegates saved."), "success")
        return redirect(url_for("public.symposium", slug=symposium.slug, _anchor="participants"), code=303)
    return render_template("symposia/delegates.html", form=form, symposium=symposium)


@bp.route("/<slug:slug>/programme", methods=["GET", "POST"])
@login_required
def programme(slug: str):
    """Show the programme for editing and add an item to it."""
    symposium = load(slug)
    require(can_edit_symposium(current_user, symposium))
    form = AgendaItemForm(symposium)
    offer_key(form)
    if form.validate_on_submit():
        create_from_form(form, AgendaItem, lambda key: service.add_agenda_item(current_user, symposium, form.data, key))
        flash(_("Programme item added."), "success")
        return redirect(url_for("symposia.programme", slug=slug), code=303)
    return render_template("symposia/programme.html", form=form, symposium=symposium, remove_form=EmptyForm())


@bp.post("/<slug:slug>/programme/<id:item_id>/remove")
@login_required
def remove_agenda_item(slug: str, item_id: int):
    """Remove an item from the programme."""
    symposium = load(slug)
    require(can_edit_symposium(current_user, symposium))
    item = db.get_or_404(AgendaItem, item_id)
    if item.symposium_id != symposium.id:
        abort(404)
    if not EmptyForm().validate_on_submit():
        abort(400)
    service.remove_agenda_item(current_user, symposium, item)
    db.session.commit()
    flash(_("Programme item removed."), "success")
    return redirect(url_for("symposia.programme", slug=slug), code=303)


@bp.get("/<slug:slug>/calendar.ics")
@public
def calendar(slug: str):
    """Download the symposium's dates as an iCalendar file."""
    symposium = load(slug)
    body = symposium_calendar(symposium, url_for("public.symposium", slug=slug, _external=True))
    response = Response(body, mimetype="text/calendar")
    response.headers["Content-Disposition"] = f'attachment; filename="{symposium.slug}.ics"'
    return response
