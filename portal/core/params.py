"""Bounded readers for numbers taken from the URL or a form: page numbers and record ids.

Every list and filter reads them here, so that a number the database cannot hold (or digits that
only look like ASCII ones, such as "٣" or "²") is treated as absent instead of reaching the driver,
where it would overflow (OverflowError on SQLite, "integer out of range" on PostgreSQL).
"""

from flask import request

#: The largest value of the INTEGER id columns on both databases.
MAX_ID = 2**31 - 1
#: Pages beyond this are empty; it keeps OFFSET (page × at most 100 rows) far inside BIGINT.
MAX_PAGE = 1_000_000


def ascii_number(value) -> int | None:
    """Return a whole number written in ASCII digits only, else None ("٣", "²", "1e3", " 1" are not)."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str) and value.isascii() and value.isdigit() and len(value) <= 30:
        return int(value)
    return None


def bounded_id(value) -> int | None:
    """Return ``value`` as a record id when it is one the database can hold, else None."""
    number = ascii_number(value)
    return number if number is not None and 1 <= number <= MAX_ID else None


def page_number(name: str = "page") -> int:
    """The page of a list asked for in the query string: 1 when missing or unreadable, at most MAX_PAGE
    (an empty page, as any page past the last one is)."""
    value = request.args.get(name, "")
    if value.isascii() and value.isdigit():
        return min(max(int(value) if len(value) <= 12 else MAX_PAGE, 1), MAX_PAGE)
    return 1
