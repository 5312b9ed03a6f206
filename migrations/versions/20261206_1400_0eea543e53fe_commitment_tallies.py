"""Commitment tallies: how many commitments there are in all, per organisation and per symposium, by
visibility, archived flag, status, renegotiated flag (and owner, for those only their owner sees), and how many tagged ones per framework tag, organisation, visibility,
archived flag, status and renegotiated flag; filled from the base tables (the portal keeps them in step from then on).

Revision ID: 0eea543e53fe
Revises: 7c2d9e4f1b63
Create Date: 2026-12-06 14:00:00

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '0eea543e53fe'
down_revision = '7c2d9e4f1b63'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('commitment_tallies',
    sa.Column('scope', sa.String(length=1), nullable=False),
    sa.Column('scope_id', sa.Integer(), nullable=False),
    sa.Column('visibility', sa.String(length=10), nullable=False),
    sa.Column('is_archived', sa.Boolean(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('is_renegotiated', sa.Boolean(), nullable=False),
    sa.Column('owner_id', sa.Integer(), nullable=False),
    sa.Column('count', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('scope', 'scope_id', 'visibility', 'is_archived', 'status', 'is_renegotiated',
                            'owner_id', name=op.f('pk_commitment_tallies'))
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
    # The same figures as recompute_tallies in the commitments module: all commitments ('a'), per
    # organisation ('o'), per symposium ('s'); the owner of "parties" commitments, 0 for the others.
    owner = "CASE WHEN visibility = 'parties' THEN organisation_id ELSE 0 END"
    rest = f"visibility, is_archived, status, is_renegotiated, {owner}"
    op.execute(sa.text(
        "INSERT INTO commitment_tallies (scope, scope_id, visibility, is_archived, status, is_renegotiated,"
        f" owner_id, count) SELECT 'a', 0, {rest}, COUNT(*) FROM commitments GROUP BY {rest}"
        f" UNION ALL SELECT 'o', organisation_id, {rest}, COUNT(*) FROM commitments GROUP BY organisation_id, {rest}"
        f" UNION ALL SELECT 's', symposium_id, {rest}, COUNT(*) FROM commitments WHERE symposium_id IS NOT NULL"
        f" GROUP BY symposium_id, {rest}"))
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
