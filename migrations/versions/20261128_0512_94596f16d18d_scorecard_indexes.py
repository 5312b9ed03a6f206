"""Indexes for the home and country pages at scale: the scorecards' counts and flags read from an index
alone (all commitments, or a country's organisations'), and the latest progress updates newest first.

Revision ID: 94596f16d18d
Revises: 33fb0bbfa511
Create Date: 2026-11-28 05:12:00

"""
import sqlalchemy as sa  # noqa: F401
from alembic import op


# revision identifiers, used by Alembic.
revision = '94596f16d18d'
down_revision = '33fb0bbfa511'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index('ix_commitments_visibility_scorecard', 'commitments',
                    ['visibility', 'is_archived', 'status', 'target_date', 'last_reported_on', 'created_at'],
                    unique=False)
    # The scorecard index starts with its columns.
    op.drop_index('ix_commitments_visibility_archived_status', table_name='commitments')
    op.create_index('ix_commitments_organisation_scorecard', 'commitments',
                    ['organisation_id', 'visibility', 'is_archived', 'status', 'target_date', 'last_reported_on',
                     'created_at'], unique=False)
    op.create_index('ix_progress_updates_reported', 'progress_updates', ['reported_on', 'id'], unique=False)
    if op.get_bind().dialect.name == 'sqlite':
        op.execute('ANALYZE')


def downgrade():
    op.drop_index('ix_progress_updates_reported', table_name='progress_updates')
    op.drop_index('ix_commitments_organisation_scorecard', table_name='commitments')
    op.create_index('ix_commitments_visibility_archived_status', 'commitments',
                    ['visibility', 'is_archived', 'status'], unique=False)
    op.drop_index('ix_commitments_visibility_scorecard', table_name='commitments')
