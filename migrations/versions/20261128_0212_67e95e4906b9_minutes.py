"""Minutes: attendees, endorsements, comments, action items, revisions, files; commitments.source_minutes_id.

Revision ID: 67e95e4906b9
Revises: d5e5f884782f
Create Date: 2026-11-28 02:12:20.281362

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '67e95e4906b9'
down_revision = 'd5e5f884782f'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('minutes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('symposium_id', sa.Integer(), nullable=True),
    sa.Column('meeting_date', sa.Date(), nullable=False),
    sa.Column('place', sa.String(length=200), nullable=True),
    sa.Column('is_virtual', sa.Boolean(), nullable=False),
    sa.Column('author_organisation_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('visibility', sa.String(length=10), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('decisions', sa.Text(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=False),
    sa.Column('circulated_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('approved_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('idempotency_key', sa.String(length=64), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['author_organisation_id'], ['organisations.id'], name=op.f('fk_minutes_author_organisation_id_organisations')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_minutes_created_by_id_users')),
    sa.ForeignKeyConstraint(['symposium_id'], ['symposia.id'], name=op.f('fk_minutes_symposium_id_symposia')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_minutes')),
    sa.UniqueConstraint('idempotency_key', name=op.f('uq_minutes_idempotency_key'))
    )
    with op.batch_alter_table('minutes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_minutes_author_organisation_id'), ['author_organisation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_minutes_meeting_date'), ['meeting_date'], unique=False)
        batch_op.create_index('ix_minutes_status_visibility', ['status', 'visibility'], unique=False)
        batch_op.create_index(batch_op.f('ix_minutes_symposium_id'), ['symposium_id'], unique=False)

    op.create_table('minutes_attachments',
    sa.Column('minutes_id', sa.Integer(), nullable=False),
    sa.Column('attachment_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['attachment_id'], ['attachments.id'], name=op.f('fk_minutes_attachments_attachment_id_attachments')),
    sa.ForeignKeyConstraint(['minutes_id'], ['minutes.id'], name=op.f('fk_minutes_attachments_minutes_id_minutes')),
    sa.PrimaryKeyConstraint('minutes_id', 'attachment_id', name=op.f('pk_minutes_attachments'))
    )
    op.create_table('minutes_attendees',
    sa.Column('minutes_id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['minutes_id'], ['minutes.id'], name=op.f('fk_minutes_attendees_minutes_id_minutes')),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_minutes_attendees_organisation_id_organisations')),
    sa.PrimaryKeyConstraint('minutes_id', 'organisation_id', name=op.f('pk_minutes_attendees'))
    )
    with op.batch_alter_table('minutes_attendees', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_minutes_attendees_organisation_id'), ['organisation_id'], unique=False)

    op.create_table('minutes_comments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('minutes_id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('idempotency_key', sa.String(length=64), nullable=True),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_minutes_comments_author_id_users')),
    sa.ForeignKeyConstraint(['minutes_id'], ['minutes.id'], name=op.f('fk_minutes_comments_minutes_id_minutes')),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_minutes_comments_organisation_id_organisations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_minutes_comments')),
    sa.UniqueConstraint('idempotency_key', name=op.f('uq_minutes_comments_idempotency_key'))
    )
    with op.batch_alter_table('minutes_comments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_minutes_comments_minutes_id'), ['minutes_id'], unique=False)

    op.create_table('minutes_endorsements',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('minutes_id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['minutes_id'], ['minutes.id'], name=op.f('fk_minutes_endorsements_minutes_id_minutes')),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_minutes_endorsements_organisation_id_organisations')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_minutes_endorsements_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_minutes_endorsements')),
    sa.UniqueConstraint('minutes_id', 'organisation_id', name=op.f('uq_minutes_endorsements_minutes_id'))
    )
    with op.batch_alter_table('minutes_endorsements', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_minutes_endorsements_organisation_id'), ['organisation_id'], unique=False)

    op.create_table('minutes_revisions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('minutes_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('decisions', sa.Text(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_minutes_revisions_author_id_users')),
    sa.ForeignKeyConstraint(['minutes_id'], ['minutes.id'], name=op.f('fk_minutes_revisions_minutes_id_minutes')),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_minutes_revisions_organisation_id_organisations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_minutes_revisions')),
    sa.UniqueConstraint('minutes_id', 'number', name=op.f('uq_minutes_revisions_minutes_id'))
    )
    op.create_table('minutes_action_items',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('minutes_id', sa.Integer(), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('responsible_organisation_id', sa.Integer(), nullable=False),
    sa.Column('due_date', sa.Date(), nullable=True),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('commitment_id', sa.Integer(), nullable=True),
    sa.Column('idempotency_key', sa.String(length=64), nullable=True),
    sa.ForeignKeyConstraint(['commitment_id'], ['commitments.id'], name=op.f('fk_minutes_action_items_commitment_id_commitments')),
    sa.ForeignKeyConstraint(['minutes_id'], ['minutes.id'], name=op.f('fk_minutes_action_items_minutes_id_minutes')),
    sa.ForeignKeyConstraint(['responsible_organisation_id'], ['organisations.id'], name=op.f('fk_minutes_action_items_responsible_organisation_id_organisations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_minutes_action_items')),
    sa.UniqueConstraint('commitment_id', name=op.f('uq_minutes_action_items_commitment_id')),
    sa.UniqueConstraint('idempotency_key', name=op.f('uq_minutes_action_items_idempotency_key'))
    )
    with op.batch_alter_table('minutes_action_items', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_minutes_action_items_minutes_id'), ['minutes_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_minutes_action_items_responsible_organisation_id'), ['responsible_organisation_id'], unique=False)

    # Nullable, so existing commitments need no default; SQLite rebuilds the table to add the foreign key.
    with op.batch_alter_table('commitments', schema=None) as batch_op:
        batch_op.add_column(sa.Column('source_minutes_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_commitments_source_minutes_id'), ['source_minutes_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_commitments_source_minutes_id_minutes'), 'minutes', ['source_minutes_id'], ['id'])



def downgrade():
    with op.batch_alter_table('commitments', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_commitments_source_minutes_id_minutes'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_commitments_source_minutes_id'))
        batch_op.drop_column('source_minutes_id')

    with op.batch_alter_table('minutes_action_items', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_minutes_action_items_responsible_organisation_id'))
        batch_op.drop_index(batch_op.f('ix_minutes_action_items_minutes_id'))

    op.drop_table('minutes_action_items')
    op.drop_table('minutes_revisions')
    with op.batch_alter_table('minutes_endorsements', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_minutes_endorsements_organisation_id'))

    op.drop_table('minutes_endorsements')
    with op.batch_alter_table('minutes_comments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_minutes_comments_minutes_id'))

    op.drop_table('minutes_comments')
    with op.batch_alter_table('minutes_attendees', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_minutes_attendees_organisation_id'))

    op.drop_table('minutes_attendees')
    op.drop_table('minutes_attachments')
    with op.batch_alter_table('minutes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_minutes_symposium_id'))
        batch_op.drop_index('ix_minutes_status_visibility')
        batch_op.drop_index(batch_op.f('ix_minutes_meeting_date'))
        batch_op.drop_index(batch_op.f('ix_minutes_author_organisation_id'))

    op.drop_table('minutes')
