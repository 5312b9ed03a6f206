"""Idempotency keys for every create form: symposia, their programme items, organisations, context figures,
joint-action milestones and reviews of progress updates, each unique so that a form sent twice at once makes one row on both databases.

Revision ID: 31691143da52
Revises: f05ea94b522d
Create Date: 2026-12-06 09:31:29.265350

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '31691143da52'
down_revision = 'f05ea94b522d'
branch_labels = None
depends_on = None

TABLES = ['agenda_items', 'context_figures', 'joint_action_milestones', 'organisations', 'symposia', 'update_reviews']


def upgrade():
    for name in TABLES:
        with op.batch_alter_table(name, schema=None) as batch_op:
            batch_op.add_column(sa.Column('idempotency_key', sa.String(length=64), nullable=True))
            batch_op.create_unique_constraint(f'uq_{name}_idempotency_key', ['idempotency_key'])


def downgrade():
    for name in reversed(TABLES):
        with op.batch_alter_table(name, schema=None) as batch_op:
            batch_op.drop_constraint(f'uq_{name}_idempotency_key', type_='unique')
            batch_op.drop_column('idempotency_key')
