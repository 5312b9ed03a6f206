"""Sends hostile submissions of a discovered form and checks what a person (or an attacker) would see:
never a server error; a refused value changes nothing; an accepted value reads back as typed."""

import re
import threading
import traceback
from datetime import date
from urllib.parse import quote, urlsplit
from uuid import uuid4

from markupsafe import escape
from sqlalchemy import inspect, text

from portal.extensions import db
from tests.fuzz.conftest import record, signed_in
from tests.fuzz.discovery import Field, Form, _PageParser
from tests.helpers import Browser

#: Tables whose rows change on purpose when a request is refused (failed sign-ins are counted).
UNWATCHED = {"failed_logins", "alembic_version"}
#: Text fields whose value a page shows as typed (others are choices, numbers, dates or Markdown).
READ_BACK_KINDS = {"text", "email", "url", "search", "tel"}


def encode(pairs) -> bytes:
    """A urlencoded body; lone surrogates go on the wire as the bytes Python would write for them."""
    return "&".join(f"{quote(name)}={quote(value.encode('utf-8', 'surrogatepass'))}"
                    for name, value in pairs).encode("ascii")


def plausible(field: Field) -> str:
    """A value a person would give an empty field, so that a mutation of another field can be accepted."""
    if field.value or field.kind in ("hidden", "password", "file", "checkbox"):
        return field.value
    if field.kind in ("select", "radio"):
        return next((option for option in field.options if option), "")
    if field.kind == "date" or field.name.endswith(("_on", "date", "day")):
        return date.today().isoformat()
    return {"time": "09:00", "number": "1", "email": f"fuzz-{uuid4().hex[:8]}@partner.example",
            "url": "https://example.org/informe", "textarea": "Texto de prueba del formulario, con detalle."
            }.get(field.kind, "Texto de prueba")


class Fuzzer:
    """One signed-in person sending hostile versions of the forms they can reach; problems are collected."""

    def __init__(self, app, role: str | None, client: Browser | None = None):
        self.app, self.role = app, role
        self.client = client or signed_in(app, role)
        self.problems: list[str] = []
        self.sent = 0
        with app.app_context():
            inspector = inspect(db.engine)
            tables = [name for name in inspector.get_table_names() if name not in UNWATCHED]
            parts = []
            for name in tables:
                columns = {column["name"] for column in inspector.get_columns(name)}
                extra = ", SUM(version)" if "version" in columns else ""
                parts.append(f"SELECT '{name}', COUNT(*){extra or ', 0'} FROM {name}")
            self._snapshot_sql = text(" UNION ALL ".join(parts))

    # --- requests ---------------------------------------------------------------------------------

    def request(self, method: str, url: str, body: bytes | None = None, client: Browser | None = None,
                headers: dict | None = None):
        client = client or self.client
        self.sent += 1
        try:
            if method == "GET":
                response = client.get(url, headers=headers)
            else:
                response = client.post(url, data=body, content_type="application/x-www-form-urlencoded")
        except Exception:  # the test client raises what the app did not handle: that is a 500
            record(500)
            self.problems.append(f"{self.role}: {method} {url} raised {traceback.format_exc(limit=-3)}")
            return None
        record(response.status_code)
        if response.status_code >= 500:
            self.problems.append(f"{self.role}: {method} {url} answered {response.status_code}"
                                 f" ({(body or b'')[:300]!r})")
        if self.role and response.status_code in (302, 303) and \
                "/account/login" in response.headers.get("Location", ""):
            self.client = signed_in(self.app, self.role)  # an accepted form ended the session (e.g. a role change)
        return response

    def snapshot(self) -> dict:
        with self.app.app_context():
            rows = {name: (count, total) for name, count, total in db.session.execute(self._snapshot_sql)}
            db.session.rollback()
        return rows

    # --- forms ------------------------------------------------------------------------------------

    def refresh(self, form: Form) -> None:
        """Read the form's page again (after an accepted submission): current version, new key."""
        response = self.request("GET", form.page)
        if response is None or response.status_code != 200:
            return
        parser = _PageParser(f"http://localhost{form.page}")
        parser.feed(response.get_data(as_text=True))
        for fresh in parser.forms:
            if urlsplit(fresh.action).path == urlsplit(form.action).path and set(fresh.fields) == set(form.fields):
                form.fields = fresh.fields
                return

    def baseline(self, form: Form) -> list[tuple[str, str]]:
        pairs = []
        for field in form.fields.values():
            value = plausible(field)
            if field.name.endswith("idempotency_key"):
                value = uuid4().hex  # a fresh form each time: one submission is not a repeat of another
            if (field.kind == "checkbox" and not value) or (field.kind == "button" and field.name != form.first_button):
                continue  # an unticked box, or a button other than the one pressed, sends nothing
            pairs.append((field.name, value))
        return pairs

    def submit(self, form: Form, pairs, action: str | None = None) -> None:
        """Send one submission and check the outcome against the database and the pages."""
        before = self.snapshot()
        response = self.request("POST", action or form.action, encode(pairs))
        if response is None or response.status_code >= 500:
            return
        after = self.snapshot()
        context = f"{self.role}: POST {action or form.action} {[(n, v[:60]) for n, v in pairs]!r}"
        if response.status_code not in (301, 302, 303):
            changed = {name for name in after if after[name] != before.get(name)}
            if changed and refused(response):
                self.problems.append(f"{context} answered {response.status_code} yet changed {sorted(changed)}")
            return
        if after != before:  # a redirect that stored nothing (e.g. "this figure is already there") has nothing to read
            self.read_back(form, pairs, response.headers["Location"], context)
        self.refresh(form)

    def read_back(self, form: Form, pairs, location: str, context: str) -> None:
        """An accepted text value must show as typed, on the page the form led to or on the form itself."""
        sent = {}
        for name, value in pairs:
            sent.setdefault(name, value)  # of a field sent twice, the first value is the one kept
        # A text in one language (title_en, label_es) shows only to readers of that language.
        checks = [(name, as_received(value).strip()) for name, value in sent.items()
                  if name in form.fields and form.fields[name].kind in READ_BACK_KINDS and value.strip()
                  and sent[name] != plausible(form.fields[name]) and not name.endswith(("_en", "_es"))]
        if not checks:
            return
        target = urlsplit(location)
        target = target.path + (f"?{target.query}" if target.query else "")
        pages = [self.request("GET", target)]
        if urlsplit(location).path != urlsplit(form.page).path:
            pages.append(self.request("GET", form.page))
        html = " ".join(page.get_data(as_text=True) for page in pages if page is not None)
        for name, value in checks:
            if str(escape(value)) not in html and not _shown_as(value, html):
                self.problems.append(f"{context}: {name}={value[:80]!r} was accepted but does not read back")

    def double_submit(self, form: Form) -> None:
        """Send the same submission twice at once from two connections of one session."""
        pairs = self.baseline(form)
        body = encode(pairs)
        other = Browser(self.app)
        cookie = self.app.config["SESSION_COOKIE_NAME"]
        other.client.set_cookie(cookie, self.client.client.get_cookie(cookie).value)
        other.client.environ_base.update(self.client.client.environ_base)
        before = self.snapshot()
        start, answers = threading.Barrier(2), []

        def send(client):
            start.wait()
            answers.append(self.request("POST", form.action, body, client=client))

        threads = [threading.Thread(target=send, args=(client,)) for client in (self.client, other)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        if None in answers or any(answer.status_code >= 500 for answer in answers):
            return
        after = self.snapshot()
        grown = {name: after[name][0] - before[name][0] for name in after if after[name][0] > before.get(name, (0,))[0]}
        statuses = sorted(answer.status_code for answer in answers)
        if statuses == [303, 303]:
            locations = {answer.headers["Location"] for answer in answers}
            if len(locations) != 1:
                self.problems.append(f"{self.role}: double submit of {form.action} answered {locations}")
            doubled = {name: n for name, n in grown.items() if n > 1 and name not in ("audit_events",)}
            if doubled:
                self.problems.append(f"{self.role}: double submit of {form.action} made two rows in {doubled}")
        if statuses == [303, 303]:
            self.refresh(form)


def _shown_as(value: str, html: str) -> bool:
    """Whether ``value`` shows with its white space folded, as HTML displays it."""
    folded = re.sub(r"\s+", " ", str(escape(value)))
    return folded in re.sub(r"\s+", " ", html)


def refused(response) -> bool:
    """Whether the answer refuses the submission: an error status, or the form shown again with its errors.
    (A page of 200 without an error may be an accepted form's answer, e.g. an invitation link to pass on.)"""
    if response.status_code >= 400:
        return True
    page = response.get_data(as_text=True)
    return any(mark in page for mark in ('class="field-error"', 'class="error-summary"', 'class="flash flash-error"'))


def as_received(value: str) -> str:
    """The text the server gets: Werkzeug keeps bytes that are not UTF-8 (a lone surrogate) percent-encoded."""
    return re.sub(r"[\ud800-\udfff]", lambda m: "".join(f"%{b:02X}" for b in m.group().encode("utf-8", "surrogatepass")),
                  value)
