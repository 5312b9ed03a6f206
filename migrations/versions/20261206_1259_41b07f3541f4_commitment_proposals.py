"""Proposed commitments: a symposium matrix imported by IOM or the organisers drafts commitments for other
organisations, kept apart from commitments until their editors accept them (or decline them with a reason).

Revision ID: 41b07f3541f4
Revises: 5be0c2d7a914
Create Date: 2026-12-06 12:59:41.426635

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '41b07f3541f4'
down_revision = '5be0c2d7a914'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('commitment_proposals',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('symposium_id', sa.Integer(), nullable=True),
    sa.Column('state', sa.String(length=10), nullable=False),
    sa.Column('values', sa.JSON(), nullable=False),
    sa.Column('drafted_by_id', sa.Integer(), nullable=False),
    sa.Column('drafted_by_organisation_id', sa.Integer(), nullable=False),
    sa.Column('source', sa.String(length=300), nullable=False),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('decline_reason', sa.Text(), nullable=True),
    sa.Column('commitment_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['commitment_id'], ['commitments.id'], name=op.f('fk_commitment_proposals_commitment_id_commitments')),
    sa.ForeignKeyConstraint(['decided_by_id'], ['users.id'], name=op.f('fk_commitment_proposals_decided_by_id_users')),
    sa.ForeignKeyConstraint(['drafted_by_id'], ['users.id'], name=op.f('fk_commitment_proposals_drafted_by_id_users')),
    sa.ForeignKeyConstraint(['drafted_by_organisation_id'], ['organisations.id'], name=op.f('fk_commitment_proposals_drafted_by_organisation_id_organisations')),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_commitment_proposals_organisation_id_organisations')),
    sa.ForeignKeyConstraint(['symposium_id'], ['symposia.id'], name=op.f('fk_commitment_proposals_symposium_id_symposia')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_commitment_proposals')),
    sa.UniqueConstraint('commitment_id', name=op.f('uq_commitment_proposals_commitment_id'))
    )
    with op.batch_alter_table('commitment_proposals', schema=None) as batch_op:
        batch_op.create_index('ix_commitment_proposals_organisation_state', ['organisation_id', 'state'], unique=False)



def downgrade():
    with op.batch_alter_table('commitment_proposals', schema=None) as batch_op:
        batch_op.drop_index('ix_commitment_proposals_organisation_state')

    op.drop_table('commitment_proposals')
