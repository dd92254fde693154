"""Method for large instances: keep what the LP decided, solve the rest as a small MIP.

The LP relaxation of this problem is nearly integral (per round it is a transportation
problem; only the topic and organisation rows make it fractional). Arcs at 1 in the LP are
kept; the slots the LP split are re-solved as a MIP over the seats left, with a time limit;
whatever is still empty is filled greedily. The lower bound is the relaxation's, so the gap
is known.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import numpy as np

from .compiled import Arcs, Compiled
from .model import build_model, run_highs
from .outcome import Outcome
from .primal import fill_greedily, organisation_counts
from .relaxation import Relaxation

INTEGRAL = 1 - 1e-6


def solve_large(
    compiled: Compiled,
    relaxation: Relaxation,
    *,
    deadline: float,
    seed: int,
    progress: Callable[[str], None],
) -> Outcome:
    """Round the relaxation: fix its integral arcs, MIP over the split slots, fill greedily."""
    arcs = relaxation.active
    decided = _within_limits(compiled, arcs.take(relaxation.x > INTEGRAL))
    taken = np.zeros(compiled.slot_count, dtype=np.bool_)
    taken[decided.slot] = True
    open_arcs = arcs.take(~taken[arcs.slot])
    topic_keys = (
        compiled.slot_participant[decided.slot] * compiled.topic_count
        + compiled.session_topic[decided.session]
    )
    open_keys = (
        compiled.slot_participant[open_arcs.slot] * compiled.topic_count
        + compiled.session_topic[open_arcs.session]
    )
    open_arcs = open_arcs.take(~np.isin(open_keys, topic_keys))
    chosen = decided
    if len(open_arcs):
        capacity_left = compiled.capacity_left - np.bincount(
            decided.session, minlength=len(compiled.session_ids)
        )
        model = build_model(
            compiled, open_arcs, capacity_left, organisation_counts(compiled, decided)
        )
        progress(
            f"rounding: {len(decided):,} seats fixed by the LP, MIP over "
            f"{len(np.unique(open_arcs.slot)):,} open slots ({len(open_arcs):,} arcs)"
        )
        solution = run_highs(
            model, integer=True, time_limit=deadline - time.perf_counter(), seed=seed
        )
        if solution is not None:
            chosen = decided.concat(open_arcs.take(solution.x > 0.5))
    progress("rounding: filling what is left")
    chosen = fill_greedily(compiled, chosen, open_arcs)
    return Outcome(chosen, relaxation.integer_bound, "lp rounding")


def _within_limits(compiled: Compiled, decided: Arcs) -> Arcs:
    """Drop arcs that would break a limit (only possible through LP tolerances)."""
    keep = np.ones(len(decided), dtype=np.bool_)
    load = np.zeros(len(compiled.session_ids), dtype=np.int64)
    org_used = dict(compiled.fixed_organisation)
    seen: set[tuple[int, int]] = set()
    share = compiled.problem.rules.max_organisation_share is not None
    participants = compiled.slot_participant[decided.slot].tolist()
    for i, (p, s) in enumerate(zip(participants, decided.session.tolist(), strict=True)):
        o = int(compiled.participant_org[p])
        t = int(compiled.session_topic[s])
        if (
            load[s] >= compiled.capacity_left[s]
            or (p, t) in seen
            or (share and org_used.get((s, o), 0) >= compiled.organisation_limit[s])
        ):
            keep[i] = False
            continue
        load[s] += 1
        org_used[s, o] = org_used.get((s, o), 0) + 1
        seen.add((p, t))
    return decided.take(keep)
