"""Full-text search of commitments' titles and descriptions in both languages: on SQLite an FTS5 table kept in
step by triggers, on PostgreSQL a weighted tsvector column generated from the four columns, with a GIN index;
filled from the rows already there (see portal/core/search.py).

A later migration that rebuilds the commitments table on SQLite (batch mode copies, drops and renames it)
drops these triggers with it and must make them again (tests/commitments/test_search.py checks they exist).

Revision ID: 3f7a9c1e5b20
Revises: 8dbc2ccf0a83
Create Date: 2026-12-06 16:00:00

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '3f7a9c1e5b20'
down_revision = '8dbc2ccf0a83'
branch_labels = None
depends_on = None

COLUMNS = "title_es, title_en, description_es, description_en"
NEW = "new.title_es, new.title_en, new.description_es, new.description_en"
OLD = "old.title_es, old.title_en, old.description_es, old.description_en"

SQLITE_UP = [
    # External content: the text stays in commitments; the FTS5 table holds only the index.
    f"CREATE VIRTUAL TABLE commitments_search USING fts5({COLUMNS}, content='commitments', content_rowid='id',"
    " tokenize='unicode61 remove_diacritics 2')",
    f"CREATE TRIGGER commitments_search_insert AFTER INSERT ON commitments BEGIN"
    f" INSERT INTO commitments_search(rowid, {COLUMNS}) VALUES (new.id, {NEW}); END",
    f"CREATE TRIGGER commitments_search_delete AFTER DELETE ON commitments BEGIN"
    f" INSERT INTO commitments_search(commitments_search, rowid, {COLUMNS}) VALUES ('delete', old.id, {OLD}); END",
    f"CREATE TRIGGER commitments_search_update AFTER UPDATE OF {COLUMNS} ON commitments BEGIN"
    f" INSERT INTO commitments_search(commitments_search, rowid, {COLUMNS}) VALUES ('delete', old.id, {OLD});"
    f" INSERT INTO commitments_search(rowid, {COLUMNS}) VALUES (new.id, {NEW}); END",
    "INSERT INTO commitments_search(commitments_search) VALUES ('rebuild')",
]
SQLITE_DOWN = [
    "DROP TRIGGER commitments_search_update",
    "DROP TRIGGER commitments_search_delete",
    "DROP TRIGGER commitments_search_insert",
    "DROP TABLE commitments_search",
]

# Accents folded with translate() rather than the unaccent extension: unaccent is not immutable (a generated
# column cannot call it), and a database without the contrib package or the right to create extensions could
# not run this migration. These letters cover Spanish, English, Portuguese and French text. "<", ">" and "&"
# become spaces: PostgreSQL's parser would otherwise read "<word>" as a markup tag and "&word;" as an entity and
# leave the word out, where SQLite indexes it.
ACCENTED = "áàâäãåéèêëíìîïóòôöõúùûüñçýÿÁÀÂÄÃÅÉÈÊËÍÌÎÏÓÒÔÖÕÚÙÛÜÑÇÝ<>&"
PLAIN = "aaaaaaeeeeiiiiooooouuuuncyyAAAAAAEEEEIIIIOOOOOUUUUNCY   "


def _weighted(config: str, text: str, weight: str) -> str:
    return f"setweight(to_tsvector('{config}'::regconfig, {text}), '{weight}')"


def _vector() -> str:
    parts = []
    for field, weight in (("title", "A"), ("description", "B")):
        spanish, english = f"coalesce({field}_es, '')", f"coalesce({field}_en, '')"
        # Each language stemmed by its own rules, and both unstemmed with accents folded (word and prefix
        # matching as on SQLite: "organizacion" finds "organización", "consul" finds "consulares").
        parts += [_weighted("spanish", spanish, weight), _weighted("english", english, weight),
                  _weighted("simple", f"search_fold({spanish} || ' ' || {english})", weight)]
    return " || ".join(parts)


POSTGRESQL_UP = [
    f"CREATE FUNCTION search_fold(text) RETURNS text LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE"
    f" AS $$ SELECT translate($1, '{ACCENTED}', '{PLAIN}') $$",
    # Adding a stored generated column computes it for every row already there.
    f"ALTER TABLE commitments ADD COLUMN search_vector tsvector GENERATED ALWAYS AS ({_vector()}) STORED",
    "CREATE INDEX ix_commitments_search_vector ON commitments USING gin (search_vector)",
]
POSTGRESQL_DOWN = [
    "DROP INDEX ix_commitments_search_vector",
    "ALTER TABLE commitments DROP COLUMN search_vector",
    "DROP FUNCTION search_fold(text)",
]


def _run(statements) -> None:
    for statement in statements:
        op.execute(sa.text(statement))


def upgrade():
    _run(POSTGRESQL_UP if op.get_bind().dialect.name == "postgresql" else SQLITE_UP)


def downgrade():
    _run(POSTGRESQL_DOWN if op.get_bind().dialect.name == "postgresql" else SQLITE_DOWN)
