"""Update requests: asking an organisation for news on a commitment or a joint-action share."""

from portal.followup.blueprint import bp  # noqa: F401
