"""A joint action's title and description, and each party's deliverable, in Spanish, English or both, each
record with its original language.

Existing text was written in the portal's default language: it becomes the Spanish text and the original
language of every existing joint action and party is Spanish. Going down keeps, for each field, the
original language's text (else the other one): a translation added later is the only thing it loses.

Revision ID: 7c2d9e4f1b63
Revises: 5b1e0c7d2a41
Create Date: 2026-12-06 13:20:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '7c2d9e4f1b63'
down_revision = '5b1e0c7d2a41'
branch_labels = None
depends_on = None

#: table: {field: SQL type}, and whether the first field needs one language at least (a check constraint).
TABLES = {
    'joint_actions': ({'title': sa.String(300), 'description': sa.Text()}, True),
    'joint_action_parties': ({'deliverable': sa.Text()}, False),
}


def upgrade():
    for table, (fields, required) in TABLES.items():
        with op.batch_alter_table(table, schema=None) as batch_op:
            for field, sql_type in fields.items():
                batch_op.add_column(sa.Column(f'{field}_es', sql_type, nullable=True))
                batch_op.add_column(sa.Column(f'{field}_en', sql_type, nullable=True))
            batch_op.add_column(sa.Column('original_language', sa.String(length=2), server_default='es',
                                          nullable=False))
        for field in fields:
            # Blank text is no text: NULL, so "written in Spanish" is "IS NOT NULL".
            op.execute(f"UPDATE {table} SET {field}_es = NULLIF(TRIM({field}), '')")
        with op.batch_alter_table(table, schema=None) as batch_op:
            for field in fields:
                batch_op.drop_column(field)
            if required:
                first = next(iter(fields))
                batch_op.create_check_constraint(op.f(f'ck_{table}_{first}_in_a_language'),
                                                 f'{first}_es IS NOT NULL OR {first}_en IS NOT NULL')


def downgrade():
    for table, (fields, required) in TABLES.items():
        with op.batch_alter_table(table, schema=None) as batch_op:
            for field, sql_type in fields.items():
                batch_op.add_column(sa.Column(field, sql_type, nullable=True))
        for field in fields:
            op.execute(f"UPDATE {table} SET {field} = CASE WHEN original_language = 'en' "
                       f"THEN COALESCE({field}_en, {field}_es, '') ELSE COALESCE({field}_es, {field}_en, '') END")
        with op.batch_alter_table(table, schema=None) as batch_op:
            if required:
                batch_op.drop_constraint(op.f(f'ck_{table}_{next(iter(fields))}_in_a_language'), type_='check')
            for field, sql_type in fields.items():
                batch_op.alter_column(field, existing_type=sql_type, nullable=False)
                batch_op.drop_column(f'{field}_es')
                batch_op.drop_column(f'{field}_en')
            batch_op.drop_column('original_language')
