"""The public home page."""

from flask import Blueprint, render_template
from sqlalchemy import func, select

from portal.core.permissions import public
from portal.countries.names import country_name, sort_key
from portal.extensions import db
from portal.organisations.models import Organisation

bp = Blueprint("public", __name__)


@bp.get("/")
@public
def home():
    """Show the portal's home page: who takes part and where to read more."""
    active = Organisation.is_active.is_(True)
    codes = db.session.scalars(select(Organisation.country_iso3).where(active).group_by(Organisation.country_iso3))
    countries = sorted(((code, country_name(code)) for code in codes), key=lambda pair: sort_key(pair[1]))
    organisation_count = db.session.scalar(select(func.count()).select_from(Organisation).where(active))
    return render_template("public/home.html", countries=countries, organisation_count=organisation_count)
