"""Commitment tallies: how many commitments there are per organisation, symposium, visibility, archived
flag, status and renegotiated flag, and how many tagged ones per framework tag, organisation, visibility,
archived flag, status and renegotiated flag; filled from the base tables (the portal keeps them in step from then on).

Revision ID: 0eea543e53fe
Revises: 5be0c2d7a914
Create Date: 2026-12-06 14:00:00

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '0eea543e53fe'
down_revision = '5be0c2d7a914'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('commitment_tallies',
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('symposium_id', sa.Integer(), nullable=False),
    sa.Column('visibility', sa.String(length=10), nullable=False),
    sa.Column('is_archived', sa.Boolean(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('is_renegotiated', sa.Boolean(), nullable=False),
    sa.Column('count', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('organisation_id', 'symposium_id', 'visibility', 'is_archived', 'status',
                            'is_renegotiated', name=op.f('pk_commitment_tallies'))
    )
    op.create_table('commitment_tag_tallies',
    sa.Column('tag_id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('visibility', sa.String(length=10), nullable=False),
    sa.Column('is_archived', sa.Boolean(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('is_renegotiated', sa.Boolean(), nullable=False),
    sa.Column('count', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('tag_id', 'organisation_id', 'visibility', 'is_archived', 'status', 'is_renegotiated',
                            name=op.f('pk_commitment_tag_tallies'))
    )
    # The same figures as recompute_tallies in the commitments module (0: no symposium).
    op.execute(sa.text(
        "INSERT INTO commitment_tallies (organisation_id, symposium_id, visibility, is_archived, status,"
        " is_renegotiated, count) SELECT organisation_id, COALESCE(symposium_id, 0), visibility, is_archived,"
        " status, is_renegotiated, COUNT(*) FROM commitments GROUP BY organisation_id, COALESCE(symposium_id, 0),"
        " visibility, is_archived, status, is_renegotiated"))
    op.execute(sa.text(
        "INSERT INTO commitment_tag_tallies (tag_id, organisation_id, visibility, is_archived, status,"
        " is_renegotiated, count) SELECT t.tag_id, c.organisation_id, c.visibility, c.is_archived, c.status,"
        " c.is_renegotiated, COUNT(*) FROM commitment_framework_tags t JOIN commitments c ON c.id = t.commitment_id"
        " GROUP BY t.tag_id, c.organisation_id, c.visibility, c.is_archived, c.status, c.is_renegotiated"))
    # Cached pages were rendered from the base tables; they show the same figures, but start afresh.
    op.execute(sa.text("UPDATE cache_generation SET value = value + 1"))


def downgrade():
    op.drop_table('commitment_tag_tallies')
    op.drop_table('commitment_tallies')
