"""The re-offer on the day (contract version 3) as one MIP, solved by HiGHS.

The direct MIP of :mod:`.direct` with three additions:

- a slot whose participant holds a ``current`` seat in its round must be seated (slot row
  ``= 1``) and has arcs only to that seat and to sessions of topics the participant ranked;
- a participant with a ``ceiling`` gets one row: their arcs' costs plus their empty rounds'
  convex charge (the ``w`` columns of :mod:`.model`) at most the ceiling;
- among optimal answers the fewest moves: every arc that leaves a current seat costs 1 more
  and every other cost is multiplied by ``M`` = (slots with a current seat) + 1, so one unit
  of the contract's objective outweighs all moves together (exact on integers).

Only useful arcs are columns: an arc whose cost alone exceeds what the participant's ceiling
leaves after the cheapest possible other rounds cannot be part of any feasible answer. The
current seats are HiGHS's start solution; they meet every ceiling.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable

import highspy
import numpy as np

from .compiled import Arcs, Compiled, IntArray
from .cost import attended_rounds
from .model import Model, build_model, configured_highs
from .outcome import Outcome
from .primal import fill_greedily
from .relaxation import integer_bound

TIME_LIMIT_NOTE = "the time limit was reached before any assignment meeting every ceiling was found"


def current_sessions(compiled: Compiled) -> IntArray:
    """Per slot: the index of the participant's current session in its round, -1 if none."""
    problem = compiled.problem
    index = {sid: i for i, sid in enumerate(compiled.session_ids)}
    out = np.full(compiled.slot_count, -1, dtype=np.int64)
    for slot, (p, r) in enumerate(
        zip(compiled.slot_participant.tolist(), compiled.slot_round.tolist(), strict=True)
    ):
        sid = problem.participants[p].current.get(compiled.round_ids[r])
        if sid is not None:
            out[slot] = index[sid]
    return out


def reoffer_arcs(compiled: Compiled, current: IntArray) -> Arcs:
    """The arcs worth a column: see the module docstring."""
    problem = compiled.problem
    ranked = compiled.ranked
    has_current = current >= 0
    keep = ~has_current[ranked.slot] | (ranked.session != current[ranked.slot])
    arcs = ranked.take(keep)
    held = np.flatnonzero(has_current)
    if len(held):
        held_session = current[held]
        # The current seat: at its rank, or at the unranked cost.
        rank_cost = np.full(len(held), compiled.unranked_cost, dtype=np.int64)
        lookup = {
            (int(s), int(e)): int(c)
            for s, e, c in zip(ranked.slot, ranked.session, ranked.cost, strict=True)
            if has_current[s]
        }
        for i, (slot, session) in enumerate(zip(held.tolist(), held_session.tolist(), strict=True)):
            rank_cost[i] = lookup.get((slot, session), compiled.unranked_cost)
        arcs = arcs.concat(Arcs(held, held_session, rank_cost))
    free = np.flatnonzero(~has_current)
    if len(free):
        arcs = arcs.concat(compiled.unranked_arcs_for(free))

    # Drop arcs no ceiling allows: cost > ceiling − Σ cheapest cost of the other slots.
    ceilings = np.array(
        [-1 if p.ceiling is None else p.ceiling for p in problem.participants], dtype=np.int64
    )
    if (ceilings >= 0).any() and len(arcs):
        cheapest = np.where(has_current, np.iinfo(np.int64).max, compiled.none_cost)
        np.minimum.at(cheapest, arcs.slot, arcs.cost)
        per_participant = np.bincount(
            compiled.slot_participant, weights=cheapest, minlength=len(problem.participants)
        ).astype(np.int64)
        participant = compiled.slot_participant[arcs.slot]
        budget = ceilings[participant] - (per_participant[participant] - cheapest[arcs.slot])
        arcs = arcs.take((ceilings[participant] < 0) | (arcs.cost <= budget))
    order = np.lexsort((arcs.session, arcs.slot))
    return arcs.take(order)


def solve_reoffer(
    compiled: Compiled, *, deadline: float, seed: int, progress: Callable[[str], None]
) -> Outcome:
    """Solve the re-offer MIP within the time left; ``solved`` is False without an answer."""
    if deadline <= time.perf_counter():
        return Outcome(
            Arcs.empty(), 0, "re-offer (no solution)", solved=False, note=TIME_LIMIT_NOTE
        )
    current = current_sessions(compiled)
    arcs = reoffer_arcs(compiled, current)
    participants = np.arange(len(compiled.participant_slots), dtype=np.int64)
    model = build_model(
        compiled, arcs, compiled.capacity_left, dict(compiled.fixed_organisation), participants
    )
    lp = model.lp
    held = current >= 0
    scale = int(held.sum()) + 1
    moves = (held[arcs.slot] & (arcs.session != current[arcs.slot])).astype(np.float64)
    cost = np.asarray(lp.col_cost_, dtype=np.float64) * scale
    cost[: len(arcs)] += moves
    lp.col_cost_ = cost
    lp.offset_ = 0.0
    slots = np.unique(arcs.slot)
    lower = np.asarray(lp.row_lower_, dtype=np.float64)
    lower[: len(slots)] = np.where(held[slots], 1.0, -highspy.kHighsInf)
    lp.row_lower_ = lower
    lp.integrality_ = [highspy.HighsVarType.kInteger] * lp.num_col_

    highs = configured_highs(time_limit=deadline - time.perf_counter(), seed=seed)
    highs.passModel(lp)
    ceilings = _add_ceiling_rows(highs, compiled, model)
    progress(
        f"re-offer MIP: {len(arcs):,} arcs, {lp.num_row_ + ceilings:,} rows, "
        f"{int(held.sum()):,} current seats"
    )
    start = np.zeros(len(arcs))
    start[held[arcs.slot] & (arcs.session == current[arcs.slot])] = 1.0
    solution = highspy.HighsSolution()
    solution.col_value = list(model.full_start(start))
    solution.value_valid = True
    highs.setSolution(solution)
    highs.run()
    status = highs.getModelStatus()
    sol = highs.getSolution()
    none_total = int(compiled.slot_none_cost.sum())
    if status == highspy.HighsModelStatus.kModelEmpty:
        chosen = fill_greedily(compiled, Arcs.empty(), arcs)
        return Outcome(chosen, 0, "re-offer")
    if not sol.value_valid:
        if status == highspy.HighsModelStatus.kInfeasible:
            note = "no assignment keeps every current seat or a ranked one within every ceiling"
        else:
            note = TIME_LIMIT_NOTE
        return Outcome(Arcs.empty(), 0, "re-offer (no solution)", solved=False, note=note)
    x = np.asarray(sol.col_value, dtype=np.float64)[: len(arcs)]
    chosen = fill_greedily(compiled, arcs.take(x > 0.5), arcs)
    bound_scaled = float(highs.getInfo().mip_dual_bound)
    bound = 0
    if math.isfinite(bound_scaled):
        value = none_total + (bound_scaled - (scale - 1)) / scale
        bound = max(integer_bound(value, compiled.bound_scale), 0)
    return Outcome(chosen, bound, "re-offer")


def _add_ceiling_rows(highs: highspy.Highs, compiled: Compiled, model: Model) -> int:
    """Add, per participant with a ceiling and open rounds, the row ``Σ (arc cost − none) x +
    Σ w cost · w ≤ ceiling − slots × none``; return how many."""
    problem = compiled.problem
    arcs = model.arcs
    n = len(arcs)
    participant = compiled.slot_participant[arcs.slot]
    w_start = np.zeros(len(compiled.participant_slots), dtype=np.int64) - 1
    position = n
    for p, slots in zip(
        model.convex_participants.tolist(), model.convex_slots.tolist(), strict=True
    ):
        w_start[p] = position
        position += slots - 1
    order = np.argsort(participant, kind="stable")
    bounds = np.searchsorted(participant[order], np.arange(len(problem.participants) + 1))
    upper: list[float] = []
    starts: list[int] = []
    index: list[int] = []
    value: list[float] = []
    for p, person in enumerate(problem.participants):
        if person.ceiling is None or compiled.participant_slots[p] == 0:
            continue
        if not attended_rounds(problem, person):
            continue
        columns = order[bounds[p] : bounds[p + 1]]
        starts.append(len(index))
        index.extend(columns.tolist())
        value.extend((arcs.cost[columns] - compiled.slot_none_cost[arcs.slot[columns]]).tolist())
        if w_start[p] >= 0:
            k = np.arange(2, int(compiled.participant_slots[p]) + 1)
            index.extend(range(int(w_start[p]), int(w_start[p]) + len(k)))
            value.extend((2 * compiled.none_cost * (k - 1)).tolist())
        upper.append(
            float(person.ceiling - int(compiled.participant_slots[p]) * compiled.none_cost)
        )
    if upper:
        highs.addRows(
            len(upper),
            np.full(len(upper), -highspy.kHighsInf),
            np.asarray(upper, dtype=np.float64),
            len(index),
            np.asarray(starts, dtype=np.int32),
            np.asarray(index, dtype=np.int32),
            np.asarray(value, dtype=np.float64),
        )
    return len(upper)
