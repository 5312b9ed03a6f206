"""The commitments' summary rows stay equal to what the base tables say after any mix of writes."""

import random
from datetime import date, timedelta

from sqlalchemy import select

from portal.accounts.models import User
from portal.commitments import service
from portal.commitments.models import Commitment
from portal.commitments.tallies import recompute_tallies, stored_tallies, tallies_from_base_tables
from portal.extensions import db
from portal.frameworks.models import FrameworkTag
from portal.progress import service as progress
from tests.commitments.support import browser, hidden, post

STATUSES = ["planned", "in_progress", "completed", "stalled", "cancelled"]
VISIBILITIES = ["public", "partners", "parties"]


def assert_tallies_match(app):
    with app.app_context():
        connection = db.session.connection()
        expected = tallies_from_base_tables(connection)
        assert stored_tallies(connection) == expected
        db.session.rollback()
    return expected


def _form(commitment, tags, **changes) -> dict:
    data = {"title_es": commitment.title_es, "title_en": commitment.title_en, "symposium_id": commitment.symposium_id,
            "target_date": commitment.target_date, "visibility": commitment.visibility, "themes": [],
            "framework_tags": [tag.id for tag in commitment.framework_tags], "indicator_unit": None,
            "indicator_baseline": None, "indicator_target": None, "change_reason": "Agreed again.",
            "agreed_at": "partners"}
    data.update(changes)
    return data


def test_random_writes_keep_every_tally_equal_to_the_base_tables(app, cast, factory):
    rng = random.Random(20261206)
    symposia = [factory.symposium().id for _ in range(2)] + [None]
    editors = [cast["owner_editor"], cast["other_editor"], cast["iom_editor"]]
    with app.app_context():
        tags = [tag.id for tag in db.session.scalars(select(FrameworkTag).where(FrameworkTag.is_active.is_(True))
                                                     .order_by(FrameworkTag.id).limit(6))]
        db.session.rollback()
    ids = []
    for step in range(120):
        action = rng.choice(["create", "create", "edit", "archive", "progress", "progress", "tags", "reschedule",
                             "move"] if ids else ["create"])
        with app.app_context():
            editor = db.session.get(User, rng.choice(editors).id)
            mine = [cid for cid in ids if db.session.get(Commitment, cid).organisation_id == editor.organisation_id]
            commitment = db.session.get(Commitment, rng.choice(mine)) if mine else None
            if action == "create" or commitment is None:
                created = service.create_commitment(editor, _form(
                    Commitment(title_es=f"Compromiso {step}", visibility=rng.choice(VISIBILITIES),
                               symposium_id=rng.choice(symposia),
                               target_date=date.today() + timedelta(days=rng.randint(-400, 400))),
                    [], framework_tags=rng.sample(tags, rng.randint(0, 2))), None)
                db.session.flush()
                ids.append(created.id)
            elif action == "edit":
                service.update_commitment(editor, commitment, _form(
                    commitment, tags, visibility=rng.choice(VISIBILITIES), symposium_id=rng.choice(symposia)))
            elif action == "archive":
                service.set_archived(editor, commitment, not commitment.is_archived)
            elif action == "progress" and not commitment.is_archived:
                progress.report_progress(editor, commitment, {
                    "reported_on": date.today() - timedelta(days=rng.randint(0, 200)),
                    "status": rng.choice(STATUSES), "note": "Step."})
            elif action == "tags":
                service.update_commitment(editor, commitment, _form(
                    commitment, tags, framework_tags=rng.sample(tags, rng.randint(0, 3))))
            elif action == "reschedule" and commitment.target_date is not None:
                service.update_commitment(editor, commitment, _form(
                    commitment, tags, target_date=commitment.target_date + timedelta(days=30)))
            elif action == "move":
                # An UPDATE statement through the session, as bulk corrections make them.
                factory_target = rng.choice([cast["owner"], cast["other"], cast["iom"]]).id
                db.session.execute(db.update(Commitment).where(Commitment.id == commitment.id)
                                   .values(organisation_id=factory_target, status=rng.choice(STATUSES)))
            db.session.commit()
        if step % 30 == 29:
            assert_tallies_match(app)
    counts, tag_counts = assert_tallies_match(app)
    assert sum(count for key, count in counts.items() if key[0] == "a") == len(ids)
    assert len({key[4] for key in counts}) >= 3 and {key[0] for key in counts} == {"a", "o", "s"}
    assert tag_counts, "some commitments carry tags"
    assert_scorecards_agree(app, [None, cast["other_editor"], cast["site_admin"]], tags, symposia[:2])


def countries_from_commitments(user):
    """The countries index's figures counted from the commitments themselves."""
    from sqlalchemy import and_, distinct, func

    from portal.commitments.permissions import visible_commitments_filter
    from portal.organisations.models import Organisation

    visible = and_(Commitment.organisation_id == Organisation.id, visible_commitments_filter(user),
                   Commitment.is_archived.is_(False))
    return [tuple(row) for row in db.session.execute(
        select(Organisation.country_iso3, func.count(distinct(Organisation.id)), func.count(distinct(Commitment.id)))
        .select_from(Organisation).outerjoin(Commitment, visible)
        .where(Organisation.is_active.is_(True)).group_by(Organisation.country_iso3))]


def assert_scorecards_agree(app, readers, tags=(), symposia=()):
    """The scorecards read from the tallies are those counted from the commitments, for every kind of reader."""
    from flask_login import AnonymousUserMixin
    from sqlalchemy import true

    from portal.commitments.scorecard import commitments_scorecard, tallied_scorecard
    from portal.commitments.tallies import commitment_tag_tallies, commitment_tallies
    from sqlalchemy import and_

    from portal.public.country_queries import country_rows, institutions_of, tallies_of

    with app.test_request_context():
        for reader in readers:
            user = db.session.get(User, reader.id) if reader else AnonymousUserMixin()
            guatemala = tallies_of("GTM")
            checks = [(true(), commitment_tallies.c.scope == "a", commitment_tallies), (institutions_of("GTM"), guatemala, commitment_tallies)]
            checks += [(Commitment.framework_tags.any(id=tag), commitment_tag_tallies.c.tag_id == tag,
                        commitment_tag_tallies) for tag in tags]
            checks += [(Commitment.symposium_id == symposium, and_(commitment_tallies.c.scope == "s",
                                                                  commitment_tallies.c.scope_id == symposium),
                        commitment_tallies) for symposium in symposia]
            since = date.today() - timedelta(days=365)
            for condition, tallied, table in checks:
                expected = commitments_scorecard(user, condition, since)
                got = tallied_scorecard(user, condition, tallied, tallies=table, since=since)
                assert (got.by_status, got.overdue, got.unreported, got.renegotiated, got.quarters) == (
                    expected.by_status, expected.overdue, expected.unreported, expected.renegotiated,
                    expected.quarters)
            assert expected.total or reader is None
            assert sorted(country_rows(user)) == sorted(countries_from_commitments(user))
        db.session.rollback()


def test_the_edit_and_progress_forms_keep_the_tallies_in_step(app, cast, factory):
    commitment = factory.commitment(cast["owner"], visibility="public", author=cast["owner_editor"])
    client = browser(app, cast["owner_editor"])
    page = client.text(f"/commitments/{commitment.id}/edit")
    edited = post(client, f"/commitments/{commitment.id}/edit", {
        "title_es": commitment.title_es, "symposium_id": "", "visibility": "partners",
        "version": hidden(page, "version"), "target_date": "", "indicator_unit": ""})
    assert edited.status_code == 303
    counts, _tags = assert_tallies_match(app)
    assert {key[2] for key in counts} == {"partners"}
    form = client.text(f"/commitments/{commitment.id}/updates/new")
    reported = post(client, f"/commitments/{commitment.id}/updates/new", {
        "reported_on": date.today().isoformat(), "status": "stalled", "note": "Waiting for the budget.",
        "idempotency_key": hidden(form, "idempotency_key")})
    assert reported.status_code == 303
    counts, _tags = assert_tallies_match(app)
    assert {key[4] for key in counts} == {"stalled"}


def test_recomputing_gives_what_was_kept(app, cast, factory):
    for visibility in VISIBILITIES:
        factory.commitment(cast["owner"], visibility=visibility, author=cast["owner_editor"])
    kept = assert_tallies_match(app)
    with app.app_context():
        recompute_tallies(db.session.connection())
        db.session.commit()
    assert assert_tallies_match(app) == kept


def test_the_migration_fills_the_tallies_from_the_rows_already_there(app, cast, factory):
    from flask_migrate import downgrade, upgrade

    for step, visibility in enumerate(VISIBILITIES * 2):
        commitment = factory.commitment(cast["owner"], visibility=visibility, author=cast["owner_editor"])
        if step % 2:
            factory.update(commitment, cast["owner_editor"], status="stalled")
    with app.app_context():
        tag = db.session.scalar(select(FrameworkTag.id).limit(1))
        db.session.execute(db.insert(db.metadata.tables["commitment_framework_tags"]),
                           [{"commitment_id": commitment.id, "tag_id": tag}])
        db.session.commit()
    kept = assert_tallies_match(app)
    with app.app_context():
        downgrade(directory="migrations", revision="0eea543e53fe-1")
        upgrade(directory="migrations", revision="0eea543e53fe")
        # Back to head: on PostgreSQL the tests that follow share this database.
        upgrade(directory="migrations")
    assert assert_tallies_match(app) == kept and kept[1]
