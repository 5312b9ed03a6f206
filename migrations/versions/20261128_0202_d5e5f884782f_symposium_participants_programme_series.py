"""Symposium participants and delegates, programme, attachments, time zone and series.

Revision ID: d5e5f884782f
Revises: 8cd3acfd942d
Create Date: 2026-11-28 02:02:29.834339

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = 'd5e5f884782f'
down_revision = '8cd3acfd942d'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('agenda_items',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('symposium_id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('starts_at', sa.Time(), nullable=True),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('speaker_role', sa.String(length=300), nullable=False),
    sa.ForeignKeyConstraint(['symposium_id'], ['symposia.id'], name=op.f('fk_agenda_items_symposium_id_symposia')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_agenda_items'))
    )
    with op.batch_alter_table('agenda_items', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_agenda_items_symposium_id'), ['symposium_id'], unique=False)

    op.create_table('symposium_attachments',
    sa.Column('symposium_id', sa.Integer(), nullable=False),
    sa.Column('attachment_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['attachment_id'], ['attachments.id'], name=op.f('fk_symposium_attachments_attachment_id_attachments')),
    sa.ForeignKeyConstraint(['symposium_id'], ['symposia.id'], name=op.f('fk_symposium_attachments_symposium_id_symposia')),
    sa.PrimaryKeyConstraint('symposium_id', 'attachment_id', name=op.f('pk_symposium_attachments'))
    )
    op.create_table('symposium_participants',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('symposium_id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('is_organiser', sa.Boolean(), nullable=False),
    sa.Column('delegates', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_symposium_participants_organisation_id_organisations')),
    sa.ForeignKeyConstraint(['symposium_id'], ['symposia.id'], name=op.f('fk_symposium_participants_symposium_id_symposia')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_symposium_participants'))
    )
    with op.batch_alter_table('symposium_participants', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_symposium_participants_organisation_id'), ['organisation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_symposium_participants_symposium_id'), ['symposium_id'], unique=False)

    with op.batch_alter_table('symposia', schema=None) as batch_op:
        # Existing symposia get the default zone; the server default is dropped again below.
        batch_op.add_column(sa.Column('timezone', sa.String(length=60), nullable=False,
                                      server_default='America/Tegucigalpa'))
        batch_op.add_column(sa.Column('previous_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('created_by_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_symposia_previous_id'), ['previous_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_symposia_created_by_id_users'), 'users', ['created_by_id'], ['id'])
        batch_op.create_foreign_key(batch_op.f('fk_symposia_previous_id_symposia'), 'symposia', ['previous_id'], ['id'])

    with op.batch_alter_table('symposia', schema=None) as batch_op:
        batch_op.alter_column('timezone', server_default=None)



def downgrade():
    with op.batch_alter_table('symposia', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_symposia_previous_id_symposia'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_symposia_created_by_id_users'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_symposia_previous_id'))
        batch_op.drop_column('created_by_id')
        batch_op.drop_column('previous_id')
        batch_op.drop_column('timezone')

    with op.batch_alter_table('symposium_participants', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_symposium_participants_symposium_id'))
        batch_op.drop_index(batch_op.f('ix_symposium_participants_organisation_id'))

    op.drop_table('symposium_participants')
    op.drop_table('symposium_attachments')
    with op.batch_alter_table('agenda_items', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_agenda_items_symposium_id'))

    op.drop_table('agenda_items')
