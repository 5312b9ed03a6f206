"""A signed-out visitor clicks from the home page to Honduras, to a symposium, to a commitment.

On every page: axe-core finds no WCAG 2.1 A/AA violation, the Nu HTML checker finds no error in
the HTML as served, and each chart draws exactly the figures of the table beside it, whose counts
add up to the total the page writes in words.
"""

import json
import re
import subprocess
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, expect

from portal.demo.commitments import COMMITMENTS, ENGLISH

from .pages import LANGUAGES
from .support import java_and_vnu, tr
from .test_accessibility import run_axe

pytestmark = pytest.mark.e2e

SYMPOSIUM_SLUG = "tegucigalpa-corresponsabilidad"
#: CENISS's quarterly figures: public, with an indicator (baseline, target, a reported value), titled in each
#: interface language.
_CENISS = next(index for index, (owner, *_) in enumerate(COMMITMENTS) if owner == "ceniss-hnd")
COMMITMENT_TITLE = {"es": COMMITMENTS[_CENISS][1], "en": ENGLISH[_CENISS][0]}


def squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def whole_number(text: str) -> int:
    """The first whole number written in ``text`` (thousands separated by "," in both languages)."""
    match = re.search(r"\d[\d,]*", text)
    assert match, f"no number in {text!r}"
    return int(match.group().replace(",", ""))


def chart_figures(page: Page) -> dict[str, dict]:
    """Each chart on the page, by id: its bars as drawn in the SVG and its table rows."""
    return page.evaluate("""() => Object.fromEntries(
      [...document.querySelectorAll('main figure.chart')].map(figure => {
        const text = node => node ? node.textContent.replace(/\\s+/g, ' ').trim() : null;
        const bars = [...figure.querySelectorAll('svg g.chart-row')].map(row => ({
            key: row.dataset.key, label: text(row.querySelector('.chart-label')),
            parts: [...row.querySelectorAll('.chart-figure tspan')].map(text),
            figure: text(row.querySelector('.chart-figure')),
            drawn: [...row.querySelectorAll('rect')].filter(rect => rect.getAttribute('stroke') === '#1b1f24')
                     .map(rect => parseFloat(rect.getAttribute('width')))}));
        const rows = [...figure.querySelectorAll('table tbody tr')].map(row => ({
            key: row.dataset.key, cells: [...row.children].map(text)}));
        const total = figure.querySelector('table tfoot tr');
        const svg = figure.querySelector('svg');
        return [figure.id, {bars, rows, total: total ? [...total.children].map(text) : null,
                            labelledby: svg.getAttribute('aria-labelledby'), role: svg.getAttribute('role'),
                            named: svg.getAttribute('aria-labelledby').split(' ')
                                      .every(id => svg.querySelector('#' + id))}];
    }))""")


def assert_charts_match_their_tables(page: Page) -> dict[str, dict]:
    """Every chart's bars carry the figures of its table row by row; status charts add up to their total."""
    charts = chart_figures(page)
    for chart_id, chart in charts.items():
        assert chart["role"] == "img" and chart["named"], chart_id
        assert [bar["key"] for bar in chart["bars"]] == [row["key"] for row in chart["rows"]], chart_id
        for bar, row in zip(chart["bars"], chart["rows"]):
            header, *cells = row["cells"]
            assert bar["label"] == header, (chart_id, bar, row)
            # The figure after the bar is the row's cells: "3 (38 %)", "2 / 8 (25 %)" or an indicator's value.
            assert (bar["parts"] or [bar["figure"]]) == cells, (chart_id, bar, row)
        if chart["total"] is not None:
            counts = [whole_number(row["cells"][1]) for row in chart["rows"]]
            assert sum(counts) == whole_number(chart["total"][1]), chart_id
            # Bars are drawn to scale: a count twice as large draws a bar twice as long.
            widths = {count: bar["drawn"][0] for count, bar in zip(counts, chart["bars"]) if bar["drawn"]}
            assert all(count > 0 for count in widths)
            largest = max(widths)
            for count, width in widths.items():
                assert abs(width / widths[largest] - count / largest) < 0.02 or width == 2, (chart_id, widths)
    return charts


def check_status_total(page: Page, charts: dict, chart_id: str, written) -> None:
    """The status chart's table adds up to the number of commitments the page writes in words."""
    assert chart_id in charts, f"no chart {chart_id} on {page.url}"
    total = sum(whole_number(row["cells"][1]) for row in charts[chart_id]["rows"])
    assert total == whole_number(squash(written.inner_text())) > 0, (chart_id, written.inner_text())


def follow(page: Page, link) -> bytes:
    """Click ``link`` (it must be visible) and return the HTML the portal sent for the page it leads to."""
    expect(link).to_be_visible()
    href = link.get_attribute("href")
    with page.expect_response(lambda answer: answer.request.is_navigation_request()
                              and answer.frame == page.main_frame) as arrival:
        link.click()
    page.wait_for_load_state()
    response = arrival.value
    assert response.status == 200 and urlsplit(response.url).path == urlsplit(href).path, (href, response.url)
    return response.body()


def check_page(page: Page, lang: str, html: bytes, pages: dict) -> None:
    """axe-core on the page as shown; its HTML kept for the Nu checker."""
    expect(page.locator("html")).to_have_attribute("lang", lang)
    results = run_axe(page)
    assert results.violations_count == 0, f"axe-core on {page.url} ({lang}):\n" + results.generate_report()
    pages[f"{lang}-{len(pages) + 1}.html"] = (html, page.url)


def assert_valid_html(pages: dict, folder) -> None:
    """Run the Nu HTML checker once over every page kept (and a canary it must reject)."""
    java, jar = java_and_vnu()
    for name, (html, _url) in pages.items():
        (folder / name).write_bytes(html)
    canary = '<!doctype html><html lang="en"><title>t</title><p id="x"><p id="x"></html>'
    (folder / "canary.html").write_text(canary)
    proc = subprocess.run([java, "-jar", str(jar), "--errors-only", "--format", "json", "--stdout",
                           *(str(folder / name) for name in [*pages, "canary.html"])],
                          capture_output=True, text=True, timeout=300)
    messages = json.loads(proc.stdout or '{"messages": []}')["messages"]
    by_file = {}
    for message in messages:
        by_file.setdefault(message.get("url", "").rsplit("/", 1)[-1], []).append(message.get("message"))
    assert any("Duplicate ID" in text for text in by_file.pop("canary.html", [])), proc.stderr
    assert not by_file, {pages[name][1]: errors for name, errors in by_file.items()}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_visitor_goes_from_home_to_a_country_a_symposium_and_a_commitment(signed_in, lang, tmp_path):
    page = signed_in(None, lang).new_page()
    pages = {}
    try:
        # Home: the figures of the follow-up, and the countries taking part.
        response = page.goto("/")
        assert response is not None and response.status == 200
        check_page(page, lang, response.body(), pages)
        charts = assert_charts_match_their_tables(page)
        term = page.locator("main dl dt").filter(has_text=re.compile(rf"^\s*{tr(lang, 'Commitments')}\s*$"))
        check_status_total(page, charts, "home-status", term.locator("xpath=following-sibling::dd[1]"))

        # -> Honduras, by the link on the home page.
        html = follow(page, page.locator("main").get_by_role("link", name="Honduras", exact=True).first)
        assert page.url.endswith("/countries/HND")
        expect(page.locator("main h1")).to_contain_text("Honduras")
        check_page(page, lang, html, pages)
        charts = assert_charts_match_their_tables(page)
        check_status_total(page, charts, "country-status",
                           page.locator("section[aria-labelledby=commitments] > p").first)

        # -> the Tegucigalpa symposium, listed among the symposia held in Honduras.
        symposia = page.locator("section[aria-labelledby=symposia]")
        html = follow(page, symposia.locator(f"a[href$='/symposia/{SYMPOSIUM_SLUG}']").first)
        assert page.url.endswith(f"/symposia/{SYMPOSIUM_SLUG}")
        check_page(page, lang, html, pages)
        charts = assert_charts_match_their_tables(page)
        check_status_total(page, charts, "status-chart",
                           page.locator("section[aria-labelledby=scorecard] > p").first)
        assert "progress-chart" in charts and charts["progress-chart"]["bars"]
        for bar in charts["progress-chart"]["bars"]:
            completed, total, share = (whole_number(part) for part in bar["parts"])
            assert 0 <= completed <= total and abs(share - 100 * completed / total) <= 0.5

        # -> CENISS's commitment, from the commitments made at the symposium.
        made_here = page.locator("section[aria-labelledby=commitments]")
        html = follow(page, made_here.get_by_role("link", name=COMMITMENT_TITLE[lang], exact=True))
        expect(page.locator("main h1")).to_have_text(COMMITMENT_TITLE[lang])
        check_page(page, lang, html, pages)
        charts = assert_charts_match_their_tables(page)
        indicator = charts["indicator-chart"]
        values = {row["key"]: row["cells"][1] for row in indicator["rows"]}
        assert set(values) == {"baseline", "achieved", "target"}
        caption = squash(page.locator("#indicator-chart figcaption").inner_text())
        baseline, achieved, target = (whole_number(values[key]) for key in ("baseline", "achieved", "target"))
        of = tr(lang, "%(achieved)s of %(target)s")
        assert of % {"achieved": values["achieved"], "target": values["target"]} in caption
        assert f"({int(100 * (achieved - baseline) / (target - baseline) + 0.5)} %)" in caption
    finally:
        page.close()
    assert_valid_html(pages, tmp_path)
