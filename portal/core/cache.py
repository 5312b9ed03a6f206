"""Page cache: the public pages as signed-out readers see them, kept in each worker's memory.

The portal runs as several gunicorn workers, possibly on several servers, and keeps no state of its
own between requests. So a cached page is only ever served under the *generation* it was rendered
under, and the generation lives in the database (table ``cache_generation``, one row):

- every committing write bumps it, in the same transaction, as the last statement before COMMIT
  (SQLAlchemy ``before_commit``, after a flush). Readers therefore see the new generation exactly
  when they see the new rows: a reader that still reads the old number may render old or new
  rows under it, and no one reads the old number once the write is committed, so no stale page is
  served after a commit. On SQLite a read request is one transaction (one snapshot) anyway. On
  PostgreSQL the row lock on the counter is held only from that last UPDATE to COMMIT, so writers
  queue on it for the length of a commit, not of a request.
- a cacheable request reads the generation once (one small query) and looks up
  (path, query string, interface language, local date) under it. An entry of an older generation
  is never served; the first request that sees a newer generation empties the worker's cache.

Only signed-out GETs of the listed public endpoints are cached, only 200 HTML answers, never a
response whose session holds anything but the CSRF token and the language choice (flash messages,
a signed-in user), never one whose view set a cookie of its own. The page's CSRF token (the language
switch form is on every page) is stored as a placeholder and replaced by the reader's own token on
each hit, so no reader ever gets another reader's token; the session cookie is set by Flask as usual.
``PAGE_CACHE_SECONDS`` bounds an entry's age (0 turns the cache off; tests turn it on where they test it);
``PAGE_CACHE_ENTRIES`` bounds the number of pages per worker. The generation is bumped whether or not
this process caches, so that every process's cache stays right.

A write that touches only what no cached page shows leaves the generation alone: modules declare such
tables, columns and rows with ``unseen_by_cached_pages`` (sign-in bookkeeping, for one: otherwise
every sign-in, failed or not, would empty every cache, and a stream of wrong passwords would keep
the public pages cold). Anything not declared counts as seen, so a forgotten declaration costs a
cold cache, never a stale page.
"""

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from flask import Flask, current_app, g, request, session
from flask_babel import get_locale
from flask_login import current_user
from flask_wtf.csrf import generate_csrf
from sqlalchemy import BigInteger, Column, Integer, Table, event, inspect, select, update
from sqlalchemy.orm import Session
from sqlalchemy.sql.dml import Update, UpdateBase
from sqlalchemy.sql.elements import TextClause

from portal.core.clock import local_today
from portal.core.metrics import count_cache_lookup
from portal.extensions import db

cache_generation = Table(
    "cache_generation",
    db.metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("value", BigInteger, nullable=False),
)

#: The public pages worth keeping: read often by the public, the same for every signed-out reader.
CACHED_ENDPOINTS = frozenset({
    "public.home", "countries.index", "countries.detail", "public.symposia", "public.symposium",
    "commitments.index", "commitments.detail", "public.corridor", "joint_actions.index", "joint_actions.detail",
    "frameworks.index", "frameworks.tag",
})
#: Session keys a signed-out reader's page may depend on (the language is part of the key).
NEUTRAL_SESSION_KEYS = frozenset({"csrf_token", "lang"})
CSRF_PLACEHOLDER = "\u2063page-cache-csrf\u2063"
_DIRTY = "page_cache_dirty"


class PageCache:
    """A bounded map of rendered pages of one generation, safe for threaded servers."""

    def __init__(self, max_entries: int, max_age: float):
        self.max_entries = max_entries
        self.max_age = max_age
        self.generation: int | None = None
        self._entries: OrderedDict = OrderedDict()
        self._lock = threading.Lock()

    def get(self, generation: int, key: tuple):
        """Return the entry stored under ``key`` in ``generation``, if fresh."""
        with self._lock:
            if generation != self.generation:
                return None
            entry = self._entries.get(key)
            if entry is None or time.monotonic() - entry[0] > self.max_age:
                return None
            self._entries.move_to_end(key)
            return entry

    def put(self, generation: int, key: tuple, body: list[bytes], mimetype: str) -> None:
        """Store a page; a newer generation empties the map first, an older one is dropped."""
        with self._lock:
            if self.generation is None or generation > self.generation:
                self._entries.clear()
                self.generation = generation
            elif generation < self.generation:
                return
            self._entries[key] = (time.monotonic(), body, mimetype)
            self._entries.move_to_end(key)
            while len(self._entries) > self.max_entries:
                self._entries.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self.generation = None


_READ_GENERATION = select(cache_generation.c.value).where(cache_generation.c.id == 1)


def read_generation() -> int | None:
    """Return the current cache generation, or None if the counter row is missing."""
    # Core on the session's connection (the same transaction as the page's queries): a hit's one query,
    # without the ORM's statement handling, which costs more than the query itself.
    return db.session.connection().execute(_READ_GENERATION).scalar()


def _page_cache() -> PageCache | None:
    cache = current_app.extensions.get("page_cache")
    return cache if cache is not None and cache.max_age > 0 else None


def _cacheable_request() -> bool:
    return (request.method == "GET" and request.endpoint in CACHED_ENDPOINTS
            and not current_user.is_authenticated and not session.get("_flashes"))


def _serve_from_cache():
    """Answer a signed-out GET of a public page from the cache when its generation is current."""
    cache = _page_cache()
    if cache is None or not _cacheable_request():
        return None
    generation = read_generation()
    if generation is None:
        return None
    key = (request.path, request.query_string, str(get_locale()), local_today())
    g.page_cache_key = (generation, key)
    entry = cache.get(generation, key)
    count_cache_lookup(entry is not None)
    if entry is None:
        return None
    _, parts, mimetype = entry
    g.page_cache_hit = True
    # The page is kept encoded, cut where its CSRF token goes: a hit joins bytes instead of re-encoding.
    return current_app.response_class(generate_csrf().encode().join(parts), mimetype=mimetype)


def _store_in_cache(response):
    """Keep a freshly rendered public page for the next signed-out readers."""
    cache = _page_cache()
    pending = g.pop("page_cache_key", None)
    if cache is None or pending is None or g.get("page_cache_hit"):
        return response
    if (response.status_code != 200 or response.mimetype != "text/html" or response.direct_passthrough
            or "Set-Cookie" in response.headers or current_user.is_authenticated
            or not set(session.keys()) <= NEUTRAL_SESSION_KEYS):
        return response
    body = response.get_data(as_text=True)
    if CSRF_PLACEHOLDER in body:
        return response
    token = g.get("csrf_token")
    if token:
        body = body.replace(token, CSRF_PLACEHOLDER)
    generation, key = pending
    cache.put(generation, key, [part.encode() for part in body.split(CSRF_PLACEHOLDER)], response.mimetype)
    return response


# --- Invalidation: every committing write of something a cached page shows bumps the generation -------


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
    if (any(_seen_object(obj, True) for obj in (*session.new, *session.deleted))
            or any(_seen_object(obj, False) for obj in session.dirty)):
        session.info[_DIRTY] = True


def _note_statement(state) -> None:
    statement = state.statement
    if isinstance(statement, TextClause):
        writes = not statement.text.lstrip().upper().startswith(("SELECT", "PRAGMA", "WITH"))
    else:
        writes = (state.is_insert or state.is_update or state.is_delete) and (
            not isinstance(statement, UpdateBase) or _seen_statement(statement))
    if writes:
        state.session.info[_DIRTY] = True


def _bump_before_commit(session) -> None:
    """Bump the generation as the last statement of a transaction that wrote something."""
    if session.new or session.dirty or session.deleted:
        session.flush()
    if session.info.pop(_DIRTY, False):
        # Core on the connection: not an ORM statement, so it does not mark the session again.
        session.connection().execute(update(cache_generation).values(value=cache_generation.c.value + 1))


def _forget_writes(session, *_args) -> None:
    session.info.pop(_DIRTY, None)


_listening = False


def _listen_once() -> None:
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
    """Bump the generation from a connection writing outside the ORM session (bulk loaders)."""
    connection.execute(update(cache_generation).values(value=cache_generation.c.value + 1))


def configure_page_cache(app: Flask) -> None:
    """Install the page cache on the app: a lookup before the view, a store after it."""
    if app.config.get("PAGE_CACHE_SECONDS") is None:
        app.config["PAGE_CACHE_SECONDS"] = 0 if app.config.get("ENVIRONMENT") == "testing" else 60
    app.config.setdefault("PAGE_CACHE_ENTRIES", 500)
    _listen_once()
    app.extensions["page_cache"] = PageCache(app.config["PAGE_CACHE_ENTRIES"], app.config["PAGE_CACHE_SECONDS"])
    app.before_request(_serve_from_cache)
    app.after_request(_store_in_cache)
