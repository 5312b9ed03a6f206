"""Commitments: the public list and page, and logging, editing and archiving them."""

from uuid import uuid4

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal.commitments import queries, service
from portal.commitments.blueprint import bp
from portal.commitments.choices import fill_commitment_choices, fill_filter_choices, read_filters
from portal.commitments.forms import CommitmentEditForm, CommitmentFilterForm, CommitmentForm
from portal.commitments.models import Commitment
from portal.commitments.permissions import can_create_commitment, can_edit_commitment, can_view_commitment
from portal.commitments.renegotiation import agreement_choices, original_value, schedule_changes
from portal.core.clock import local_today
from portal.core.forms import EmptyForm, options, toggled
from portal.core.locking import create_once, save_unless_stale
from portal.core.permissions import login_required, public, require, require_visible
from portal.core.params import page_number
from portal.extensions import db
from portal.progress.models import STATUS_LABELS


def load_visible(commitment_id: int) -> Commitment:
    """Load a commitment the current user may see, or answer 404."""
    commitment = db.get_or_404(Commitment, commitment_id)
    require_visible(can_view_commitment(current_user, commitment))
    return commitment


@bp.get("/")
@public
def index():
    """List the commitments the reader may see, filtered from the URL."""
    form = CommitmentFilterForm(request.args)
    fill_filter_choices(form)
    filters = read_filters(form)
    counts = queries.status_counts(current_user, filters)
    pagination = queries.commitment_page(current_user, filters, page=page_number(),
                                         total=queries.matching_total(filters, counts))
    return render_template("commitments/index.html", form=form, page=pagination, counts=counts,
                           statuses=STATUS_LABELS, today=local_today(), args=request.args)


@bp.get("/<id:commitment_id>")
@public
def detail(commitment_id: int):
    """Show a commitment: status, indicator, progress timeline and change history."""
    commitment = load_visible(commitment_id)
    return render_template("commitments/detail.html", commitment=commitment, today=local_today(),
                           schedule_changes=commitment.schedule_changes if commitment.is_renegotiated else [],
                           original_target_date=original_value(commitment, "target_date")
                           if commitment.is_renegotiated else None,
                           updates=queries.timeline(commitment), history=queries.history(commitment),
                           # A form makes a session (its CSRF token): only for those who may archive.
                           archive_form=EmptyForm() if can_edit_commitment(current_user, commitment) else None,
                           unreported_days=queries.UNREPORTED_DAYS)


@bp.route("/new", methods=["GET", "POST"])
@login_required
def create():
    """Log a commitment of the user's organisation."""
    require(can_create_commitment(current_user))
    form = CommitmentForm()
    fill_commitment_choices(form)
    if not form.is_submitted():
        form.idempotency_key.data = uuid4().hex
    elif form.validate():
        key = (form.idempotency_key.data or "")[:64]
        commitment, created = create_once(key, service.find_by_idempotency_key,
                                          lambda: service.create_commitment(current_user, form.data, key))
        if created:
            flash(_("Commitment logged."), "success")
        return redirect(url_for("commitments.detail", commitment_id=commitment.id), code=303)
    return render_template("commitments/form.html", form=form, commitment=None)


@bp.route("/<id:commitment_id>/edit", methods=["GET", "POST"])
@login_required
def edit(commitment_id: int):
    """Edit a commitment, refusing an edit made on an outdated page (the text is kept)."""
    commitment = load_visible(commitment_id)
    require(can_edit_commitment(current_user, commitment))
    form = CommitmentEditForm(obj=commitment)
    fill_commitment_choices(form, commitment)
    form.agreed_at.choices = options(agreement_choices(current_user))
    form.renegotiated = schedule_changes(commitment, form.data) if form.is_submitted() else {}
    if not form.is_submitted():
        form.version.data = commitment.version
        form.themes.data = [theme.id for theme in commitment.themes]
        form.framework_tags.data = [tag.id for tag in commitment.framework_tags]
        form.symposium_id.data = str(commitment.symposium_id or "")
    elif form.validate():
        if save_unless_stale(form.version.data, commitment,
                             lambda: service.update_commitment(current_user, commitment, form.data)):
            flash(_("Commitment saved."), "success")
            return redirect(url_for("commitments.detail", commitment_id=commitment.id), code=303)
        current = db.session.get(Commitment, commitment_id)
        form.version.data = current.version
        flash(_("Someone else saved this commitment while you were editing. Your text is kept below; "
                "compare it with the current version and save again."), "error")
        return render_template("commitments/form.html", form=form, commitment=current, current=current), 409
    return render_template("commitments/form.html", form=form, commitment=commitment)


@bp.post("/<id:commitment_id>/archive")
@login_required
def archive(commitment_id: int):
    """Archive a commitment, or restore an archived one; nothing is deleted."""
    commitment = load_visible(commitment_id)
    require(can_edit_commitment(current_user, commitment))
    if not EmptyForm().validate_on_submit():
        abort(400)
    if (wanted := toggled(commitment.is_archived)) != commitment.is_archived:
        service.set_archived(current_user, commitment, wanted)
        db.session.commit()
    flash(_("Commitment archived.") if commitment.is_archived else _("Commitment restored."), "success")
    return redirect(url_for("commitments.detail", commitment_id=commitment.id), code=303)

