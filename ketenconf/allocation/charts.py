"""Charts drawn on the server as SVG: no JavaScript, a table beside them as the text alternative.

A chart here is geometry only; ``allocation/_bar_chart.html`` draws it with ``<title>`` and
``<desc>`` so a screen reader announces what it shows.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

#: Drawing units of the SVG's viewBox; the picture scales to the width of the page.
WIDTH = 640
BAR_AREA_TOP = 24
BAR_AREA_HEIGHT = 200
LABEL_HEIGHT = 40
HEIGHT = BAR_AREA_TOP + BAR_AREA_HEIGHT + LABEL_HEIGHT
LEFT = 16
GAP = 12


@dataclass(frozen=True)
class Bar:
    label: str
    value: int
    x: float
    y: float
    width: float
    height: float

    @property
    def centre(self) -> float:
        return round(self.x + self.width / 2, 1)

    @property
    def value_y(self) -> float:
        """Where the value is written: just above the bar."""
        return round(self.y - 6, 1)


@dataclass(frozen=True)
class BarChart:
    title: str
    description: str
    bars: list[Bar]
    width: int = WIDTH
    height: int = HEIGHT
    baseline: int = BAR_AREA_TOP + BAR_AREA_HEIGHT
    label_y: int = BAR_AREA_TOP + BAR_AREA_HEIGHT + 24


def bar_chart(*, title: str, description: str, values: Sequence[tuple[str, int]]) -> BarChart:
    """Vertical bars, one per (label, value), scaled to the largest value."""
    count = max(len(values), 1)
    slot = (WIDTH - 2 * LEFT) / count
    width = max(slot - GAP, 4)
    largest = max((value for _label, value in values), default=0) or 1
    bars = []
    for index, (label, value) in enumerate(values):
        height = BAR_AREA_HEIGHT * value / largest
        bars.append(
            Bar(
                label=label,
                value=value,
                x=round(LEFT + index * slot + GAP / 2, 1),
                y=round(BAR_AREA_TOP + BAR_AREA_HEIGHT - height, 1),
                width=round(width, 1),
                height=round(height, 1),
            )
        )
    return BarChart(title=title, description=description, bars=bars)
