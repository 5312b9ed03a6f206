"""Full-text search over text in Spanish and English: FTS5 on SQLite, a weighted tsvector on PostgreSQL.

A search box's text is cut into words (letters and digits; everything else separates them), so no
character typed ever reaches FTS5's or tsquery's syntax: quotes, ``*``, ``-``, ``:``, brackets, ``NEAR``
or ``OR`` are either separators or plain words. Every word must match; the last also matches as the
start of a longer word ("consul" finds "consular"), since people search while typing.

- **SQLite**: an external-content FTS5 table (``unicode61 remove_diacritics 2``: case and accents folded,
  "organizacion" finds "organización"), kept in step with its table by triggers made in the migration.
  Each word is sent quoted (``"word"``, ``"last"*``); the rank is ``bm25`` with a weight per column.
- **PostgreSQL**: a stored generated ``tsvector`` column with a GIN index. Each language's columns are
  stemmed by their own configuration (``spanish``, ``english``), and both are also indexed unstemmed with
  accents folded (``simple`` over ``search_fold``), which gives the same word-and-prefix matching as
  SQLite; titles weigh A, descriptions B. A word matches in any of the three (``to_tsquery`` of a word
  made only of letters and digits, ``:*`` after the last); the rank is ``ts_rank``.

The objects themselves are made by the migration; :func:`include_object` keeps Alembic's comparison of
models and schema from taking them for strays.
"""

import re
import unicodedata
from dataclasses import dataclass

from sqlalchemy import Boolean, bindparam, false, func, literal_column, select, table
from sqlalchemy import column as sql_column

from portal.extensions import db

#: A word: letters and digits (``_`` is a word character to ``re``, not to either index).
WORD = re.compile(r"[^\W_]+")
#: Words beyond these are ignored: the search box takes 100 characters, and a query grows with each word.
MAX_WORDS = 16


def search_words(text: str | None) -> list[str]:
    """The words of a search box's text, in order; nothing else of it is kept."""
    return WORD.findall(unicodedata.normalize("NFC", text or ""))[:MAX_WORDS]


def fts5_query(words: list[str]) -> str:
    """An FTS5 query: every word quoted (``"`` doubled), the last one also a prefix."""
    quoted = ['"' + word.replace('"', '""') + '"' for word in words]
    return " ".join(quoted) + "*"


@dataclass(frozen=True)
class FullTextIndex:
    """Where a table's search index lives: its FTS5 table on SQLite, its tsvector column on PostgreSQL."""

    table: str
    #: SQLite: the FTS5 table, whose rowid is the row's id.
    fts_table: str
    #: SQLite: bm25 weight of each of the FTS5 table's columns, in their order.
    fts_weights: tuple[float, ...]
    #: PostgreSQL: the generated tsvector column and its GIN index.
    vector: str
    vector_index: str

    def search(self, key, text: str | None) -> "TextSearch":
        """The match condition and the ranking for ``text``, in the dialect of the session's database;
        ``key`` is the table's id column."""
        words = search_words(text)
        dialect = db.session.get_bind().dialect.name
        if not words:
            return TextSearch(false(), None, key)
        if dialect == "postgresql":
            return self._tsvector_search(key, words)
        return self._fts5_search(key, words)

    def _fts5_search(self, key, words: list[str]) -> "TextSearch":
        fts = table(self.fts_table, sql_column("rowid"))
        match = literal_column(self.fts_table).op("MATCH", is_comparison=True)(
            bindparam("search_query", fts5_query(words)))
        ranks = select(fts.c.rowid.label("id"),
                       func.bm25(literal_column(self.fts_table), *self.fts_weights).label("rank")) \
            .where(match).subquery("search_ranks")
        # bm25 is lower for better matches.
        return TextSearch(key.in_(select(fts.c.rowid).where(match)), ranks, key)

    def _tsvector_search(self, key, words: list[str]) -> "TextSearch":
        query = None
        for position, word in enumerate(words):
            value = word + (":*" if position == len(words) - 1 else "")
            term = bindparam(f"search_word_{position}", value)
            either = func.to_tsquery(literal_column("'spanish'::regconfig"), term) \
                .op("||")(func.to_tsquery(literal_column("'english'::regconfig"), term)) \
                .op("||")(func.to_tsquery(literal_column("'simple'::regconfig"), func.search_fold(term)))
            query = either if query is None else query.op("&&")(either)
        vector = literal_column(f"{self.table}.{self.vector}")
        return TextSearch(vector.op("@@", return_type=Boolean)(query), func.ts_rank(vector, query).desc(), key)


@dataclass(frozen=True)
class TextSearch:
    """A search's condition (for counts, lists in any order, the API, exports) and its ranking."""

    condition: object
    #: SQLite: the subquery of matching ids with their bm25; PostgreSQL: the ORDER BY term.
    rank: object
    key: object

    def ranked(self, query):
        """``query`` (without :attr:`condition`) narrowed to the matches, best first, then newest id."""
        if self.rank is None:
            return query.where(self.condition)
        if hasattr(self.rank, "c"):
            # SQLite: the FTS5 table is read once, joined to the rows with their rank.
            return query.join(self.rank, self.rank.c.id == self.key).order_by(self.rank.c.rank, self.key.desc())
        return query.where(self.condition).order_by(self.rank, self.key.desc())


#: Every index the models declare, for :func:`include_object`.
INDEXES: list[FullTextIndex] = []


def full_text_index(**fields) -> FullTextIndex:
    """Declare a table's search index (its objects are made by a migration)."""
    index = FullTextIndex(**fields)
    INDEXES.append(index)
    return index


def include_object(obj, name, type_, reflected, compare_to) -> bool:
    """For Alembic's comparison: leave out the search objects, which the models do not declare."""
    if not reflected or compare_to is not None:
        return True
    if type_ == "table":
        return include_name(name, type_, {})
    for index in INDEXES:
        if type_ == "column" and name == index.vector and obj.table.name == index.table:
            return False
        if type_ == "index" and name == index.vector_index:
            return False
    return True


def include_name(name, type_, parent_names) -> bool:
    """For Alembic's comparison: do not reflect the FTS5 tables (virtual tables and their shadows)."""
    return not (type_ == "table" and any(name == index.fts_table or name.startswith(index.fts_table + "_")
                                          for index in INDEXES))
