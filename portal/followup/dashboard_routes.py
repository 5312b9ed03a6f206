"""My organisation's dashboard: what is due, late or waiting for us."""

from flask import render_template
from flask_login import current_user
from sqlalchemy import func, select

from portal.commitments.permissions import open_proposals
from portal.commitments.queries import UNREPORTED_DAYS
from portal.core.clock import local_today
from portal.core.permissions import login_required
from portal.extensions import db
from portal.followup.agenda import DUE_SOON_DAYS, agenda_for
from portal.followup.blueprint import bp


@bp.get("/dashboard")
@login_required
def dashboard():
    """Show what waits for the user's organisation, with a direct link to act on each item."""
    if current_user.organisation_id is None:
        # A site administrator belongs to no organisation: nothing is waiting for them here.
        return render_template("followup/dashboard_no_organisation.html")
    agenda = agenda_for(current_user.organisation_id, local_today())
    proposals = db.session.scalar(select(func.count()).select_from(open_proposals(current_user).subquery()))
    return render_template("followup/dashboard.html", agenda=agenda, today=agenda.today, proposals=proposals,
                           due_soon_days=DUE_SOON_DAYS, unreported_days=UNREPORTED_DAYS, organisation=current_user.organisation)
