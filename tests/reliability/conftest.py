"""Fixtures of the reliability suite: the portal under gunicorn on this test's database, with people to post.

Each scenario's figures (writes acknowledged, stored, lost; answers by status) are printed at the end of
the run, so that a CI log shows them.
"""

import json
import os

import pytest

from tests.factories import PASSWORD
from tests.reliability.harness import Client, Server, Tally

FIGURES: list[tuple[str, dict]] = []


def pytest_terminal_summary(terminalreporter):
    if FIGURES:
        terminalreporter.section("reliability figures")
        for name, figures in FIGURES:
            terminalreporter.write_line(f"{name}: {json.dumps(figures, sort_keys=False)}")


@pytest.fixture
def record_figures(request):
    """Keep a scenario's figures for the summary at the end of the run."""
    backend = os.environ.get("PORTAL_TEST_DB", "sqlite")

    def record(figures: dict) -> None:
        FIGURES.append((f"{request.node.name} [{backend}]", figures))

    return record


@pytest.fixture
def people(factory):
    """Four editors of one ministry, each with a commitment to report on: (email, commitment id)."""
    organisation = factory.organisation()
    cast = []
    for number in range(4):
        editor = factory.user(organisation, email=f"editor{number}@ministry.example")
        cast.append((editor.email, factory.commitment(organisation, author=editor).id))
    return cast


@pytest.fixture
def portal(database_url, tmp_path, people):
    """Start the portal under gunicorn (``portal(**settings)``); every server is stopped after the test."""
    servers = []
    instance = tmp_path / "instance"

    def start(database_url=database_url, workers=2, extra_args=(), env_extra=None, **settings):
        env = {key: value for key, value in os.environ.items() if not key.startswith("PORTAL_")}
        env.update(
            PORTAL_INSTANCE_PATH=str(instance), PORTAL_ENVIRONMENT="development", PORTAL_DATABASE_URL=database_url,
            PORTAL_SECRET_KEY="reliability-secret-key-long-enough-for-every-check",
            PORTAL_RATE_LIMITS=json.dumps({name: "100000 per hour" for name in (
                "invitations", "reset_requests", "update_requests", "uploads", "exports")}),
            PORTAL_PAGE_CACHE_SECONDS="0",
        )
        env.update({f"PORTAL_{key}": str(value) for key, value in settings.items()})
        env.update(env_extra or {})
        server = Server(env, tmp_path / f"gunicorn-{len(servers)}.log", workers=workers, extra_args=extra_args)
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop()


@pytest.fixture
def clients(people):
    """``clients(server, tally)``: one signed-in client per person."""
    def make(server, tally: Tally):
        return [Client(server.base_url, email, PASSWORD, commitment_id, tally) for email, commitment_id in people]

    return make
