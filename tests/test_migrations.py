"""Migrations: they match the models, and moving up and down keeps every row, on both databases."""

import shutil
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask_migrate import downgrade, upgrade
from sqlalchemy import func, inspect, select, table, text

from portal.accounts.models import FailedLogin, Invitation, PasswordReset, RecoveryCode, SignIn
from portal.api.models import ApiToken
from portal.core import search
from portal.core.audit import record_event
from portal.core.db import utcnow
from portal.demo.loader import load_demo
from portal.extensions import db

# A migration that rebuilds the parent table of users and invitations (SQLite batch mode
# copies, drops and renames it), as a real schema change to organisations would.
PROBE = '''
"""probe: rebuild organisations"""
import sqlalchemy as sa
from alembic import op

revision = "ffffprobe001"
down_revision = "{head}"


def mode():
    # SQLite rebuilds the table (copy, drop, rename); PostgreSQL alters it in place.
    return "always" if op.get_bind().dialect.name == "sqlite" else "auto"


def upgrade():
    with op.batch_alter_table("organisations", recreate=mode()) as batch:
        batch.add_column(sa.Column("probe", sa.String(10), nullable=True))


def downgrade():
    with op.batch_alter_table("organisations", recreate=mode()) as batch:
        batch.drop_column("probe")
'''


def row_counts() -> dict:
    names = [name for name in inspect(db.engine).get_table_names() if name != "alembic_version"]
    counts = {name: db.session.scalar(select(func.count()).select_from(table(name))) for name in names}
    # Outside a request every transaction takes SQLite's write lock; release it for Alembic.
    db.session.rollback()
    return counts


def staying_rows(counts: dict, migration) -> dict:
    """The row counts a step down must keep: a migration may declare, in LEAVING_ON_DOWNGRADE, the rows of
    shared tables that belong to what its downgrade removes ({table: SQL condition}); those are left out."""
    for name, condition in getattr(migration, "LEAVING_ON_DOWNGRADE", {}).items():
        counts[name] -= db.session.scalar(select(func.count()).select_from(table(name)).where(text(condition)))
    db.session.rollback()
    return counts


def add_data(app):
    with app.app_context():
        users = load_demo()
        admin = users[0]
        db.session.add(Invitation(email="x@partner.example", organisation_id=users[1].organisation_id,
                                  role="editor", token_hash="0" * 64, invited_by_id=admin.id,
                                  expires_at=utcnow()))
        db.session.add(FailedLogin(account="a" * 64, address="192.0.2.1"))
        db.session.add(SignIn(user_id=users[1].id, address="192.0.2.1", user_agent="probe"))
        db.session.add(PasswordReset(account="b" * 64, address="192.0.2.1", user_id=users[1].id,
                                     token_hash="1" * 64, expires_at=utcnow()))
        db.session.add(RecoveryCode(user_id=users[1].id, code_hash="scrypt:probe"))
        record_event(admin, "probe", users[1])
        db.session.add(ApiToken(user_id=users[1].id, name="probe", token_hash="1" * 64, hint="pat_1111",
                                expires_on=utcnow().date()))
        db.session.commit()


@pytest.fixture
def migrations_copy(tmp_path):
    target = tmp_path / "migrations"
    shutil.copytree("migrations", target)
    return target


def test_models_match_the_migrations(app):
    with app.app_context(), db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={
            "compare_type": True, "include_object": search.include_object, "include_name": search.include_name})
        differences = compare_metadata(context, db.metadata)
    assert not differences, differences


def test_rebuilding_a_parent_table_keeps_every_child_row(app, migrations_copy):
    script = ScriptDirectory(str(migrations_copy))
    head = script.get_current_head()
    (migrations_copy / "versions" / "ffffprobe001_probe.py").write_text(PROBE.format(head=head))
    add_data(app)
    with app.app_context():
        before = row_counts()
        assert before["users"] >= 10 and before["audit_events"] >= 1
        upgrade(directory=str(migrations_copy))
        assert row_counts() == before
        downgrade(directory=str(migrations_copy), revision=head)
        assert row_counts() == before
        upgrade(directory=str(migrations_copy))
        assert row_counts() == before
        if db.engine.dialect.name == "sqlite":
            assert db.session.execute(db.text("PRAGMA foreign_key_check")).fetchall() == []
            db.session.rollback()
        downgrade(directory=str(migrations_copy), revision=head)


def test_each_revision_steps_down_and_up_keeping_rows(app):
    """Step down from head one revision at a time and back up: tables present on both sides keep every row.

    A revision that creates a table drops it (and its rows) on the way down; every other table must
    come through untouched, whatever the migration rebuilt.
    """
    script = ScriptDirectory("migrations")
    revisions = [rev.revision for rev in script.walk_revisions()]  # head first
    add_data(app)
    with app.app_context():
        survivors = row_counts()
        assert survivors["organisations"] == 9 and survivors["users"] == 10
        for revision in revisions[:-1]:
            before = staying_rows(row_counts(), script.get_revision(revision).module)
            downgrade(directory="migrations", revision=f"{revision}-1")
            after = row_counts()
            assert after == {table_: before[table_] for table_ in after}, f"down from {revision}"
        for revision in reversed(revisions[:-1]):
            before = row_counts()
            upgrade(directory="migrations", revision=revision)
            after = row_counts()
            assert {table_: after[table_] for table_ in before} == before, f"up to {revision}"
        assert row_counts()["users"] == survivors["users"]


def test_foreign_keys_are_enforced_after_migrating(app):
    from sqlalchemy.exc import IntegrityError

    from portal.accounts.models import User

    with app.app_context():
        db.session.add(User(email="orphan@partner.example", organisation_id=999999, role="editor"))
        with pytest.raises(IntegrityError):
            db.session.commit()
        db.session.rollback()


def test_migration_history_is_linear():
    script = ScriptDirectory("migrations")
    assert len(script.get_heads()) == 1
    for path in Path("migrations/versions").glob("*.py"):
        assert "portal." not in path.read_text(), f"{path} imports application code"
