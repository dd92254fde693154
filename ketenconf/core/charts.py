"""Bar charts drawn on the server as SVG: no JavaScript, a table beside them as the text alternative.

A chart here is geometry only, in the units of the SVG's viewBox (the picture scales to the width
of the page); ``includes/bar_chart.html`` draws it with ``<title>`` and ``<desc>`` so a screen
reader announces what it shows. Two layouts of the same chart: columns (a few short labels, such
as ranks) and rows (many or long labels, such as organisations or sessions), with one bar per
series in each group. Nothing here imports Django: the caller passes translated words.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

#: Colours of the series, in order: Rijkshuisstijl dark blue, orange, green, violet. Each
#: stands out against white by more than 3:1 (WCAG 1.4.11), and the legend names them.
PALETTE = ("#01689b", "#e17000", "#39870c", "#a90061")

WIDTH = 640
# Columns
BAR_AREA_TOP = 24
BAR_AREA_HEIGHT = 200
LABEL_HEIGHT = 40
HEIGHT = BAR_AREA_TOP + BAR_AREA_HEIGHT + LABEL_HEIGHT
LEFT = 16
GAP = 12
# Rows
ROW_LABEL_WIDTH = 260
ROW_BAR = 18
ROW_GAP = 10
ROW_VALUE_ROOM = 60
LEGEND_HEIGHT = 28
LABEL_CHARACTERS = 30


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    value_text: str
    x: float
    y: float
    width: float
    height: float
    fill: str
    value_x: float
    value_y: float
    value_anchor: str


@dataclass(frozen=True)
class Label:
    text: str
    x: float
    y: float
    anchor: str


@dataclass(frozen=True)
class LegendItem:
    text: str
    fill: str
    x: float
    y: float

    @property
    def text_x(self) -> float:
        return self.x + 20

    @property
    def text_y(self) -> float:
        return self.y + 12


@dataclass(frozen=True)
class BarChart:
    title: str
    description: str
    bars: list[Bar]
    labels: list[Label]
    legend: list[LegendItem]
    axis: tuple[float, float, float, float]
    width: int = WIDTH
    height: int = HEIGHT


def _text(value: float) -> str:
    return str(value) if isinstance(value, int) else f"{value:.1f}"


def _short(label: str) -> str:
    return label if len(label) <= LABEL_CHARACTERS else label[: LABEL_CHARACTERS - 1] + "…"


def bar_chart(*, title: str, description: str, values: Sequence[tuple[str, int]]) -> BarChart:
    """Columns, one per (label, value), scaled to the largest value."""
    count = max(len(values), 1)
    slot = (WIDTH - 2 * LEFT) / count
    width = max(slot - GAP, 4)
    largest = max((value for _label, value in values), default=0) or 1
    baseline = BAR_AREA_TOP + BAR_AREA_HEIGHT
    bars, labels = [], []
    for index, (label, value) in enumerate(values):
        height = BAR_AREA_HEIGHT * value / largest
        x = round(LEFT + index * slot + GAP / 2, 1)
        centre = round(x + width / 2, 1)
        y = round(baseline - height, 1)
        bars.append(
            Bar(
                label=label,
                value=value,
                value_text=_text(value),
                x=x,
                y=y,
                width=round(width, 1),
                height=round(height, 1),
                fill=PALETTE[0],
                value_x=centre,
                value_y=round(y - 6, 1),
                value_anchor="middle",
            )
        )
        labels.append(Label(text=label, x=centre, y=baseline + 24, anchor="middle"))
    return BarChart(
        title=title,
        description=description,
        bars=bars,
        labels=labels,
        legend=[],
        axis=(8, baseline, WIDTH - 8, baseline),
    )


def row_chart(
    *,
    title: str,
    description: str,
    series: Sequence[str],
    rows: Sequence[tuple[str, Sequence[float]]],
) -> BarChart:
    """Rows, one group per (label, values), one bar per series; the chart grows with the rows.

    With more than one series a legend at the top names the colours.
    """
    per_group = max(len(series), 1)
    top = LEGEND_HEIGHT if per_group > 1 else 8
    legend = [
        LegendItem(
            text=name, fill=PALETTE[index % len(PALETTE)], x=ROW_LABEL_WIDTH + index * 150, y=6
        )
        for index, name in enumerate(series)
        if per_group > 1
    ]
    group_height = per_group * ROW_BAR + ROW_GAP
    largest = max((value for _label, values in rows for value in values), default=0) or 1
    span = WIDTH - ROW_LABEL_WIDTH - ROW_VALUE_ROOM
    bars, labels = [], []
    for index, (label, values) in enumerate(rows):
        group_top = top + index * group_height
        labels.append(
            Label(
                text=_short(label),
                x=ROW_LABEL_WIDTH - 8,
                y=round(group_top + per_group * ROW_BAR / 2 + 5, 1),
                anchor="end",
            )
        )
        for position, value in enumerate(values):
            y = group_top + position * ROW_BAR
            width = round(span * value / largest, 1)
            bars.append(
                Bar(
                    label=label,
                    value=value,
                    value_text=_text(value),
                    x=ROW_LABEL_WIDTH,
                    y=y,
                    width=width,
                    height=ROW_BAR - 3,
                    fill=PALETTE[position % len(PALETTE)],
                    value_x=round(ROW_LABEL_WIDTH + width + 4, 1),
                    value_y=y + ROW_BAR - 6,
                    value_anchor="start",
                )
            )
    height = top + max(len(rows), 1) * group_height
    return BarChart(
        title=title,
        description=description,
        bars=bars,
        labels=labels,
        legend=legend,
        axis=(ROW_LABEL_WIDTH, top - 4, ROW_LABEL_WIDTH, height - ROW_GAP + 4),
        height=height,
    )
