"""/data: every dataset with its formats, licence and last change, schema.org JSON-LD that the strict CSP
leaves alone (a data block, not a script), and a link to it in every page's footer."""

import json
import re

from portal.core.security import CONTENT_SECURITY_POLICY
from tests.commitments.support import browser

JSON_LD = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)


def structured(html: str) -> dict:
    blocks = JSON_LD.findall(html)
    assert len(blocks) == 1
    return json.loads(blocks[0])


def test_the_page_describes_each_dataset_in_json_ld_with_working_downloads(app, world):
    client = app.test_client()
    response = client.get("/data")
    assert response.status_code == 200
    catalog = structured(response.get_data(as_text=True))
    assert catalog["@context"] == "https://schema.org" and catalog["@type"] == "DataCatalog"
    names = {dataset["@id"].split("#")[1] for dataset in catalog["dataset"]}
    assert names == {"commitments", "joint-actions", "symposia", "countries", "organisations", "minutes"}
    for dataset in catalog["dataset"]:
        assert dataset["@type"] == "Dataset" and dataset["license"] == "https://creativecommons.org/licenses/by/4.0/"
        for download in dataset["distribution"]:
            answer = client.get(download["contentUrl"].removeprefix("http://localhost"))
            assert answer.status_code == 200, download
            assert answer.mimetype == download["encodingFormat"], download


def test_last_changes_come_from_what_the_reader_may_see(app, world, factory):
    client = app.test_client()
    before = {d["@id"].split("#")[1]: d.get("dateModified") for d in structured(client.get("/data").get_data(as_text=True))["dataset"]}
    factory.commitment(world["owner"], "parties", author=world["owner_editor"])  # hidden from the public
    after = {d["@id"].split("#")[1]: d.get("dateModified") for d in structured(client.get("/data").get_data(as_text=True))["dataset"]}
    assert after == before
    party = {d["@id"].split("#")[1]: d.get("dateModified")
             for d in structured(browser(app, world["owner_editor"]).text("/data"))["dataset"]}
    assert party["commitments"] > before["commitments"]


def test_the_content_security_policy_stays_strict(app, world):
    response = app.test_client().get("/data")
    policy = response.headers["Content-Security-Policy"]
    assert "unsafe-inline" not in policy and "default-src 'self'" in policy
    assert CONTENT_SECURITY_POLICY["default-src"] == "'self'" and "script-src" not in CONTENT_SECURITY_POLICY
    # Only the JSON-LD data block is inline, and it holds no markup that could end it early.
    html = response.get_data(as_text=True)
    assert html.count("<script") == 1 and "</script>" not in JSON_LD.findall(html)[0]


def test_every_page_links_the_open_data_page_from_its_footer(app, world):
    client = app.test_client()
    for url in ("/", "/commitments/", "/actions/", "/symposia/", "/account/login", "/api/", "/no-such-page"):
        html = client.get(url).get_data(as_text=True)
        footer = html[html.index('<footer'):]
        assert 'href="/data"' in footer, url
