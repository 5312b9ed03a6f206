"""Date proposals of joint actions: the lead proposes a new end date or milestone date, every other
accepted party answers, and the date changes only when all agree (or the partners agreed it at a meeting).

Revision ID: e12aafeda9a2
Revises: c4d0f1a5b3e2
Create Date: 2026-12-06 10:02:58.194660

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'e12aafeda9a2'
down_revision = 'c4d0f1a5b3e2'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('joint_action_date_proposals',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('action_id', sa.Integer(), nullable=False),
    sa.Column('milestone_id', sa.Integer(), nullable=True),
    sa.Column('old_date', sa.Date(), nullable=True),
    sa.Column('new_date', sa.Date(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('state', sa.String(length=10), nullable=False),
    sa.Column('symposium_id', sa.Integer(), nullable=True),
    sa.Column('minutes_id', sa.Integer(), nullable=True),
    sa.Column('proposed_by_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('idempotency_key', sa.String(length=64), nullable=True),
    sa.ForeignKeyConstraint(['action_id'], ['joint_actions.id'], name=op.f('fk_joint_action_date_proposals_action_id_joint_actions')),
    sa.ForeignKeyConstraint(['milestone_id'], ['joint_action_milestones.id'], name=op.f('fk_joint_action_date_proposals_milestone_id_joint_action_milestones')),
    sa.ForeignKeyConstraint(['minutes_id'], ['minutes.id'], name=op.f('fk_joint_action_date_proposals_minutes_id_minutes')),
    sa.ForeignKeyConstraint(['proposed_by_id'], ['users.id'], name=op.f('fk_joint_action_date_proposals_proposed_by_id_users')),
    sa.ForeignKeyConstraint(['symposium_id'], ['symposia.id'], name=op.f('fk_joint_action_date_proposals_symposium_id_symposia')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_joint_action_date_proposals')),
    sa.UniqueConstraint('idempotency_key', name=op.f('uq_joint_action_date_proposals_idempotency_key'))
    )
    with op.batch_alter_table('joint_action_date_proposals', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_joint_action_date_proposals_action_id'), ['action_id'], unique=False)

    op.create_table('joint_action_date_answers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('proposal_id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('agrees', sa.Boolean(), nullable=False),
    sa.Column('answered_by_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['answered_by_id'], ['users.id'], name=op.f('fk_joint_action_date_answers_answered_by_id_users')),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_joint_action_date_answers_organisation_id_organisations')),
    sa.ForeignKeyConstraint(['proposal_id'], ['joint_action_date_proposals.id'], name=op.f('fk_joint_action_date_answers_proposal_id_joint_action_date_proposals')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_joint_action_date_answers')),
    sa.UniqueConstraint('proposal_id', 'organisation_id', name='one_answer_per_party')
    )
    with op.batch_alter_table('joint_action_date_answers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_joint_action_date_answers_proposal_id'), ['proposal_id'], unique=False)



def downgrade():
    with op.batch_alter_table('joint_action_date_answers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_joint_action_date_answers_proposal_id'))

    op.drop_table('joint_action_date_answers')
    with op.batch_alter_table('joint_action_date_proposals', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_joint_action_date_proposals_action_id'))

    op.drop_table('joint_action_date_proposals')
