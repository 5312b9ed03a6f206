"""Context figures of country pages: a statistic with its period and source, in both languages.

Revision ID: d1107e8b06a8
Revises: f1df2e998d30
Create Date: 2026-11-28 04:37:40

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = 'd1107e8b06a8'
down_revision = 'f1df2e998d30'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('context_figures',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('country_iso3', sa.String(length=3), nullable=False),
    sa.Column('label_es', sa.String(length=300), nullable=False),
    sa.Column('label_en', sa.String(length=300), nullable=False),
    sa.Column('value', sa.Numeric(precision=18, scale=2), nullable=False),
    sa.Column('unit', sa.String(length=40), nullable=False),
    sa.Column('period', sa.String(length=120), nullable=False),
    sa.Column('source', sa.String(length=300), nullable=False),
    sa.Column('source_url', sa.String(length=500), nullable=True),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=False),
    sa.Column('is_archived', sa.Boolean(), nullable=False),
    sa.Column('archived_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['country_iso3'], ['countries.iso3'], name=op.f('fk_context_figures_country_iso3_countries')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_context_figures_created_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_context_figures'))
    )
    with op.batch_alter_table('context_figures', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_context_figures_country_iso3'), ['country_iso3'], unique=False)


def downgrade():
    with op.batch_alter_table('context_figures', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_context_figures_country_iso3'))

    op.drop_table('context_figures')
