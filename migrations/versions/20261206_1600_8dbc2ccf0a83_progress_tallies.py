"""Progress tallies: progress updates per day by the visibility of their subject (with the archived flag
of a commitment, the owner of a "parties" commitment, the "parties" joint action), and the change per day
of the number of completed commitments per organisation and per symposium; filled from the base tables
(the portal keeps them in step from then on).

Revision ID: 8dbc2ccf0a83
Revises: a3f8d1c6e2b7
Create Date: 2026-12-06 16:00:00

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '8dbc2ccf0a83'
down_revision = 'a3f8d1c6e2b7'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('update_day_tallies',
    sa.Column('visibility', sa.String(length=10), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('is_archived', sa.Boolean(), nullable=False),
    sa.Column('owner_id', sa.Integer(), nullable=False),
    sa.Column('action_id', sa.Integer(), nullable=False),
    sa.Column('count', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('visibility', 'day', 'is_archived', 'owner_id', 'action_id',
                            name=op.f('pk_update_day_tallies'))
    )
    op.create_table('completion_tallies',
    sa.Column('scope', sa.String(length=1), nullable=False),
    sa.Column('scope_id', sa.Integer(), nullable=False),
    sa.Column('visibility', sa.String(length=10), nullable=False),
    sa.Column('is_archived', sa.Boolean(), nullable=False),
    sa.Column('owner_id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('count', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('scope', 'scope_id', 'visibility', 'is_archived', 'owner_id', 'day',
                            name=op.f('pk_completion_tallies'))
    )
    # The same rows as recompute_progress_tallies in the public module.
    false = "false" if op.get_bind().dialect.name == "postgresql" else "0"
    op.execute(sa.text(
        "INSERT INTO update_day_tallies (visibility, day, is_archived, owner_id, action_id, count)"
        " SELECT visibility, day, is_archived, owner_id, action_id, COUNT(*) FROM ("
        " SELECT c.visibility, u.reported_on AS day, c.is_archived,"
        " CASE WHEN c.visibility = 'parties' THEN c.organisation_id ELSE 0 END AS owner_id, 0 AS action_id"
        " FROM progress_updates u JOIN commitments c ON c.id = u.commitment_id"
        f" UNION ALL SELECT a.visibility, u.reported_on, {false}, 0,"
        " CASE WHEN a.visibility = 'parties' THEN a.id ELSE 0 END"
        " FROM progress_updates u JOIN joint_action_parties p ON p.id = u.party_id"
        " JOIN joint_actions a ON a.id = p.action_id) AS rows"
        " GROUP BY visibility, day, is_archived, owner_id, action_id"))
    # +1 the day a "completed" update becomes a commitment's latest, -1 the day the next one replaces it.
    updates = ("(SELECT commitment_id, reported_on, status, LEAD(reported_on) OVER"
               " (PARTITION BY commitment_id ORDER BY reported_on, id) AS next_on"
               " FROM progress_updates WHERE commitment_id IS NOT NULL)")
    owner = "CASE WHEN c.visibility = 'parties' THEN c.organisation_id ELSE 0 END"
    completed = "u.status = 'completed' AND (u.next_on IS NULL OR u.next_on > u.reported_on)"
    parts = []
    for scope, scope_id, where in (("o", "c.organisation_id", "1 = 1"), ("s", "c.symposium_id", "c.symposium_id IS NOT NULL")):
        for day, delta, when in (("u.reported_on", 1, "1 = 1"), ("u.next_on", -1, "u.next_on IS NOT NULL")):
            parts.append(f"SELECT '{scope}' AS scope, {scope_id} AS scope_id, c.visibility, c.is_archived,"
                         f" {owner} AS owner_id, {day} AS day, {delta} AS delta"
                         f" FROM {updates} u JOIN commitments c ON c.id = u.commitment_id"
                         f" WHERE {completed} AND {where} AND {when}")
    op.execute(sa.text(
        "INSERT INTO completion_tallies (scope, scope_id, visibility, is_archived, owner_id, day, count)"
        " SELECT scope, scope_id, visibility, is_archived, owner_id, day, SUM(delta) FROM ("
        + " UNION ALL ".join(parts) + ") AS rows"
        " GROUP BY scope, scope_id, visibility, is_archived, owner_id, day HAVING SUM(delta) <> 0"))
    # Cached pages were rendered from the base tables; they show the same figures, but start afresh.
    op.execute(sa.text("UPDATE cache_generation SET value = value + 1"))


def downgrade():
    op.drop_table('completion_tallies')
    op.drop_table('update_day_tallies')
