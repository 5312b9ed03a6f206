"""Progress on a commitment: report an update with evidence, verify or question it, download evidence."""

import logging

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.exceptions import RequestEntityTooLarge

from portal.commitments.blueprint import bp
from portal.commitments.permissions import can_report_progress, can_review_update
from portal.commitments.routes import load_visible
from portal.core.errors import render_error
from portal.core.locking import create_from_form, offer_key
from portal.core.permissions import login_required, public, require, require_visible
from portal.core.uploads import send_attachment
from portal.extensions import db
from portal.progress import service as progress
from portal.progress.forms import ReviewForm
from portal.progress.models import ProgressUpdate, UpdateReview
from portal.progress.submission import new_progress_form, save_progress_and_commit, too_large_progress_form

log = logging.getLogger("portal.commitments")


def load_update(commitment_id: int, update_id: int) -> ProgressUpdate:
    """Load an update of a commitment the current user may see, or answer 404."""
    commitment = load_visible(commitment_id)
    update = db.get_or_404(ProgressUpdate, update_id)
    require_visible(update.commitment_id == commitment.id)
    return update


@bp.route("/<id:commitment_id>/updates/new", methods=["GET", "POST"])
@login_required
def report(commitment_id: int):
    """Report progress on a commitment, with evidence as a file or a link."""
    commitment = load_visible(commitment_id)
    require(can_report_progress(current_user, commitment))
    form = new_progress_form(commitment.status)
    if form.is_submitted() and form.validate():
        outcome = save_progress_and_commit(form, lambda attachment, key: progress.report_progress(
            current_user, commitment, form.data, attachment, key))
        if outcome != "refused":
            # A repeat of the same form gets the first submission's answer.
            if outcome == "saved":
                flash(_("Progress reported."), "success")
            return redirect(url_for("commitments.detail", commitment_id=commitment.id, _anchor="progress"), code=303)
    return _report_page(commitment, form)


@bp.errorhandler(RequestEntityTooLarge)
def report_too_large(error):
    """Answer an oversized upload with the progress form again and the reason, so it can be retried."""
    if request.endpoint != "commitments.report" or not current_user.is_authenticated:
        return render_error(413)
    commitment = load_visible(request.view_args["commitment_id"])
    require(can_report_progress(current_user, commitment))
    return _report_page(commitment, too_large_progress_form(commitment.status)), 413


def _report_page(commitment, form) -> str:
    """Render the progress form of a commitment."""
    return render_template("commitments/report.html", form=form, back_title=commitment.title,
                           back_url=url_for("commitments.detail", commitment_id=commitment.id),
                           skip=() if commitment.indicator_target is not None else ("indicator_value",))


@bp.route("/<id:commitment_id>/updates/<id:update_id>/review", methods=["GET", "POST"])
@login_required
def review(commitment_id: int, update_id: int):
    """Verify or question a progress update (IOM follow-up staff)."""
    update = load_update(commitment_id, update_id)
    require(can_review_update(current_user, update))
    form = ReviewForm()
    offer_key(form)
    if form.validate_on_submit():
        create_from_form(form, UpdateReview, lambda key: progress.review_update(
            current_user, update, form.verdict.data, form.comment.data, key))
        flash(_("Your review has been recorded."), "success")
        return redirect(url_for("commitments.detail", commitment_id=commitment_id, _anchor=f"update-{update.id}"),
                        code=303)
    return render_template("commitments/review.html", form=form, update=update, back_title=update.commitment.title,
                           back_url=url_for("commitments.detail", commitment_id=commitment_id))


@bp.get("/<id:commitment_id>/updates/<id:update_id>/evidence")
@public
def evidence(commitment_id: int, update_id: int):
    """Download an update's evidence file, for those who may see the commitment."""
    update = load_update(commitment_id, update_id)
    require_visible(update.attachment is not None)
    return send_attachment(update.attachment)
