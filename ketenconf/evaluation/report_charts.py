"""The charts of the conference report, from its dataclasses: bar charts from
:mod:`ketenconf.core.charts` and the picture of who met whom, all drawn on the server as SVG.

Every chart has a title and a description (its ``<title>`` and ``<desc>``); the table beside it
in the report is the full text alternative.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from django.utils.translation import gettext as _

from ketenconf.core.charts import (
    LEGEND_HEIGHT,
    PALETTE,
    ROW_BAR,
    ROW_GAP,
    BarChart,
    bar_chart,
    row_chart,
)

from .models import QuestionKind
from .report import EditionReport, Encounters, GroupRow, RatingSummary


def _figures(rows: list[tuple[str, int]]) -> str:
    return ", ".join(
        _("%(label)s: %(count)s") % {"label": label, "count": count} for label, count in rows
    )


def _group_chart(*, title: str, rows: list[GroupRow], checked_in: bool) -> BarChart:
    if checked_in:
        series = [_("registered"), _("attended")]
        values = [(row.label, [row.registered, row.attended]) for row in rows]
        description = "; ".join(
            _("%(label)s: %(registered)s registered, %(attended)s attended")
            % {"label": row.label, "registered": row.registered, "attended": row.attended}
            for row in rows
        )
    else:
        series = [_("registered")]
        values = [(row.label, [row.registered]) for row in rows]
        description = _figures([(row.label, row.registered) for row in rows])
    return row_chart(
        title=title,
        description=description or _("No registrations."),
        series=series,
        rows=values,
    )


#: The tallest a row chart gets, in drawing units: at the width of an A4 page's text it
#: leaves room on the page for a section's heading and introduction above it.
MAX_CHART_HEIGHT = 720


def _row_charts(
    *, title: str, series: list[str], rows: list[tuple[str, list[float]]], descriptions: list[str]
) -> list[BarChart]:
    """Row charts of at most a page each: a long list of sessions is cut into parts."""
    group = len(series) * ROW_BAR + ROW_GAP
    size = max(1, (MAX_CHART_HEIGHT - LEGEND_HEIGHT) // group)
    parts = range(0, len(rows), size)
    charts = []
    for number, start in enumerate(parts, start=1):
        part_title = title
        if len(parts) > 1:
            part_title = _("%(title)s (part %(number)s of %(count)s)") % {
                "title": title,
                "number": number,
                "count": len(parts),
            }
        charts.append(
            row_chart(
                title=part_title,
                description="; ".join(descriptions[start : start + size]),
                series=series,
                rows=rows[start : start + size],
            )
        )
    return charts


def _summary_chart(*, title: str, summary: RatingSummary, ratings: bool) -> BarChart | None:
    """Ratings 1 to 5 as columns; the choices of a choice question, often long, as rows."""
    if summary.distribution is None:
        return None
    description = _figures(summary.distribution)
    if ratings:
        return bar_chart(title=title, description=description, values=summary.distribution)
    return row_chart(
        title=title,
        description=description,
        series=[_("answers")],
        rows=[(label, [count]) for label, count in summary.distribution],
    )


@dataclass(frozen=True)
class Node:
    label: str
    x: float
    y: float
    within: int
    label_x: float
    label_y: float
    anchor: str
    #: Degrees the label is turned about its anchor point (organisations: along the radius).
    rotate: float | None = None


@dataclass(frozen=True)
class Edge:
    x1: float
    y1: float
    x2: float
    y2: float
    width: float
    count: int
    label_x: float
    label_y: float


@dataclass(frozen=True)
class NetworkChart:
    title: str
    description: str
    nodes: list[Node]
    edges: list[Edge]
    chart_id: str = "network-chart"
    width: int = 800
    height: int = 560
    node_radius: int = 18
    node_fill: str = PALETTE[0]
    edge_stroke: str = PALETTE[1]
    #: Write the number inside a node and on every line (kinds); off for organisations,
    #: where the table beside the picture holds the numbers.
    numbers: bool = True


#: The kinds' circle sits in the middle of a picture wide enough for their longest names
#: ("landelijke uitvoeringsorganisatie") written beside the points on either side.
KINDS_WIDTH = 1000
CENTRE_X, CENTRE_Y, RADIUS = 400, 280, 190
MAX_EDGE = 14
FONT_SIZE = 14
#: A generous width of one character of the charts' sans-serif at FONT_SIZE, to keep labels
#: apart without measuring the font.
CHARACTER_WIDTH = 0.62 * FONT_SIZE

Box = tuple[float, float, float, float]


def text_box(text: str, x: float, y: float, anchor: str, size: float = FONT_SIZE) -> Box:
    """The rectangle a label written at (x, y) covers, from its baseline and anchor."""
    width = len(text) * 0.62 * size
    left = {"start": x, "middle": x - width / 2, "end": x - width}[anchor]
    return (left, y - 0.8 * size, left + width, y + 0.25 * size)


def _overlaps(a: Box, b: Box, gap: float = 2) -> bool:
    return a[0] < b[2] + gap and b[0] < a[2] + gap and a[1] < b[3] + gap and b[1] < a[3] + gap


def _edge_label_spot(
    edge: tuple[float, float, float, float], text: str, taken: list[Box]
) -> tuple[float, float]:
    """Where along a line its number goes: the middle, else the nearest point to it that
    overlaps no label or point already placed (lines through the centre share a middle)."""
    x1, y1, x2, y2 = edge
    for t in (0.5, 0.42, 0.58, 0.34, 0.66, 0.26, 0.74, 0.18, 0.82):
        x = round(x1 + (x2 - x1) * t, 1)
        y = round(y1 + (y2 - y1) * t + 5, 1)
        box = text_box(text, x, y, "middle")
        if not any(_overlaps(box, other) for other in taken):
            taken.append(box)
            return x, y
    x, y = round((x1 + x2) / 2, 1), round((y1 + y2) / 2 + 5, 1)
    taken.append(text_box(text, x, y, "middle"))
    return x, y


def network_chart(encounters: Encounters) -> NetworkChart:
    """Kinds of organisation as points on a circle; a line between two kinds as wide as the
    number of pairs of their organisations that met, labelled with it. Pairs within a kind are
    written beside its point."""
    count = len(encounters.kinds)
    nodes = []
    for i, (_key, label) in enumerate(encounters.kinds):
        angle = -math.pi / 2 + 2 * math.pi * i / max(count, 1)
        x = KINDS_WIDTH / 2 + RADIUS * math.cos(angle)
        y = CENTRE_Y + RADIUS * math.sin(angle)
        cos = math.cos(angle)
        anchor = "middle" if abs(cos) < 0.3 else ("start" if cos > 0 else "end")
        nodes.append(
            Node(
                label=label,
                x=round(x, 1),
                y=round(y, 1),
                within=encounters.matrix[i][i],
                label_x=round(KINDS_WIDTH / 2 + (RADIUS + 28) * cos, 1),
                label_y=round(CENTRE_Y + (RADIUS + 28) * math.sin(angle) + 5, 1),
                anchor=anchor,
            )
        )
    largest = max(
        (encounters.matrix[i][j] for i in range(count) for j in range(i + 1, count)), default=0
    )
    # The points and their labels first; each line's number then goes where it is free.
    taken: list[Box] = [(n.x - 18, n.y - 18, n.x + 18, n.y + 18) for n in nodes] + [
        text_box(n.label, n.label_x, n.label_y, n.anchor) for n in nodes
    ]
    edges = []
    for i in range(count):
        for j in range(i + 1, count):
            value = encounters.matrix[i][j]
            if not value:
                continue
            a, b = nodes[i], nodes[j]
            label_x, label_y = _edge_label_spot((a.x, a.y, b.x, b.y), str(value), taken)
            edges.append(
                Edge(
                    x1=a.x,
                    y1=a.y,
                    x2=b.x,
                    y2=b.y,
                    width=round(1 + (MAX_EDGE - 1) * value / (largest or 1), 1),
                    count=value,
                    label_x=label_x,
                    label_y=label_y,
                )
            )
    pairs = [
        _("%(first)s and %(second)s: %(count)s")
        % {"first": encounters.kinds[i][1], "second": encounters.kinds[j][1], "count": value}
        for i in range(count)
        for j in range(i, count)
        if (value := encounters.matrix[i][j])
    ]
    description = _(
        "%(pairs)s pairs of organisations met, %(cross)s of them of different kinds. "
        "Pairs by kind: %(list)s."
    ) % {
        "pairs": encounters.pairs,
        "cross": encounters.cross_kind_pairs,
        "list": "; ".join(pairs) or _("none"),
    }
    return NetworkChart(
        title=_("Who met whom: pairs of organisations by kind"),
        description=description,
        nodes=nodes,
        edges=edges,
        width=KINDS_WIDTH,
    )


ORGANISATION_RADIUS = 170
ORGANISATION_CENTRE_Y = 400
#: The longest organisation name written beside its point; the table holds every name whole.
ORGANISATION_LABEL_CHARACTERS = 24


def _short(name: str) -> str:
    if len(name) <= ORGANISATION_LABEL_CHARACTERS:
        return name
    return name[: ORGANISATION_LABEL_CHARACTERS - 1].rstrip() + "…"


def organisation_network_chart(encounters: Encounters) -> NetworkChart:
    """The pairs of organisations that met most often (the report's table of them): every
    organisation of those pairs a point on a circle, grouped by kind, and a line between two
    as wide as the number of times they met."""
    pairs = encounters.top
    members = {o.pk: o for row in pairs for o in (row.first, row.second)}
    kind_order = {key: i for i, (key, _label) in enumerate(encounters.kinds)}
    ordered = sorted(
        members.values(), key=lambda o: (kind_order.get(o.kind, 99), str(o).casefold())
    )
    count = len(ordered)
    nodes: dict[int, Node] = {}
    # Each name is written outward along its point's radius (turned upright on the left),
    # so neighbouring names lie side by side like spokes and never cross however many there
    # are; the first point sits a little past the top, off the vertical.
    for i, organisation in enumerate(ordered):
        angle = -math.pi / 2 + 2 * math.pi * (i + 0.5) / max(count, 1)
        cos, sin = math.cos(angle), math.sin(angle)
        degrees = math.degrees(angle)
        right = cos >= 0
        nodes[organisation.pk] = Node(
            label=_short(str(organisation)),
            x=round(CENTRE_X + ORGANISATION_RADIUS * cos, 1),
            y=round(ORGANISATION_CENTRE_Y + ORGANISATION_RADIUS * sin, 1),
            within=0,
            label_x=round(CENTRE_X + (ORGANISATION_RADIUS + 12) * cos, 1),
            label_y=round(ORGANISATION_CENTRE_Y + (ORGANISATION_RADIUS + 12) * sin, 1),
            anchor="start" if right else "end",
            rotate=round(degrees if right else degrees - 180, 1),
        )
    largest = max((row.times for row in pairs), default=0) or 1
    edges = []
    for row in pairs:
        a, b = nodes[row.first.pk], nodes[row.second.pk]
        edges.append(
            Edge(
                x1=a.x,
                y1=a.y,
                x2=b.x,
                y2=b.y,
                width=round(1 + (MAX_EDGE / 2 - 1) * row.times / largest, 1),
                count=row.times,
                label_x=round((a.x + b.x) / 2, 1),
                label_y=round((a.y + b.y) / 2, 1),
            )
        )
    description = _(
        "The %(count)s pairs of organisations that met most often, of %(pairs)s pairs that "
        "met: %(list)s."
    ) % {
        "count": len(pairs),
        "pairs": encounters.pairs,
        "list": "; ".join(
            _("%(first)s and %(second)s: %(count)s")
            % {"first": row.first, "second": row.second, "count": row.times}
            for row in pairs
        )
        or _("none"),
    }
    return NetworkChart(
        title=_("Who met whom: the organisations that met most often"),
        description=description,
        nodes=list(nodes.values()),
        edges=edges,
        chart_id="organisation-network-chart",
        height=800,
        node_radius=6,
        numbers=False,
    )


@dataclass(frozen=True)
class ReportCharts:
    by_kind: BarChart
    by_link: BarChart
    fill: list[BarChart]
    ranks: BarChart | None
    session_ratings: list[BarChart]
    #: question pk → its chart (questions with enough answers only)
    questions: dict[int, BarChart]
    network: NetworkChart
    organisation_network: NetworkChart
    comparison: BarChart


def report_charts(report: EditionReport) -> ReportCharts:
    participation = report.participation
    workshops = report.workshops
    fill = _row_charts(
        title=_("Workshop fill: present against capacity"),
        series=[_("capacity"), _("present")],
        rows=[(row.session.label, [row.session.capacity, row.present]) for row in workshops.fill],
        descriptions=[
            _("%(session)s: %(present)s present, %(capacity)s places")
            % {
                "session": row.session.label,
                "present": row.present,
                "capacity": row.session.capacity,
            }
            for row in workshops.fill
        ],
    )
    ranks = None
    if workshops.satisfaction is not None:
        values = [(row.label, row.count) for row in workshops.satisfaction.ranks]
        ranks = bar_chart(title=_("Seats by choice"), description=_figures(values), values=values)
    session_ratings: list[BarChart] = []
    questions: dict[int, BarChart] = {}
    if report.survey is not None:
        rated = [r for r in report.survey.sessions if r.summary.mean is not None]
        session_ratings = _row_charts(
            title=_("Mean rating per session (1 to 5)"),
            series=[_("mean rating")],
            rows=[(r.session.label, [r.summary.mean or 0.0]) for r in rated],
            descriptions=[
                _("%(session)s: %(mean)s from %(count)s ratings")
                % {"session": r.session.label, "mean": r.summary.mean, "count": r.summary.count}
                for r in rated
            ],
        )
        for question in report.survey.questions:
            if question.summary is not None:
                chart = _summary_chart(
                    title=question.text,
                    summary=question.summary,
                    ratings=question.kind == QuestionKind.RATING,
                )
                if chart is not None:
                    questions[question.pk] = chart
    comparison_rows = report.comparison
    comparison = row_chart(
        title=_("Registered and attended per edition"),
        description="; ".join(
            _("%(edition)s: %(registered)s registered, %(attended)s attended")
            % {
                "edition": row.title,
                "registered": row.registered,
                "attended": row.attended if row.attended is not None else "–",
            }
            for row in comparison_rows
        ),
        series=[_("registered"), _("attended")],
        rows=[(row.title, [row.registered, row.attended or 0]) for row in comparison_rows],
    )
    return ReportCharts(
        by_kind=_group_chart(
            title=_("Participants by kind of organisation"),
            rows=participation.by_kind,
            checked_in=participation.checked_in,
        ),
        by_link=_group_chart(
            title=_("Participants by link of the chain"),
            rows=participation.by_link,
            checked_in=participation.checked_in,
        ),
        fill=fill,
        ranks=ranks,
        session_ratings=session_ratings,
        questions=questions,
        network=network_chart(report.encounters),
        organisation_network=organisation_network_chart(report.encounters),
        comparison=comparison,
    )
