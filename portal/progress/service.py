"""Progress operations on any subject of an update: they flush and write the audit trail; the route commits once."""

from sqlalchemy import case, or_, select
from sqlalchemy import update as sql_update

from portal.core.audit import record_event
from portal.extensions import db
from portal.progress.models import SUBJECT_COLUMNS, ProgressUpdate, ReviewState, UpdateReview


def _new_update(actor, subject, data: dict, attachment=None, idempotency_key: str | None = None) -> ProgressUpdate:
    update = ProgressUpdate(
        reported_on=data["reported_on"],
        status=data["status"],
        note=data.get("note") or "",
        indicator_value=data.get("indicator_value"),
        evidence_url=data.get("evidence_url") or None,
        attachment_id=attachment.id if attachment else None,
        author_id=actor.id,
        organisation_id=actor.organisation_id,
        review_state=ReviewState.PENDING,
        idempotency_key=idempotency_key or None,
    )
    setattr(update, SUBJECT_COLUMNS[subject.__tablename__], subject.id)
    db.session.add(update)
    return update


def _derived_values(model, update: ProgressUpdate) -> dict:
    """The subject columns that follow an update: status, latest report date, review state (and value reached)."""
    values = {
        "status": update.status,
        "review_state": ReviewState.PENDING,
        "last_reported_on": case(
            (or_(model.last_reported_on.is_(None), model.last_reported_on <= update.reported_on),
             update.reported_on),
            else_=model.last_reported_on),
    }
    if update.indicator_value is not None and "indicator_achieved" in model.__table__.c:
        # Only subjects with an indicator (commitments) keep the value reached.
        values["indicator_achieved"] = update.indicator_value
    return values


def _follow(subject, update: ProgressUpdate) -> None:
    """Bring the subject's status, latest report date and review state (and value reached) up to the update."""
    _update_derived(subject, _derived_values(type(subject), update))


def _follow_many(pending: list[tuple]) -> None:
    """As :func:`_follow` for many (subject, update) pairs: one UPDATE per kind of subject and same values,
    run as plain SQL on the session's connection, the written columns expired on each subject."""
    groups: dict[tuple, list] = {}
    for subject, update in pending:
        key = (type(subject), update.status, update.reported_on, update.indicator_value)
        groups.setdefault(key, []).append((subject, update))
    for (model, *_same), members in groups.items():
        values = _derived_values(model, members[0][1])
        ids = [subject.id for subject, _update in members]
        for start in range(0, len(ids), 500):
            db.session.connection().execute(
                sql_update(model).where(model.id.in_(ids[start:start + 500])).values(**values))
        for subject, _update in members:
            db.session.expire(subject, list(values))


def report_progress(actor, subject, data: dict, attachment=None,
                    idempotency_key: str | None = None) -> ProgressUpdate:
    """Append a progress update on a subject (a commitment or a joint-action party) and bring its status up to date.

    The subject's status, latest report date and review state follow the update; a commitment's
    achieved indicator value too. The audit event is recorded on the subject.
    """
    update = _new_update(actor, subject, data, attachment, idempotency_key)
    old_status = subject.status
    _follow(subject, update)
    db.session.flush()
    record_event(actor, "report_progress", subject, {"status": [old_status, subject.status], "update": update.id})
    return update


def report_progress_many(actor, reports: list[tuple]) -> list[ProgressUpdate]:
    """Append several progress updates, each as :func:`report_progress` would, with one flush for all (an
    import of thousands of rows: a flush per update made it take minutes). ``reports``: (subject, data) pairs."""
    pending = [(subject, _new_update(actor, subject, data), subject.status) for subject, data in reports]
    _follow_many([(subject, update) for subject, update, _old in pending])
    db.session.flush()
    for subject, update, old_status in pending:
        record_event(actor, "report_progress", subject, {"status": [old_status, update.status], "update": update.id})
    return [update for _subject, update, _old in pending]


def _update_derived(subject, values: dict) -> None:
    """Write the columns that follow from progress updates with one UPDATE statement.

    They are not edited through the subject's form, so they stay outside its optimistic lock:
    two reports at once both land (the database orders them), and an editor's open form does
    not become outdated because a colleague reported progress.
    """
    model = type(subject)
    db.session.execute(sql_update(model).where(model.id == subject.id).values(**values),
                       execution_options={"synchronize_session": "fetch"})


def review_update(actor, update: ProgressUpdate, verdict: str, comment: str,
                  idempotency_key: str | None = None) -> UpdateReview:
    """Verify or question an update; its subject shows the verdict on its latest update."""
    review = UpdateReview(update_id=update.id, verdict=ReviewState(verdict), comment=comment or "",
                          reviewer_id=actor.id, reviewer_organisation_id=actor.organisation_id,
                          idempotency_key=idempotency_key)
    db.session.add(review)
    update.review_state = ReviewState(verdict)
    subject = update.subject
    column = getattr(ProgressUpdate, SUBJECT_COLUMNS[subject.__tablename__])
    latest = db.session.scalar(
        select(ProgressUpdate.id).where(column == subject.id)
        .order_by(ProgressUpdate.reported_on.desc(), ProgressUpdate.id.desc()).limit(1)
    )
    if latest == update.id:
        _update_derived(subject, {"review_state": ReviewState(verdict)})
    db.session.flush()
    record_event(actor, f"review_{verdict}", subject, {"update": update.id})
    return review
