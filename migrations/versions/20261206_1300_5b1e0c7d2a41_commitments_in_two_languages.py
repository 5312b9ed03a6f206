"""A commitment's title and description in Spanish, English or both, with its original language.

Existing text was written in the portal's default language: it becomes the Spanish text and every
existing commitment's original language is Spanish. Going down keeps, for each field, the original
language's text (else the other one): a translation added later is the only thing a downgrade loses.

Revision ID: 5b1e0c7d2a41
Revises: 41b07f3541f4
Create Date: 2026-12-06 13:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '5b1e0c7d2a41'
down_revision = '41b07f3541f4'
branch_labels = None
depends_on = None

TABLE = 'commitments'
FIELDS = {'title': sa.String(300), 'description': sa.Text()}


def upgrade():
    with op.batch_alter_table(TABLE, schema=None) as batch_op:
        for field, sql_type in FIELDS.items():
            batch_op.add_column(sa.Column(f'{field}_es', sql_type, nullable=True))
            batch_op.add_column(sa.Column(f'{field}_en', sql_type, nullable=True))
        batch_op.add_column(sa.Column('original_language', sa.String(length=2), server_default='es',
                                      nullable=False))
    for field in FIELDS:
        # Blank text is no text: NULL, so "written in Spanish" is "IS NOT NULL".
        op.execute(f"UPDATE {TABLE} SET {field}_es = NULLIF(TRIM({field}), '')")
    with op.batch_alter_table(TABLE, schema=None) as batch_op:
        for field in FIELDS:
            batch_op.drop_column(field)
        batch_op.create_check_constraint(op.f('ck_commitments_title_in_a_language'), 'title_es IS NOT NULL OR title_en IS NOT NULL')


def downgrade():
    with op.batch_alter_table(TABLE, schema=None) as batch_op:
        for field, sql_type in FIELDS.items():
            batch_op.add_column(sa.Column(field, sql_type, nullable=True))
    for field in FIELDS:
        op.execute(f"UPDATE {TABLE} SET {field} = CASE WHEN original_language = 'en' "
                   f"THEN COALESCE({field}_en, {field}_es, '') ELSE COALESCE({field}_es, {field}_en, '') END")
    with op.batch_alter_table(TABLE, schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_commitments_title_in_a_language'), type_='check')
        for field, sql_type in FIELDS.items():
            batch_op.alter_column(field, existing_type=sql_type, nullable=False)
            batch_op.drop_column(f'{field}_es')
            batch_op.drop_column(f'{field}_en')
        batch_op.drop_column('original_language')
