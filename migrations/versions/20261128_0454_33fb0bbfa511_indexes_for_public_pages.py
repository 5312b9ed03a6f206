"""Indexes for the public pages at scale: the commitment list's counts and "recent first" order, and a
commitment's latest update with its status (scorecards), read from the index alone.

Revision ID: 33fb0bbfa511
Revises: 32f6c6a34f0e
Create Date: 2026-11-28 04:54:28

"""
import sqlalchemy as sa  # noqa: F401
from alembic import op


# revision identifiers, used by Alembic.
revision = '33fb0bbfa511'
down_revision = '32f6c6a34f0e'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index('ix_commitments_visibility_archived_status', 'commitments',
                    ['visibility', 'is_archived', 'status'], unique=False)
    op.create_index('ix_commitments_visibility_archived_updated', 'commitments',
                    ['visibility', 'is_archived', 'updated_at'], unique=False)
    # The new index starts with the old one's columns, so the old one goes.
    op.create_index('ix_progress_updates_commitment_latest', 'progress_updates',
                    ['commitment_id', 'reported_on', 'id', 'status'], unique=False)
    op.drop_index('ix_progress_updates_commitment_reported', table_name='progress_updates')
    if op.get_bind().dialect.name == 'sqlite':
        # SQLite plans with statistics only once ANALYZE has gathered them (PostgreSQL's autovacuum does it
        # there); without them it picks the low-selectivity visibility index for joins.
        op.execute('ANALYZE')


def downgrade():
    op.create_index('ix_progress_updates_commitment_reported', 'progress_updates',
                    ['commitment_id', 'reported_on'], unique=False)
    op.drop_index('ix_progress_updates_commitment_latest', table_name='progress_updates')
    op.drop_index('ix_commitments_visibility_archived_updated', table_name='commitments')
    op.drop_index('ix_commitments_visibility_archived_status', table_name='commitments')
