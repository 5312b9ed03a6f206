"""Joint actions: parties (proposed/accepted/declined), countries with their route roles, milestones,
themes and linked commitments; progress updates gain party_id (exactly one of commitment_id, party_id).

Revision ID: f1df2e998d30
Revises: 67e95e4906b9
Create Date: 2026-11-28 02:31:32.671700

"""
import sqlalchemy as sa
from alembic import op


#: Rows of shared tables that belong to the joint actions and go with them on the way down: the parties'
#: progress updates and their reviews (tests/test_migrations.py checks that nothing else is lost).
LEAVING_ON_DOWNGRADE = {
    "update_reviews": "update_id IN (SELECT id FROM progress_updates WHERE party_id IS NOT NULL)",
    "progress_updates": "party_id IS NOT NULL",
}

# revision identifiers, used by Alembic.
revision = 'f1df2e998d30'
down_revision = '67e95e4906b9'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('joint_actions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('lead_organisation_id', sa.Integer(), nullable=False),
    sa.Column('symposium_id', sa.Integer(), nullable=True),
    sa.Column('source_minutes_id', sa.Integer(), nullable=True),
    sa.Column('start_date', sa.Date(), nullable=True),
    sa.Column('end_date', sa.Date(), nullable=True),
    sa.Column('visibility', sa.String(length=10), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=False),
    sa.Column('idempotency_key', sa.String(length=64), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_joint_actions_created_by_id_users')),
    sa.ForeignKeyConstraint(['lead_organisation_id'], ['organisations.id'], name=op.f('fk_joint_actions_lead_organisation_id_organisations')),
    sa.ForeignKeyConstraint(['source_minutes_id'], ['minutes.id'], name=op.f('fk_joint_actions_source_minutes_id_minutes')),
    sa.ForeignKeyConstraint(['symposium_id'], ['symposia.id'], name=op.f('fk_joint_actions_symposium_id_symposia')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_joint_actions')),
    sa.UniqueConstraint('idempotency_key', name=op.f('uq_joint_actions_idempotency_key'))
    )
    with op.batch_alter_table('joint_actions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_joint_actions_end_date'), ['end_date'], unique=False)
        batch_op.create_index(batch_op.f('ix_joint_actions_lead_organisation_id'), ['lead_organisation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_joint_actions_source_minutes_id'), ['source_minutes_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_joint_actions_symposium_id'), ['symposium_id'], unique=False)
        batch_op.create_index('ix_joint_actions_visibility_status', ['visibility', 'status'], unique=False)

    op.create_table('joint_action_commitments',
    sa.Column('joint_action_id', sa.Integer(), nullable=False),
    sa.Column('commitment_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['commitment_id'], ['commitments.id'], name=op.f('fk_joint_action_commitments_commitment_id_commitments')),
    sa.ForeignKeyConstraint(['joint_action_id'], ['joint_actions.id'], name=op.f('fk_joint_action_commitments_joint_action_id_joint_actions')),
    sa.PrimaryKeyConstraint('joint_action_id', 'commitment_id', name=op.f('pk_joint_action_commitments'))
    )
    with op.batch_alter_table('joint_action_commitments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_joint_action_commitments_commitment_id'), ['commitment_id'], unique=False)

    op.create_table('joint_action_countries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('action_id', sa.Integer(), nullable=False),
    sa.Column('country_iso3', sa.String(length=3), nullable=False),
    sa.Column('role', sa.String(length=12), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['action_id'], ['joint_actions.id'], name=op.f('fk_joint_action_countries_action_id_joint_actions')),
    sa.ForeignKeyConstraint(['country_iso3'], ['countries.iso3'], name=op.f('fk_joint_action_countries_country_iso3_countries')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_joint_action_countries')),
    sa.UniqueConstraint('action_id', 'country_iso3', 'role', name=op.f('uq_joint_action_countries_action_id'))
    )
    with op.batch_alter_table('joint_action_countries', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_joint_action_countries_country_iso3'), ['country_iso3'], unique=False)

    op.create_table('joint_action_milestones',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('action_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('due_date', sa.Date(), nullable=True),
    sa.Column('done_on', sa.Date(), nullable=True),
    sa.ForeignKeyConstraint(['action_id'], ['joint_actions.id'], name=op.f('fk_joint_action_milestones_action_id_joint_actions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_joint_action_milestones'))
    )
    with op.batch_alter_table('joint_action_milestones', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_joint_action_milestones_action_id'), ['action_id'], unique=False)

    op.create_table('joint_action_parties',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('action_id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('role', sa.String(length=20), nullable=False),
    sa.Column('deliverable', sa.Text(), nullable=False),
    sa.Column('deliverable_due', sa.Date(), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('response', sa.String(length=10), nullable=False),
    sa.Column('responded_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('proposed_by_id', sa.Integer(), nullable=False),
    sa.Column('last_reported_on', sa.Date(), nullable=True),
    sa.Column('review_state', sa.String(length=12), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['action_id'], ['joint_actions.id'], name=op.f('fk_joint_action_parties_action_id_joint_actions')),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_joint_action_parties_organisation_id_organisations')),
    sa.ForeignKeyConstraint(['proposed_by_id'], ['users.id'], name=op.f('fk_joint_action_parties_proposed_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_joint_action_parties')),
    sa.UniqueConstraint('action_id', 'organisation_id', name=op.f('uq_joint_action_parties_action_id'))
    )
    with op.batch_alter_table('joint_action_parties', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_joint_action_parties_organisation_id'), ['organisation_id'], unique=False)

    op.create_table('joint_action_themes',
    sa.Column('joint_action_id', sa.Integer(), nullable=False),
    sa.Column('theme_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['joint_action_id'], ['joint_actions.id'], name=op.f('fk_joint_action_themes_joint_action_id_joint_actions')),
    sa.ForeignKeyConstraint(['theme_id'], ['themes.id'], name=op.f('fk_joint_action_themes_theme_id_themes')),
    sa.PrimaryKeyConstraint('joint_action_id', 'theme_id', name=op.f('pk_joint_action_themes'))
    )
    with op.batch_alter_table('joint_action_themes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_joint_action_themes_theme_id'), ['theme_id'], unique=False)

    with op.batch_alter_table('progress_updates', schema=None) as batch_op:
        batch_op.add_column(sa.Column('party_id', sa.Integer(), nullable=True))
        batch_op.alter_column('commitment_id',
               existing_type=sa.INTEGER(),
               nullable=True)
        batch_op.create_index(batch_op.f('ix_progress_updates_party_id'), ['party_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_progress_updates_party_id_joint_action_parties'), 'joint_action_parties', ['party_id'], ['id'])
        # An update reports on one subject: a commitment or a joint-action party, never both, never neither.
        batch_op.create_check_constraint(op.f('ck_progress_updates_one_subject'),
                                         '(commitment_id IS NULL) <> (party_id IS NULL)')


def downgrade():
    # The parties' updates (and their reviews) go with the parties: commitment_id must be set on every row left.
    for name, condition in LEAVING_ON_DOWNGRADE.items():
        op.execute(f'DELETE FROM {name} WHERE {condition}')
    with op.batch_alter_table('progress_updates', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_progress_updates_one_subject'), type_='check')
        batch_op.drop_constraint(batch_op.f('fk_progress_updates_party_id_joint_action_parties'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_progress_updates_party_id'))
        batch_op.alter_column('commitment_id',
               existing_type=sa.INTEGER(),
               nullable=False)
        batch_op.drop_column('party_id')

    with op.batch_alter_table('joint_action_themes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_joint_action_themes_theme_id'))

    op.drop_table('joint_action_themes')
    with op.batch_alter_table('joint_action_parties', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_joint_action_parties_organisation_id'))

    op.drop_table('joint_action_parties')
    with op.batch_alter_table('joint_action_milestones', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_joint_action_milestones_action_id'))

    op.drop_table('joint_action_milestones')
    with op.batch_alter_table('joint_action_countries', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_joint_action_countries_country_iso3'))

    op.drop_table('joint_action_countries')
    with op.batch_alter_table('joint_action_commitments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_joint_action_commitments_commitment_id'))

    op.drop_table('joint_action_commitments')
    with op.batch_alter_table('joint_actions', schema=None) as batch_op:
        batch_op.drop_index('ix_joint_actions_visibility_status')
        batch_op.drop_index(batch_op.f('ix_joint_actions_symposium_id'))
        batch_op.drop_index(batch_op.f('ix_joint_actions_source_minutes_id'))
        batch_op.drop_index(batch_op.f('ix_joint_actions_lead_organisation_id'))
        batch_op.drop_index(batch_op.f('ix_joint_actions_end_date'))

    op.drop_table('joint_actions')
