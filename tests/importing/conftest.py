"""The import tests meet the same people, on the same kind of app, as the commitment tests."""

from tests.commitments.conftest import app, cast  # noqa: F401  (the fixtures, shared)
