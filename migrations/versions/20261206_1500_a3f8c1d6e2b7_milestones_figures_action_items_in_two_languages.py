"""A joint action's milestones, a country's context figures (label and note) and the minutes' action items
in Spanish, English or both, each record with its original language.

Existing milestone titles, figure notes and action-item descriptions were written in the portal's default
language: each becomes the Spanish text, and the original language of every existing record is Spanish.
Context figures already had a label in each language (both required): those columns stay, and only one of
the two is required from now on. Going down keeps, for each field, the original language's text (else the
other one), and a figure's label missing in one language takes the other language's.

Revision ID: a3f8c1d6e2b7
Revises: 0eea543e53fe
Create Date: 2026-12-06 15:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a3f8c1d6e2b7'
down_revision = '0eea543e53fe'
branch_labels = None
depends_on = None

#: table: {field moving to a column per language: SQL type}, and the field needing one language at least.
TABLES = {
    'joint_action_milestones': ({'title': sa.String(300)}, 'title'),
    'context_figures': ({'note': sa.Text()}, 'label'),
    'minutes_action_items': ({'description': sa.Text()}, 'description'),
}
LABEL = sa.String(length=300)


def upgrade():
    for table, (fields, required) in TABLES.items():
        with op.batch_alter_table(table, schema=None) as batch_op:
            for field, sql_type in fields.items():
                batch_op.add_column(sa.Column(f'{field}_es', sql_type, nullable=True))
                batch_op.add_column(sa.Column(f'{field}_en', sql_type, nullable=True))
            batch_op.add_column(sa.Column('original_language', sa.String(length=2), server_default='es',
                                          nullable=False))
            if table == 'context_figures':
                # The label already has its two columns; either may now be left empty.
                batch_op.alter_column('label_es', existing_type=LABEL, nullable=True)
                batch_op.alter_column('label_en', existing_type=LABEL, nullable=True)
        for field in fields:
            # Blank text is no text: NULL, so "written in Spanish" is "IS NOT NULL".
            op.execute(f"UPDATE {table} SET {field}_es = NULLIF(TRIM({field}), '')")
        if table == 'context_figures':
            op.execute("UPDATE context_figures SET label_es = NULLIF(TRIM(label_es), ''), "
                       "label_en = NULLIF(TRIM(label_en), '')")
        with op.batch_alter_table(table, schema=None) as batch_op:
            for field in fields:
                batch_op.drop_column(field)
            batch_op.create_check_constraint(op.f(f'ck_{table}_{required}_in_a_language'),
                                             f'{required}_es IS NOT NULL OR {required}_en IS NOT NULL')


def downgrade():
    for table, (fields, required) in TABLES.items():
        with op.batch_alter_table(table, schema=None) as batch_op:
            for field, sql_type in fields.items():
                batch_op.add_column(sa.Column(field, sql_type, nullable=True))
        for field in fields:
            op.execute(f"UPDATE {table} SET {field} = CASE WHEN original_language = 'en' "
                       f"THEN COALESCE({field}_en, {field}_es, '') ELSE COALESCE({field}_es, {field}_en, '') END")
        if table == 'context_figures':
            # Both labels were required: one written in a single language is given in both.
            op.execute("UPDATE context_figures SET label_es = COALESCE(label_es, label_en, ''), "
                       "label_en = COALESCE(label_en, label_es, '')")
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_constraint(op.f(f'ck_{table}_{required}_in_a_language'), type_='check')
            for field, sql_type in fields.items():
                batch_op.alter_column(field, existing_type=sql_type, nullable=False)
                batch_op.drop_column(f'{field}_es')
                batch_op.drop_column(f'{field}_en')
            if table == 'context_figures':
                batch_op.alter_column('label_es', existing_type=LABEL, nullable=False)
                batch_op.alter_column('label_en', existing_type=LABEL, nullable=False)
            batch_op.drop_column('original_language')
