"""The LP relaxation with column generation, and the proven lower bound it gives.

Start from the ranked arcs of good rank (plus published seats), solve the LP, and price every
arc left out: pruned ranked arcs exactly, unranked arcs through a per-slot floor. Arcs that
could lower the LP are added and the LP solved again. The bound is the Lagrangian value of
the final prices over *all* arcs, so it is valid even if the loop stops early.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from .compiled import Arcs, Compiled
from .model import FloatArray, Model, Prices, build_model, prices_from, run_highs

EXTRA_RANKS = 5  # ranks beyond the number of attended rounds kept in the first LP
EPS = 1e-6


@dataclass
class Relaxation:
    """The final LP over ``active`` arcs, its prices and the bound over all arcs."""

    active: Arcs
    model: Model
    x: FloatArray  # LP values of the active arcs (zeros if the LP gave none)
    prices: Prices
    bound: float  # valid lower bound on the solver objective (float; round up)
    slot_best: FloatArray  # per slot: min(0, least reduced cost over every arc of the slot)
    excluded: Arcs  # ranked arcs not in the model
    excluded_reduced: FloatArray
    unranked_floor: FloatArray
    lp_solved: bool

    scale: float  # sum of the magnitudes added up into ``bound``

    @property
    def integer_bound(self) -> int:
        return integer_bound(self.bound, self.scale)

    def forcing_bound(self, compiled: Compiled, arcs: Arcs) -> FloatArray:
        """Lower bound of any solution that uses the given arc (one value per arc)."""
        reduced = self.prices.reduced(compiled, arcs)
        return self.bound - self.slot_best[arcs.slot] + reduced


def integer_bound(value: float, scale: float) -> int:
    """Round a float lower bound up to the integer it proves (objectives are integers).

    ``scale`` is the size of the numbers added up into ``value`` (see
    :attr:`Compiled.bound_scale`). Float64 sums of n terms err by at most about
    ``log2(n) × 1.1e-16`` times the sum of their magnitudes, so the tolerance ``1e-13 ×
    scale`` covers the error with a wide margin and stays far below 1 (an objective of 10⁹
    with a scale of 10¹¹ loses 0.01, not the 100 a relative tolerance of 10⁻⁷ would):
    integrality is used, and a bound that equals the optimum is reported as such.
    """
    return math.ceil(value - 1e-6 - 1e-13 * scale)


def _arc_keys(compiled: Compiled, arcs: Arcs) -> np.ndarray:
    return arcs.slot * len(compiled.session_ids) + arcs.session


def relax(
    compiled: Compiled,
    *,
    deadline: float,
    seed: int,
    progress: Callable[[str], None],
) -> Relaxation:
    """Solve the LP relaxation by column generation until no left-out arc can help."""
    ranked = compiled.ranked
    attended = np.bincount(compiled.slot_participant, minlength=len(compiled.problem.participants))
    limit = attended[compiled.slot_participant[ranked.slot]] + EXTRA_RANKS
    keep = (compiled.ranked_rank <= limit) | (ranked.session == compiled.slot_previous[ranked.slot])
    active = ranked.take(keep)
    excluded = ranked.take(~keep)
    fixed_org = dict(compiled.fixed_organisation)
    iteration = 0
    while True:
        iteration += 1
        model = build_model(compiled, active, compiled.capacity_left, fixed_org)
        progress(f"LP {iteration}: {len(active):,} arcs, {model.lp.num_row_:,} rows")
        remaining = deadline - time.perf_counter()
        solution = run_highs(model, integer=False, time_limit=remaining, seed=seed)
        if solution is None or not solution.optimal:
            prices = (
                Prices.zero(compiled)
                if solution is None
                else prices_from(compiled, model, solution.row_dual)
            )
            x = np.zeros(len(active)) if solution is None else solution.x
            return _finish(compiled, active, model, x, prices, excluded, lp_solved=False)
        prices = prices_from(compiled, model, solution.row_dual)
        reduced = prices.reduced(compiled, active)
        slot_best = prices.slot_minimum(compiled, active, reduced)
        excluded_reduced = prices.reduced(compiled, excluded)
        add_ranked = excluded_reduced < slot_best[excluded.slot] - EPS
        floor = prices.unranked_floor(compiled)
        candidate_slots = np.flatnonzero(floor < slot_best - EPS)
        new = excluded.take(add_ranked)
        if len(candidate_slots):
            unranked = compiled.unranked_arcs_for(candidate_slots)
            unranked = unranked.take(
                ~np.isin(_arc_keys(compiled, unranked), _arc_keys(compiled, active))
            )
            unranked_reduced = prices.reduced(compiled, unranked)
            new = new.concat(unranked.take(unranked_reduced < slot_best[unranked.slot] - EPS))
        if len(new) == 0 or time.perf_counter() > deadline:
            return _finish(compiled, active, model, solution.x, prices, excluded, lp_solved=True)
        progress(f"LP {iteration}: adding {len(new):,} arcs that could lower the cost")
        active = active.concat(new)
        excluded = excluded.take(~add_ranked)


def _finish(
    compiled: Compiled,
    active: Arcs,
    model: Model,
    x: FloatArray,
    prices: Prices,
    excluded: Arcs,
    *,
    lp_solved: bool,
) -> Relaxation:
    slot_best = prices.slot_minimum(compiled, active, prices.reduced(compiled, active))
    excluded_reduced = prices.reduced(compiled, excluded)
    if len(excluded):
        np.minimum.at(slot_best, excluded.slot, excluded_reduced)
    floor = prices.unranked_floor(compiled)
    # Where the floor could matter, replace it by the exact least reduced cost of the slot's
    # unranked arcs (the floor ignores topic prices, which can be far from zero).
    close = np.flatnonzero(floor < slot_best - EPS)
    if len(close):
        exact = np.full(compiled.slot_count, np.inf)
        unranked = compiled.unranked_arcs_for(close)
        if len(unranked):
            np.minimum.at(exact, unranked.slot, prices.reduced(compiled, unranked))
        floor[close] = exact[close]
    slot_best = np.minimum(slot_best, floor)
    return Relaxation(
        active=active,
        model=model,
        x=x,
        prices=prices,
        bound=prices.bound(compiled, slot_best),
        scale=compiled.bound_scale + abs(prices.constant),
        slot_best=slot_best,
        excluded=excluded,
        excluded_reduced=excluded_reduced,
        unranked_floor=floor,
        lp_solved=lp_solved,
    )
