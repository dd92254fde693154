"""Shapes several engines' inputs share."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Period:
    """A time of the day by its id, with a label for people: a round, a slot."""

    id: str
    label: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "label": self.label}


def relative_gap(objective: float, lower_bound: float) -> float:
    """``(objective - lower_bound) / objective`` of a minimisation (0 when ``objective`` is 0)."""
    return 0.0 if objective == 0 else (objective - lower_bound) / objective
