"""The contract's direct MIP: one binary per slot and allowed session, solved by HiGHS.

Every arc, ranked and unranked, is a column; every participant with two or more open
rounds has the version-2 row of :mod:`.model`. No column generation and no bound of our own:
the bound is HiGHS's dual bound. It is the baseline the other methods are measured against
(``bench/assignment.py``), and what ``auto`` runs on shapes where it is the fastest.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable

import numpy as np

from .compiled import Arcs, Compiled
from .model import build_model, run_highs
from .outcome import Outcome
from .primal import fill_greedily, solver_cost
from .relaxation import integer_bound


def all_arcs(compiled: Compiled) -> Arcs:
    """Every arc of every slot: the ranked ones and every allowed unranked session."""
    slots = np.arange(compiled.slot_count, dtype=np.int64)
    return compiled.ranked.concat(compiled.unranked_arcs_for(slots))


def solve_direct(
    compiled: Compiled,
    *,
    deadline: float,
    seed: int,
    progress: Callable[[str], None],
    start: Arcs | None = None,
) -> Outcome:
    """Solve the direct MIP within the time left, from ``start`` if given."""
    arcs = all_arcs(compiled)
    participants = np.arange(len(compiled.participant_slots), dtype=np.int64)
    model = build_model(
        compiled, arcs, compiled.capacity_left, dict(compiled.fixed_organisation), participants
    )
    progress(f"direct MIP: {len(arcs):,} arcs, {model.lp.num_row_:,} rows")
    x0 = None
    if start is not None and len(start):
        width = len(compiled.session_ids)
        keys = arcs.slot * width + arcs.session
        x0 = np.isin(keys, start.slot * width + start.session).astype(np.float64)
    solution = run_highs(
        model, integer=True, time_limit=deadline - time.perf_counter(), seed=seed, start=x0
    )
    if solution is None:
        chosen = start if start is not None else fill_greedily(compiled, Arcs.empty(), arcs)
        return Outcome(chosen, 0, "direct (time limit, no solution)")
    chosen = fill_greedily(compiled, arcs.take(solution.x > 0.5), arcs)
    value = solution.mip_bound - model.offset + float(compiled.slot_none_cost.sum())
    bound = integer_bound(value, compiled.bound_scale) if math.isfinite(value) else 0
    return Outcome(chosen, int(min(max(bound, 0), solver_cost(compiled, chosen))), "direct")
