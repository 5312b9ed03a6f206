"""Follow-up: update requests, the log of reminders sent, and each user's digest frequency.

Revision ID: e7b2c41a9f05
Revises: d1107e8b06a8
Create Date: 2026-11-28 04:37:40

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = 'e7b2c41a9f05'
down_revision = 'd1107e8b06a8'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('reminders_sent',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('period', sa.String(length=10), nullable=False),
    sa.Column('item_key', sa.String(length=80), nullable=False),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_reminders_sent_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reminders_sent')),
    sa.UniqueConstraint('user_id', 'period', 'item_key', name='one_per_period')
    )
    op.create_table('update_requests',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('commitment_id', sa.Integer(), nullable=True),
    sa.Column('party_id', sa.Integer(), nullable=True),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('requested_by_id', sa.Integer(), nullable=False),
    sa.Column('requesting_organisation_id', sa.Integer(), nullable=True),
    sa.Column('message', sa.Text(), nullable=False),
    sa.Column('due_date', sa.Date(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('answered_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('answer_update_id', sa.Integer(), nullable=True),
    sa.Column('idempotency_key', sa.String(length=64), nullable=True),
    sa.CheckConstraint('(commitment_id IS NULL) <> (party_id IS NULL)', name=op.f('ck_update_requests_one_subject')),
    sa.ForeignKeyConstraint(['answer_update_id'], ['progress_updates.id'], name=op.f('fk_update_requests_answer_update_id_progress_updates')),
    sa.ForeignKeyConstraint(['commitment_id'], ['commitments.id'], name=op.f('fk_update_requests_commitment_id_commitments')),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_update_requests_organisation_id_organisations')),
    sa.ForeignKeyConstraint(['party_id'], ['joint_action_parties.id'], name=op.f('fk_update_requests_party_id_joint_action_parties')),
    sa.ForeignKeyConstraint(['requested_by_id'], ['users.id'], name=op.f('fk_update_requests_requested_by_id_users')),
    sa.ForeignKeyConstraint(['requesting_organisation_id'], ['organisations.id'], name=op.f('fk_update_requests_requesting_organisation_id_organisations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_update_requests')),
    sa.UniqueConstraint('idempotency_key', name=op.f('uq_update_requests_idempotency_key'))
    )
    with op.batch_alter_table('update_requests', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_update_requests_commitment_id'), ['commitment_id'], unique=False)
        batch_op.create_index('ix_update_requests_organisation_open', ['organisation_id', 'answered_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_update_requests_party_id'), ['party_id'], unique=False)

    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('digest_frequency', sa.String(length=10), server_default='weekly', nullable=False))


def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('digest_frequency')

    with op.batch_alter_table('update_requests', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_update_requests_party_id'))
        batch_op.drop_index('ix_update_requests_organisation_open')
        batch_op.drop_index(batch_op.f('ix_update_requests_commitment_id'))

    op.drop_table('update_requests')
    op.drop_table('reminders_sent')
