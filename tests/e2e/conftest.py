"""Fixtures for the browser tests: a live portal with the demo loaded, and Debian's chromium.

Independent of ``tests/conftest.py``: ``pytest tests/e2e`` works on its own.

* ``live_server``: one portal for the whole session, in a temporary instance folder with its own
  SQLite database built by the Alembic migrations and filled with the demo, served by werkzeug
  on a free loopback port.
* Playwright through pytest-playwright's fixtures (``browser``, ``page``...), launching
  ``/usr/bin/chromium`` (or ``$CHROMIUM``); never ``playwright install``. Without chromium the
  browser tests are skipped, or fail when ``CHROMIUM_REQUIRED=1`` (what ``make e2e`` sets).
  Contexts use the ``es-HN`` locale, so pages start in Spanish.
* ``signed_in``: a cached browser context per (account, language), signed in through the form
  (once per account: the other language's context shares the session), signed in again if a
  journey has meanwhile ended the account's sessions by signing out.
"""

import os
import secrets
import threading

import pytest

from .support import BROWSER_LOCALES, CHROMIUM, CHROMIUM_ARGS, DEFAULT_LOCALE, sign_in, skip_or_fail

# --------------------------------------------------------------------------- live server


@pytest.fixture(scope="session")
def e2e_app(tmp_path_factory):
    """The portal app on a fresh database: migrations applied, demo loaded."""
    import flask_migrate

    from portal import create_app
    from portal.demo.loader import load_demo
    from portal.extensions import db

    instance = tmp_path_factory.mktemp("e2e-instance")
    saved = os.environ.get("PORTAL_INSTANCE_PATH")
    os.environ["PORTAL_INSTANCE_PATH"] = str(instance)
    try:
        app = create_app(
            {
                "ENVIRONMENT": "testing",
                "SECRET_KEY": secrets.token_urlsafe(48),
                "SQLALCHEMY_DATABASE_URI": f"sqlite:///{instance / 'e2e.sqlite3'}",
                "WTF_CSRF_ENABLED": True,
            }
        )
    finally:
        if saved is None:
            os.environ.pop("PORTAL_INSTANCE_PATH", None)
        else:
            os.environ["PORTAL_INSTANCE_PATH"] = saved
    with app.app_context():
        flask_migrate.upgrade()
        load_demo()
        db.session.commit()
        db.session.remove()
    yield app
    with app.app_context():
        db.engine.dispose()


@pytest.fixture(scope="session")
def demo_ids(e2e_app):
    """Database ids of the demo records, for the placeholders in PAGES (see pages.py).

    * ``org[slug]``: the organisation; ``user[name]``: the account ``name@...``;
    * ``commitment[slug]``: the organisation's first demo commitment (lowest id);
    * ``update[slug]``: the latest progress update on that commitment (absent if it has none);
    * ``commitment_by_title[title]``: any demo commitment by its exact title (for the tests' own use);
    * ``minutes[...]``: the demo minutes and their action items (see ``minutes_support.py``);
    * ``action[...]``, ``party[...]``, ``party_update[...]``: the demo joint actions (see ``joint_actions_support.py``).
    """
    from sqlalchemy import func, select

    from portal.accounts.models import User
    from portal.commitments.models import Commitment
    from portal.extensions import db
    from portal.organisations.models import Organisation
    from portal.progress.models import ProgressUpdate
    from portal.public.models import ContextFigure

    from .joint_actions_support import demo_joint_action_ids
    from .minutes_support import demo_minutes_ids

    with e2e_app.app_context():
        users = db.session.execute(select(User.email, User.id)).all()
        commitments = db.session.execute(
            select(Organisation.slug, Commitment.id, Commitment.title)
            .join(Commitment, Commitment.organisation_id == Organisation.id).order_by(Commitment.id)
        ).all()
        first = {}
        for slug, commitment_id, _title in commitments:
            first.setdefault(slug, commitment_id)
        latest_update = {}
        for slug, commitment_id in first.items():
            update_id = db.session.scalar(
                select(ProgressUpdate.id).where(ProgressUpdate.commitment_id == commitment_id)
                .order_by(ProgressUpdate.reported_on.desc(), ProgressUpdate.id.desc()).limit(1)
            )
            if update_id is not None:
                latest_update[slug] = update_id
        ids = {
            "org": dict(db.session.execute(select(Organisation.slug, Organisation.id)).all()),
            "user": {email.split("@")[0]: user_id for email, user_id in users},
            "commitment": first,
            "update": latest_update,
            "commitment_by_title": {title: commitment_id for _slug, commitment_id, title in commitments},
            "minutes": demo_minutes_ids(),
            **demo_joint_action_ids(),
            # figure[HND]: the country's first demo context figure.
            "figure": dict(db.session.execute(
                select(ContextFigure.country_iso3, func.min(ContextFigure.id)).group_by(ContextFigure.country_iso3)
            ).all()),
        }
        db.session.remove()
    return ids


@pytest.fixture(scope="session")
def live_server(e2e_app):
    """Serve the portal on a free loopback port for the session; yields its base URL."""
    from werkzeug.serving import WSGIRequestHandler, make_server

    class QuietHandler(WSGIRequestHandler):
        def log_request(self, *args, **kwargs):  # errors are still logged
            pass

    server = make_server("127.0.0.1", 0, e2e_app, threaded=True, request_handler=QuietHandler)
    thread = threading.Thread(target=server.serve_forever, name="e2e-live-server", daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()
    thread.join(timeout=10)


# --------------------------------------------------------------------------- browser


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Launch Debian's chromium (pytest-playwright hook); skip or fail if it is missing."""
    if not (os.path.isfile(CHROMIUM) and os.access(CHROMIUM, os.X_OK)):
        skip_or_fail(f"chromium not found at {CHROMIUM} (apt-get install -y chromium, or set CHROMIUM)")
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def base_url(live_server):
    """Relative URLs in page.goto() go to the live server (pytest-playwright's base_url)."""
    return live_server


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args, base_url):
    """Every context starts as a Honduran official's browser: Spanish first."""
    return {**browser_context_args, "base_url": base_url, "locale": DEFAULT_LOCALE}


@pytest.fixture(scope="session")
def signed_in(browser, browser_context_args):
    """Return a browser context for (account, language): signed in (unless account is None), cached."""
    contexts = {}

    def still_signed_in(context) -> bool:
        # Signing out anywhere ends every session of the account (a journey test may have done so):
        # /account/ answers 200 to a live session and redirects to the sign-in page otherwise.
        return context.request.get("/account/", max_redirects=0).status == 200

    def get(account: str | None, lang: str):
        key = (account, lang)
        if key in contexts and account and not still_signed_in(contexts[key]):
            contexts.pop(key).close()
        if key not in contexts:
            options = {**browser_context_args, "locale": BROWSER_LOCALES[lang]}
            # Signing in costs a password hash on the server: a second language reuses the session
            # cookie of the first (the language follows the browser's, as the accounts keep none).
            twin = next((ctx for (who, _), ctx in contexts.items() if account and who == account), None)
            context = browser.new_context(**options, storage_state=twin.storage_state()) if twin else None
            if context is not None and not still_signed_in(context):
                context.close()
                context = None
            if context is None:
                context = browser.new_context(**options)
                if account:
                    page = context.new_page()
                    sign_in(page, account)
                    page.close()
            contexts[key] = context
        return contexts[key]

    yield get
    for context in contexts.values():
        context.close()
