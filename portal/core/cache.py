"""Page cache: the public pages as signed-out readers see them, kept in each worker's memory.

The portal runs as several gunicorn workers, possibly on several servers, and keeps no state of its
own between requests. So a cached page is only ever served under the *generation* it was rendered
under, and the generations live in the database (see ``cache_generations``: every committing write of
something a page shows moves them in the same transaction, so no stale page is served after a commit).

Only signed-out GETs of the listed public endpoints are cached, only 200 HTML answers, never a
response whose session holds anything but the CSRF token and the language choice (flash messages,
a signed-in user), never one whose view set a cookie of its own, and never a page that carries a CSRF
token (it is the reader's own). The public pages carry none: their one form, the language switch, is
checked by where it comes from instead (``security.from_this_site``). So a hit touches no session, and a
first-time reader gets the page without a cookie.
``PAGE_CACHE_SECONDS`` bounds an entry's age (0 turns the cache off; tests turn it on where they test it);
``PAGE_CACHE_ENTRIES`` bounds the number of pages per worker. The generation is bumped whether or not
this process caches, so that every process's cache stays right.
"""

import threading
import time
from collections import OrderedDict
from collections.abc import Callable

from flask import Flask, current_app, g, request, session
from flask_babel import get_locale
from flask_login import current_user
from werkzeug.http import generate_etag

from portal.core.cache_generations import ACTIONS, LISTS, listen_for_writes, read_generations
from portal.core.clock import local_today
from portal.core.metrics import count_cache_lookup


def _lists(_args) -> tuple[str, ...]:
    return (LISTS,)


#: The public pages worth keeping (read often by the public, the same for every signed-out reader), each
#: with the scopes it depends on besides the global generation, from its URL's values.
CACHED_PAGES: dict[str, Callable[[dict], tuple[str, ...]]] = {
    "public.home": _lists, "countries.index": _lists, "public.symposia": _lists, "public.symposium": _lists,
    "commitments.index": _lists, "public.corridor": _lists, "joint_actions.index": _lists,
    "joint_actions.detail": _lists, "frameworks.index": _lists, "frameworks.tag": _lists,
    "countries.detail": lambda args: (f"country:{str(args.get('code', '')).upper()}", ACTIONS),
    "commitments.detail": lambda args: (f"commitments:{args.get('commitment_id')}", ACTIONS),
}
CACHED_ENDPOINTS = frozenset(CACHED_PAGES)
#: Session keys a signed-out reader's page may depend on (the language is part of the key), and Flask-Login's
#: "_fresh" flag, which it sets to False in a signed-out visitor's session when it checks the session's
#: origin (session protection) and which says nothing about the reader.
NEUTRAL_SESSION_KEYS = frozenset({"csrf_token", "lang", "_fresh"})


class PageCache:
    """A bounded map of rendered pages, each kept with the generations it was rendered under; safe for
    threaded servers. An entry whose generations moved is never served, and ages out."""

    def __init__(self, max_entries: int, max_age: float):
        self.max_entries = max_entries
        self.max_age = max_age
        self._entries: OrderedDict = OrderedDict()
        self._lock = threading.Lock()

    def get(self, generations: tuple, key: tuple):
        """Return the entry stored under ``key`` if it was rendered under ``generations`` and is fresh."""
        with self._lock:
            entry = self._entries.get(key)
            if entry is None or entry[1] != generations or time.monotonic() - entry[0] > self.max_age:
                return None
            self._entries.move_to_end(key)
            return entry

    def put(self, generations: tuple, key: tuple, page: tuple[bytes, str], mimetype: str) -> None:
        """Store a page rendered under ``generations``."""
        with self._lock:
            self._entries[key] = (time.monotonic(), generations, page, mimetype)
            self._entries.move_to_end(key)
            while len(self._entries) > self.max_entries:
                self._entries.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


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
    generations = read_generations(CACHED_PAGES[request.endpoint](request.view_args or {}))
    if generations is None:
        return None
    key = (request.path, request.query_string, str(get_locale()), local_today())
    g.page_cache_key = (generations, key)
    entry = cache.get(generations, key)
    count_cache_lookup(entry is not None)
    if entry is None:
        return None
    _, _, (body, etag), mimetype = entry
    g.page_cache_hit = True
    response = current_app.response_class(body, mimetype=mimetype)
    return _conditional(response, etag)


def _conditional(response, etag: str):
    """The page's ETag, and 304 when the reader has it.

    ``private, no-cache``: the browser keeps the page and asks each time whether it changed; a shared
    cache keeps nothing, since the page's language follows the reader's session or Accept-Language."""
    response.set_etag(etag)
    response.headers["Cache-Control"] = "private, no-cache"
    return response.make_conditional(request)


def _store_in_cache(response):
    """Keep a freshly rendered public page for the next signed-out readers."""
    cache = _page_cache()
    pending = g.pop("page_cache_key", None)
    if cache is None or pending is None or g.get("page_cache_hit"):
        return response
    if (response.status_code != 200 or response.mimetype != "text/html" or response.direct_passthrough
            or "Set-Cookie" in response.headers or current_user.is_authenticated or g.get("csrf_token")
            or not set(session.keys()) <= NEUTRAL_SESSION_KEYS):
        return response
    generations, key = pending
    body = response.get_data()
    etag = generate_etag(body)  # once, when stored, rather than on every hit
    cache.put(generations, key, (body, etag), response.mimetype)
    return _conditional(response, etag)


def configure_page_cache(app: Flask) -> None:
    """Install the page cache on the app: a lookup before the view, a store after it."""
    if app.config.get("PAGE_CACHE_SECONDS") is None:
        app.config["PAGE_CACHE_SECONDS"] = 0 if app.config.get("ENVIRONMENT") == "testing" else 60
    app.config.setdefault("PAGE_CACHE_ENTRIES", 500)
    listen_for_writes()
    app.extensions["page_cache"] = PageCache(app.config["PAGE_CACHE_ENTRIES"], app.config["PAGE_CACHE_SECONDS"])
    app.before_request(_serve_from_cache)
    app.after_request(_store_in_cache)
