"""Page cache generation: one counter row, bumped by every committing write (see portal/core/cache.py).

Revision ID: 32f6c6a34f0e
Revises: e7b2c41a9f05
Create Date: 2026-11-28 04:42:44

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '32f6c6a34f0e'
down_revision = 'e7b2c41a9f05'
branch_labels = None
depends_on = None


def upgrade():
    generation = op.create_table('cache_generation',
    sa.Column('id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('value', sa.BigInteger(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cache_generation'))
    )
    op.bulk_insert(generation, [{'id': 1, 'value': 1}])


def downgrade():
    op.drop_table('cache_generation')
