"""The scheduler's answer: placements, the objective and its parts, and a proven lower bound."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ketenconf.enginekit.shapes import relative_gap

from .cost import Clash
from .problem import Placement


@dataclass(frozen=True)
class Schedule:
    """Which topic runs in which round and room.

    ``objective`` is :func:`~ketenconf.proposals.scheduler.cost.evaluate`'s total for
    ``placements``; no schedule can do better than ``lower_bound``. ``status`` is
    ``"optimal"`` when the two meet, else ``"feasible"``. ``seated`` maps a topic to the
    expected seats its favourites get.
    """

    status: str
    objective: int
    lower_bound: int
    placements: tuple[Placement, ...]
    seated: dict[str, int]
    unseated: int
    clashes: tuple[Clash, ...]
    unscheduled: tuple[str, ...]
    seconds: float
    method: str

    @property
    def gap(self) -> float:
        """Relative gap ``(objective - lower_bound) / objective`` (0 when optimal)."""
        return relative_gap(self.objective, self.lower_bound)

    def to_dict(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "objective": self.objective,
            "lower_bound": self.lower_bound,
            "placements": [p.to_dict() for p in self.placements],
            "seated": dict(self.seated),
            "unseated": self.unseated,
            "clashes": [c.to_dict() for c in self.clashes],
            "unscheduled": list(self.unscheduled),
            "seconds": round(self.seconds, 3),
            "method": self.method,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Schedule:
        return cls(
            status=str(data["status"]),
            objective=int(data["objective"]),
            lower_bound=int(data["lower_bound"]),
            placements=tuple(
                Placement(str(p["topic"]), str(p["round"]), str(p["room"]))
                for p in data["placements"]
            ),
            seated={str(k): int(v) for k, v in data["seated"].items()},
            unseated=int(data["unseated"]),
            clashes=tuple(Clash.from_dict(c) for c in data["clashes"]),
            unscheduled=tuple(str(t) for t in data["unscheduled"]),
            seconds=float(data["seconds"]),
            method=str(data["method"]),
        )
