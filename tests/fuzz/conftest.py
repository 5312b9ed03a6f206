"""The fuzz suite's set-up: Hypothesis profiles, the demo data, and the count of requests by status class.

``PORTAL_FUZZ=long`` (``make fuzz``) selects the long profile; the default one bounds the run so that it
fits in ``make test`` and ``make test-postgres``.
"""

import os
from collections import Counter

import pytest
from hypothesis import HealthCheck, Phase, settings

from portal.demo.data import DEMO_ADMIN_EMAIL, DEMO_EMAIL_DOMAIN, DEMO_PASSWORD
from portal.demo.loader import load_demo
from portal.extensions import db
from tests.conftest import BACKEND
from tests.helpers import Browser

# Examples per form (or per list parameter). Failures are collected rather than raised, so shrinking
# (which re-runs requests against a database that has moved on) is left out.
_COMMON = dict(deadline=None, database=None, phases=(Phase.explicit, Phase.generate),
               suppress_health_check=list(HealthCheck))
settings.register_profile("bounded", max_examples=int(os.environ.get("PORTAL_FUZZ_EXAMPLES", 5)), **_COMMON)
settings.register_profile("long", max_examples=int(os.environ.get("PORTAL_FUZZ_EXAMPLES", 200)), **_COMMON)
PROFILE = os.environ.get("PORTAL_FUZZ", "bounded")

#: The four kinds of people who post forms, as the demo names them.
ROLES = {
    "ministry editor": f"dgpm-hnd@{DEMO_EMAIL_DOMAIN}",
    "IOM editor": f"oim-slv-gtm-hnd@{DEMO_EMAIL_DOMAIN}",
    "org admin": f"sreci-hnd@{DEMO_EMAIL_DOMAIN}",
    "site admin": DEMO_ADMIN_EMAIL,
}

#: Answers by status class over the whole run, printed at the end (pytest's terminal summary).
ANSWERS: Counter = Counter()


def record(status: int) -> None:
    ANSWERS[f"{status // 100}xx"] += 1


@pytest.fixture
def demo_app(app):
    """The app on this test's database, filled with the Tegucigalpa demo."""
    with app.app_context():
        load_demo()
        db.session.commit()
    return app


def signed_in(app, role: str) -> Browser:
    client = Browser(app)
    client.client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "es" if role in ("ministry editor", "org admin") else "en"
    response = client.login(ROLES[role], DEMO_PASSWORD)
    assert response.status_code == 302, f"{role} could not sign in"
    return client


def pytest_terminal_summary(terminalreporter):
    if not ANSWERS:
        return
    total = sum(ANSWERS.values())
    classes = ", ".join(f"{name}: {ANSWERS[name]}" for name in sorted(ANSWERS))
    terminalreporter.write_sep("-", f"fuzz on {BACKEND} (profile {PROFILE}): {total} requests; {classes}")
