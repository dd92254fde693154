"""The report as people read it: the network's labels are names, no two labels of a chart
cover each other, and the PDF's pages never break off a lone table row or a lone heading."""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.db import transaction
from django.test import TestCase
from django.utils import translation

from ketenconf.demo.load import demo_load
from ketenconf.evaluation.report import Encounters, Organisation, PairRow, edition_report
from ketenconf.evaluation.report_charts import (
    NetworkChart,
    network_chart,
    organisation_network_chart,
)
from ketenconf.evaluation.report_files import report_document
from ketenconf.events.models import Edition

KINDS = [
    ("ministry", "ministerie"),
    ("national_agency", "landelijke uitvoeringsorganisatie"),
    ("municipality", "gemeente"),
    ("municipal_association", "gemeentelijke vereniging"),
    ("police", "politie"),
    ("ngo", "maatschappelijke organisatie"),
    ("civil_society", "maatschappelijk middenveld"),
    ("knowledge_institute", "kennisinstelling"),
    ("business", "bedrijf"),
    ("other", "anders"),
]


def crowded() -> Encounters:
    """Every kind met every other; 40 organisations in the 30 pairs that met most often."""
    count = len(KINDS)
    organisations = [
        Organisation(
            pk=n,
            name=f"Gemeente Voorbeeld-{n}" if n % 3 else f"DT&V {n}",
            kind=KINDS[n % count][0],
            chain_links=(),
        )
        for n in range(40)
    ]
    top = [
        PairRow(
            first=organisations[n], second=organisations[(n * 7 + 5) % 40], workshops=n, meetings=1
        )
        for n in range(30)
    ]
    return Encounters(
        kinds=KINDS,
        matrix=[[10 + i + j for j in range(count)] for i in range(count)],
        pairs=400,
        cross_kind_pairs=380,
        workshop_pairs=390,
        meeting_pairs=10,
        organisations=40,
        top=top,
    )


def corners(
    text: str, x: float, y: float, anchor: str, rotate: float, dy: float
) -> list[tuple[float, float]]:
    """The four corners of a label as drawn (0.6 em a character, 1 em high)."""
    size = 14.0
    width = len(text) * 0.6 * size
    left = {"start": 0.0, "middle": -width / 2, "end": -width}[anchor]
    local = [
        (left, dy - 0.75 * size),
        (left + width, dy - 0.75 * size),
        (left + width, dy + 0.2 * size),
        (left, dy + 0.2 * size),
    ]
    turn = math.radians(rotate)
    return [
        (
            x + px * math.cos(turn) - py * math.sin(turn),
            y + px * math.sin(turn) + py * math.cos(turn),
        )
        for px, py in local
    ]


def apart(a: list[tuple[float, float]], b: list[tuple[float, float]]) -> bool:
    """Whether two convex shapes have a line between them (separating axes)."""
    for shape in (a, b):
        for (x1, y1), (x2, y2) in zip(shape, shape[1:] + shape[:1], strict=True):
            nx, ny = y2 - y1, x1 - x2
            pa = [nx * x + ny * y for x, y in a]
            pb = [nx * x + ny * y for x, y in b]
            if max(pa) <= min(pb) or max(pb) <= min(pa):
                return True
    return False


def labels(chart: NetworkChart) -> list[tuple[str, list[tuple[float, float]]]]:
    found = []
    for node in chart.nodes:
        rotate = node.rotate if node.rotate is not None else 0.0
        dy = 5.0 if node.rotate is not None else 0.0
        found.append(
            (node.label, corners(node.label, node.label_x, node.label_y, node.anchor, rotate, dy))
        )
    if chart.numbers:
        for node in chart.nodes:
            found.append(
                (str(node.within), corners(str(node.within), node.x, node.y + 5, "middle", 0, 0))
            )
        for edge in chart.edges:
            found.append(
                (
                    str(edge.count),
                    corners(str(edge.count), edge.label_x, edge.label_y, "middle", 0, 0),
                )
            )
    return found


@pytest.mark.parametrize("draw", [network_chart, organisation_network_chart])
def test_no_two_labels_of_a_network_cover_each_other(draw: Any) -> None:
    chart = draw(crowded())
    placed = labels(chart)
    covering = [
        (first, second)
        for n, (first, a) in enumerate(placed)
        for second, b in placed[n + 1 :]
        if not apart(a, b)
    ]
    assert covering == []
    outside = [
        text
        for text, shape in placed
        if not all(0 <= x <= chart.width and 0 <= y <= chart.height for x, y in shape)
    ]
    assert outside == []


def test_the_organisations_are_labelled_by_name() -> None:
    encounters = crowded()
    chart = organisation_network_chart(encounters)
    assert sorted(node.label for node in chart.nodes) == sorted(
        {str(o.name) for row in encounters.top for o in (row.first, row.second)}
    )
    assert "Organisation(" not in chart.description
    assert "DT&V 0 en Gemeente Voorbeeld-5: 1" in chart.description


# The PDF of the demo's 2018 edition ------------------------------------------------------------


@pytest.fixture(scope="module")
def demo(django_db_setup: Any, django_db_blocker: Any) -> Iterator[None]:
    with django_db_blocker.unblock(), transaction.atomic():
        with TestCase.captureOnCommitCallbacks():
            demo_load()
        yield
        transaction.set_rollback(True)


def _boxes(box: Any, table: str | None = None) -> Iterator[tuple[Any, str | None]]:
    """Every box under ``box``, with the table whose body it is in (None outside bodies)."""
    kind = type(box).__name__
    if kind == "TableBox":
        table = box.element.get("id")
    elif kind == "TableRowGroupBox" and box.element_tag != "tbody":
        table = None
    yield box, table
    for child in getattr(box, "children", []):
        yield from _boxes(child, table)


def _text(box: Any) -> str:
    return "".join(getattr(b, "text", "") for b, _table in _boxes(box))


@pytest.mark.slow
@pytest.mark.django_db
def test_the_pdf_breaks_no_lone_row_or_heading_onto_a_page(demo: None) -> None:
    with translation.override("nl"):
        report = edition_report(edition=Edition.objects.get(slug="ketenconferentie-2018"))
        document = report_document(report)
    rows_in_all: dict[str, int] = {}
    pages: list[tuple[dict[str, int], list[str]]] = []
    text = ""
    for page in document.pages:
        rows: dict[str, int] = {}
        blocks: list[str] = []
        for box, table in _boxes(page._page_box):
            kind = type(box).__name__
            if kind == "TableBox":
                rows.setdefault(box.element.get("id"), 0)
            elif kind == "TableRowBox" and table is not None:
                rows[table] += 1
            elif kind == "BlockBox" and box.element_tag in {"h2", "h3", "h4", "p", "figure", "dl"}:
                blocks.append(box.element_tag)
            elif kind == "BlockBox" and "utrecht-table-container" in box.element.get("class", ""):
                blocks.append("table")
        for table, count in rows.items():
            rows_in_all[table] = rows_in_all.get(table, 0) + count
        pages.append((rows, blocks))
        text += _text(page._page_box)
    assert len(pages) >= 10
    lone_rows = [
        (number, table, count)
        for number, (rows, _blocks) in enumerate(pages, start=1)
        for table, count in rows.items()
        if count < 2 and rows_in_all[table] > count
    ]
    assert lone_rows == []  # a table's caption and header alone, or one row of it
    headings = {"h2", "h3", "h4"}
    # A heading with its one paragraph ends a page rightly where that is all there is to
    # it: the next page opens a new section (a free-text registration question, say).
    ending_in_a_heading = [
        (number, blocks[-2:])
        for number, (_rows, blocks) in enumerate(pages, start=1)
        if blocks[-1] in headings
        or (
            blocks[-1] == "p"
            and blocks[-2] in headings
            and not (number < len(pages) and pages[number][1][:1] == ["h2"])
        )
    ]
    assert ending_in_a_heading == []  # a heading, or one with its introduction, alone
    assert "Organisation(" not in text
    assert re.search(r"COA\s*Politie", text)
