"""Automatic placement of stands on the floor grid: pure Python, no Django.

Positions are cells of a grid (row, column), some with power, some large. A stand that needs
power or a large position only goes where there is one. The placement minimises a cost:

- stands of one organisation apart: ``TOGETHER`` per step of distance beyond neighbours,
  for every two stands of that organisation (so they end up side by side);
- neighbours of different organisations that share a theme: ``THEME_CLASH`` per shared
  theme (so visitors find a theme spread over the floor, not in one corner).

Stands with a ``fixed`` position (moved by hand by an organiser) stay there. A greedy start
places the largest organisations first; then seeded swaps and moves that lower the cost.
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

TOGETHER = 5
THEME_CLASH = 3


@dataclass(frozen=True)
class Position:
    id: str
    number: int
    row: int
    column: int
    power: bool = False
    large: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "number": self.number,
            "row": self.row,
            "column": self.column,
            "power": self.power,
            "large": self.large,
        }


@dataclass(frozen=True)
class Stand:
    id: str
    organisation: str
    themes: tuple[str, ...] = ()
    needs_power: bool = False
    needs_large: bool = False
    fixed: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "organisation": self.organisation,
            "themes": list(self.themes),
            "needs_power": self.needs_power,
            "needs_large": self.needs_large,
            "fixed": self.fixed,
        }


@dataclass(frozen=True)
class Placement:
    """Stand id → position id; ``unplaced`` stands found no position that meets their needs."""

    positions: Mapping[str, str]
    unplaced: tuple[str, ...] = ()
    cost: int = 0
    problems: tuple[str, ...] = field(default_factory=tuple)

    def to_dict(self) -> dict[str, Any]:
        return {
            "positions": dict(self.positions),
            "unplaced": list(self.unplaced),
            "cost": self.cost,
        }


def fits(stand: Stand, position: Position) -> bool:
    return (position.power or not stand.needs_power) and (position.large or not stand.needs_large)


def _distance(a: Position, b: Position) -> int:
    return abs(a.row - b.row) + abs(a.column - b.column)


def _pair(a: Stand, pa: Position, b: Stand, pb: Position) -> int:
    distance = _distance(pa, pb)
    if a.organisation == b.organisation:
        return TOGETHER * (distance - 1)
    if distance == 1:
        return THEME_CLASH * len(set(a.themes) & set(b.themes))
    return 0


def cost(
    positions: Sequence[Position], stands: Sequence[Stand], placement: Mapping[str, str]
) -> int:
    """The cost of a placement (lower is better); stands not placed count nothing."""
    where = {p.id: p for p in positions}
    placed = [(s, where[placement[s.id]]) for s in stands if s.id in placement]
    return sum(_pair(a, pa, b, pb) for i, (a, pa) in enumerate(placed) for b, pb in placed[i + 1 :])


def _stand_cost(
    stand: Stand, at: Position, placed: Mapping[str, tuple[Stand, Position]], skip: str = ""
) -> int:
    """What ``stand`` at ``at`` adds to the cost, against every other placed stand."""
    return sum(
        _pair(stand, at, other, where)
        for other_id, (other, where) in placed.items()
        if other_id not in (stand.id, skip)
    )


def validate_placement(
    positions: Sequence[Position], stands: Sequence[Stand], placement: Mapping[str, str]
) -> list[str]:
    """Every rule a placement breaks (unknown ids, a position used twice, needs not met)."""
    where = {p.id: p for p in positions}
    by_id = {s.id: s for s in stands}
    problems = []
    used: dict[str, str] = {}
    for stand_id, position_id in placement.items():
        if stand_id not in by_id:
            problems.append(f'stand "{stand_id}" is not in stands')
            continue
        if position_id not in where:
            problems.append(f'stand "{stand_id}": position "{position_id}" is not on the floor')
            continue
        if position_id in used:
            problems.append(
                f'position {where[position_id].number} holds "{used[position_id]}" and "{stand_id}"'
            )
        used[position_id] = stand_id
        if not fits(by_id[stand_id], where[position_id]):
            problems.append(
                f'stand "{stand_id}" needs {"power" if by_id[stand_id].needs_power else "room"}'
                f" that position {where[position_id].number} lacks"
            )
    return problems


def place(positions: Sequence[Position], stands: Sequence[Stand], *, seed: int = 0) -> Placement:
    """Place every stand that fits somewhere; the same input and seed give the same answer."""
    rng = random.Random(seed)
    where = {p.id: p for p in positions}
    placement: dict[str, str] = {}
    taken: set[str] = set()
    for stand in stands:
        if stand.fixed is not None and stand.fixed in where and stand.fixed not in taken:
            placement[stand.id] = stand.fixed
            taken.add(stand.fixed)
    by_org: dict[str, list[Stand]] = defaultdict(list)
    for stand in stands:
        if stand.id not in placement:
            by_org[stand.organisation].append(stand)
    order = sorted(by_org.values(), key=lambda group: (-len(group), group[0].organisation))
    unplaced = []
    placed = {
        sid: (next(s for s in stands if s.id == sid), where[pid]) for sid, pid in placement.items()
    }
    for group in order:
        # Fussy stands first: power or a large position are scarce.
        for stand in sorted(group, key=lambda s: (not s.needs_power, not s.needs_large, s.id)):
            free = [p for p in positions if p.id not in taken and fits(stand, p)]
            if not free:
                unplaced.append(stand.id)
                continue
            best = min(free, key=lambda p: (_stand_cost(stand, p, placed), p.number))
            placement[stand.id] = best.id
            placed[stand.id] = (stand, best)
            taken.add(best.id)
    _improve(positions, placed, rng)
    placement = {sid: where_.id for sid, (_stand, where_) in placed.items()}
    return Placement(
        positions=dict(sorted(placement.items())),
        unplaced=tuple(unplaced),
        cost=cost(positions, stands, placement),
    )


def _improve(
    positions: Sequence[Position],
    placed: dict[str, tuple[Stand, Position]],
    rng: random.Random,
    rounds: int = 50,
) -> None:
    """Swap two movable stands, or move one to a free position, while that lowers the cost."""
    movable = sorted(sid for sid, (stand, _p) in placed.items() if stand.fixed is None)
    for _round in range(rounds):
        improved = False
        rng.shuffle(movable)
        for a_id in movable:
            a, here = placed[a_id]
            used = {p.id for _s, p in placed.values()}
            before_a = _stand_cost(a, here, placed)
            best: tuple[int, Position, str | None] | None = None
            for target in positions:
                if target.id == here.id or not fits(a, target):
                    continue
                if target.id not in used:
                    delta = _stand_cost(a, target, placed) - before_a
                    other_id = None
                else:
                    other_id = next(
                        (sid for sid in movable if placed[sid][1].id == target.id), None
                    )
                    if other_id is None:
                        continue
                    b = placed[other_id][0]
                    if not fits(b, here):
                        continue
                    delta = (
                        _stand_cost(a, target, placed, skip=other_id)
                        + _stand_cost(b, here, placed, skip=a_id)
                        + (_pair(a, target, b, here))
                        - before_a
                        - _stand_cost(b, target, placed, skip=a_id)
                    )
                if delta < 0 and (best is None or delta < best[0]):
                    best = (delta, target, other_id)
            if best is not None:
                _delta, target, other_id = best
                if other_id is not None:
                    placed[other_id] = (placed[other_id][0], here)
                placed[a_id] = (a, target)
                improved = True
        if not improved:
            return
