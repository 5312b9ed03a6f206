"""Helpers shared by the commitment tests: signed-in browsers, tokens, and reading pages like a person would."""

import html
import os
import re
from html.parser import HTMLParser

from sqlalchemy import func, select

from portal.extensions import db
from tests.factories import PASSWORD
from tests.helpers import Browser, csrf_from

#: A title in the other language than the page's comes in a <span lang>, marked "(only in ...)".
ITEM_TITLE = re.compile(r'<h2 class="item-title"><a href="/commitments/(\d+)">(?:<span lang="\w\w">)?([^<]*)')
STATUS_COUNT = re.compile(r'<span class="badge status-(\w+)">[^<]*</span> (\d+)</li>')


def browser(app, user=None, language: str = "en") -> Browser:
    """A browser in ``language``, signed in as ``user`` through the real form (anonymous if None)."""
    client = Browser(app)
    client.client.environ_base["HTTP_ACCEPT_LANGUAGE"] = language
    if user is not None:
        response = client.login(user.email, PASSWORD)
        assert response.status_code == 302, "sign-in failed"
    return client


def token(client: Browser) -> str:
    """The CSRF token of the browser's session, read once: from the home page when signed in (the sign-out form),
    else from the sign-in form (the public pages carry none)."""
    if getattr(client, "csrf", None) is None:
        home = client.text("/")
        client.csrf = csrf_from(home if 'name="csrf_token"' in home else client.text("/account/login"))
    return client.csrf


def post(client: Browser, url: str, data: dict | None = None, csrf: str | None = None, **kwargs):
    """POST ``data`` with the session's CSRF token, as a page of the portal would."""
    return client.post(url, data={"csrf_token": csrf or token(client), **(data or {})}, **kwargs)


def hidden(page: str, name: str) -> str:
    """The value of a hidden input on a page."""
    match = re.search(rf'name="{name}" type="hidden" value="([^"]*)"', page) or \
        re.search(rf'type="hidden" name="{name}" value="([^"]*)"', page) or \
        re.search(rf'name="{name}" value="([^"]*)" type="hidden"', page)
    assert match, f"no hidden {name} on the page"
    return html.unescape(match.group(1))


def listed(page: str) -> dict[int, str]:
    """The commitments listed on a list page: {id: title}."""
    return {int(cid): html.unescape(title) for cid, title in ITEM_TITLE.findall(page)}


def status_counts(page: str) -> dict[str, int]:
    """The per-status counts shown above the list."""
    return {status: int(number) for status, number in STATUS_COUNT.findall(page)}


def is_login_redirect(response) -> bool:
    return response.status_code == 302 and "/account/login" in response.headers["Location"]


def count(app, model, *conditions) -> int:
    with app.app_context():
        result = db.session.scalar(select(func.count()).select_from(model).where(*conditions))
        db.session.rollback()
        return result


def load(app, model, obj_id):
    """A fresh, detached copy of a row."""
    with app.app_context():
        row = db.session.get(model, obj_id)
        if row is not None:
            db.session.expunge(row)
        return row


def stored_files(app) -> list[str]:
    """Every file under UPLOAD_FOLDER, tmp/ included."""
    root = app.config["UPLOAD_FOLDER"]
    return sorted(os.path.relpath(os.path.join(folder, name), root)
                  for folder, _, names in os.walk(root) for name in names)


class _ActiveContent(HTMLParser):
    """Collects what a browser would run: script elements, event handlers, javascript: URLs."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        # The portal's own charts (templates/_macros/charts.html) are the one SVG it draws; user text never
        # carries their class, and their event handlers would still be caught below.
        own_chart = tag == "svg" and ("class", "chart-svg") in attrs
        if tag in ("script", "iframe", "object", "embed", "svg", "img", "math", "base") and not own_chart:
            self.found.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(f"<{tag} {name}=...>")
            if name in ("href", "src", "action", "formaction", "xlink:href", "data") and value:
                squashed = re.sub(r"[\s\x00-\x1f]", "", value).lower()
                if squashed.startswith(("javascript:", "vbscript:", "data:")):
                    self.found.append(f"<{tag} {name}={value!r}>")

    handle_startendtag = handle_starttag


def active_content(page: str) -> list[str]:
    """Everything on a page that would run code; the portal's own pages have none."""
    parser = _ActiveContent()
    parser.feed(page)
    parser.close()
    return parser.found


def fetch(client: Browser, url: str):
    """GET ``url`` and close the response (file downloads hold the file open); return (answer, body, headers)."""
    response = client.get(url)
    try:
        answer = "sign-in" if is_login_redirect(response) else response.status_code
        return answer, response.get_data(), response.headers
    finally:
        response.close()


def portal_today(app):
    """Today where the partners are (the portal's time zone), which may differ from the server's date."""
    from portal.core.clock import local_today

    with app.app_context():
        return local_today()
