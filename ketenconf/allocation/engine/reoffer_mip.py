"""The re-offer on the day (contract version 3): round by round, then one MIP by HiGHS.

:func:`solve_reoffer` starts from the current seats, improves them round by round with
min-cost flows (:mod:`.reoffer_flow`) and, for models of at most ``MIP_ARCS`` arcs,
continues with the MIP over all rounds: the direct MIP of :mod:`.direct` with

- a slot whose participant holds a ``current`` seat in its round seated (slot row ``= 1``),
  with arcs only to that seat and to sessions of topics the participant ranked;
- per participant with a ``ceiling`` one row: their arcs' costs plus their empty rounds'
  convex charge (the ``w`` columns of :mod:`.model`) at most the ceiling;
- one objective for two aims: ``(M + 1) ×`` the contract's objective ``+ 1`` per arc that
  leaves a current seat (``M`` the current seats), so the contract's objective comes first
  and the fewest moves among its optima second, in exact integers. (Two MIPs, the second
  holding the first's value, gave the same answers in about two and a half times the time:
  HiGHS solved the root LP twice.)

Only useful arcs are columns: an arc whose cost alone exceeds what the participant's ceiling
leaves after the cheapest possible other rounds cannot be part of any feasible answer.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable

import highspy
import numpy as np

from .compiled import Arcs, Compiled, IntArray
from .cost import attended_rounds
from .model import FloatArray, Model, build_model, configured_highs
from .outcome import Outcome
from .primal import fill_greedily, solver_cost
from .relaxation import integer_bound
from .reoffer_flow import flow_bound, personal_bound, personal_pass, round_by_round

#: Above this many arcs the round-by-round answer stands: HiGHS's MIP set-up alone can take
#: longer than the re-offer may (10,000 participants in 4 rounds have about 120,000 arcs).
MIP_ARCS = 60_000
#: Share of the time left for the flows and personal passes when the MIP may follow, and
#: when it may not.
FLOW_SHARE = 0.3
ALONE_SHARE = 0.8
#: Rounds of "each participant on their own, then round by round again" at most.
PERSONAL_PASSES = 3
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
        width = len(compiled.session_ids)
        keys = ranked.slot * width + ranked.session
        order = np.argsort(keys)
        query = held * width + held_session
        pos = np.minimum(np.searchsorted(keys[order], query), max(len(keys) - 1, 0))
        found = (keys[order][pos] == query) if len(keys) else np.zeros(len(held), dtype=np.bool_)
        rank_cost = np.where(
            found, ranked.cost[order][pos] if len(keys) else 0, compiled.unranked_cost
        )
        rank_cost = rank_cost.astype(np.int64)
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
    """Solve the re-offer within the time left; ``solved`` is False without an answer.

    First round by round as min-cost flows (:mod:`.reoffer_flow`: an answer and a bound in
    well under a second at 10,000 participants); then, when that answer is not proven
    optimal and the MIP has at most ``MIP_ARCS`` arcs, the MIP from that answer with the
    time left: the objective, then the fewest moves among answers at least as good.
    """
    if deadline <= time.perf_counter():
        return _no_solution(TIME_LIMIT_NOTE)
    current = current_sessions(compiled)
    arcs = reoffer_arcs(compiled, current)
    held = current >= 0
    progress(f"re-offer: {len(arcs):,} arcs, {int(held.sum()):,} current seats")
    bound = max(flow_bound(compiled, arcs, current), personal_bound(compiled, arcs, current))
    # Flows and personal passes take a share of the time when the MIP may follow, else most
    # of it: checking and describing the answer in solve() takes the rest.
    share = FLOW_SHARE if len(arcs) <= MIP_ARCS else ALONE_SHARE
    until = time.perf_counter() + share * max(deadline - time.perf_counter(), 0.0)
    swept = round_by_round(compiled, arcs, current, deadline=until)
    for _ in range(PERSONAL_PASSES):
        if swept is None or time.perf_counter() >= until:
            break
        swept, improved = personal_pass(compiled, arcs, current, swept, deadline=until)
        if not improved:
            break
        swept = round_by_round(compiled, arcs, current, swept, deadline=until)
    best: Arcs | None = None
    if swept is not None:
        best = _chosen(arcs, swept)
        value = solver_cost(compiled, best)
        progress(f"round by round: objective {value:,}, bound {bound:,}")
        moves = bool((held[best.slot] & (best.session != current[best.slot])).any())
        if len(arcs) > MIP_ARCS or (value <= bound and not moves):
            return Outcome(best, min(bound, value), "re-offer (round by round)")
    left = deadline - time.perf_counter()
    if left <= 0:
        if best is None:
            return _no_solution(TIME_LIMIT_NOTE)
        return Outcome(best, min(bound, solver_cost(compiled, best)), "re-offer (round by round)")
    return _mip(
        compiled, arcs, current, best, bound, deadline=deadline, seed=seed, progress=progress
    )


def _no_solution(note: str) -> Outcome:
    return Outcome(Arcs.empty(), 0, "re-offer (no solution)", solved=False, note=note)


def _chosen(arcs: Arcs, sessions: IntArray) -> Arcs:
    """The arcs that give each slot its session in ``sessions`` (-1: none)."""
    return arcs.take(arcs.session == sessions[arcs.slot])


def _mip(
    compiled: Compiled,
    arcs: Arcs,
    current: IntArray,
    start_arcs: Arcs | None,
    flow_lower: int,
    *,
    deadline: float,
    seed: int,
    progress: Callable[[str], None],
) -> Outcome:
    held = current >= 0
    # The exact charge for several empty rounds only where two or more can be empty.
    free_slots = np.bincount(
        compiled.slot_participant[~held], minlength=len(compiled.participant_slots)
    )
    convex = np.flatnonzero(free_slots >= 2).astype(np.int64)
    model = build_model(
        compiled, arcs, compiled.capacity_left, dict(compiled.fixed_organisation), convex
    )
    lp = model.lp
    n = len(arcs)
    # A held slot is always seated: its arcs cost what they cost, not that minus none.
    # A copy: passModel takes the LP's vectors, which an asarray view would still point into.
    cost = np.array(lp.col_cost_, dtype=np.float64)
    cost[:n] += np.where(held[arcs.slot], compiled.slot_none_cost[arcs.slot], 0)
    lp.col_cost_ = cost
    slots = np.unique(arcs.slot)
    lp.offset_ = float(compiled.slot_none_cost[slots[~held[slots]]].sum())
    lower = np.array(lp.row_lower_, dtype=np.float64)
    lower[: len(slots)] = np.where(held[slots], 1.0, -highspy.kHighsInf)
    lp.row_lower_ = lower
    lp.integrality_ = [highspy.HighsVarType.kInteger] * lp.num_col_
    # Contract objective = offset + cost · x + none cost of slots without any arc.
    outside = float(compiled.slot_none_cost.sum()) - float(compiled.slot_none_cost[slots].sum())

    # One objective for both aims: (M + 1) × the contract's cost + 1 per move, M the moves
    # possible, so that among the contract's optima the fewest moves win, in exact integers
    # (as the flows cost them); one MIP instead of a second one that holds the first's value.
    moving = held[arcs.slot] & (arcs.session != current[arcs.slot])
    scale = int(held.sum()) + 1
    combined = cost * scale
    combined[:n] += moving
    lp.col_cost_ = combined
    lp.offset_ = lp.offset_ * scale

    started = time.perf_counter()
    highs = configured_highs(time_limit=deadline - started, seed=seed)
    highs.passModel(lp)
    ceilings = _add_ceiling_rows(highs, compiled, model)
    progress(f"re-offer MIP: {n:,} arcs, {lp.num_row_ + ceilings:,} rows")
    start = np.zeros(n)
    if start_arcs is not None:
        width = len(compiled.session_ids)
        start[
            np.isin(arcs.slot * width + arcs.session, start_arcs.slot * width + start_arcs.session)
        ] = 1.0
    else:
        start[held[arcs.slot] & (arcs.session == current[arcs.slot])] = 1.0
    _set_start(highs, model.full_start(start))
    highs.run()
    status = highs.getModelStatus()
    sol = highs.getSolution()
    if status == highspy.HighsModelStatus.kModelEmpty:
        chosen = fill_greedily(compiled, Arcs.empty(), arcs)
        return Outcome(chosen, 0, "re-offer")
    if not sol.value_valid:
        if start_arcs is not None:
            return Outcome(start_arcs, flow_lower, "re-offer (round by round)")
        if status == highspy.HighsModelStatus.kInfeasible:
            return _no_solution(
                "no assignment keeps every current seat or a ranked one within every ceiling"
            )
        return _no_solution(TIME_LIMIT_NOTE)
    x = np.asarray(sol.col_value, dtype=np.float64)[:n]
    dual = float(highs.getInfo().mip_dual_bound)
    bound = flow_lower
    if math.isfinite(dual):
        # The combined objective is at most scale − 1 above scale × the contract's.
        combined_bound = integer_bound(dual, compiled.bound_scale * scale)
        bound = max(bound, combined_bound // scale + round(outside))
    chosen = fill_greedily(compiled, arcs.take(x > 0.5), arcs)
    if start_arcs is not None and solver_cost(compiled, start_arcs) < solver_cost(compiled, chosen):
        chosen = start_arcs
    return Outcome(chosen, min(bound, solver_cost(compiled, chosen)), "re-offer")


def _set_start(highs: highspy.Highs, values: FloatArray) -> None:
    solution = highspy.HighsSolution()
    solution.col_value = list(values)
    solution.value_valid = True
    highs.setSolution(solution)


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
