"""HTML conformance: every page in PAGES, in both languages, through the Nu HTML checker (vnu-jar)."""

import json
import re
import subprocess
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
import requests

from portal.demo.data import DEMO_PASSWORD

from .pages import LANGUAGES, PAGES
from .support import java_and_vnu

pytestmark = pytest.mark.e2e

ACCEPT_LANGUAGE = {"es": "es-HN,es;q=0.9", "en": "en-US,en;q=0.9"}
#: Checked with the pages to prove the checker really reads the files: it must report this one.
CANARY = "canary.html"
CANARY_HTML = '<!doctype html><html lang="en"><title>t</title><p id="x"><img src="a.png"><p id="x"></html>'


class _CsrfToken(HTMLParser):
    """Find the value of the csrf_token field inside <main> (the sign-in form)."""

    def __init__(self):
        super().__init__()
        self.in_main = False
        self.value = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "main":
            self.in_main = True
        elif tag == "input" and self.in_main and attrs.get("name") == "csrf_token" and self.value is None:
            self.value = attrs.get("value")


def _client(base_url: str, account: str | None, lang: str) -> requests.Session:
    client = requests.Session()
    client.headers["Accept-Language"] = ACCEPT_LANGUAGE[lang]
    if account:
        form = client.get(f"{base_url}/account/login", timeout=30)
        parser = _CsrfToken()
        parser.feed(form.text)
        assert parser.value, "no csrf_token in the sign-in form"
        answer = client.post(
            f"{base_url}/account/login",
            data={"csrf_token": parser.value, "email": account, "password": DEMO_PASSWORD, "next": ""},
            timeout=30,
        )
        assert urlsplit(answer.url).path != "/account/login", f"could not sign in as {account}"
    return client


def test_pages_are_valid_html(live_server, demo_ids, tmp_path):
    java, jar = java_and_vnu()
    clients = {}
    files = {}
    for lang in LANGUAGES:
        for number, target in enumerate(PAGES, start=1):
            key = (target.account, lang)
            if key not in clients:
                clients[key] = _client(live_server, target.account, lang)
            answer = clients[key].get(live_server + target.url(demo_ids), timeout=30, allow_redirects=False)
            assert answer.status_code == target.status, (
                f"{target.describe(lang)} answered {answer.status_code} (expected {target.status})"
            )
            assert answer.headers["Content-Type"].startswith("text/html")
            name = f"{lang}-{number:02d}-{re.sub(r'[^A-Za-z0-9]+', '_', target.id).strip('_')}.html"
            (tmp_path / name).write_bytes(answer.content)
            files[name] = target.describe(lang)

    (tmp_path / CANARY).write_text(CANARY_HTML)
    files[CANARY] = "canary (must fail)"

    proc = subprocess.run(
        [java, "-jar", str(jar), "--errors-only", "--format", "json", "--stdout",
         *(str(tmp_path / name) for name in files)],
        capture_output=True, text=True, timeout=300,
    )
    try:
        messages = json.loads(proc.stdout or '{"messages": []}')["messages"]
    except json.JSONDecodeError:
        pytest.fail(f"vnu answered no JSON (exit {proc.returncode}):\n{proc.stdout}\n{proc.stderr}")
    report = []
    canary = []
    for message in messages:
        name = message.get("url", "").rsplit("/", 1)[-1]
        if name == CANARY:
            canary.append(message.get("message", ""))
            continue
        where = f"{name}:{message.get('lastLine', '?')}:{message.get('firstColumn', '?')}"
        extract = (message.get("extract") or "").replace("\n", "⏎")
        report.append(f"{files.get(name, name)} {where}: [{message.get('type')}] {message.get('message')}"
                      + (f"\n    {extract}" if extract else ""))
    assert any("Duplicate ID" in text for text in canary), (
        f"the Nu HTML checker missed the canary's errors; is it working?\n{proc.stdout}\n{proc.stderr}"
    )
    assert not report, f"{len(report)} HTML error(s) from the Nu HTML checker:\n" + "\n".join(report)
