"""The follow-up scorecard: right figures, public figures from public items only, flat query count."""

from datetime import date, datetime, timedelta, timezone

import pytest
from sqlalchemy import event, insert

from portal.accounts.models import User
from portal.commitments.models import Commitment
from portal.commitments.scorecard import commitments_scorecard
from portal.core.clock import local_today
from portal.extensions import db
from portal.progress.models import ProgressUpdate
from tests.factories import PASSWORD
from tests.helpers import Browser

TODAY = date.today()
START = TODAY - timedelta(days=200)


def add_commitments(app, symposium, organisation, author, count, visibility="public", status="in_progress",
                    target=None, reported=None, completed_on=None):
    """Insert ``count`` commitments in bulk (and one update each when ``reported``)."""
    created = datetime.combine(START, datetime.min.time(), tzinfo=timezone.utc)
    rows = [{"title_es": f"C{n}", "organisation_id": organisation.id, "symposium_id": symposium.id,
             "visibility": visibility, "status": status, "target_date": target, "created_by_id": author.id,
             "last_reported_on": reported or completed_on, "review_state": "none", "is_archived": False,
             "created_at": created, "updated_at": created, "version": 1} for n in range(count)]
    with app.app_context():
        ids = db.session.scalars(insert(Commitment).returning(Commitment.id), rows).all()
        if reported or completed_on:
            db.session.execute(insert(ProgressUpdate), [
                {"commitment_id": i, "reported_on": completed_on or reported, "status": status, "note": "",
                 "author_id": author.id, "organisation_id": organisation.id, "review_state": "pending",
                 "created_at": created} for i in ids])
        db.session.commit()
    return ids


@pytest.fixture
def setting(factory):
    organisation = factory.organisation()
    author = factory.user(organisation)
    symposium = factory.symposium(start_date=START, slug="scored")
    return organisation, author, symposium


def scorecard_for(app, symposium, user_id=None):
    with app.test_request_context():
        from flask_login import AnonymousUserMixin

        user = db.session.get(User, user_id) if user_id else AnonymousUserMixin()
        return commitments_scorecard(user, Commitment.symposium_id == symposium.id, symposium.start_date)


def test_figures_by_status_flags_and_quarters(app, setting):
    organisation, author, symposium = setting
    add_commitments(app, symposium, organisation, author, 3, status="completed",
                    completed_on=START + timedelta(days=20))
    add_commitments(app, symposium, organisation, author, 2, status="in_progress", target=TODAY - timedelta(days=5),
                    reported=TODAY - timedelta(days=10))
    add_commitments(app, symposium, organisation, author, 1, status="stalled")
    add_commitments(app, symposium, organisation, author, 4, status="planned", visibility="partners")
    public = scorecard_for(app, symposium)
    assert public.by_status == {"completed": 3, "in_progress": 2, "stalled": 1}
    assert public.total == 6 and public.overdue == 2
    assert public.unreported == 1  # the stalled one: never reported since the meeting, 200 days ago
    with app.app_context():
        assert public.quarters[-1].ends_on == local_today()
    assert public.quarters[-1].completed == 3 and public.quarters[-1].total == 6
    completed_early = [point for point in public.quarters if point.ends_on >= START + timedelta(days=20)]
    assert all(point.completed == 3 for point in completed_early)
    assert all(point.completed == 0 for point in public.quarters if point.ends_on < START + timedelta(days=20))
    partner = scorecard_for(app, symposium, author.id)
    assert partner.total == 10 and partner.by_status["planned"] == 4


def test_public_page_shows_public_figures_only(app, setting):
    organisation, author, symposium = setting
    add_commitments(app, symposium, organisation, author, 2, status="completed", completed_on=START)
    add_commitments(app, symposium, organisation, author, 5, status="planned", visibility="partners")
    anonymous = Browser(app).text("/symposia/scored", headers={"Accept-Language": "en"})
    assert "Of the 2 commitments made here that you can see:" in anonymous
    partner = Browser(app)
    partner.login(author.email, PASSWORD)
    assert "Of the 7 commitments made here that you can see:" in partner.text("/symposia/scored",
                                                                             headers={"Accept-Language": "en"})


def count_queries(app, client, url):
    statements = []
    with app.app_context():
        engine = db.engine
    listener = lambda *args: statements.append(args[2])  # noqa: E731
    event.listen(engine, "before_cursor_execute", listener)
    try:
        assert client.get(url).status_code == 200
    finally:
        event.remove(engine, "before_cursor_execute", listener)
    return len(statements)


def test_symposium_page_query_count_does_not_grow_with_commitments(app, setting, factory):
    organisation, author, symposium = setting
    previous = factory.symposium(start_date=START - timedelta(days=300), slug="earlier")
    add_commitments(app, symposium, organisation, author, 10, reported=TODAY - timedelta(days=3))
    add_commitments(app, previous, organisation, author, 10)
    from portal.symposia.models import Symposium

    with app.app_context():
        db.session.get(Symposium, symposium.id).previous_id = previous.id
        db.session.commit()
    client = Browser(app)
    client.login(author.email, PASSWORD)
    small = count_queries(app, client.client, "/symposia/scored")
    add_commitments(app, symposium, organisation, author, 490, reported=TODAY - timedelta(days=3))
    add_commitments(app, previous, organisation, author, 490)
    large = count_queries(app, client.client, "/symposia/scored")
    print(f"symposium page: {small} queries with 10 commitments, {large} with 500")
    assert large == small
