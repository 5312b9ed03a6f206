"""The portal's calendar: "today" where the partners are, not where the server is."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

from flask import current_app


def local_today() -> date:
    """Return today's date in the portal's time zone (BABEL_DEFAULT_TIMEZONE)."""
    return datetime.now(ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])).date()
