"""Administration of organisations (site administrators)."""

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from portal.core.forms import EmptyForm, toggled
from portal.core.locking import commit_or_conflict, create_from_form, is_stale, offer_key
from portal.core.permissions import login_required, require
from portal.extensions import db
from portal.organisations import service
from portal.organisations.forms import OrganisationForm
from portal.organisations.models import Organisation
from portal.organisations.permissions import can_manage_organisations

bp = Blueprint("organisations_admin", __name__)


@bp.get("/")
@login_required
def index():
    """List every organisation, active or not, for administration."""
    require(can_manage_organisations(current_user))
    organisations = db.session.scalars(select(Organisation).order_by(Organisation.name)).all()
    return render_template("admin/organisations.html", organisations=organisations, toggle_form=EmptyForm())


@bp.route("/new", methods=["GET", "POST"])
@login_required
def create():
    """Create an organisation."""
    require(can_manage_organisations(current_user))
    form = OrganisationForm()
    offer_key(form)
    if form.validate_on_submit():
        organisation, _created = create_from_form(form, Organisation,
                                                  lambda key: service.create_organisation(current_user, form.data, key))
        flash(_("Organisation created."), "success")
        return redirect(url_for("organisations.detail", slug=organisation.slug), code=303)
    return render_template("admin/organisation_form.html", form=form, organisation=None)


@bp.route("/<id:organisation_id>/edit", methods=["GET", "POST"])
@login_required
def edit(organisation_id: int):
    """Edit an organisation, refusing an edit made on an outdated page."""
    organisation = db.get_or_404(Organisation, organisation_id)
    require(can_manage_organisations(current_user))
    form = OrganisationForm(obj=organisation)
    if not form.is_submitted():
        form.version.data = organisation.version
    elif form.validate():
        if not is_stale(form.version.data, organisation):
            service.update_organisation(current_user, organisation, form.data)
            if commit_or_conflict():
                flash(_("Organisation saved."), "success")
                return redirect(url_for("organisations.detail", slug=organisation.slug), code=303)
        return _conflict(form, organisation)
    return render_template("admin/organisation_form.html", form=form, organisation=organisation)


def _conflict(form: OrganisationForm, organisation: Organisation):
    """Show the user's text again beside the current version, which someone else saved meanwhile."""
    db.session.refresh(organisation)
    flash(_("Someone else saved this organisation while you were editing. Your text is kept below; "
            "compare it with the current version and save again."), "error")
    form.version.data = organisation.version
    page = render_template("admin/organisation_form.html", form=form, organisation=organisation, current=organisation)
    return page, 409


@bp.post("/<id:organisation_id>/active")
@login_required
def toggle_active(organisation_id: int):
    """Disable or re-enable an organisation."""
    organisation = db.get_or_404(Organisation, organisation_id)
    require(can_manage_organisations(current_user))
    if EmptyForm().validate_on_submit():
        if (wanted := toggled(organisation.is_active)) != organisation.is_active:
            service.set_organisation_active(current_user, organisation, wanted)
            db.session.commit()
        flash(_("Organisation enabled.") if organisation.is_active else _("Organisation disabled."), "success")
    return redirect(url_for("organisations_admin.index"), code=303)
