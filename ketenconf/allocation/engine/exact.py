"""Exact method: a MIP over the arcs of the relaxation, proven optimal over *all* arcs.

The MIP only sees the arcs the LP needed. Any arc left out can only appear in a solution
whose cost is at least the Lagrangian bound with that arc forced in; arcs for which that is
below the incumbent are added and the MIP solved again. When none is left, the MIP's own
bound holds for the whole problem.

Version 2 of the contract (a participant's ``e`` empty rounds cost ``C e²``) is added the
same way: the model charges it exactly for the participants it lists (``convex``) and
``C e`` for the rest, a relaxation; a participant the MIP leaves without a session in two
or more rounds joins the list and the MIP is solved again.
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
from .relaxation import Relaxation, integer_bound


def solve_exact(
    compiled: Compiled,
    relaxation: Relaxation,
    *,
    deadline: float,
    seed: int,
    progress: Callable[[str], None],
) -> Outcome:
    """Solve the MIP over the relaxation's arcs, adding left-out arcs until none can help."""
    arcs = relaxation.active
    in_model = np.isin(_keys(compiled, relaxation.excluded), _keys(compiled, arcs))
    excluded = relaxation.excluded.take(~in_model)
    unranked_done: set[int] = set()  # slots whose helpful unranked arcs are in the model
    rejected = math.inf  # least forcing bound of unranked arcs of those slots left out
    fixed_org = dict(compiled.fixed_organisation)
    convex = np.zeros(0, dtype=np.int64)
    while True:
        model = build_model(compiled, arcs, compiled.capacity_left, fixed_org, convex)
        progress(f"MIP: {len(arcs):,} arcs")
        solution = run_highs(
            model, integer=True, time_limit=deadline - time.perf_counter(), seed=seed
        )
        if solution is None:
            chosen = fill_greedily(compiled, Arcs.empty(), arcs)
            return Outcome(chosen, relaxation.integer_bound, "exact (time limit, greedy)")
        picked = arcs.take(solution.x > 0.5)
        empty = compiled.empty_per_participant(picked)
        missing = np.setdiff1d(np.flatnonzero(empty >= 2), convex)
        if len(missing) and time.perf_counter() < deadline:
            progress(f"MIP: {len(missing):,} participants without a session twice or more")
            convex = np.union1d(convex, missing)
            continue
        chosen = fill_greedily(compiled, picked, arcs)
        upper = solver_cost(compiled, chosen)
        cutoff = upper - 1 + 1e-6
        forcing = relaxation.forcing_bound(compiled, excluded)
        add = forcing <= cutoff
        floor = relaxation.bound - relaxation.slot_best + relaxation.unranked_floor
        open_slots = np.array(
            [s for s in range(compiled.slot_count) if s not in unranked_done], dtype=np.int64
        )
        slots = open_slots[floor[open_slots] <= cutoff]
        new = excluded.take(add)
        new_rejected = pending = math.inf
        if len(slots):
            extra = compiled.unranked_arcs_for(slots)
            extra = extra.take(~np.isin(_keys(compiled, extra), _keys(compiled, arcs)))
            extra_forcing = relaxation.forcing_bound(compiled, extra)
            new = new.concat(extra.take(extra_forcing <= cutoff))
            if (extra_forcing <= cutoff).any():  # left out if the time is up
                pending = float(extra_forcing[extra_forcing <= cutoff].min())
            if (extra_forcing > cutoff).any():
                new_rejected = float(extra_forcing[extra_forcing > cutoff].min())
        # The slots just examined have every helpful unranked arc in the model now (or
        # rejected, with its forcing bound kept), whether or not any was new.
        unranked_done.update(slots.tolist())
        rejected = min(rejected, new_rejected)
        if len(new) and time.perf_counter() < deadline:
            progress(f"MIP: adding {len(new):,} left-out arcs that could still help")
            arcs = arcs.concat(new)
            excluded = excluded.take(~add)
            continue
        open_slots = np.array(
            [s for s in range(compiled.slot_count) if s not in unranked_done], dtype=np.int64
        )
        mip_bound = solution.mip_bound - model.offset + float(compiled.slot_none_cost.sum())
        if not math.isfinite(mip_bound):
            mip_bound = relaxation.bound
        left_out = min(
            float(forcing.min()) if len(forcing) else math.inf,
            float(floor[open_slots].min()) if len(open_slots) else math.inf,
            rejected,
            pending,
        )
        bound = max(
            relaxation.integer_bound,
            min(integer_bound(mip_bound, compiled.bound_scale), _ceil(left_out, relaxation.scale)),
        )
        return Outcome(chosen, int(min(bound, upper)), "exact")


def _ceil(value: float, scale: float) -> int | float:
    return math.inf if math.isinf(value) else integer_bound(value, scale)


def _keys(compiled: Compiled, arcs: Arcs) -> np.ndarray:
    return arcs.slot * len(compiled.session_ids) + arcs.session
