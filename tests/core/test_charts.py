"""Server-drawn SVG charts: geometry, and what the macros draw equals what their tables say."""

import re
from datetime import date, timedelta
from decimal import Decimal
from html.parser import HTMLParser
from types import SimpleNamespace

import pytest

from portal.commitments.scorecard import QuarterPoint, Scorecard
from portal.core.charts import (
    BAR_MAX,
    LABEL_HEIGHT,
    MIN_VISIBLE,
    ROW_HEIGHT,
    WIDTH,
    bar_chart,
    indicator_scale,
    percent,
)
from tests.commitments.support import portal_today
from tests.helpers import Browser

VOID = {"br", "hr", "img", "input", "meta", "link", "rect", "circle", "path", "col", "wbr"}


class Node:
    def __init__(self, tag, attrs, parent=None):
        self.tag, self.attrs, self.parent, self.children = tag, dict(attrs), parent, []

    def text(self) -> str:
        return "".join(child if isinstance(child, str) else child.text() for child in self.children)

    def find_all(self, tag=None, **attrs):
        """Descendants with this tag (any if None) whose attributes include ``attrs`` (class_ for class)."""
        wanted = {("class" if key == "class_" else key): value for key, value in attrs.items()}
        for child in self.children:
            if isinstance(child, str):
                continue
            if (tag is None or child.tag == tag) and all(_matches(child, *pair) for pair in wanted.items()):
                yield child
            yield from child.find_all(tag, **attrs)

    def find(self, tag=None, **attrs):
        return next(self.find_all(tag, **attrs), None)


def _matches(node, key, value) -> bool:
    if key == "class":
        return value in (node.attrs.get("class") or "").split()
    return node.attrs.get(key) == value


class _Tree(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = self.node = Node("#root", {})

    def handle_starttag(self, tag, attrs):
        node = Node(tag, attrs, self.node)
        self.node.children.append(node)
        if tag not in VOID:
            self.node = node

    def handle_startendtag(self, tag, attrs):
        self.node.children.append(Node(tag, attrs, self.node))

    def handle_endtag(self, tag):
        node = self.node
        while node is not None and node.tag != tag:
            node = node.parent
        if node is not None and node.parent is not None:
            self.node = node.parent

    def handle_data(self, data):
        self.node.children.append(data)


def parse(html: str) -> Node:
    tree = _Tree()
    tree.feed(html)
    tree.close()
    return tree.root


def squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def render(app, source: str, language: str = "en", **context) -> str:
    """Render a template snippet in a request in ``language``."""
    with app.test_request_context("/", headers={"Accept-Language": language}):
        return app.jinja_env.from_string(source).render(**context)


def chart_rows(figure: Node) -> list[dict]:
    """Each bar of a chart: its label, the figure written after it, and whether a bar is drawn."""
    rows = []
    for group in figure.find("svg").find_all("g", class_="chart-row"):
        bars = [rect for rect in group.find_all("rect") if rect.attrs.get("stroke") == "#1b1f24"]
        rows.append({"key": group.attrs["data-key"],
                     "label": squash(group.find("text", class_="chart-label").text()),
                     "figure": squash(group.find("text", class_="chart-figure").text()),
                     "width": float(bars[0].attrs["width"]) if bars else 0.0,
                     "parts": {cls: squash(span.text())
                               for cls in ("chart-count", "chart-total", "chart-share")
                               for span in group.find_all("tspan", class_=cls)}})
    return rows


def bar_fill(group: Node) -> str:
    """The fill of the bar drawn in a chart row (the dark-outlined rectangle, not the track)."""
    outlined = (rect for rect in group.find_all("rect") if rect.attrs.get("stroke") == "#1b1f24")
    return next(outlined).attrs["fill"]


def table_rows(figure: Node) -> dict[str, list[str]]:
    """The chart's table body: row key -> [row header, cells...]."""
    body = figure.find("table").find("tbody")
    return {row.attrs["data-key"]: [squash(cell.text()) for cell in row.children if not isinstance(cell, str)]
            for row in body.find_all("tr")}


def assert_accessible_svg(figure: Node, chart_id: str, title: str) -> None:
    svg = figure.find("svg")
    assert svg.attrs["role"] == "img"
    labelled = svg.attrs["aria-labelledby"].split()
    assert labelled == [f"{chart_id}-title", f"{chart_id}-desc"]
    assert squash(svg.find("title", id=labelled[0]).text()) == title
    assert svg.find("desc", id=labelled[1]).text().strip()
    assert re.fullmatch(r"0 0 \d+ \d+", svg.attrs["viewbox"]) and "width" not in svg.attrs
    assert squash(figure.find("figcaption").text()).startswith(title)
    caption = figure.find("table").find("caption")
    assert title in caption.text()
    assert all(th.attrs.get("scope") in ("col", "row") for th in figure.find_all("th"))


# --------------------------------------------------------------------------- geometry


def test_bars_are_proportional_and_a_small_figure_stays_visible():
    chart = bar_chart([("a", "A", 10), ("b", "B", 5), ("c", "C", 0), ("d", "D", Decimal("0.01")),
                       ("e", "E", None), ("f", "F", -3)], 10)
    widths = [bar.width for bar in chart.bars]
    assert widths == [BAR_MAX, BAR_MAX / 2, 0, MIN_VISIBLE, 0, 0]
    assert [bar.percent for bar in chart.bars] == [100, 50, 0, 0, 0, -30]
    assert [bar.bar_y for bar in chart.bars] == [LABEL_HEIGHT + n * ROW_HEIGHT for n in range(6)]
    assert chart.height >= chart.bars[-1].bar_y + chart.bar_height
    assert all(bar.figure_x > bar.width for bar in chart.bars)
    assert isinstance(chart.bars[0].width, int), "whole coordinates are written without .0"


def test_a_chart_without_room_for_figures_draws_bars_across_the_whole_width():
    chart = bar_chart([("a", "A", 1), ("b", "B", 0.25)], 1, 0)
    assert chart.bar_max == WIDTH and [bar.width for bar in chart.bars] == [WIDTH, WIDTH / 4]


def test_a_value_above_the_scale_is_capped_and_an_empty_scale_draws_nothing():
    assert bar_chart([("a", "A", 30)], 10).bars[0].width == BAR_MAX
    assert [bar.width for bar in bar_chart([("a", "A", 0)], 0).bars] == [0]
    assert bar_chart([], 5).bars == []


def test_percentages_round_half_up_and_never_divide_by_zero():
    assert [percent(1, 8), percent(3, 8), percent(1, 3), percent(2, 3), percent(0, 0), percent(None, 4)] == \
        [13, 38, 33, 67, 0, 0]
    assert percent(Decimal("38500"), Decimal("64000")) == 60


def test_indicator_scale_is_the_largest_known_figure():
    assert indicator_scale(Decimal(5), None, Decimal(120)) == 120
    assert indicator_scale(None, Decimal(150), Decimal(120)) == 150
    assert indicator_scale(None, None, Decimal(-4)) == 0


# --------------------------------------------------------------------------- the macros

STATUS = ('{% from "_macros/charts.html" import status_chart %}'
          '{{ status_chart(card, "By status", "Counts.", "st") }}')
PROGRESS = ('{% from "_macros/charts.html" import progress_chart %}'
            '{{ progress_chart(card, "Completed over time", "Shares.", "pr") }}')
INDICATOR = '{% from "_macros/charts.html" import indicator_chart %}{{ indicator_chart(commitment, "ind") }}'


def test_status_chart_draws_every_status_with_the_figures_of_its_table(app):
    card = Scorecard(by_status={"completed": 3, "in_progress": 4, "stalled": 1}, overdue=2, unreported=1)
    figure = parse(render(app, STATUS, card=card)).find("figure", id="st")
    assert_accessible_svg(figure, "st", "By status")
    rows = chart_rows(figure)
    assert [row["key"] for row in rows] == ["planned", "in_progress", "completed", "stalled", "cancelled"]
    assert [row["label"] for row in rows] == ["Planned", "In progress", "Completed", "Stalled", "Cancelled"]
    assert [row["figure"] for row in rows] == ["0 (0 %)", "4 (50 %)", "3 (38 %)", "1 (13 %)", "0 (0 %)"]
    assert [row["width"] for row in rows] == [0, BAR_MAX * 4 / 8, round(BAR_MAX * 3 / 8, 1),
                                              round(BAR_MAX / 8, 1), 0]
    table = table_rows(figure)
    for row in rows:
        assert table[row["key"]] == [row["label"], row["parts"]["chart-count"], row["parts"]["chart-share"]]
    assert sum(int(cells[1]) for cells in table.values()) == card.total == 8
    footer = figure.find("tfoot").find("tr")
    total = [squash(cell.text()) for cell in footer.children if not isinstance(cell, str)]
    assert total == ["Total", "8", "100 %"]
    # Each status has its own fill: a pattern (defined in this chart) or a solid colour, never two alike.
    svg = figure.find("svg")
    fills = [bar_fill(group) for group in svg.find_all("g", class_="chart-row")
             if group.attrs["data-key"] in card.by_status]
    assert len(set(fills)) == 3
    defined = {pattern.attrs["id"] for pattern in svg.find_all("pattern")}
    assert {fill[5:-1] for fill in fills if fill.startswith("url(")} <= defined
    assert all(pattern_id.startswith("st-") for pattern_id in defined)


def test_status_chart_speaks_spanish(app):
    card = Scorecard(by_status={"completed": 1, "planned": 1})
    figure = parse(render(app, STATUS, language="es", card=card)).find("figure")
    assert [row["label"] for row in chart_rows(figure)][:3] == ["Planificado", "En curso", "Cumplido"]
    headers = [cell.text() for cell in figure.find("thead").find_all("th")]
    assert headers == ["Estado", "Compromisos", "Proporción"]


def test_empty_data_renders_a_sentence_not_an_empty_chart(app):
    empty = Scorecard()
    for source, language, sentence in (
            (STATUS, "en", "There are no commitments to show yet."),
            (PROGRESS, "en", "There is no progress over time to show yet."),
            (STATUS, "es", "Todavía no hay compromisos que mostrar.")):
        html = render(app, source, language=language, card=empty)
        assert "<svg" not in html and "<table" not in html and sentence in html
    no_quarters = render(app, PROGRESS, card=Scorecard(by_status={"planned": 2}))
    assert "<svg" not in no_quarters and "There is no progress over time to show yet." in no_quarters
    no_indicator = render(app, INDICATOR, commitment=SimpleNamespace(
        indicator_unit=None, indicator_baseline=None, indicator_target=None, indicator_achieved=None,
        indicator_share=None))
    assert "<svg" not in no_indicator and "This commitment has no quantitative indicator." in no_indicator


def test_progress_chart_shows_each_quarter_share_as_in_its_table(app):
    start = date(2026, 3, 31)
    points = [QuarterPoint(start, 1, 8), QuarterPoint(start + timedelta(days=91), 5, 8),
              QuarterPoint(start + timedelta(days=183), 8, 8)]
    card = Scorecard(by_status={"completed": 8}, quarters=points)
    figure = parse(render(app, PROGRESS, card=card)).find("figure", id="pr")
    assert_accessible_svg(figure, "pr", "Completed over time")
    rows = chart_rows(figure)
    assert [row["figure"] for row in rows] == ["1 / 8 (13 %)", "5 / 8 (63 %)", "8 / 8 (100 %)"]
    assert [row["label"] for row in rows] == ["Mar 31, 2026", "Jun 30, 2026", "Sep 30, 2026"]
    # Shares are drawn on a full-width track, their figures at the end of the label line.
    assert rows[2]["width"] == WIDTH and rows[0]["width"] == round(WIDTH / 8, 1)
    table = table_rows(figure)
    assert [table[row["key"]] for row in rows] == [
        [row["label"], row["parts"]["chart-count"], row["parts"]["chart-total"], row["parts"]["chart-share"]]
        for row in rows]


def test_indicator_chart_draws_baseline_achieved_and_target(app):
    commitment = SimpleNamespace(indicator_unit="copies", indicator_baseline=Decimal(4000),
                                 indicator_achieved=Decimal(34000), indicator_target=Decimal(64000),
                                 indicator_share=0.5)
    figure = parse(render(app, INDICATOR, commitment=commitment)).find("figure", id="ind")
    assert_accessible_svg(figure, "ind", "Indicator: copies")
    rows = chart_rows(figure)
    assert [(row["label"], row["figure"]) for row in rows] == [
        ("Baseline", "4,000"), ("Achieved", "34,000"), ("Target", "64,000")]
    assert [row["width"] for row in rows] == [round(BAR_MAX / 16, 1), round(BAR_MAX * 34 / 64, 1), BAR_MAX]
    assert squash(figure.find("figcaption").text()) == "Indicator: copies: 34,000 of 64,000 (50 %)"
    assert table_rows(figure) == {"baseline": ["Baseline", "4,000"], "achieved": ["Achieved", "34,000"],
                                  "target": ["Target", "64,000"]}
    assert figure.find("thead").find("th").text() == "Figure"


def test_indicator_without_a_reported_value_says_so(app):
    commitment = SimpleNamespace(indicator_unit="people", indicator_baseline=None, indicator_achieved=None,
                                 indicator_target=Decimal(120), indicator_share=None)
    figure = parse(render(app, INDICATOR, language="es", commitment=commitment)).find("figure")
    rows = chart_rows(figure)
    assert [(row["label"], row["figure"], row["width"]) for row in rows] == [
        ("Logrado", "Aún no informado", 0), ("Meta", "120", BAR_MAX)]
    assert table_rows(figure)["achieved"] == ["Logrado", "Aún no informado"]
    assert squash(figure.find("figcaption").text()) == "Indicador: people: Aún no informado"
    assert figure.find("pattern") is None, "no pattern is defined for a bar that is not drawn"


def test_two_charts_on_one_page_share_no_id(app):
    card = Scorecard(by_status={"planned": 1, "stalled": 2, "cancelled": 1},
                     quarters=[QuarterPoint(date(2026, 6, 30), 0, 4)])
    html = render(app, STATUS + PROGRESS.replace('"pr"', '"other"'), card=card)
    ids = re.findall(r'\sid="([^"]+)"', html)
    assert len(ids) == len(set(ids)) > 6
    assert 'style="' not in html and "<script" not in html


# --------------------------------------------------------------------------- on the pages


def test_symposium_page_draws_its_scorecard(app, factory):
    organisation = factory.organisation()
    author = factory.user(organisation)
    today = portal_today(app)
    symposium = factory.symposium(start_date=today - timedelta(days=200), slug="charted")
    for status in ("completed", "completed", "in_progress", "planned"):
        commitment = factory.commitment(organisation, author=author, symposium_id=symposium.id)
        if status != "planned":
            factory.update(commitment, author, status=status, reported_on=today - timedelta(days=1))
    factory.commitment(organisation, "partners", author=author, symposium_id=symposium.id)
    for language, done in (("en", "Completed"), ("es", "Cumplido")):
        page = parse(Browser(app).text("/symposia/charted", headers={"Accept-Language": language}))
        status = page.find("figure", id="status-chart")
        table = table_rows(status)
        assert table["completed"] == [done, "2", "50 %"], "the public counts public commitments only"
        assert sum(int(cells[1]) for cells in table.values()) == 4
        assert [row["figure"] for row in chart_rows(status)] == [
            "1 (25 %)", "1 (25 %)", "2 (50 %)", "0 (0 %)", "0 (0 %)"]
        progress = chart_rows(page.find("figure", id="progress-chart"))
        assert progress[-1]["figure"] == "2 / 4 (50 %)"
        flags = squash(page.find("ul", class_="chart-flags").text())
        assert re.search(r"\b0 \(0 %\)", flags)


def test_commitment_page_draws_its_indicator(app, factory):
    organisation = factory.organisation()
    author = factory.user(organisation)
    commitment = factory.commitment(organisation, author=author, indicator_unit="informes",
                                    indicator_baseline=Decimal(0), indicator_target=Decimal(8))
    factory.update(commitment, author, indicator_value=Decimal(3), reported_on=portal_today(app))
    page = parse(Browser(app).text(f"/commitments/{commitment.id}", headers={"Accept-Language": "es"}))
    figure = page.find("figure", id="indicator-chart")
    assert [(row["label"], row["figure"]) for row in chart_rows(figure)] == [
        ("Línea de base", "0"), ("Logrado", "3"), ("Meta", "8")]
    assert squash(figure.find("figcaption").text()) == "Indicador: informes: 3 de 8 (38 %)"
    plain = factory.commitment(organisation, author=author)
    html = Browser(app).text(f"/commitments/{plain.id}", headers={"Accept-Language": "es"})
    assert "<svg" not in html and "Este compromiso no tiene un indicador cuantitativo." in html


@pytest.mark.parametrize("language", ["en", "es"])
def test_chart_text_is_escaped(app, language):
    commitment = SimpleNamespace(indicator_unit='"><script>alert(1)</script>', indicator_baseline=None,
                                 indicator_achieved=None, indicator_target=Decimal(1), indicator_share=None)
    html = render(app, INDICATOR, language=language, commitment=commitment)
    assert "<script>" not in html and "&lt;script&gt;" in html


def _luminance(colour: str) -> float:
    """Relative luminance (WCAG) of #rgb / #rrggbb: what is left of a colour in greyscale."""
    colour = colour.lstrip("#")
    if len(colour) == 3:
        colour = "".join(2 * c for c in colour)
    channels = [int(colour[i:i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def test_statuses_differ_in_lightness_and_in_pattern(app):
    """Without colour (greyscale, colour blindness) each status still has its own lightness and texture."""
    statuses = ("planned", "in_progress", "completed", "stalled", "cancelled")
    card = Scorecard(by_status={status: 1 for status in statuses})
    svg = parse(render(app, STATUS, card=card)).find("svg")
    patterns = {pattern.attrs["id"]: pattern for pattern in svg.find_all("pattern")}
    looks = {}
    for group in svg.find_all("g", class_="chart-row"):
        fill = bar_fill(group)
        if fill.startswith("url(#"):
            pattern = patterns[fill[5:-1]]
            base = next(pattern.find_all("rect")).attrs["fill"]
            marks = [node for node in pattern.find_all() if node.tag != "rect" or node.attrs["fill"] != base]
            texture = tuple(sorted((node.tag, tuple(sorted(node.attrs.items()))) for node in marks))
            texture += (pattern.attrs.get("patterntransform"),)
        else:
            base, texture = fill, ()
        looks[group.attrs["data-key"]] = (_luminance(base), texture)
    lightness = sorted(value for value, _ in looks.values())
    assert len(lightness) == 5 and all(b - a >= 0.1 for a, b in zip(lightness, lightness[1:])), looks
    assert len({texture for _, texture in looks.values()}) == 5, "every status has its own texture"
