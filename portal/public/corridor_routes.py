"""The corridor page: what two countries do together in joint actions."""

from flask import abort, redirect, render_template, url_for
from flask_login import current_user

from portal.core.clock import local_today
from portal.core.permissions import public
from portal.countries.models import Country
from portal.extensions import db
from portal.joint_actions.queries import corridor_actions, linked_commitments
from portal.public.routes import bp


@bp.get("/corridors/<country:code>-<country:other_code>")
@public
def corridor(code: str, other_code: str):
    """Show the joint actions involving both countries, each one's role, and their institutions' linked commitments."""
    first, second = sorted((code.upper(), other_code.upper()))
    if first == second:
        abort(404)
    if (code, other_code) != (first, second):
        # One address per pair: upper case, in alphabetical order.
        return redirect(url_for("public.corridor", code=first, other_code=second), code=301)
    countries = [db.get_or_404(Country, first), db.get_or_404(Country, second)]
    actions = corridor_actions(current_user, first, second)
    commitments = linked_commitments(current_user, [action.id for action in actions], countries=[first, second])
    return render_template("public/corridor.html", countries=countries, actions=actions, commitments=commitments,
                           today=local_today())
