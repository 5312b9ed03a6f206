"""Keyset (cursor) pagination in id order: a page costs the same however deep, and rows added meanwhile
appear after the ones already read, so nothing is lost or repeated."""

import re

from flask import request, url_for

from portal.api.problems import BadParameter
from portal.extensions import db

DEFAULT_LIMIT = 50
MAX_LIMIT = 500
#: A cursor is the id of the last item of the previous page: plain, so any well-formed cursor is a valid start.
CURSOR_PATTERN = r"^[0-9]{1,9}$"
_CURSOR = re.compile(CURSOR_PATTERN)


def encode_cursor(last_id: int) -> str:
    return str(last_id)


def decode_cursor(cursor: str | None) -> int | None:
    """The id the page starts after; 400 naming ``cursor`` if it is not one."""
    if not cursor:
        return None
    if not _CURSOR.match(cursor):
        raise BadParameter("cursor", "not a cursor given by this API; follow the 'next' link of a page")
    return int(cursor)


def keyset_page(query, id_column, args: dict):
    """Run ``query`` from the cursor on, in id order; return (rows, absolute URL of the next page or None)."""
    limit = args.get("limit") or DEFAULT_LIMIT
    after = decode_cursor(args.get("cursor"))
    if after is not None:
        query = query.where(id_column > after)
    rows = list(db.session.scalars(query.order_by(None).order_by(id_column).limit(limit + 1)).unique())
    if len(rows) <= limit:
        return rows, None
    rows = rows[:limit]
    params = {key: value for key, value in request.args.items() if key != "cursor"}
    params["cursor"] = encode_cursor(rows[-1].id)
    return rows, url_for(request.endpoint, _external=True, **(request.view_args or {}), **params)
