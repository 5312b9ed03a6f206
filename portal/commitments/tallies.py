"""Summary rows of the commitments, kept in step with every write: how many there are per key.

``commitment_tallies`` counts the commitments per scope (all of them, one organisation's, one symposium's),
visibility, archived flag, status, renegotiated flag and, for those visible to their owner alone, owner; ``commitment_tag_tallies`` counts the tagged ones per framework tag,
organisation, visibility, archived flag, status and renegotiated flag. The keys are what the visibility rule and the
pages' groupings need, so a scorecard or a count per country or per tag sums a few thousand rows
instead of reading every commitment.

One place keeps them in step: every change of a commitment or of its tags goes through the ORM
session, as a flush or as an UPDATE statement (the derived progress columns), and the listeners below
read the keys of the commitments it touches from the database before (locking the rows) and after, and
add the difference in the same transaction. A figure read from them is therefore never stale.
``recompute_tallies`` rebuilds them from the base tables (bulk loaders, and the test that compares).
"""

from collections import Counter

from sqlalchemy import (
    Boolean,
    Column,
    Integer,
    String,
    Table,
    case,
    delete,
    event,
    func,
    literal,
    select,
    union_all,
)
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from portal.commitments.models import Commitment, commitment_framework_tags
from portal.core.permissions import Visibility
from portal.extensions import db

#: Scopes of ``commitment_tallies``: every commitment, one organisation's (scope_id), one symposium's.
ALL, ORGANISATION, SYMPOSIUM = "a", "o", "s"

commitment_tallies = Table(
    "commitment_tallies",
    db.metadata,
    Column("scope", String(1), primary_key=True),
    Column("scope_id", Integer, primary_key=True),
    Column("visibility", String(10), primary_key=True),
    Column("is_archived", Boolean, primary_key=True),
    Column("status", String(20), primary_key=True),
    Column("is_renegotiated", Boolean, primary_key=True),
    #: The owning organisation of "parties" commitments, whom the visibility rule lets see them; 0 otherwise.
    Column("owner_id", Integer, primary_key=True),
    Column("count", Integer, nullable=False),
)

commitment_tag_tallies = Table(
    "commitment_tag_tallies",
    db.metadata,
    Column("tag_id", Integer, primary_key=True),
    Column("organisation_id", Integer, primary_key=True),
    Column("visibility", String(10), primary_key=True),
    Column("is_archived", Boolean, primary_key=True),
    Column("status", String(20), primary_key=True),
    Column("is_renegotiated", Boolean, primary_key=True),
    Column("count", Integer, nullable=False),
)

_COLUMNS = (Commitment.organisation_id, Commitment.symposium_id, Commitment.visibility, Commitment.is_archived,
            Commitment.status, Commitment.is_renegotiated)
_TAG_KEY = (commitment_framework_tags.c.tag_id, Commitment.organisation_id, Commitment.visibility,
            Commitment.is_archived, Commitment.status, Commitment.is_renegotiated)
_BEFORE = "commitment_tallies.before"


def _scope_keys(organisation_id, symposium_id, visibility, is_archived, status, is_renegotiated) -> list[tuple]:
    """The keys of ``commitment_tallies`` one commitment counts in: all, its organisation's, its symposium's."""
    owner = organisation_id if visibility == Visibility.PARTIES else 0
    rest = (visibility, bool(is_archived), status, bool(is_renegotiated), owner)
    keys = [(ALL, 0, *rest), (ORGANISATION, organisation_id, *rest)]
    if symposium_id is not None:
        keys.append((SYMPOSIUM, symposium_id, *rest))
    return keys


def _tally_rows(connection, ids, lock: bool = False) -> tuple[Counter, Counter]:
    """The keys of the commitments ``ids`` as the database holds them, and of their tag links (two
    statements); ``lock`` takes the commitments' row locks first, so that no other writer moves them
    between this read and the write that follows."""
    ids = sorted(ids)
    query = select(*_COLUMNS).where(Commitment.id.in_(ids)).order_by(Commitment.id)
    if lock and connection.dialect.name == "postgresql":
        query = query.with_for_update()
    keys = Counter(key for row in connection.execute(query) for key in _scope_keys(*row))
    tags = Counter(tuple(row) for row in connection.execute(
        select(*_TAG_KEY).join(Commitment, Commitment.id == commitment_framework_tags.c.commitment_id)
        .where(commitment_framework_tags.c.commitment_id.in_(ids))))
    return keys, tags


def _add(connection, table, deltas: Counter) -> None:
    """Add each non-zero delta to its row, creating it if needed, in key order (no crosswise waits)."""
    insert = postgresql_insert if connection.dialect.name == "postgresql" else sqlite_insert
    keys = [column.name for column in table.primary_key.columns]
    for key in sorted(key for key, delta in deltas.items() if delta):
        statement = insert(table).values(**dict(zip(keys, key)), count=deltas[key])
        connection.execute(statement.on_conflict_do_update(
            index_elements=keys, set_={"count": table.c.count + statement.excluded.count}))


#: The same upsert for other summary rows kept as these are (the progress tallies of the public pages).
add_counts = _add


def _apply(connection, before: tuple[Counter, Counter], after: tuple[Counter, Counter]) -> None:
    for table, old, new in ((commitment_tallies, *(before[0], after[0])), (commitment_tag_tallies, before[1], after[1])):
        deltas = Counter(new)
        deltas.subtract(old)
        _add(connection, table, deltas)


def _changed_ids(session) -> set[int]:
    """The stored commitments this flush changes or deletes (a changed tag list counts)."""
    return {item.id for item in session.dirty if isinstance(item, Commitment) and item.id is not None
            and session.is_modified(item)} | {
        item.id for item in session.deleted if isinstance(item, Commitment) and item.id is not None}


def _before_flush(session, _context, _instances) -> None:
    ids = _changed_ids(session)
    session.info[_BEFORE] = (ids, _tally_rows(session.connection(), ids, lock=True) if ids else (Counter(), Counter()))


def _after_flush(session, _context) -> None:
    ids, before = session.info.pop(_BEFORE, (set(), (Counter(), Counter())))
    ids = ids | {item.id for item in session.new if isinstance(item, Commitment)}
    if ids:
        connection = session.connection()
        _apply(connection, before, _tally_rows(connection, ids))


def _statement_ids(state, connection) -> set[int] | None:
    """The commitments an INSERT, UPDATE or DELETE statement on commitments or their tag links touches
    (None: the statement touches neither). Inserted commitments are counted from their values instead."""
    statement, table = state.statement, getattr(state.statement, "table", None)
    name = getattr(table, "name", None)
    if name == commitment_framework_tags.name:
        if state.is_insert:
            rows = state.parameters if isinstance(state.parameters, list) else [state.parameters or {}]
            return {row["commitment_id"] for row in rows}
        column, source = commitment_framework_tags.c.commitment_id, commitment_framework_tags
    elif name == Commitment.__tablename__ and not state.is_insert:
        column, source = Commitment.id, Commitment
    else:
        return None
    query = select(column).select_from(source)
    if statement.whereclause is not None:
        query = query.where(statement.whereclause)
    return set(connection.scalars(query))


def _inserted_keys(state) -> Counter:
    """The tally keys of commitments inserted by a statement (bulk loaders), from the values it sends."""
    rows = state.parameters if isinstance(state.parameters, list) else [state.parameters or {}]
    columns = Commitment.__table__.c
    defaults = {name: columns[name].default.arg for name in ("visibility", "is_archived", "status", "is_renegotiated")}
    return Counter(key for row in rows for key in _scope_keys(
        row["organisation_id"], row.get("symposium_id"), *(row.get(name, default) for name, default in defaults.items())))


def _on_statement(state):
    """Keep the tallies in step with a statement on commitments or their tag links sent through the session."""
    if not (state.is_insert or state.is_update or state.is_delete):
        return None
    connection = state.session.connection()
    if state.is_insert and getattr(state.statement.table, "name", None) == Commitment.__tablename__:
        result = state.invoke_statement()
        _add(connection, commitment_tallies, _inserted_keys(state))
        return result
    ids = _statement_ids(state, connection)
    if not ids:
        return None
    before = _tally_rows(connection, ids, lock=True)
    result = state.invoke_statement()
    _apply(connection, before, _tally_rows(connection, ids))
    return result


event.listen(Session, "before_flush", _before_flush)
event.listen(Session, "after_flush", _after_flush)
event.listen(Session, "do_orm_execute", _on_statement)


def _grouped_scopes():
    """The rows of ``commitment_tallies`` computed from the commitments (one SELECT, a UNION ALL per scope)."""
    owner = case((Commitment.visibility == Visibility.PARTIES, Commitment.organisation_id), else_=0)
    rest = (Commitment.visibility, Commitment.is_archived, Commitment.status, Commitment.is_renegotiated, owner)
    return union_all(*(select(literal(scope), scope_id, *rest, func.count()).where(*where).group_by(scope_id, *rest)
                       for scope, scope_id, where in ((ALL, literal(0), ()),
                                                      (ORGANISATION, Commitment.organisation_id, ()),
                                                      (SYMPOSIUM, Commitment.symposium_id,
                                                       (Commitment.symposium_id.is_not(None),)))))


def recompute_tallies(connection) -> None:
    """Rebuild both tallies from the base tables (after a bulk load that bypassed the ORM)."""
    connection.execute(delete(commitment_tallies))
    connection.execute(delete(commitment_tag_tallies))
    connection.execute(commitment_tallies.insert().from_select(
        [column.name for column in commitment_tallies.c], _grouped_scopes()))
    connection.execute(commitment_tag_tallies.insert().from_select(
        [column.name for column in commitment_tag_tallies.c],
        select(*_TAG_KEY, func.count()).join(Commitment, Commitment.id == commitment_framework_tags.c.commitment_id)
        .group_by(*_TAG_KEY)))


def tallies_from_base_tables(connection) -> tuple[dict, dict]:
    """What the tallies should hold, counted from the base tables one commitment at a time ({key: count})."""
    keys = Counter(key for row in connection.execute(select(*_COLUMNS)) for key in _scope_keys(*row))
    tags = {tuple(row[:-1]): row[-1] for row in connection.execute(
        select(*_TAG_KEY, func.count()).join(Commitment, Commitment.id == commitment_framework_tags.c.commitment_id)
        .group_by(*_TAG_KEY))}
    return dict(keys), tags


def stored_tallies(connection) -> tuple[dict, dict]:
    """What the tallies hold ({key: count}, rows counting zero left out)."""
    result = []
    for table in (commitment_tallies, commitment_tag_tallies):
        keys = [column for column in table.primary_key.columns]
        result.append({tuple(row[:-1]): row[-1] for row in connection.execute(
            select(*keys, table.c.count).where(table.c.count != 0))})
    result[0] = {(scope, scope_id, visibility, bool(archived), status, bool(renegotiated), owner): count
                 for (scope, scope_id, visibility, archived, status, renegotiated, owner), count in result[0].items()}
    return result[0], result[1]

