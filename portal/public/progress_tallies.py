"""Summary rows of the progress updates, kept in step with every write: updates per day, completions per day.

``update_day_tallies`` counts the progress updates per day reported, by the visibility of their subject
(a commitment or a joint action), the commitment's archived flag, and, for subjects only some readers see,
the owning organisation of a "parties" commitment (``owner_id``) or the "parties" joint action itself
(``action_id``, whose accepted parties see it). The home's count of updates in the last 90 days sums
about 90 of them instead of joining every recent update to its subject.

``completion_tallies`` holds, per organisation's (``o``) and symposium's (``s``) commitments, by the keys of
``commitment_tallies`` (visibility, archived flag, owner), the change per day of the number of commitments
whose latest update says "completed": +1 the day such an update is reported, -1 the day the next update
on the same commitment is (none if it is still the latest). The number completed at a date is the sum of
the rows up to it, so a country's or a symposium's series is one pass over a few rows per commitment,
exact to the day and never stale: nothing in it depends on today's date.

Kept in step as ``tallies.py`` keeps the commitment tallies: session listeners read, from the database,
the updates of every commitment or joint action a flush or statement touches (its key columns, or an
update on it), before (locking the subject's row on PostgreSQL) and after, and add the difference in the
same transaction. ``recompute_progress_tallies`` rebuilds both from the base tables.
"""

from collections import Counter
from itertools import groupby

from sqlalchemy import Boolean, Column, Date, Integer, String, Table, and_, case, event, false, func, inspect
from sqlalchemy import literal, or_, select, true, union_all
from sqlalchemy.orm import Session

from portal.commitments.models import Commitment
from portal.commitments.permissions import visible_tallies_filter
from portal.commitments.scorecard import QuarterPoint, quarter_ends
from portal.commitments.tallies import ORGANISATION, SYMPOSIUM, add_counts
from portal.core.permissions import Visibility, is_site_admin
from portal.extensions import db
from portal.joint_actions.models import JointAction, Party, Response
from portal.progress.models import ProgressUpdate, Status

update_day_tallies = Table(
    "update_day_tallies",
    db.metadata,
    Column("visibility", String(10), primary_key=True),
    Column("day", Date, primary_key=True),
    Column("is_archived", Boolean, primary_key=True),
    #: The owning organisation of a "parties" commitment; 0 otherwise.
    Column("owner_id", Integer, primary_key=True),
    #: The joint action of an update on a "parties" joint action; 0 otherwise.
    Column("action_id", Integer, primary_key=True),
    Column("count", Integer, nullable=False),
)

completion_tallies = Table(
    "completion_tallies",
    db.metadata,
    Column("scope", String(1), primary_key=True),
    Column("scope_id", Integer, primary_key=True),
    Column("visibility", String(10), primary_key=True),
    Column("is_archived", Boolean, primary_key=True),
    Column("owner_id", Integer, primary_key=True),
    Column("day", Date, primary_key=True),
    #: The change that day in the number of completed commitments (negative when completions end).
    Column("count", Integer, nullable=False),
)

#: The columns whose change moves a subject's rows.
_COMMITMENT_KEYS = ("visibility", "is_archived", "organisation_id", "symposium_id")
_ACTION_KEYS = ("visibility",)
_UPDATE_KEYS = ("reported_on", "status", "commitment_id", "party_id")
_BEFORE = "progress_tallies.before"


def _commitment_counts(connection, ids, lock: bool = False) -> tuple[Counter, Counter]:
    """The day and completion rows of the commitments ``ids`` as the database holds them (one statement)."""
    if not ids:
        return Counter(), Counter()
    query = (select(Commitment.id, Commitment.organisation_id, Commitment.symposium_id, Commitment.visibility,
                    Commitment.is_archived, ProgressUpdate.reported_on, ProgressUpdate.status)
             .outerjoin(ProgressUpdate, ProgressUpdate.commitment_id == Commitment.id)
             .where(Commitment.id.in_(sorted(ids)))
             .order_by(Commitment.id, ProgressUpdate.reported_on, ProgressUpdate.id))
    if lock and connection.dialect.name == "postgresql":
        query = query.with_for_update(of=Commitment.__table__)
    days, completions = Counter(), Counter()
    for _id, rows in groupby(connection.execute(query), key=lambda row: row[0]):
        rows = list(rows)
        _id, organisation, symposium, visibility, archived, _day, _status = rows[0]
        owner = organisation if visibility == Visibility.PARTIES else 0
        updates = [(row[5], row[6]) for row in rows if row[5] is not None]
        for day, _status in updates:
            days[(visibility, day, bool(archived), owner, 0)] += 1
        scopes = [(ORGANISATION, organisation)] + ([(SYMPOSIUM, symposium)] if symposium is not None else [])
        for number, (day, status) in enumerate(updates):
            ends = updates[number + 1][0] if number + 1 < len(updates) else None
            # An update followed the same day was never the latest at the end of any day.
            if status != Status.COMPLETED or ends == day:
                continue
            for scope, scope_id in scopes:
                completions[(scope, scope_id, visibility, bool(archived), owner, day)] += 1
                if ends is not None:
                    completions[(scope, scope_id, visibility, bool(archived), owner, ends)] -= 1
    return days, completions


def _action_counts(connection, ids, party_ids=(), lock: bool = False) -> tuple[set, Counter]:
    """The joint actions ``ids`` and those of the parties ``party_ids``, and their day rows (one statement)."""
    if not ids and not party_ids:
        return set(), Counter()
    query = (select(JointAction.id, JointAction.visibility, ProgressUpdate.reported_on)
             .outerjoin(Party, Party.action_id == JointAction.id)
             .outerjoin(ProgressUpdate, ProgressUpdate.party_id == Party.id)
             .where(or_(JointAction.id.in_(sorted(ids)),
                        JointAction.id.in_(select(Party.action_id).where(Party.id.in_(sorted(party_ids)))))))
    if lock and connection.dialect.name == "postgresql":
        query = query.with_for_update(of=JointAction.__table__)
    found, days = set(), Counter()
    for action_id, visibility, day in connection.execute(query):
        found.add(action_id)
        if day is not None:
            days[(visibility, day, False, 0, action_id if visibility == Visibility.PARTIES else 0)] += 1
    return found, days


def _read(connection, commitments, actions, parties=(), lock: bool = False) -> tuple[set, Counter, Counter]:
    days, completions = _commitment_counts(connection, commitments, lock)
    found, action_days = _action_counts(connection, actions, parties, lock)
    return found, days + action_days, completions


def _apply(connection, before, after) -> None:
    for table, old, new in ((update_day_tallies, before[1], after[1]), (completion_tallies, before[2], after[2])):
        deltas = Counter(new)
        deltas.subtract(old)
        add_counts(connection, table, deltas)


def _changed(item, names) -> bool:
    state = inspect(item)
    return any(state.attrs[name].history.has_changes() for name in names)


def _subject_id(update, column: str, relation: str):
    """The stored subject of an update in a flush: its column, or its related object's id if set that way."""
    value = getattr(update, column)
    related = update.__dict__.get(relation)
    return value if value is not None else getattr(related, "id", None)


def _touched(session) -> tuple[set, set, set]:
    """The commitments, joint actions and parties whose rows this flush may change."""
    commitments, actions, parties = set(), set(), set()
    for item in session.dirty | session.deleted:
        if isinstance(item, Commitment) and item.id is not None and (
                item in session.deleted or _changed(item, _COMMITMENT_KEYS)):
            commitments.add(item.id)
        elif isinstance(item, JointAction) and item.id is not None and (
                item in session.deleted or _changed(item, _ACTION_KEYS)):
            actions.add(item.id)
    for item in session.new | session.dirty | session.deleted:
        # A review changes an update's review state alone: nothing counted here.
        if isinstance(item, ProgressUpdate) and (item not in session.dirty or _changed(item, _UPDATE_KEYS)):
            commitments.add(_subject_id(item, "commitment_id", "commitment"))
            parties.add(_subject_id(item, "party_id", "party"))
    return commitments - {None}, actions, parties - {None}


def _before_flush(session, _context, _instances) -> None:
    commitments, actions, parties = _touched(session)
    before = _read(session.connection(), commitments, actions, parties, lock=True)
    new_updates = [item for item in session.new if isinstance(item, ProgressUpdate)]
    session.info[_BEFORE] = (commitments, before, new_updates)


def _after_flush(session, _context) -> None:
    commitments, before, new_updates = session.info.pop(_BEFORE, (set(), (set(), Counter(), Counter()), []))
    commitments = commitments | {update.commitment_id for update in new_updates} - {None}
    parties = {update.party_id for update in new_updates} - {None}
    if commitments or before[0] or parties:
        connection = session.connection()
        _apply(connection, before, _read(connection, commitments, before[0], parties))


def _sets_keys(statement, names) -> bool:
    """Whether an UPDATE statement writes one of ``names`` (if its values cannot be told, assume it does)."""
    values = dict(getattr(statement, "_ordered_values", None) or getattr(statement, "_values", None) or {})
    if not values:
        return True
    return any((key if isinstance(key, str) else getattr(key, "key", None)) in names for key in values)


def _statement_subjects(state, connection) -> tuple[set, set, set] | None:
    """The commitments, joint actions and parties a statement's rows belong to (None: none of ours)."""
    statement = state.statement
    name = getattr(getattr(statement, "table", None), "name", None)
    if name == ProgressUpdate.__tablename__ and state.is_insert:
        rows = state.parameters if isinstance(state.parameters, list) else [state.parameters or {}]
        return ({row.get("commitment_id") for row in rows} - {None}, set(),
                {row.get("party_id") for row in rows} - {None})
    if state.is_insert:
        return None
    if name == ProgressUpdate.__tablename__:
        query = select(ProgressUpdate.commitment_id, ProgressUpdate.party_id)
        if statement.whereclause is not None:
            query = query.where(statement.whereclause)
        rows = connection.execute(query).all()
        return {row[0] for row in rows} - {None}, set(), {row[1] for row in rows} - {None}
    for model, keys, slot in ((Commitment, _COMMITMENT_KEYS, 0), (JointAction, _ACTION_KEYS, 1)):
        if name == model.__tablename__ and (state.is_delete or _sets_keys(statement, keys)):
            query = select(model.id)
            if statement.whereclause is not None:
                query = query.where(statement.whereclause)
            found = set(connection.scalars(query))
            return (found, set(), set()) if slot == 0 else (set(), found, set())
    return None


def _on_statement(state):
    """Keep the rows in step with a statement on commitments, joint actions or updates sent through the session."""
    if not (state.is_insert or state.is_update or state.is_delete):
        return None
    connection = state.session.connection()
    subjects = _statement_subjects(state, connection)
    if not subjects or not any(subjects):
        return None
    commitments, actions, parties = subjects
    before = _read(connection, commitments, actions, parties, lock=True)
    result = state.invoke_statement()
    _apply(connection, before, _read(connection, commitments, actions | before[0], parties))
    return result


event.listen(Session, "before_flush", _before_flush)
event.listen(Session, "after_flush", _after_flush)
event.listen(Session, "do_orm_execute", _on_statement)


def _grouped_days():
    """The rows of ``update_day_tallies`` computed from the base tables (one SELECT)."""
    owner = case((Commitment.visibility == Visibility.PARTIES, Commitment.organisation_id), else_=0)
    action = case((JointAction.visibility == Visibility.PARTIES, JointAction.id), else_=0)
    on_commitments = (select(Commitment.visibility, ProgressUpdate.reported_on.label("day"),
                             Commitment.is_archived, owner.label("owner_id"), literal(0).label("action_id"))
                      .join(Commitment, Commitment.id == ProgressUpdate.commitment_id))
    on_actions = (select(JointAction.visibility, ProgressUpdate.reported_on.label("day"),
                         false().label("is_archived"),
                         literal(0).label("owner_id"), action.label("action_id"))
                  .join(Party, Party.id == ProgressUpdate.party_id)
                  .join(JointAction, JointAction.id == Party.action_id))
    rows = union_all(on_commitments, on_actions).subquery()
    keys = [rows.c.visibility, rows.c.day, rows.c.is_archived, rows.c.owner_id, rows.c.action_id]
    return select(*keys, func.count()).group_by(*keys)


def _grouped_completions():
    """The rows of ``completion_tallies`` computed from the base tables (one SELECT): +1 where a "completed"
    update becomes a commitment's latest, -1 where the next update replaces it."""
    order = (ProgressUpdate.reported_on, ProgressUpdate.id)
    updates = (select(ProgressUpdate.commitment_id, ProgressUpdate.reported_on, ProgressUpdate.status,
                      func.lead(ProgressUpdate.reported_on).over(partition_by=ProgressUpdate.commitment_id,
                                                                 order_by=order).label("next_on"))
               .where(ProgressUpdate.commitment_id.is_not(None)).subquery())
    completed = and_(updates.c.status == Status.COMPLETED.value,
                     or_(updates.c.next_on.is_(None), updates.c.next_on > updates.c.reported_on))
    owner = case((Commitment.visibility == Visibility.PARTIES, Commitment.organisation_id), else_=0)
    parts = []
    for scope, scope_id, where in ((ORGANISATION, Commitment.organisation_id, true()),
                                   (SYMPOSIUM, Commitment.symposium_id, Commitment.symposium_id.is_not(None))):
        for day, delta, when in ((updates.c.reported_on, 1, true()),
                                 (updates.c.next_on, -1, updates.c.next_on.is_not(None))):
            parts.append(select(literal(scope).label("scope"), scope_id.label("scope_id"), Commitment.visibility,
                                Commitment.is_archived, owner.label("owner_id"), day.label("day"),
                                literal(delta).label("delta"))
                         .select_from(updates).join(Commitment, Commitment.id == updates.c.commitment_id)
                         .where(completed, where, when))
    rows = union_all(*parts).subquery()
    keys = [rows.c.scope, rows.c.scope_id, rows.c.visibility, rows.c.is_archived, rows.c.owner_id, rows.c.day]
    return select(*keys, func.sum(rows.c.delta)).group_by(*keys).having(func.sum(rows.c.delta) != 0)


def recompute_progress_tallies(connection) -> None:
    """Rebuild both tables from the base tables (after a bulk load that bypassed the ORM)."""
    for table, rows in ((update_day_tallies, _grouped_days()), (completion_tallies, _grouped_completions())):
        connection.execute(table.delete())
        connection.execute(table.insert().from_select([column.name for column in table.c], rows))


def progress_tallies_from_base_tables(connection) -> tuple[dict, dict]:
    """What both tables should hold, counted from the base tables one subject at a time ({key: count})."""
    _found, days, completions = _read(connection, set(connection.scalars(select(Commitment.id))),
                                      set(connection.scalars(select(JointAction.id))))
    return ({key: count for key, count in days.items() if count},
            {key: count for key, count in completions.items() if count})


def stored_progress_tallies(connection) -> tuple[dict, dict]:
    """What both tables hold ({key: count}, rows counting zero left out)."""
    days = {(visibility, day, bool(archived), owner, action): count
            for visibility, day, archived, owner, action, count in connection.execute(
                select(update_day_tallies).where(update_day_tallies.c.count != 0))}
    completions = {(scope, scope_id, visibility, bool(archived), owner, day): count
                   for scope, scope_id, visibility, archived, owner, day, count in connection.execute(
                       select(completion_tallies).where(completion_tallies.c.count != 0))}
    return days, completions


def _visible_days(user):
    """The rows of ``update_day_tallies`` whose updates ``user`` may see (the commitments' and joint actions'
    visibility rules)."""
    table = update_day_tallies
    if is_site_admin(user):
        return true()
    if not getattr(user, "is_authenticated", False):
        return table.c.visibility == Visibility.PUBLIC
    if user.organisation_id is None:
        return false()
    accepted = select(Party.action_id).where(Party.organisation_id == user.organisation_id,
                                             Party.response == Response.ACCEPTED)
    return or_(table.c.visibility.in_([Visibility.PUBLIC, Visibility.PARTNERS]),
               table.c.owner_id == user.organisation_id, table.c.action_id.in_(accepted))


def recent_update_count(user, since) -> int:
    """Progress updates reported since ``since`` on the unarchived commitments and joint actions ``user``
    may see."""
    table = update_day_tallies
    return int(db.session.scalar(
        select(func.coalesce(func.sum(table.c.count), 0))
        .where(table.c.day >= since, table.c.is_archived.is_(False), _visible_days(user))) or 0)


def add_completion_series(card, user, tally_condition, since, today) -> None:
    """Give a scorecard (of the same commitments) its completion series from ``since``, as
    ``tallied_scorecard`` would count it from the updates, from the completion rows instead."""
    if since and card.total:
        ends = quarter_ends(since, today)
        card.quarters = [QuarterPoint(ends_on, count, card.total)
                         for ends_on, count in zip(ends, completion_counts(user, tally_condition, ends))]


def completion_counts(user, tally_condition, ends: list) -> list[int]:
    """How many of the visible, unarchived commitments matching ``tally_condition`` (on ``completion_tallies``)
    had a latest update saying "completed" at each date of ``ends`` (one statement)."""
    if not ends:
        return []
    table = completion_tallies
    columns = [func.coalesce(func.sum(case((table.c.day <= ends_on, table.c.count), else_=0)), 0)
               for ends_on in ends]
    row = db.session.execute(select(*columns).where(
        tally_condition, visible_tallies_filter(user, table), table.c.is_archived.is_(False))).one()
    return [int(value or 0) for value in row]
