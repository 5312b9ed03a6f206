"""Country pages: the countries taking part and what their institutions do."""

from flask import Blueprint, redirect, render_template, url_for
from sqlalchemy import func, select

from portal.core.permissions import public
from portal.countries.models import Country
from portal.countries.names import country_name, sort_key
from portal.extensions import db
from portal.organisations.models import Organisation, active_organisations

bp = Blueprint("countries", __name__)


@bp.get("/")
@public
def index():
    """List the countries whose institutions take part."""
    counts = db.session.execute(
        select(Organisation.country_iso3, func.count())
        .where(Organisation.is_active.is_(True))
        .group_by(Organisation.country_iso3)
    ).all()
    rows = sorted(((iso3, country_name(iso3), count) for iso3, count in counts), key=lambda row: sort_key(row[1]))
    return render_template("countries/index.html", rows=rows)


@bp.get("/<country:code>")
@public
def detail(code: str):
    """Show a country's page: its institutions taking part."""
    if code != code.upper():
        return redirect(url_for("countries.detail", code=code.upper()), code=301)
    country = db.get_or_404(Country, code)
    organisations = db.session.scalars(
        active_organisations().where(Organisation.country_iso3 == country.iso3)
    ).all()
    return render_template("countries/detail.html", country=country, organisations=organisations)
