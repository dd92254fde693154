"""What a method hands back to :func:`solve`: chosen arcs and a proven bound."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from .compiled import Arcs

if TYPE_CHECKING:
    from .schedules import SessionPrices


@dataclass
class Outcome:
    """Chosen arcs (at most one per slot) and a lower bound on the solver objective."""

    chosen: Arcs
    lower_bound: int
    method: str
    prices: SessionPrices | None = None  # final capacity and organisation prices, if any
    #: False when the method found no assignment meeting every constraint (a re-offer whose
    #: time limit ran out first, or whose ceilings cannot all be met): ``chosen`` is then
    #: no answer, and ``note`` says why.
    solved: bool = True
    note: str = ""
