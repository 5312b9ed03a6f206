"""The progress updates' summary rows (updates per day, completions per day) stay equal to what the base
tables say after any mix of writes, and the pages' figures read from them are the ones counted from the updates."""

import random
from datetime import date, timedelta

from flask_login import AnonymousUserMixin
from sqlalchemy import and_, distinct, func, or_, select

from portal.accounts.models import User
from portal.commitments import service
from portal.commitments.models import Commitment
from portal.commitments.permissions import visible_commitments_filter
from portal.commitments.scorecard import commitments_scorecard
from portal.extensions import db
from portal.joint_actions import service as actions
from portal.joint_actions.models import JointAction, Party
from portal.joint_actions.permissions import visible_actions_filter
from portal.progress import service as progress
from portal.progress.models import ProgressUpdate
from portal.public.country_queries import institutions_of, tallies_of
from portal.public.progress_tallies import (
    completion_counts,
    completion_tallies,
    progress_tallies_from_base_tables,
    recent_update_count,
    recompute_progress_tallies,
    stored_progress_tallies,
    update_day_tallies,
)
from tests.commitments.support import browser, hidden, portal_today, post
from tests.commitments.test_tallies import _form
from tests.public.test_visibility import facts

STATUSES = ["planned", "in_progress", "completed", "completed", "stalled", "cancelled"]
VISIBILITIES = ["public", "partners", "parties"]


def assert_rows_match(app):
    with app.app_context():
        connection = db.session.connection()
        expected = progress_tallies_from_base_tables(connection)
        assert stored_progress_tallies(connection) == expected
        db.session.rollback()
    return expected


def counted_from_updates(user, since) -> int:
    """The home's count of recent updates as it was counted before the summary rows: each update joined to its subject."""
    on_commitment = and_(ProgressUpdate.commitment_id.is_not(None), visible_commitments_filter(user),
                         Commitment.is_archived.is_(False))
    on_action = and_(ProgressUpdate.party_id.is_not(None), visible_actions_filter(user))
    return db.session.scalar(
        select(func.count(distinct(ProgressUpdate.id))).select_from(ProgressUpdate)
        .outerjoin(Commitment, Commitment.id == ProgressUpdate.commitment_id)
        .outerjoin(Party, Party.id == ProgressUpdate.party_id)
        .outerjoin(JointAction, JointAction.id == Party.action_id)
        .where(ProgressUpdate.reported_on >= since, or_(on_commitment, on_action))) or 0


def _action_data(visibility: str, title: str) -> dict:
    return {"title_es": title, "title_en": title, "visibility": visibility, "themes": []}


def _random_step(rng, step, cast, editors, symposia, ids, action_ids):
    """One random write through the services, as the pages make them."""
    kind = rng.choice(["create", "edit", "archive", "progress", "progress", "progress", "move", "action",
                       "action_visibility", "partner", "party_progress", "party_progress"] if ids else ["create"])
    editor = db.session.get(User, rng.choice(editors).id)
    mine = [cid for cid in ids if db.session.get(Commitment, cid).organisation_id == editor.organisation_id]
    commitment = db.session.get(Commitment, rng.choice(mine)) if mine else None
    led = [aid for aid in action_ids if db.session.get(JointAction, aid).lead_organisation_id == editor.organisation_id]
    action = db.session.get(JointAction, rng.choice(led)) if led else None
    today = date.today()
    if kind == "create" or (commitment is None and kind in ("edit", "archive", "progress", "move")):
        created = service.create_commitment(editor, _form(
            Commitment(title_es=f"Compromiso {step}", visibility=rng.choice(VISIBILITIES),
                       symposium_id=rng.choice(symposia)), []), None)
        db.session.flush()
        ids.append(created.id)
    elif kind == "edit":
        service.update_commitment(editor, commitment, _form(
            commitment, [], visibility=rng.choice(VISIBILITIES), symposium_id=rng.choice(symposia)))
    elif kind == "archive":
        service.set_archived(editor, commitment, not commitment.is_archived)
    elif kind == "progress" and not commitment.is_archived:
        # Back-dated reports too, some on the day of an earlier one: they split or end a completion.
        progress.report_progress(editor, commitment, {
            "reported_on": today - timedelta(days=rng.choice([0, 0, 10, 95, 200, 400, 700])),
            "status": rng.choice(STATUSES), "note": "Paso."})
    elif kind == "move":
        # An UPDATE statement through the session, as bulk corrections make them.
        target = rng.choice([cast["ministry"], cast["mexico"], cast["iom"]]).id
        db.session.execute(db.update(Commitment).where(Commitment.id == commitment.id)
                           .values(organisation_id=target, visibility=rng.choice(VISIBILITIES)))
    elif kind == "action" or action is None:
        action_ids.append(actions.create_action(editor, _action_data(rng.choice(VISIBILITIES), f"Acción {step}")).id)
    elif kind == "action_visibility":
        action.visibility = rng.choice(VISIBILITIES)
        db.session.flush()
    elif kind == "partner":
        taken = {party.organisation_id for party in action.parties if party.response != "declined"}
        others = [user for user in editors if user.organisation_id not in taken]
        if not others:
            return
        partner = db.session.get(User, rng.choice(others).id)
        party = actions.propose_partner(editor, action, {"organisation_id": partner.organisation_id, "role": "partner",
                                                         "deliverable_es": "Su parte."})
        db.session.flush()
        if party.response == "proposed":
            actions.respond(partner, party, rng.random() < 0.7)
    elif kind == "party_progress":
        # The lead's share, or a partner's that accepted.
        party = rng.choice(db.session.scalars(select(Party).where(
            Party.organisation_id == editor.organisation_id, Party.response == "accepted")).all())
        actions.report_party_progress(editor, party, {
            "reported_on": today - timedelta(days=rng.choice([0, 30, 89, 91, 300])),
            "status": rng.choice(STATUSES), "note": "Avance."})


def test_random_writes_keep_the_progress_rows_equal_to_the_base_tables(app, cast, factory):
    rng = random.Random(20261206)
    symposia = [factory.symposium().id for _ in range(2)] + [None]
    editors = [cast["ministry_editor"], cast["mexico_editor"], cast["iom_editor"]]
    ids, action_ids = [], []
    for step in range(150):
        with app.app_context():
            _random_step(rng, step, cast, editors, symposia, ids, action_ids)
            db.session.commit()
        if step % 50 == 49:
            assert_rows_match(app)
    days, completions = assert_rows_match(app)
    assert {key[0] for key in days} == set(VISIBILITIES) and any(key[4] for key in days), "updates on every kind"
    assert any(count < 0 for count in completions.values()), "some completions were followed by other news"
    with app.app_context():
        recompute_progress_tallies(db.session.connection())
        db.session.commit()
    assert assert_rows_match(app) == (days, completions)
    assert_figures_agree(app, [None, *editors, cast["iom_viewer"], cast["site_admin"]], symposia[:2])


def assert_figures_agree(app, readers, symposia):
    """The home's 90-day count and the completion series read from the rows are those counted from the updates."""
    completed = 0
    with app.test_request_context():
        for reader in readers:
            user = db.session.get(User, reader.id) if reader else AnonymousUserMixin()
            for days in (0, 90, 365, 1000):
                since = date.today() - timedelta(days=days)
                assert recent_update_count(user, since) == counted_from_updates(user, since), (reader, days)
            since = date.today() - timedelta(days=3 * 365)
            checks = [(institutions_of(iso3), tallies_of(iso3, completion_tallies)) for iso3 in ("HND", "MEX", "SLV")]
            checks += [(Commitment.symposium_id == symposium, and_(completion_tallies.c.scope == "s",
                                                                  completion_tallies.c.scope_id == symposium))
                       for symposium in symposia]
            for condition, tallied in checks:
                expected = commitments_scorecard(user, condition, since)
                got = completion_counts(user, tallied, [point.ends_on for point in expected.quarters])
                assert got == [point.completed for point in expected.quarters]
                completed += sum(got)
        assert recent_update_count(AnonymousUserMixin(), date.today() - timedelta(days=1000)) > 0
        assert completed > 0, "some series show completed commitments"
        db.session.rollback()


def test_the_home_counts_recent_updates_as_their_commitment_is_seen_now(app, cast, factory):
    today = portal_today(app)
    commitment = factory.commitment(cast["ministry"], visibility="public", author=cast["ministry_editor"])
    for days_ago in (0, 89, 120):
        factory.update(commitment, cast["ministry_editor"], reported_on=today - timedelta(days=days_ago))
    recent = "Progress updates in the last 90 days"
    assert facts(browser(app).text("/"))[recent] == "2"
    client = browser(app, cast["ministry_editor"])
    page = client.text(f"/commitments/{commitment.id}/edit")
    edited = post(client, f"/commitments/{commitment.id}/edit", {
        "title_es": commitment.title_es, "symposium_id": "", "visibility": "partners",
        "version": hidden(page, "version"), "target_date": "", "indicator_unit": ""})
    assert edited.status_code == 303
    assert facts(browser(app).text("/"))[recent] == "0", "the public no longer sees them"
    assert facts(browser(app, cast["mexico_editor"]).text("/"))[recent] == "2", "partners do"
    with app.app_context():
        service.set_archived(db.session.get(User, cast["ministry_editor"].id),
                             db.session.get(Commitment, commitment.id), True)
        db.session.commit()
    assert facts(browser(app, cast["mexico_editor"]).text("/"))[recent] == "0", "archived: nobody counts them"
    assert_rows_match(app)


def test_the_migration_fills_the_rows_from_the_updates_already_there(app, cast, factory):
    from flask_migrate import downgrade, upgrade

    today = portal_today(app)
    for step, visibility in enumerate(VISIBILITIES * 2):
        commitment = factory.commitment(cast["ministry"], visibility=visibility, author=cast["ministry_editor"])
        factory.update(commitment, cast["ministry_editor"], status="completed", reported_on=today - timedelta(days=99))
        if step % 2:
            factory.update(commitment, cast["ministry_editor"], status="stalled", reported_on=today)
    with app.app_context():
        action = actions.create_action(db.session.get(User, cast["mexico_editor"].id),
                                       _action_data("parties", "Acción reservada"))
        progress.report_progress(db.session.get(User, cast["mexico_editor"].id), action.parties[0], {
            "reported_on": today, "status": "in_progress", "note": "Avance."})
        db.session.commit()
    kept = assert_rows_match(app)
    with app.app_context():
        downgrade(directory="migrations", revision="8dbc2ccf0a83-1")
        upgrade(directory="migrations")  # back to the head: the migrations after it too
    assert assert_rows_match(app) == kept and all(kept)


def test_the_command_rebuilds_rows_written_past_the_portal(app, cast, factory):
    commitment = factory.commitment(cast["ministry"], visibility="public", author=cast["ministry_editor"])
    factory.update(commitment, cast["ministry_editor"], status="completed")
    kept = assert_rows_match(app)
    with app.app_context():
        # Rows changed by hand in SQL, as a repair or a bulk load past the session would leave them.
        db.session.execute(update_day_tallies.update().values(count=update_day_tallies.c.count + 5))
        db.session.execute(completion_tallies.delete())
        db.session.commit()
    result = app.test_cli_runner().invoke(args=["recompute-tallies"])
    assert result.exit_code == 0, result.output
    assert "update_day_tallies 1 row(s)" in result.output and "completion_tallies 1 row(s)" in result.output
    assert assert_rows_match(app) == kept
