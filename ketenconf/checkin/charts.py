"""The arrivals chart, drawn on the server as SVG; the dashboard's table is its text alternative."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.translation import gettext as _

from .selectors import Bucket

WIDTH = 640
TOP = 24
HEIGHT_BARS = 180
BOTTOM = 32
HEIGHT = TOP + HEIGHT_BARS + BOTTOM
LEFT = 16


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    value: int
    label: str  # the time under the bar, on the hour only


@dataclass(frozen=True)
class ArrivalsChart:
    title: str
    description: str
    bars: list[Bar]
    width: int = WIDTH
    height: int = HEIGHT
    baseline: int = TOP + HEIGHT_BARS
    label_y: int = TOP + HEIGHT_BARS + 22


def arrivals_chart(*, buckets: Sequence[Bucket]) -> ArrivalsChart:
    slot = (WIDTH - 2 * LEFT) / max(len(buckets), 1)
    largest = max((b.arrivals for b in buckets), default=0) or 1
    bars = []
    for index, bucket in enumerate(buckets):
        height = HEIGHT_BARS * bucket.arrivals / largest
        bars.append(
            Bar(
                x=round(LEFT + index * slot + 1, 1),
                y=round(TOP + HEIGHT_BARS - height, 1),
                width=round(max(slot - 2, 1), 1),
                height=round(height, 1),
                value=bucket.arrivals,
                label=bucket.start.strftime("%H:%M")
                if bucket.start.minute == 0 or index == 0
                else "",
            )
        )
    if buckets:
        peak = max(buckets, key=lambda b: b.arrivals)
        description = _(
            "%(total)s arrivals from %(first)s to %(last)s; the busiest quarter of an hour "
            "began at %(peak)s with %(count)s arrivals."
        ) % {
            "total": buckets[-1].total,
            "first": buckets[0].start.strftime("%H:%M"),
            "last": buckets[-1].start.strftime("%H:%M"),
            "peak": peak.start.strftime("%H:%M"),
            "count": peak.arrivals,
        }
    else:
        description = _("No arrivals yet.")
    return ArrivalsChart(
        title=_("Arrivals per quarter of an hour"), description=description, bars=bars
    )
