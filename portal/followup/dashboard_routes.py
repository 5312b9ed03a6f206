"""My organisation's dashboard: what is due, late or waiting for us."""

from portal.followup.blueprint import bp  # noqa: F401
