"""Page-cache generations: what makes a cached page stale, and the write listeners that move them.

A cached page is served only under the generations it was rendered under (``portal.core.cache``), and the
generations live in the database, so that every worker on every server sees the same ones:

- every committing write bumps it, in the same transaction, as the last statement before COMMIT
  (SQLAlchemy ``before_commit``, after a flush). Readers therefore see the new generation exactly
  when they see the new rows: a reader that still reads the old number may render old or new
  rows under it, and no one reads the old number once the write is committed, so no stale page is
  served after a commit. On SQLite a read request is one transaction (one snapshot) anyway.
- a generation is the sum of a few counter rows (``SHARDS``, in ``page_cache_scopes``), and a
  writing transaction bumps one of them at random. On PostgreSQL a bumped row stays locked until
  COMMIT, disk flush included (about 2.4 ms here): with one row, writers would commit one at a time,
  and no more than some 400 writes a second whatever the hardware. Spread over rows, commits
  overlap and share their flushes. The sum still grows with every commit, which is all a reader needs.
- a cacheable request reads its generations once (one small query) and looks up
  (path, query string, interface language, local date); an entry is served only if it was rendered
  under the same generations. Others are never served, and age out of the bounded map.

A write that touches only what no cached page shows leaves the generation alone: modules declare such
tables, columns and rows with ``unseen_by_cached_pages`` (sign-in bookkeeping, for one: otherwise
every sign-in, failed or not, would empty every cache, and a stream of wrong passwords would keep
the public pages cold). Anything not declared counts as seen, so a forgotten declaration costs a
cold cache, never a stale page.

Finer still, a write need not drop every page. Besides the global generation, each page depends on a
few *scopes*, each with its own generation in ``page_cache_scopes`` (bumped in the same transaction, the
same way): "lists" (the home, indexes and lists, every symposium and framework page), "country:HND"
(a country's page), "actions" (joint actions, shown on country and commitment pages), and
"commitments:42" (one commitment's page). Modules declare with ``pages_changed_by`` which scopes a
written row can change; a progress report on a Guatemalan commitment bumps "lists", "country:GTM" and
"commitments:42", and Honduras's page stays cached. A seen write with no declared scope bumps the
global generation, which every page depends on.
"""

import random
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from sqlalchemy import (BigInteger, Column, Integer, String, Table, bindparam, event, func, inspect, literal, select,
                        union_all, update)
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session
from sqlalchemy.sql import operators
from sqlalchemy.sql.dml import Update, UpdateBase
from sqlalchemy.sql.elements import BinaryExpression, BindParameter, BooleanClauseList, TextClause

from portal.extensions import db

cache_generation = Table(
    "cache_generation",
    db.metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("value", BigInteger, nullable=False),
)

page_cache_scopes = Table(
    "page_cache_scopes",
    db.metadata,
    Column("scope", String(120), primary_key=True),
    Column("shard", Integer, primary_key=True, autoincrement=False),
    Column("generation", BigInteger, nullable=False),
)
#: Counter rows per generation (see the module's docstring).
SHARDS = 16

LISTS = "lists"
ACTIONS = "actions"
_DIRTY = "page_cache_dirty"
_SCOPES = "page_cache_scopes"


#: The scope every cached page depends on: a write that may show anywhere bumps it.
EVERYWHERE = "*"
_LEGACY = select(literal(EVERYWHERE).label("scope"), cache_generation.c.value).where(cache_generation.c.id == 1)
#: Built once: a hit pays for running the query, not for building it (an expanding IN takes the scopes).
_GENERATIONS = union_all(_LEGACY, select(page_cache_scopes.c.scope, func.sum(page_cache_scopes.c.generation))
                         .where(page_cache_scopes.c.scope.in_(bindparam("scopes", expanding=True)))
                         .group_by(page_cache_scopes.c.scope))


def read_generations(scopes: tuple[str, ...] = ()) -> tuple | None:
    """The global generation and those of ``scopes`` (0 for a scope never bumped), in one query; None if
    the counter row is missing."""
    # Core on the session's connection (the same transaction as the page's queries): a hit's one query,
    # without the ORM's statement handling, which costs more than the query itself.
    rows = db.session.connection().execute(_GENERATIONS, {"scopes": [EVERYWHERE, *scopes]}).all()
    if not rows or rows[0][0] != EVERYWHERE:
        return None
    found = dict(rows[1:])
    # The global generation: the row bulk loaders and migrations bump, plus the rows writers bump.
    return (rows[0][1] + found.get(EVERYWHERE, 0), *(found.get(scope, 0) for scope in scopes))


def read_generation() -> int | None:
    """Return the current global cache generation, or None if the counter row is missing."""
    generations = read_generations()
    return generations[0] if generations else None


@dataclass(frozen=True)
class _Unseen:
    """What of one table no cached page reads: the whole table, some columns, or some rows."""

    columns: frozenset[str] | None = None
    rows: Callable[[object], bool] | None = None


#: By table name: see ``unseen_by_cached_pages``.
_UNSEEN: dict[str, _Unseen] = {}


def unseen_by_cached_pages(table: str, columns: Iterable[str] | None = None,
                           rows: Callable[[object], bool] | None = None) -> None:
    """Declare that no cached page reads ``table``: all of it, only ``columns`` of it, or only the rows
    (ORM objects) for which ``rows(obj)`` is true. Writes to that alone then keep every page cache."""
    _UNSEEN[table] = _Unseen(frozenset(columns) if columns is not None else None, rows)


def _seen_object(obj, new_or_deleted: bool) -> bool:
    """Whether flushing this added, deleted or changed object may change a cached page."""
    unseen = _UNSEEN.get(inspect(obj).mapper.local_table.name)
    if unseen is None:
        return True
    if unseen.rows is not None:
        return not unseen.rows(obj)
    if unseen.columns is None:
        return False
    if new_or_deleted:
        return True
    changed = {attr.key for attr in inspect(obj).attrs if attr.history.has_changes()}
    return not changed <= unseen.columns


#: By table name: see ``pages_changed_by``.
_CHANGES: dict[str, list[Callable[[object], Iterable[str]]]] = {}


def pages_changed_by(table: str, scopes: Callable[[object], Iterable[str]]) -> None:
    """Declare which cached pages a written row of ``table`` can change: ``scopes(obj)`` names their scopes
    (see the module's docstring). Several modules may declare for one table; a row none of them claims
    (every function answers nothing) drops every page."""
    _CHANGES.setdefault(table, []).append(scopes)


def _changed_scopes(obj) -> set[str] | None:
    """The scopes a flushed object can change, or None if it may change any page."""
    declared = _CHANGES.get(inspect(obj).mapper.local_table.name)
    if not declared:
        return None
    scopes = {scope for scopes_of in declared for scope in scopes_of(obj)}
    return scopes or None


def _seen_statement(statement) -> bool:
    """Whether a bulk INSERT, UPDATE or DELETE may change a cached page."""
    table = getattr(statement, "table", None)
    unseen = _UNSEEN.get(getattr(table, "name", None))
    if unseen is None or unseen.rows is not None:
        return True  # rows cannot be told apart in a bulk statement
    if unseen.columns is None:
        return False
    if isinstance(statement, Update):
        written = {getattr(column, "key", column) for column in statement._values or {}}
        return not written or not written <= unseen.columns
    return True


def _note_flush(session, _flush_context) -> None:
    # After the flush, new/dirty/deleted and the attribute history still show what was flushed.
    seen = [obj for obj in (*session.new, *session.deleted) if _seen_object(obj, True)]
    seen += [obj for obj in session.dirty if _seen_object(obj, False)]
    if session.info.get(_DIRTY):
        return
    with session.no_autoflush:
        for obj in seen:
            scopes = _changed_scopes(obj)
            if scopes is None:
                session.info[_DIRTY] = True
                return
            session.info.setdefault(_SCOPES, set()).update(scopes)


def _updated_row(state):
    """The object an ORM UPDATE of one row by its id writes (``update(Model).where(Model.id == 5, ...)``),
    from the session's identity map; None for any other statement."""
    statement = state.statement
    if not (state.is_update and isinstance(statement, Update) and state.bind_mapper is not None):
        return None
    where = statement.whereclause
    clauses = list(where.clauses) if isinstance(where, BooleanClauseList) else [where]
    for clause in clauses:
        # The ORM annotates the columns of the statement, so compare names, not objects.
        left = getattr(clause, "left", None)
        if (isinstance(clause, BinaryExpression) and clause.operator is operators.eq
                and getattr(left, "key", None) == "id"
                and getattr(getattr(left, "table", None), "name", None) == statement.table.name
                and isinstance(clause.right, BindParameter)):
            key = state.bind_mapper.identity_key_from_primary_key([clause.right.effective_value])
            return state.session.identity_map.get(key)
    return None


def _note_statement(state) -> None:
    statement = state.statement
    if isinstance(statement, TextClause):
        writes = not statement.text.lstrip().upper().startswith(("SELECT", "PRAGMA", "WITH"))
    else:
        writes = (state.is_insert or state.is_update or state.is_delete) and (
            not isinstance(statement, UpdateBase) or _seen_statement(statement))
    if not writes or state.session.info.get(_DIRTY):
        return
    row = _updated_row(state)
    scopes = _changed_scopes(row) if row is not None else None
    if scopes is None:
        state.session.info[_DIRTY] = True
    else:
        state.session.info.setdefault(_SCOPES, set()).update(scopes)


def _bump_before_commit(session) -> None:
    """Bump the generations as the last statements of a transaction that wrote something: the global one
    if a write may change any page, else those of the scopes its writes can change."""
    if session.new or session.dirty or session.deleted:
        session.flush()
    scopes = session.info.pop(_SCOPES, set())
    # Core on the connection: not ORM statements, so they do not mark the session again.
    connection = session.connection()
    if session.info.pop(_DIRTY, False):
        scopes = {EVERYWHERE}
    if scopes:
        shard = random.randrange(SHARDS)
        insert = postgresql_insert if connection.dialect.name == "postgresql" else sqlite_insert
        # One shard and a fixed order, so that two writers never wait for each other's rows crosswise.
        for scope in sorted(scopes):
            statement = insert(page_cache_scopes).values(scope=scope, shard=shard, generation=1)
            connection.execute(statement.on_conflict_do_update(
                index_elements=[page_cache_scopes.c.scope, page_cache_scopes.c.shard],
                set_={"generation": page_cache_scopes.c.generation + 1}))


def _forget_writes(session, *_args) -> None:
    session.info.pop(_DIRTY, None)
    session.info.pop(_SCOPES, None)


_listening = False


def listen_for_writes() -> None:
    """Install the write listeners on every ORM session of the process (once)."""
    global _listening
    if _listening:
        return
    event.listen(Session, "after_flush", _note_flush)
    event.listen(Session, "do_orm_execute", _note_statement)
    event.listen(Session, "before_commit", _bump_before_commit)
    event.listen(Session, "after_rollback", _forget_writes)
    _listening = True


def bump_generation(connection) -> None:
    """Bump the global generation from a connection writing outside the ORM session (bulk loaders)."""
    connection.execute(update(cache_generation).values(value=cache_generation.c.value + 1))
