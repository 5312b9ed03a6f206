"""Geometry of the server-drawn SVG charts (templates/_macros/charts.html).

Every chart is a stack of horizontal bars in a fixed viewBox: a text label above each bar, the
figure written after it (or, for shares drawn on a full-width track, at the end of the label line).
The label never competes with the bar for width, so the SVG can shrink to a phone's width and its
text stays readable. Figures are rounded here once, so the SVG and the
data table beside it print exactly the same numbers.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

#: viewBox width; the stylesheet draws it 288 to 384 px wide, so 18-unit text shows at 13 to 17 px.
WIDTH = 400
#: Room kept right of the longest bar for its figure, e.g. "1,234 (100 %)" at 18 units.
FIGURE_ROOM = 135
BAR_MAX = WIDTH - FIGURE_ROOM
LABEL_HEIGHT = 23
BAR_HEIGHT = 18
ROW_GAP = 10
ROW_HEIGHT = LABEL_HEIGHT + BAR_HEIGHT + ROW_GAP
#: A non-zero figure always shows at least this much bar.
MIN_VISIBLE = 2


def _tidy(number: float) -> int | float:
    """Return a coordinate as short SVG text: 145 rather than 145.0."""
    number = round(number, 1)
    return int(number) if number == int(number) else number


@dataclass(frozen=True)
class Bar:
    """One row: ``key`` names its colour and pattern; ``value`` is None when there is no figure;
    ``item`` is whatever the row was drawn from (a quarter's figures), for the template's text."""

    key: str
    label: str
    value: int | float | Decimal | None
    share: float
    percent: int
    label_y: float
    bar_y: float
    width: float
    item: object = None

    @property
    def figure_x(self) -> float:
        """Where the figure written after the bar starts."""
        return _tidy(self.width + 6)

    @property
    def figure_y(self) -> float:
        """Baseline of the figure, centred on the bar."""
        return self.bar_y + BAR_HEIGHT - 4


@dataclass(frozen=True)
class BarChart:
    bars: list[Bar]
    width: int
    height: int
    bar_max: int = BAR_MAX
    bar_height: int = BAR_HEIGHT


def percent(part, whole) -> int:
    """Return ``part`` as a whole percentage of ``whole`` (halves away from zero; 0 when whole is 0)."""
    if not whole or part is None:
        return 0
    return int((Decimal(str(part)) * 100 / Decimal(str(whole))).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def bar_chart(rows, scale, figure_room: int = FIGURE_ROOM) -> BarChart:
    """Lay out ``rows`` of (key, label, value) or (key, label, value, item) as bars on a 0..``scale`` axis.

    ``figure_room`` is kept right of the longest bar for the figure; 0 when the figure goes on the label line.

    A value of None draws no bar (the template writes why); a negative value draws none either.
    """
    bar_max = WIDTH - figure_room
    bars = []
    for number, (key, label, value, *item) in enumerate(rows):
        share = 0.0
        if value is not None and scale and scale > 0:
            share = min(max(float(value) / float(scale), 0.0), 1.0)
        width = _tidy(share * bar_max)
        if value is not None and float(value) > 0 and width < MIN_VISIBLE:
            width = MIN_VISIBLE
        top = number * ROW_HEIGHT
        bars.append(Bar(key=key, label=str(label), value=value, share=share, percent=percent(value, scale),
                        label_y=top + LABEL_HEIGHT - 5, bar_y=top + LABEL_HEIGHT, width=width,
                        item=item[0] if item else None))
    height = max(len(bars) * ROW_HEIGHT - ROW_GAP, 0) + 2
    return BarChart(bars=bars, width=WIDTH, height=height, bar_max=bar_max)


def indicator_scale(*values) -> Decimal:
    """Return the axis length for an indicator's baseline, achieved value and target: the largest."""
    known = [Decimal(str(value)) for value in values if value is not None]
    return max(known + [Decimal(0)])


def register_chart_helpers(app, status_labels) -> None:
    """Expose the chart geometry and the commitment statuses (in their order) to templates.

    The factory passes the statuses in, so ``core`` keeps importing nothing from the domain modules.
    """
    app.jinja_env.globals.update(bar_chart=bar_chart, chart_percent=percent, indicator_scale=indicator_scale,
                                 chart_statuses=status_labels)
