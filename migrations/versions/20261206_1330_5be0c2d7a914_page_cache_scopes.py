"""Page cache scopes: a generation per group of pages (the lists, a country's page, a commitment's page,
the joint actions), so that a write drops only the cached pages it can change; and every generation
spread over 16 counter rows, so that writers on PostgreSQL do not queue behind one row's lock (see
portal/core/cache.py).

Revision ID: 5be0c2d7a914
Revises: 2639a90269ed
Create Date: 2026-12-06 13:30:00

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '5be0c2d7a914'
down_revision = '2639a90269ed'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('page_cache_scopes',
    sa.Column('scope', sa.String(length=120), nullable=False),
    sa.Column('shard', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('generation', sa.BigInteger(), nullable=False),
    sa.PrimaryKeyConstraint('scope', 'shard', name=op.f('pk_page_cache_scopes'))
    )
    # Every cached page is dropped: pages kept before now were keyed by the global generation alone.
    op.execute(sa.text("UPDATE cache_generation SET value = value + 1"))


def downgrade():
    # What writers counted in the scope rows moves back into the one counter row, plus one.
    op.execute(sa.text("UPDATE cache_generation SET value = value + 1 + COALESCE("
                       "(SELECT SUM(generation) FROM page_cache_scopes WHERE scope = '*'), 0)"))
    op.drop_table('page_cache_scopes')
