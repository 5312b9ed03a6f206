"""Country pages: the countries taking part, what their institutions do, and their context figures."""

from datetime import timedelta

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from portal.commitments.scorecard import tallied_scorecard
from portal.core.clock import local_today
from portal.core.forms import EmptyForm
from portal.core.locking import create_from_form, find_by_key, offer_key, save_unless_stale, sent_key
from portal.core.permissions import login_required, public, require
from portal.countries.models import Country
from portal.countries.names import country_name, sort_key
from portal.extensions import db
from portal.joint_actions.models import ROUTE_ROLE_LABELS
from portal.progress.models import STATUS_LABELS
from portal.public import country_queries as queries
from portal.public import service
from portal.public.forms import ContextFigureForm
from portal.public.progress_tallies import add_completion_series, completion_tallies
from portal.public.models import ContextFigure
from portal.public.permissions import can_edit_context_figure, can_manage_context_figures

bp = Blueprint("countries", __name__)
for rule in (can_manage_context_figures, can_edit_context_figure):
    bp.add_app_template_global(rule)

#: How far back a country's "share completed" goes at most: three years (the scorecard keeps 12 quarters).
PROGRESS_WINDOW = timedelta(days=3 * 365)


@bp.get("/")
@public
def index():
    """List the countries whose institutions take part, with their organisations and visible commitments."""
    rows = sorted(((iso3, country_name(iso3), organisations, commitments)
                   for iso3, organisations, commitments in queries.country_rows(current_user)),
                  key=lambda row: sort_key(row[1]))
    return render_template("public/countries/index.html", rows=rows)


@bp.get("/<country:code>")
@public
def detail(code: str):
    """Show a country's page: its institutions, their commitments and progress, joint actions, symposia, context."""
    if code != code.upper():
        return redirect(url_for("countries.detail", code=code.upper()), code=301)
    country = db.get_or_404(Country, code)
    iso3 = country.iso3
    today = local_today()
    actions, action_counts = queries.actions_by_role(current_user, iso3)
    # Progress over time starts with the first report on the country's commitments, not with empty quarters.
    first = queries.first_report_on(current_user, queries.institutions_of(iso3))
    since = max(first, today - PROGRESS_WINDOW) if first else None
    archived = queries.archived_figures(iso3) if can_manage_context_figures(current_user) else []
    scorecard = tallied_scorecard(current_user, queries.institutions_of(iso3), queries.tallies_of(iso3), today)
    add_completion_series(scorecard, current_user, queries.tallies_of(iso3, completion_tallies), since, today)
    return render_template(
        "public/countries/detail.html", country=country, today=today, listed=queries.LISTED,
        organisations=queries.institutions(iso3), institutions_listed=queries.INSTITUTIONS,
        scorecard=scorecard,
        statuses=STATUS_LABELS, commitments=queries.country_commitments(current_user, iso3),
        actions=actions, action_counts=action_counts, route_roles=ROUTE_ROLE_LABELS,
        partners=sorted(queries.corridor_partners(current_user, iso3), key=lambda row: sort_key(country_name(row[0]))),
        symposia=queries.hosted_symposia(iso3), figures=queries.context_figures(iso3),
        # Only with a form to show: a form makes a session (its CSRF token), which a public reader needs not.
        archived_figures=archived, restore_form=EmptyForm() if archived else None,
        updates=queries.recent_updates(current_user, queries.institutions_of(iso3)),
    )


def _load_figure(code: str, figure_id: int) -> ContextFigure:
    """Load a country's context figure that is not archived, or answer 404."""
    figure = db.one_or_404(select(ContextFigure).where(
        ContextFigure.id == figure_id, ContextFigure.country_iso3 == code.upper(),
        ContextFigure.is_archived.is_(False)))
    return figure


def _figures_anchor(code: str) -> str:
    return url_for("countries.detail", code=code, _anchor="context")


@bp.route("/<country:code>/figures/new", methods=["GET", "POST"])
@login_required
def create_figure(code: str):
    """Add a context figure to a country's page (IOM follow-up staff and site admins)."""
    country = db.get_or_404(Country, code.upper())
    require(can_manage_context_figures(current_user))
    form = ContextFigureForm()
    offer_key(form)
    if form.validate_on_submit():
        # Not a repeat of this very form, but the same figure added by someone else: say so.
        if find_by_key(ContextFigure, sent_key(form)) is None and \
                service.find_same_figure(country.iso3, form.data) is not None:
            flash(_("This figure is already on the page."), "success")
        else:
            create_from_form(form, ContextFigure,
                             lambda key: service.create_figure(current_user, country.iso3, form.data, key))
            flash(_("Context figure added."), "success")
        return redirect(_figures_anchor(country.iso3), code=303)
    return render_template("public/countries/figure_form.html", form=form, country=country, figure=None)


@bp.route("/<country:code>/figures/<id:figure_id>/edit", methods=["GET", "POST"])
@login_required
def edit_figure(code: str, figure_id: int):
    """Edit a context figure, refusing an edit made on an outdated page (the text is kept)."""
    figure = _load_figure(code, figure_id)
    require(can_edit_context_figure(current_user, figure))
    country = db.session.get(Country, figure.country_iso3)
    form = ContextFigureForm(obj=figure)
    if not form.is_submitted():
        form.version.data = figure.version
    elif form.validate():
        if save_unless_stale(form.version.data, figure, lambda: service.update_figure(current_user, figure, form.data)):
            flash(_("Context figure saved."), "success")
            return redirect(_figures_anchor(country.iso3), code=303)
        current = db.session.get(ContextFigure, figure_id)
        if current is None or current.is_archived:
            abort(404)
        form.version.data = current.version
        flash(_("Someone else saved this figure while you were editing. Your text is kept below; "
                "compare it with the current version and save again."), "error")
        return render_template("public/countries/figure_form.html", form=form, country=country, figure=current,
                               current=current), 409
    return render_template("public/countries/figure_form.html", form=form, country=country, figure=figure,
                           archive_form=EmptyForm())


@bp.post("/<country:code>/figures/<id:figure_id>/archive")
@login_required
def archive_figure(code: str, figure_id: int):
    """Archive a context figure: it leaves the page; nothing is deleted."""
    figure = _load_figure(code, figure_id)
    require(can_edit_context_figure(current_user, figure))
    if not EmptyForm().validate_on_submit():
        abort(400)
    service.archive_figure(current_user, figure)
    db.session.commit()
    flash(_("Context figure archived."), "success")
    return redirect(_figures_anchor(figure.country_iso3), code=303)


@bp.post("/<country:code>/figures/<id:figure_id>/restore")
@login_required
def restore_figure(code: str, figure_id: int):
    """Put an archived context figure back on the country's page."""
    figure = db.one_or_404(select(ContextFigure).where(
        ContextFigure.id == figure_id, ContextFigure.country_iso3 == code.upper(), ContextFigure.is_archived.is_(True)))
    require(can_manage_context_figures(current_user))
    if not EmptyForm().validate_on_submit():
        abort(400)
    service.restore_figure(current_user, figure)
    db.session.commit()
    flash(_("Context figure restored."), "success")
    return redirect(_figures_anchor(figure.country_iso3), code=303)
