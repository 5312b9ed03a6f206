"""An action item of approved minutes can become a joint action (linked both ways), as it can become a
commitment.

Revision ID: 2639a90269ed
Revises: 31691143da52
Create Date: 2026-12-06 11:07:37.878446

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '2639a90269ed'
down_revision = '31691143da52'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('minutes_action_items', schema=None) as batch_op:
        batch_op.add_column(sa.Column('joint_action_id', sa.Integer(), nullable=True))
        batch_op.create_unique_constraint(batch_op.f('uq_minutes_action_items_joint_action_id'), ['joint_action_id'])
        batch_op.create_foreign_key(batch_op.f('fk_minutes_action_items_joint_action_id_joint_actions'), 'joint_actions', ['joint_action_id'], ['id'])



def downgrade():
    with op.batch_alter_table('minutes_action_items', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_minutes_action_items_joint_action_id_joint_actions'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('uq_minutes_action_items_joint_action_id'), type_='unique')
        batch_op.drop_column('joint_action_id')

