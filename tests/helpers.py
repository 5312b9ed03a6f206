"""A test client that behaves like a browser: it reads the CSRF token from the page it posts from."""

import re

from flask.testing import FlaskClient

CSRF_PATTERN = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"|name="csrf_token" value="([^"]+)"')


def csrf_from(html: str) -> str:
    """Return the first CSRF token in a page."""
    match = CSRF_PATTERN.search(html)
    assert match, "no CSRF token on the page"
    return match.group(1) or match.group(2)


def translated(app, message: str, language: str, **variables) -> str:
    """Return ``message`` as the portal's catalog renders it in ``language``."""
    from flask_babel import force_locale, gettext

    with app.test_request_context(), force_locale(language):
        return gettext(message, **variables)


class Browser:
    """Wraps Flask's test client with form helpers that carry the CSRF token like a browser."""

    def __init__(self, app, https: bool = False):
        self.app = app
        self.client: FlaskClient = app.test_client()
        if https:
            self.client.environ_base.update({"wsgi.url_scheme": "https", "HTTP_HOST": "portal.test"})

    def __getattr__(self, name):
        return getattr(self.client, name)

    def token(self, page: str = "/account/login") -> str:
        """Fetch a page and return the CSRF token it carries."""
        return csrf_from(self.client.get(page).get_data(as_text=True))

    def submit(self, url: str, data: dict | None = None, page: str | None = None, **kwargs):
        """POST a form as a browser would after opening ``page`` (default: the form's own URL): with the page's
        CSRF token when it carries one, and the ``Sec-Fetch-Site`` header every current browser sends."""
        found = CSRF_PATTERN.search(self.client.get(page or url).get_data(as_text=True))
        form = {**({"csrf_token": found.group(1) or found.group(2)} if found else {}), **(data or {})}
        headers = {"Sec-Fetch-Site": "same-origin", **kwargs.pop("headers", {})}
        return self.client.post(url, data=form, headers=headers, **kwargs)

    def login(self, email: str, password: str, **kwargs):
        """Sign in through the real sign-in form."""
        return self.submit("/account/login", {"email": email, "password": password}, **kwargs)

    def logout(self):
        """Sign out with the header's sign-out button."""
        return self.submit("/account/logout", page="/")

    def text(self, url: str, **kwargs) -> str:
        response = self.client.get(url, **kwargs)
        return response.get_data(as_text=True)


def statements(app, client, url: str) -> list[str]:
    """The SQL statements one GET of ``url`` runs, counted on the engine with a before_cursor_execute listener."""
    from sqlalchemy import event

    from portal.extensions import db

    with app.app_context():
        engine = db.engine
    seen: list[str] = []

    def record(conn, cursor, statement, parameters, context, executemany):
        seen.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    try:
        response = client.get(url)
    finally:
        event.remove(engine, "before_cursor_execute", record)
    assert response.status_code == 200, url
    return seen


def budget(app, client, url: str) -> int:
    """How many SQL statements a GET of ``url`` costs, after a warm-up request."""
    client.get(url)  # warm up: the first request of an app may prepare things once
    return len(statements(app, client, url))
