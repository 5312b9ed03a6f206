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
        """POST a form as a browser would after opening ``page`` (default: the form's own URL)."""
        form = {"csrf_token": self.token(page or url), **(data or {})}
        return self.client.post(url, data=form, **kwargs)

    def login(self, email: str, password: str, **kwargs):
        """Sign in through the real sign-in form."""
        return self.submit("/account/login", {"email": email, "password": password}, **kwargs)

    def logout(self):
        """Sign out with the header's sign-out button."""
        return self.submit("/account/logout", page="/")

    def text(self, url: str, **kwargs) -> str:
        response = self.client.get(url, **kwargs)
        return response.get_data(as_text=True)
