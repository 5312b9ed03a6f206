"""A symposium's title and description, and each programme item's title, in Spanish, English or both, each
record with its original language.

Existing text was written in the portal's default language: a symposium's title becomes its Spanish title
(the English title it may already have stays its English title), its description the Spanish description,
and a programme item's title its Spanish title; the original language of every existing row is Spanish.
Going down, a symposium's title is its Spanish title (else the English one), its English title stays, and
every other field keeps the original language's text (else the other one).

Revision ID: a3f8d1c6e2b7
Revises: a3f8c1d6e2b7
Create Date: 2026-12-06 15:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a3f8d1c6e2b7'
down_revision = 'a3f8c1d6e2b7'
branch_labels = None
depends_on = None

#: table: {field: SQL type} of the fields gaining a column per language; the title needs one language.
TABLES = {
    'symposia': {'title': sa.String(300), 'description': sa.Text()},
    'agenda_items': {'title': sa.String(300)},
}
#: Columns that were already there: the symposium's English title.
KEPT = {('symposia', 'title_en')}


def upgrade():
    for table, fields in TABLES.items():
        with op.batch_alter_table(table, schema=None) as batch_op:
            for field, sql_type in fields.items():
                for lang in ('es', 'en'):
                    if (table, f'{field}_{lang}') not in KEPT:
                        batch_op.add_column(sa.Column(f'{field}_{lang}', sql_type, nullable=True))
            batch_op.add_column(sa.Column('original_language', sa.String(length=2), server_default='es',
                                          nullable=False))
        for field in fields:
            # Blank text is no text: NULL, so "written in Spanish" is "IS NOT NULL".
            op.execute(f"UPDATE {table} SET {field}_es = NULLIF(TRIM({field}), '')")
        if (table, 'title_en') in KEPT:
            op.execute(f"UPDATE {table} SET title_en = NULLIF(TRIM(title_en), '')")
        with op.batch_alter_table(table, schema=None) as batch_op:
            for field in fields:
                batch_op.drop_column(field)
            batch_op.create_check_constraint(op.f(f'ck_{table}_title_in_a_language'),
                                             'title_es IS NOT NULL OR title_en IS NOT NULL')


def downgrade():
    for table, fields in TABLES.items():
        with op.batch_alter_table(table, schema=None) as batch_op:
            for field, sql_type in fields.items():
                batch_op.add_column(sa.Column(field, sql_type, nullable=True))
        for field in fields:
            if (table, f'{field}_en') in KEPT:
                # The old shape's title is the Spanish one, beside its own English title.
                op.execute(f"UPDATE {table} SET {field} = COALESCE({field}_es, {field}_en, '')")
            else:
                op.execute(f"UPDATE {table} SET {field} = CASE WHEN original_language = 'en' "
                           f"THEN COALESCE({field}_en, {field}_es, '') ELSE COALESCE({field}_es, {field}_en, '') END")
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_constraint(op.f(f'ck_{table}_title_in_a_language'), type_='check')
            for field, sql_type in fields.items():
                batch_op.alter_column(field, existing_type=sql_type, nullable=False)
                for lang in ('es', 'en'):
                    if (table, f'{field}_{lang}') not in KEPT:
                        batch_op.drop_column(f'{field}_{lang}')
            batch_op.drop_column('original_language')
