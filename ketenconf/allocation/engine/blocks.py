"""Very large instances (above ``BLOCKS_ABOVE`` participants).

Column generation over single schedules (:mod:`.large`) slows down more than linearly with
the number of participants. By default (``SOLVE_BLOCKS = False``) a random sample's master
LP gives starting prices and column generation over groups of participants
(:mod:`.grouped`) gives the bound and the seats.

The older block method: participants are dealt at random into
blocks; every session's free seats are split evenly over the blocks (fixed seats stay with
their block), and each block is solved on its own. Seats a block leaves empty go to anyone
still without a session, greedily. The blocks' final prices, averaged, price the *whole*
problem, which gives a lower bound for the whole problem, so the gap stays known.
"""

from __future__ import annotations

import dataclasses
import math
import multiprocessing
import os
import random
import sys
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor

import numpy as np

from .compiled import Arcs, Compiled, compile_problem
from .grouped import solve_grouped
from .lagrange import SAMPLE_SHARE, polish, sample_prices
from .large import solve_large
from .outcome import Outcome
from .primal import fill_greedily, keep_feasible
from .problem import Problem, Session
from .relaxation import integer_bound
from .schedules import SessionPrices

BLOCK_SIZE = 2_000
BLOCKS_ABOVE = 15_000  # participants; up to here one master holds everyone
SOLVE_BLOCKS = False  # solve every block (slow, fails under load) or groups from a sample
BLOCKS_SHARE = 0.55  # of the time, for the blocks; the rest improves the bound and the seats


def block_count(participants: int) -> int:
    if participants <= BLOCKS_ABOVE:
        return 1
    return math.ceil(participants / BLOCK_SIZE)


def split(problem: Problem, blocks: int, seed: int) -> list[tuple[list[int], Problem]]:
    """Participants dealt at random into ``blocks`` groups, each with its share of seats."""
    order = list(range(len(problem.participants)))
    random.Random(seed).shuffle(order)
    groups = [sorted(order[b::blocks]) for b in range(blocks)]
    block_of = {p: b for b, group in enumerate(groups) for p in group}
    fixed = np.zeros((len(problem.sessions), blocks), dtype=np.int64)
    index = {s.id: i for i, s in enumerate(problem.sessions)}
    for p, participant in enumerate(problem.participants):
        for sid in participant.fixed.values():
            fixed[index[sid], block_of[p]] += 1
    capacities = np.zeros((len(problem.sessions), blocks), dtype=np.int64)
    for i, session in enumerate(problem.sessions):
        free = session.capacity - int(fixed[i].sum())
        share = np.full(blocks, free // blocks)
        share[(np.arange(free % blocks) + i) % blocks] += 1
        capacities[i] = fixed[i] + share
    parts = []
    for b, group in enumerate(groups):
        sessions = tuple(
            Session(s.id, s.topic, s.round, int(capacities[i, b]), s.accessible)
            for i, s in enumerate(problem.sessions)
        )
        sub = dataclasses.replace(
            problem,
            sessions=sessions,
            participants=tuple(problem.participants[p] for p in group),
            previous=None,
        )
        parts.append((group, sub))
    return parts


def _solve_block(
    sub: Problem, ends_at: float, share: float, seed: int
) -> tuple[list[tuple[int, int, int, int]], SessionPrices | None, list[str]]:
    """Solve one block (in a worker process): (participant, round, session, cost) seats,
    its final prices and its organisation names (to re-key the prices).

    ``ends_at`` is the wall-clock deadline of all blocks; this block takes ``share`` of the
    time left when it starts (blocks that finish early leave more for the others).
    """
    seconds = max(0.5, share * (ends_at - time.time()))
    sub_compiled = compile_problem(sub)
    outcome = solve_large(
        sub_compiled, deadline=time.perf_counter() + seconds, seed=seed, progress=lambda m: None
    )
    arcs = outcome.chosen
    seats = [
        (int(sub_compiled.slot_participant[slot]), int(sub_compiled.slot_round[slot]), s, c)
        for slot, s, c in zip(
            arcs.slot.tolist(), arcs.session.tolist(), arcs.cost.tolist(), strict=True
        )
    ]
    return seats, outcome.prices, sub_compiled.organisation_ids


def workers() -> int:
    """Worker processes for blocks: the CPUs this process may use, at most four."""
    return max(1, min(len(os.sched_getaffinity(0)), 4))


def solve_in_blocks(
    compiled: Compiled,
    *,
    deadline: float,
    seed: int,
    progress: Callable[[str], None],
) -> Outcome:
    started = time.perf_counter()
    if not SOLVE_BLOCKS:
        return _solve_by_prices(compiled, deadline=deadline, seed=seed, progress=progress)
    problem = compiled.problem
    parts = split(problem, block_count(len(problem.participants)), seed)
    slot_of = {
        (int(p), int(r)): slot
        for slot, (p, r) in enumerate(
            zip(compiled.slot_participant.tolist(), compiled.slot_round.tolist(), strict=True)
        )
    }
    pool_size = min(workers(), len(parts))
    ends_at = time.time() + BLOCKS_SHARE * (deadline - time.perf_counter())
    progress(f"{len(parts)} blocks of about {BLOCK_SIZE:,} participants, {pool_size} at a time")
    chosen_slot: list[int] = []
    chosen_session: list[int] = []
    chosen_cost: list[int] = []
    prices: list[SessionPrices] = []
    index = {name: i for i, name in enumerate(compiled.organisation_ids)}
    context = multiprocessing.get_context("fork" if sys.platform == "linux" else "spawn")
    with ProcessPoolExecutor(max_workers=pool_size, mp_context=context) as executor:
        futures = [
            executor.submit(
                _solve_block, sub, ends_at, pool_size / (len(parts) - b + pool_size - 1), seed + b
            )
            for b, (_, sub) in enumerate(parts)
        ]
        for b, ((group, _), future) in enumerate(zip(parts, futures, strict=True)):
            seats, block_prices, names = future.result()
            progress(f"block {b + 1}/{len(parts)} done")
            if block_prices is not None:
                prices.append(
                    SessionPrices(
                        block_prices.session,
                        {index[names[o]]: v for o, v in block_prices.organisation.items()},
                    )
                )
            for p, r, session, cost in seats:
                chosen_slot.append(slot_of[group[p], r])
                chosen_session.append(session)
                chosen_cost.append(cost)
    chosen = Arcs(
        np.array(chosen_slot, dtype=np.int64),
        np.array(chosen_session, dtype=np.int64),
        np.array(chosen_cost, dtype=np.int64),
    )
    before = len(chosen)
    chosen = keep_feasible(compiled, chosen)
    progress(
        f"blocks: {before:,} seats from the blocks, {before - len(chosen):,} dropped at the seams"
    )
    filled = np.zeros(compiled.slot_count, dtype=np.bool_)
    filled[chosen.slot] = True
    progress("blocks: giving seats left over to anyone still without a session")
    chosen = fill_greedily(compiled, chosen, compiled.ranked.take(~filled[compiled.ranked.slot]))
    progress("blocks: prices for the whole problem, then re-seating by rounds")
    chosen, bound, final = polish(
        compiled,
        chosen,
        [_average(prices, len(compiled.session_ids)), _median(prices, len(compiled.session_ids))],
        deadline=deadline - 0.03 * (deadline - started),
        progress=progress,
    )
    return Outcome(
        chosen,
        integer_bound(bound, compiled.bound_scale),
        f"column generation in {len(parts)} blocks",
        final,
    )


def _solve_by_prices(
    compiled: Compiled, *, deadline: float, seed: int, progress: Callable[[str], None]
) -> Outcome:
    """Prices from a sample's master LP start column generation over groups of everyone."""
    started = time.perf_counter()
    start = sample_prices(
        compiled,
        deadline=started + SAMPLE_SHARE * (deadline - started),
        seed=seed,
        progress=progress,
    )
    return solve_grouped(
        compiled,
        start,
        deadline=deadline - 0.05 * (deadline - started),
        seed=seed,
        progress=progress,
    )


def _median(prices: list[SessionPrices], sessions: int) -> SessionPrices:
    """Session prices: the median over the blocks (blocks cut short can be far off)."""
    if not prices:
        return SessionPrices(np.zeros(sessions), {})
    return SessionPrices(np.median(np.stack([p.session for p in prices]), axis=0), {})


def _average(prices: list[SessionPrices], sessions: int) -> SessionPrices:
    if not prices:
        return SessionPrices(np.zeros(sessions), {})
    session = sum((p.session for p in prices), np.zeros(sessions)) / len(prices)
    organisation: dict[int, np.ndarray] = {}
    for p in prices:
        for o, values in p.organisation.items():
            organisation[o] = organisation.get(o, np.zeros(sessions)) + values / len(prices)
    return SessionPrices(session, organisation)
