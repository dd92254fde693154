"""Reads on the information market: the public pages, the floor plan, saved stands."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from ketenconf.core.personal_data import when
from ketenconf.events.models import Edition
from ketenconf.networking.themes import INTEREST_KEYS, interest_label
from ketenconf.registration.models import Registration

from .models import FloorPosition, SavedStand, Stand, StandStatus

#: Size of a position on the SVG floor plan, in SVG units.
CELL_WIDTH = 120
CELL_HEIGHT = 72
GAP = 12


def market_stands(*, edition: Edition) -> QuerySet[Stand]:
    return (
        Stand.objects.filter(edition=edition, status=StandStatus.ACCEPTED)
        .select_related("organisation", "position")
        .order_by("name", "pk")
    )


def market_stand_get(*, edition: Edition, pk: int) -> Stand | None:
    return market_stands(edition=edition).filter(pk=pk).first()


@dataclass(frozen=True)
class ThemeGroup:
    key: str
    label: str
    stands: list[Stand]


def stands_by_theme(*, stands: list[Stand]) -> list[ThemeGroup]:
    """Stands under each of their themes, themes in the vocabulary's order; then the rest."""
    groups = []
    for key in INTEREST_KEYS:
        members = [s for s in stands if key in s.themes]
        if members:
            groups.append(ThemeGroup(key, interest_label(key), members))
    rest = [s for s in stands if not s.themes]
    if rest:
        from django.utils.translation import gettext

        groups.append(ThemeGroup("other", gettext("Other stands"), rest))
    return groups


@dataclass(frozen=True)
class Cell:
    position: FloorPosition
    stand: Stand | None
    x: int
    y: int
    saved: bool = False

    @property
    def text_x(self) -> int:
        return self.x + CELL_WIDTH // 2

    @property
    def number_y(self) -> int:
        return self.y + 26

    @property
    def label_y(self) -> int:
        return self.y + 52

    @property
    def short_label(self) -> str:
        if self.stand is None:
            return ""
        label = self.stand.organisation.short_name or self.stand.organisation.name
        return label if len(label) <= 14 else f"{label[:13]}…"


@dataclass(frozen=True)
class FloorPlan:
    cells: list[Cell]
    width: int
    height: int
    cell_width: int = CELL_WIDTH
    cell_height: int = CELL_HEIGHT


def floor_plan(
    *, edition: Edition, stands: list[Stand], saved: set[int] | None = None
) -> FloorPlan:
    """The grid as SVG coordinates: one cell per position, with its stand if it has one."""
    positions = list(FloorPosition.objects.filter(edition=edition).order_by("row", "column"))
    by_position = {s.position_id: s for s in stands if s.position_id is not None}
    if not positions:
        return FloorPlan(cells=[], width=0, height=0)
    first_row = min(p.row for p in positions)
    first_column = min(p.column for p in positions)
    cells = [
        Cell(
            position=p,
            stand=by_position.get(p.pk),
            x=GAP + (p.column - first_column) * (CELL_WIDTH + GAP),
            y=GAP + (p.row - first_row) * (CELL_HEIGHT + GAP),
            saved=p.pk in by_position and by_position[p.pk].pk in (saved or set()),
        )
        for p in positions
    ]
    width = max(c.x for c in cells) + CELL_WIDTH + GAP
    height = max(c.y for c in cells) + CELL_HEIGHT + GAP
    return FloorPlan(cells=cells, width=width, height=height)


def saved_stand_ids(*, registration: Registration | None) -> set[int]:
    if registration is None:
        return set()
    return set(
        SavedStand.objects.filter(registration=registration).values_list("stand_id", flat=True)
    )


def saved_stands(*, registration: Registration) -> list[Stand]:
    return list(
        Stand.objects.filter(saved_by__registration=registration, status=StandStatus.ACCEPTED)
        .select_related("organisation", "position")
        .order_by("position__number", "name")
    )


def personal_data(*, registration: Registration) -> list[dict[str, Any]] | None:
    """The stands the participant bookmarked, for the download of their own data."""
    rows = (
        SavedStand.objects.filter(registration=registration)
        .select_related("stand")
        .order_by("created_at", "pk")
    )
    found = [{"stand": row.stand.name, "saved_at": when(row.created_at)} for row in rows]
    return found or None
