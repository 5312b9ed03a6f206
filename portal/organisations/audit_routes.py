"""The audit trail for site administrators: who did what to which record, when, with the changed fields."""

from datetime import datetime, time, timedelta

from flask import Blueprint, render_template, request
from flask_babel import get_timezone
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, select

from portal.accounts.models import User
from portal.core.audit import AuditEvent
from portal.core.forms import options
from portal.core.params import bounded_id, page_number
from portal.core.permissions import login_required, require
from portal.core.text import like_pattern
from portal.extensions import db
from portal.organisations.forms import AuditFilterForm
from portal.organisations.models import Organisation
from portal.organisations.permissions import can_view_audit

bp = Blueprint("audit", __name__)
bp.add_app_template_global(can_view_audit)
PER_PAGE = 50


def _day_start(day) -> datetime:
    """The first instant of ``day`` in the portal's time zone."""
    return datetime.combine(day, time.min).replace(tzinfo=get_timezone())


def audit_query(filters: AuditFilterForm):
    """Audit events matching the filters, newest first."""
    query = select(AuditEvent).order_by(AuditEvent.created_at.desc(), AuditEvent.id.desc())
    if (organisation_id := bounded_id(filters.organisation.data)) is not None:
        query = query.where(AuditEvent.actor_organisation_id == organisation_id)
    if filters.person.data:
        people = select(User.id).where(func.lower(User.email).like(like_pattern(filters.person.data.lower()),
                                                                   escape="\\"))
        query = query.where(AuditEvent.actor_id.in_(people))
    if filters.record_type.data:
        query = query.where(AuditEvent.object_type == filters.record_type.data)
    if filters.since.data:
        query = query.where(AuditEvent.created_at >= _day_start(filters.since.data))
    if filters.until.data:
        query = query.where(AuditEvent.created_at < _day_start(filters.until.data + timedelta(days=1)))
    return query


@bp.get("/")
@login_required
def index():
    """List audit events with filters by organisation, person, record type and dates, 50 a page."""
    require(can_view_audit(current_user))
    filters = AuditFilterForm(request.args)
    organisations = db.session.execute(select(Organisation.id, Organisation.name).order_by(Organisation.name))
    filters.organisation.choices = options([("", _("All"))] + [(str(i), n) for i, n in organisations])
    types = db.session.scalars(select(AuditEvent.object_type).distinct().order_by(AuditEvent.object_type))
    filters.record_type.choices = options([("", _("All"))] + [(t, t) for t in types])
    if not filters.validate():
        query = select(AuditEvent).where(False)
    else:
        query = audit_query(filters)
    page = db.paginate(query, page=page_number(), per_page=PER_PAGE, error_out=False, max_per_page=PER_PAGE)
    return render_template("admin/audit.html", page=page, filters=filters)
