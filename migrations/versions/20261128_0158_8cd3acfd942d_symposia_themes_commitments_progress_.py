"""Symposia, the dialogue's themes (seeded), commitments, progress updates and their reviews.

Revision ID: 8cd3acfd942d
Revises: 5a1a4d709f3a
Create Date: 2026-11-28 01:58:08.382363

"""
import sqlalchemy as sa
from alembic import op

THEMES = [
    ("prevention_irregular_migration", "Prevención de la migración irregular", "Prevention of irregular migration"),
    ("migrant_rights", "Derechos y bienestar de las personas migrantes", "Rights and wellbeing of migrants"),
    ("consular_protection", "Protección consular", "Consular protection"),
    ("safe_return", "Retorno seguro y digno", "Safe and dignified return"),
    ("reintegration", "Recepción y reintegración de personas retornadas", "Reception and reintegration of returnees"),
    ("children_families", "Niñez no acompañada y familias", "Unaccompanied children and families"),
    ("intersectoral_coordination", "Coordinación intersectorial", "Inter-sectoral coordination"),
    ("information_awareness", "Información y sensibilización", "Information and awareness"),
]


# revision identifiers, used by Alembic.
revision = '8cd3acfd942d'
down_revision = '5a1a4d709f3a'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('themes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=60), nullable=False),
    sa.Column('name_es', sa.String(length=200), nullable=False),
    sa.Column('name_en', sa.String(length=200), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('is_active', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_themes')),
    sa.UniqueConstraint('code', name=op.f('uq_themes_code'))
    )
    op.bulk_insert(
        sa.table("themes", sa.column("code"), sa.column("name_es"), sa.column("name_en"),
                 sa.column("position"), sa.column("is_active")),
        [{"code": code, "name_es": es, "name_en": en, "position": n, "is_active": True}
         for n, (code, es, en) in enumerate(THEMES, 1)],
    )
    op.create_table('symposia',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=120), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('title_en', sa.String(length=300), nullable=True),
    sa.Column('start_date', sa.Date(), nullable=False),
    sa.Column('end_date', sa.Date(), nullable=False),
    sa.Column('city', sa.String(length=120), nullable=False),
    sa.Column('country_iso3', sa.String(length=3), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['country_iso3'], ['countries.iso3'], name=op.f('fk_symposia_country_iso3_countries')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_symposia')),
    sa.UniqueConstraint('slug', name=op.f('uq_symposia_slug'))
    )
    with op.batch_alter_table('symposia', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_symposia_country_iso3'), ['country_iso3'], unique=False)
        batch_op.create_index(batch_op.f('ix_symposia_start_date'), ['start_date'], unique=False)

    op.create_table('commitments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('symposium_id', sa.Integer(), nullable=True),
    sa.Column('target_date', sa.Date(), nullable=True),
    sa.Column('visibility', sa.String(length=10), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('indicator_unit', sa.String(length=80), nullable=True),
    sa.Column('indicator_baseline', sa.Numeric(precision=16, scale=2), nullable=True),
    sa.Column('indicator_target', sa.Numeric(precision=16, scale=2), nullable=True),
    sa.Column('indicator_achieved', sa.Numeric(precision=16, scale=2), nullable=True),
    sa.Column('last_reported_on', sa.Date(), nullable=True),
    sa.Column('review_state', sa.String(length=12), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=False),
    sa.Column('is_archived', sa.Boolean(), nullable=False),
    sa.Column('archived_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('idempotency_key', sa.String(length=64), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_commitments_created_by_id_users')),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_commitments_organisation_id_organisations')),
    sa.ForeignKeyConstraint(['symposium_id'], ['symposia.id'], name=op.f('fk_commitments_symposium_id_symposia')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_commitments')),
    sa.UniqueConstraint('idempotency_key', name=op.f('uq_commitments_idempotency_key'))
    )
    with op.batch_alter_table('commitments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_commitments_last_reported_on'), ['last_reported_on'], unique=False)
        batch_op.create_index('ix_commitments_organisation_status', ['organisation_id', 'status'], unique=False)
        batch_op.create_index(batch_op.f('ix_commitments_symposium_id'), ['symposium_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_commitments_target_date'), ['target_date'], unique=False)
        batch_op.create_index('ix_commitments_visibility_status', ['visibility', 'status'], unique=False)

    op.create_table('commitment_themes',
    sa.Column('commitment_id', sa.Integer(), nullable=False),
    sa.Column('theme_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['commitment_id'], ['commitments.id'], name=op.f('fk_commitment_themes_commitment_id_commitments')),
    sa.ForeignKeyConstraint(['theme_id'], ['themes.id'], name=op.f('fk_commitment_themes_theme_id_themes')),
    sa.PrimaryKeyConstraint('commitment_id', 'theme_id', name=op.f('pk_commitment_themes'))
    )
    with op.batch_alter_table('commitment_themes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_commitment_themes_theme_id'), ['theme_id'], unique=False)

    op.create_table('progress_updates',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('commitment_id', sa.Integer(), nullable=False),
    sa.Column('reported_on', sa.Date(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('indicator_value', sa.Numeric(precision=16, scale=2), nullable=True),
    sa.Column('evidence_url', sa.String(length=500), nullable=True),
    sa.Column('attachment_id', sa.Integer(), nullable=True),
    sa.Column('author_id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('review_state', sa.String(length=12), nullable=False),
    sa.Column('idempotency_key', sa.String(length=64), nullable=True),
    sa.ForeignKeyConstraint(['attachment_id'], ['attachments.id'], name=op.f('fk_progress_updates_attachment_id_attachments')),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_progress_updates_author_id_users')),
    sa.ForeignKeyConstraint(['commitment_id'], ['commitments.id'], name=op.f('fk_progress_updates_commitment_id_commitments')),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_progress_updates_organisation_id_organisations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_progress_updates')),
    sa.UniqueConstraint('idempotency_key', name=op.f('uq_progress_updates_idempotency_key'))
    )
    with op.batch_alter_table('progress_updates', schema=None) as batch_op:
        batch_op.create_index('ix_progress_updates_commitment_reported', ['commitment_id', 'reported_on'], unique=False)

    op.create_table('update_reviews',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('update_id', sa.Integer(), nullable=False),
    sa.Column('verdict', sa.String(length=12), nullable=False),
    sa.Column('comment', sa.Text(), nullable=False),
    sa.Column('reviewer_id', sa.Integer(), nullable=False),
    sa.Column('reviewer_organisation_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['reviewer_id'], ['users.id'], name=op.f('fk_update_reviews_reviewer_id_users')),
    sa.ForeignKeyConstraint(['reviewer_organisation_id'], ['organisations.id'], name=op.f('fk_update_reviews_reviewer_organisation_id_organisations')),
    sa.ForeignKeyConstraint(['update_id'], ['progress_updates.id'], name=op.f('fk_update_reviews_update_id_progress_updates')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_update_reviews'))
    )
    with op.batch_alter_table('update_reviews', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_update_reviews_update_id'), ['update_id'], unique=False)



def downgrade():
    with op.batch_alter_table('update_reviews', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_update_reviews_update_id'))

    op.drop_table('update_reviews')
    with op.batch_alter_table('progress_updates', schema=None) as batch_op:
        batch_op.drop_index('ix_progress_updates_commitment_reported')

    op.drop_table('progress_updates')
    with op.batch_alter_table('commitment_themes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_commitment_themes_theme_id'))

    op.drop_table('commitment_themes')
    with op.batch_alter_table('commitments', schema=None) as batch_op:
        batch_op.drop_index('ix_commitments_visibility_status')
        batch_op.drop_index(batch_op.f('ix_commitments_target_date'))
        batch_op.drop_index(batch_op.f('ix_commitments_symposium_id'))
        batch_op.drop_index('ix_commitments_organisation_status')
        batch_op.drop_index(batch_op.f('ix_commitments_last_reported_on'))

    op.drop_table('commitments')
    with op.batch_alter_table('symposia', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_symposia_start_date'))
        batch_op.drop_index(batch_op.f('ix_symposia_country_iso3'))

    op.drop_table('symposia')
    op.drop_table('themes')
