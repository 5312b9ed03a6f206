"""Read queries for commitments: the filtered list, counts per status, a page's timeline and history."""

from dataclasses import dataclass
from datetime import datetime, time, timedelta, timezone

from sqlalchemy import and_, func, or_, select

from portal.commitments.models import COMMITMENT_SEARCH, Commitment
from portal.commitments.permissions import visible_commitments_filter
from portal.core.audit import AuditEvent
from portal.core.clock import local_today
from portal.extensions import db
from portal.organisations.models import Organisation
from portal.progress.models import CLOSED_STATUSES, ProgressUpdate, ReviewState

UNREPORTED_DAYS = 90
#: Built per request: "title" sorts by the title in the reader's language (else the other). With no sort
#: chosen, a search lists the best matches first and the plain list the most recently updated.
SORTS = {
    "recent": lambda: (Commitment.updated_at.desc(), Commitment.id.desc()),
    "target": lambda: (Commitment.target_date.is_(None), Commitment.target_date, Commitment.id),
    "title": lambda: (Commitment.title, Commitment.id),
}


@dataclass
class CommitmentFilters:
    q: str | None = None
    country: str | None = None
    organisation: int | None = None
    symposium: int | None = None
    theme: int | None = None
    #: A framework tag's id.
    tag: int | None = None
    status: str | None = None
    flag: str | None = None
    #: One of SORTS, or None: best match first when searching, else "recent".
    sort: str | None = None

    @property
    def by_rank(self) -> bool:
        return bool(self.q) and self.sort not in SORTS


def flag_condition(flag: str, today=None):
    """SQL for a derived follow-up flag: overdue, unreported, a review state, or renegotiated."""
    today = today or local_today()
    open_ = Commitment.status.not_in(CLOSED_STATUSES)
    if flag == "overdue":
        return and_(open_, Commitment.target_date < today)
    if flag == "unreported":
        cutoff = today - timedelta(days=UNREPORTED_DAYS)
        created_cutoff = datetime.combine(cutoff, time.max, tzinfo=timezone.utc)
        never = and_(Commitment.last_reported_on.is_(None), Commitment.created_at <= created_cutoff)
        return and_(open_, or_(never, Commitment.last_reported_on <= cutoff))
    if flag in (ReviewState.QUESTIONED, ReviewState.PENDING, ReviewState.VERIFIED):
        return Commitment.review_state == flag
    if flag == "renegotiated":
        return Commitment.is_renegotiated.is_(True)
    return None


def text_search(q: str):
    """The full-text search of commitments' titles and descriptions, both languages (portal/core/search.py)."""
    return COMMITMENT_SEARCH.search(Commitment.id, q)


def _conditions(user, filters: CommitmentFilters, with_status: bool = True, with_text: bool = True) -> list:
    archived = filters.flag == "archived"
    conditions = [visible_commitments_filter(user), Commitment.is_archived.is_(archived)]
    if filters.q and with_text:
        conditions.append(text_search(filters.q).condition)
    if filters.country:
        conditions.append(Organisation.country_iso3 == filters.country)
    if filters.organisation:
        conditions.append(Commitment.organisation_id == filters.organisation)
    if filters.symposium:
        conditions.append(Commitment.symposium_id == filters.symposium)
    if filters.theme:
        conditions.append(Commitment.themes.any(id=filters.theme))
    if filters.tag:
        conditions.append(Commitment.framework_tags.any(id=filters.tag))
    if filters.flag and (condition := flag_condition(filters.flag)) is not None:
        conditions.append(condition)
    if with_status and filters.status:
        conditions.append(Commitment.status == filters.status)
    return conditions


def matching_commitments(user, filters: CommitmentFilters):
    """The query of the commitments ``user`` may see matching the filters, unordered (list, API, exports)."""
    return select(Commitment).join(Commitment.organisation).where(*_conditions(user, filters))


def commitment_page(user, filters: CommitmentFilters, page: int, per_page: int = 25, total: int | None = None):
    """Return one page of the commitments ``user`` may see, matching the filters.

    ``total``, when the caller already knows it (from :func:`status_counts`), spares a count query.
    """
    if filters.by_rank:
        query = text_search(filters.q).ranked(
            select(Commitment).join(Commitment.organisation).where(*_conditions(user, filters, with_text=False)))
    else:
        query = matching_commitments(user, filters).order_by(*SORTS.get(filters.sort, SORTS["recent"])())
    pagination = db.paginate(query, page=page, per_page=per_page, error_out=False, max_per_page=100,
                             count=total is None)
    if total is not None:
        pagination.total = total
    return pagination


def status_counts(user, filters: CommitmentFilters) -> dict[str, int]:
    """Count the matching commitments per status (the status filter itself left out)."""
    query = select(Commitment.status, func.count()).select_from(Commitment)
    if filters.country:
        # Only the country filter needs the organisation; without it the count reads an index alone.
        query = query.join(Commitment.organisation)
    query = query.where(*_conditions(user, filters, with_status=False)).group_by(Commitment.status)
    return dict(db.session.execute(query).all())


def matching_total(filters: CommitmentFilters, counts: dict[str, int]) -> int:
    """The number of commitments matching every filter, from the per-status counts."""
    return counts.get(filters.status, 0) if filters.status else sum(counts.values())


def timeline(commitment: Commitment) -> list[ProgressUpdate]:
    """Return a commitment's progress updates, newest first, with their reviews and files."""
    return list(db.session.scalars(
        select(ProgressUpdate).where(ProgressUpdate.commitment_id == commitment.id)
        .order_by(ProgressUpdate.reported_on.desc(), ProgressUpdate.id.desc())
    ))


def history(commitment: Commitment) -> list[AuditEvent]:
    """Return the change history of a commitment, newest first."""
    return list(db.session.scalars(
        select(AuditEvent).where(AuditEvent.object_type == Commitment.__tablename__,
                                 AuditEvent.object_id == commitment.id)
        .order_by(AuditEvent.created_at.desc(), AuditEvent.id.desc())
    ))
