"""Public pages of organisations."""

from flask import Blueprint, render_template
from sqlalchemy import select

from portal.core.permissions import public
from portal.countries.names import country_name, sort_key
from portal.extensions import db
from portal.organisations.models import Organisation, active_organisations
from portal.organisations.permissions import can_edit_member, can_manage_organisations, can_manage_people

bp = Blueprint("organisations", __name__)
# Templates use the same rules as the routes, only to show or hide buttons.
for rule in (can_manage_organisations, can_manage_people, can_edit_member):
    bp.add_app_template_global(rule)


@bp.get("/")
@public
def index():
    """List the organisations taking part, grouped by country in the reader's alphabetical order."""
    groups: dict[str, list[Organisation]] = {}
    for organisation in db.session.scalars(active_organisations()):
        groups.setdefault(organisation.country_iso3, []).append(organisation)
    ordered = sorted(groups.items(), key=lambda item: sort_key(country_name(item[0])))
    return render_template("organisations/index.html", groups=ordered)


@bp.get("/<slug:slug>")
@public
def detail(slug: str):
    """Show an organisation's public page."""
    organisation = db.one_or_404(
        select(Organisation).where(Organisation.slug == slug, Organisation.is_active.is_(True))
    )
    return render_template("organisations/detail.html", organisation=organisation)
