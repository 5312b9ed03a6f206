"""Renegotiated schedules: a commitment's changed target date or indicator target is kept with its reason
and where it was agreed, and the commitment is marked renegotiated (read by the scorecard indexes).

Revision ID: b3c9e0f4a2d1
Revises: 94596f16d18d
Create Date: 2026-12-06 09:40:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'b3c9e0f4a2d1'
down_revision = '94596f16d18d'
branch_labels = None
depends_on = None

SCORECARD = ['visibility', 'is_archived', 'status', 'target_date', 'last_reported_on', 'created_at']


def upgrade():
    op.create_table('commitment_schedule_changes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('commitment_id', sa.Integer(), nullable=False),
    sa.Column('field', sa.String(length=20), nullable=False),
    sa.Column('old_value', sa.String(length=40), nullable=False),
    sa.Column('new_value', sa.String(length=40), nullable=True),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('agreed_at', sa.String(length=10), nullable=False),
    sa.Column('symposium_id', sa.Integer(), nullable=True),
    sa.Column('minutes_id', sa.Integer(), nullable=True),
    sa.Column('author_id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_commitment_schedule_changes_author_id_users')),
    sa.ForeignKeyConstraint(['commitment_id'], ['commitments.id'],
                            name=op.f('fk_commitment_schedule_changes_commitment_id_commitments')),
    sa.ForeignKeyConstraint(['minutes_id'], ['minutes.id'],
                            name=op.f('fk_commitment_schedule_changes_minutes_id_minutes')),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'],
                            name=op.f('fk_commitment_schedule_changes_organisation_id_organisations')),
    sa.ForeignKeyConstraint(['symposium_id'], ['symposia.id'],
                            name=op.f('fk_commitment_schedule_changes_symposium_id_symposia')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_commitment_schedule_changes'))
    )
    op.create_index(op.f('ix_commitment_schedule_changes_commitment_id'), 'commitment_schedule_changes',
                    ['commitment_id'], unique=False)
    with op.batch_alter_table('commitments') as batch:
        batch.add_column(sa.Column('is_renegotiated', sa.Boolean(), server_default=sa.false(), nullable=False))
    _scorecard_indexes(SCORECARD + ['is_renegotiated'])
    if op.get_bind().dialect.name == 'sqlite':
        op.execute('ANALYZE')


def downgrade():
    _scorecard_indexes(SCORECARD)
    with op.batch_alter_table('commitments') as batch:
        batch.drop_column('is_renegotiated')
    op.drop_index(op.f('ix_commitment_schedule_changes_commitment_id'), table_name='commitment_schedule_changes')
    op.drop_table('commitment_schedule_changes')


def _scorecard_indexes(columns):
    """The scorecards count from these indexes alone, so they carry every column the counts read."""
    op.drop_index('ix_commitments_visibility_scorecard', table_name='commitments')
    op.drop_index('ix_commitments_organisation_scorecard', table_name='commitments')
    op.create_index('ix_commitments_visibility_scorecard', 'commitments', columns, unique=False)
    op.create_index('ix_commitments_organisation_scorecard', 'commitments', ['organisation_id'] + columns,
                    unique=False)
