"""A version on each party's share of a joint action, so a deliverable form opened before someone else
saved is refused with the text kept.

Revision ID: f51fb89f2e67
Revises: bfc1f2b8d2cd
Create Date: 2026-12-06 10:43:55.366199

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'f51fb89f2e67'
down_revision = 'bfc1f2b8d2cd'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('joint_action_parties', schema=None) as batch_op:
        batch_op.add_column(sa.Column('version', sa.Integer(), server_default='1', nullable=False))



def downgrade():
    with op.batch_alter_table('joint_action_parties', schema=None) as batch_op:
        batch_op.drop_column('version')

