"""The IOM follow-up board: every partner's open, late, unreported and questioned items."""

from portal.followup.blueprint import bp  # noqa: F401
