"""Helpers for the minutes tests: signing in, reading hidden form values, counting rows."""

import re

from sqlalchemy import func, inspect, select, table

from portal.extensions import db
from tests.factories import PASSWORD
from tests.helpers import Browser


def signed_in(app, user) -> Browser:
    """Return a browser signed in as ``user`` (or signed out for None)."""
    browser = Browser(app)
    if user is not None:
        assert browser.login(user.email, PASSWORD).status_code == 302
    return browser


def hidden(html: str, name: str) -> str:
    """Return the value of a hidden field of the page."""
    match = re.search(rf'name="{name}" type="hidden" value="([^"]*)"', html) or \
        re.search(rf'type="hidden" name="{name}" value="([^"]*)"', html)
    assert match, f"no hidden field {name}"
    return match.group(1)


def row_counts() -> dict[str, int]:
    """Count the rows of every table (failed sign-ins aside), inside an app context."""
    names = [name for name in inspect(db.engine).get_table_names() if name != "failed_logins"]
    counts = {name: db.session.scalar(select(func.count()).select_from(table(name))) for name in names}
    db.session.rollback()
    return counts


PROSE = re.compile(r'<div class="prose">(.*?)</div>', re.DOTALL)


def prose_blocks(html: str) -> list[str]:
    """Return the rendered Markdown blocks of a page (the allow-list holds no <div>, so none nests)."""
    return PROSE.findall(html)
