"""Find what to fuzz by reading the pages a person can reach: every POST form and every list's query
parameters, so that a form or filter added tomorrow is fuzzed without touching the suite."""

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urljoin, urlsplit

#: Links that end the session or leave the portal's pages; everything else a role can reach is crawled.
SKIPPED_LINKS = re.compile(r"^/(static/|account/logout)|\.(ics|csv|pdf|png|jpe?g|docx?|xlsx?|od[ts])$|/download|"
                           r"/attachments/\d+$|/evidence/")
#: Forms whose acceptance would end the fuzzing session itself.
SKIPPED_FORMS = re.compile(r"^/account/logout$")


@dataclass
class Field:
    name: str
    kind: str  # text, textarea, select, radio, checkbox, hidden, password, date, time, number, email, url, file...
    value: str = ""
    options: list[str] = field(default_factory=list)
    multiple: bool = False
    required: bool = False


@dataclass
class Form:
    page: str  # where the form was found
    action: str
    fields: dict[str, Field] = field(default_factory=dict)
    #: The name of the form's first submit button ("" if unnamed): what pressing Enter sends.
    first_button: str | None = None

    @property
    def shape(self) -> str:
        """The form's address with its ids replaced, and its fields: one fuzz target per shape."""
        return f"{id_pattern(self.action)} {sorted(self.fields)}"

    @property
    def has_files(self) -> bool:
        return any(f.kind == "file" for f in self.fields.values())


def id_pattern(path: str) -> str:
    return re.sub(r"/\d+(?=/|$)", "/<id>", urlsplit(path).path)


class _PageParser(HTMLParser):
    """Collects links, POST forms (with their fields and current values) and GET forms' field names."""

    def __init__(self, page: str):
        super().__init__(convert_charrefs=True)
        self.page = page
        self.links: list[str] = []
        self.forms: list[Form] = []
        self.get_forms: list[tuple[str, set[str]]] = []
        self._form: Form | None = None
        self._get: tuple[str, set[str]] | None = None
        self._select: Field | None = None
        self._option: str | None = None
        self._textarea: Field | None = None

    def handle_starttag(self, tag, attrs):
        a = {k: (v if v is not None else "") for k, v in attrs}
        if tag == "a" and a.get("href"):
            self.links.append(urljoin(self.page, a["href"]))
        elif tag == "form":
            action = urljoin(self.page, a.get("action") or self.page)
            if a.get("method", "get").lower() == "post":
                self._form = Form(self.page, action)
            else:
                self._get = (action, set())
        elif tag == "button" and self._form is not None and self._form.first_button is None \
                and a.get("type", "submit").lower() == "submit":
            self._form.first_button = a.get("name", "")
            if a.get("name"):
                self._form.fields[a["name"]] = Field(a["name"], "button", a.get("value", ""))
        elif tag in ("input", "select", "textarea", "button") and a.get("name"):
            name = a["name"]
            if self._get is not None:
                self._get[1].add(name)
            if self._form is None:
                return
            if tag == "input":
                kind = a.get("type", "text").lower()
                if kind in ("submit", "button", "image", "reset"):
                    return
                known = self._form.fields.get(name)
                if kind in ("radio", "checkbox") and known is not None:
                    known.options.append(a.get("value", "on"))
                    known.multiple = kind == "checkbox"
                    if "checked" in a:
                        known.value = a.get("value", "on")
                    return
                self._form.fields[name] = Field(
                    name, kind, a.get("value", "") if kind not in ("radio", "checkbox") or "checked" in a else "",
                    [a.get("value", "on")] if kind in ("radio", "checkbox") else [], required="required" in a)
            elif tag == "button":
                # A button's name and value are sent with the form (e.g. an on/off button's "to").
                self._form.fields[name] = Field(name, "button", a.get("value", ""))
            elif tag == "select":
                self._select = Field(name, "select", multiple="multiple" in a, required="required" in a)
                self._form.fields[name] = self._select
            elif tag == "textarea":
                self._textarea = Field(name, "textarea", required="required" in a)
                self._form.fields[name] = self._textarea
        elif tag == "option" and self._select is not None:
            self._option = a.get("value")
            if self._option is not None:
                self._select.options.append(self._option)
                if "selected" in a:
                    self._select.value = self._option

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea.value += data
        if self._select is not None and self._option is None and data.strip():
            pass

    def handle_endtag(self, tag):
        if tag == "form":
            if self._form is not None:
                self.forms.append(self._form)
            if self._get is not None:
                self.get_forms.append(self._get)
            self._form, self._get = None, None
        elif tag == "select":
            if self._select is not None and not self._select.value and self._select.options:
                self._select.value = self._select.options[0]
            self._select = None
        elif tag == "textarea":
            if self._textarea is not None and self._textarea.value.startswith("\n"):
                self._textarea.value = self._textarea.value[1:]  # HTML drops the newline after <textarea>
            self._textarea = None
        elif tag == "option":
            self._option = None


@dataclass
class Site:
    """What one role can reach: pages seen, POST forms (one per shape), and query parameters per list."""

    pages: list[str] = field(default_factory=list)
    forms: list[Form] = field(default_factory=list)
    parameters: dict[str, set[str]] = field(default_factory=dict)


def crawl(client, start=("/", "/dashboard"), per_shape: int = 2, limit: int = 400) -> Site:
    """Visit the pages ``client`` can reach from ``start`` (at most ``per_shape`` pages of each address
    shape, ``limit`` in all) and gather their forms and list parameters."""
    site, seen_shapes, queue, visited, form_shapes = Site(), {}, list(start), set(), set()
    while queue and len(visited) < limit:
        url = queue.pop(0)
        parts = urlsplit(url)
        if parts.netloc not in ("", "localhost") or url in visited:
            continue
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        shape = id_pattern(parts.path) + ("?" + "&".join(sorted({k for k, _ in parse_qsl(parts.query)}))
                                          if parts.query else "")
        if SKIPPED_LINKS.search(parts.path) or seen_shapes.get(shape, 0) >= per_shape:
            continue
        seen_shapes[shape] = seen_shapes.get(shape, 0) + 1
        visited.add(url)
        response = client.get(path)
        if response.status_code != 200 or "text/html" not in response.content_type:
            continue
        site.pages.append(path)
        parser = _PageParser(f"http://localhost{path}")
        parser.feed(response.get_data(as_text=True))
        for form in parser.forms:
            form.page, form.action = path, _local(form.action)
            if not SKIPPED_FORMS.match(form.action) and form.shape not in form_shapes:
                form_shapes.add(form.shape)
                site.forms.append(form)
        for action, names in parser.get_forms:
            site.parameters.setdefault(urlsplit(_local(action)).path, set()).update(names)
        for link in parser.links:
            link_parts = urlsplit(link)
            if link_parts.query and link_parts.netloc in ("", "localhost"):
                site.parameters.setdefault(link_parts.path, set()).update(k for k, _ in parse_qsl(link_parts.query))
            queue.append(link.split("#")[0])
    return site


def _local(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")
