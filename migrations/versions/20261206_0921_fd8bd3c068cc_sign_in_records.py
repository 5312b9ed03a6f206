"""Sign-in records: the owner sees them, and the sign-in throttle knows the addresses an account uses.

Revision ID: fd8bd3c068cc
Revises: e12aafeda9a2
Create Date: 2026-12-06 09:21:58.797298

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'fd8bd3c068cc'
down_revision = 'e12aafeda9a2'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('sign_ins',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('address', sa.String(length=64), nullable=False),
    sa.Column('user_agent', sa.String(length=200), nullable=False),
    sa.Column('signed_in_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_sign_ins_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sign_ins'))
    )
    with op.batch_alter_table('sign_ins', schema=None) as batch_op:
        batch_op.create_index('ix_sign_ins_user_address', ['user_id', 'address'], unique=False)
        batch_op.create_index('ix_sign_ins_user_at', ['user_id', 'signed_in_at'], unique=False)



def downgrade():
    with op.batch_alter_table('sign_ins', schema=None) as batch_op:
        batch_op.drop_index('ix_sign_ins_user_at')
        batch_op.drop_index('ix_sign_ins_user_address')

    op.drop_table('sign_ins')
