"""The one entry point: :func:`solve` a problem into a :class:`Result`."""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable

import numpy as np

from ketenconf.enginekit.errors import InvalidProblem, ProblemError

from .blocks import block_count, solve_in_blocks
from .compiled import Compiled, compile_problem
from .cost import attended_rounds, objective
from .direct import solve_direct
from .exact import solve_exact
from .large import large_applicable, solve_large
from .outcome import Outcome
from .pooled import pooled_applicable, pooled_size, solve_pooled
from .primal import solver_cost
from .problem import Problem
from .relaxation import relax
from .reoffer_mip import solve_reoffer
from .result import Result, describe
from .validate import validate, validate_assignment

#: From this many participants "auto" starts with column generation over schedules ...
SCHEDULES_FROM = 300
#: ... and falls back on the exact arc MIP when that is not proven optimal, up to this many
#: ranked arcs ...
EXACT_ARC_LIMIT = 400_000
#: ... and on the direct MIP, up to this many arcs, from the best answer so far.
DIRECT_ARC_LIMIT = 3_000_000
#: Shares of the time left for the schedules method and the exact method when another
#: method can follow; a step is skipped when less than MIN_STEP_SHARE of the time is left.
LARGE_SHARE = 0.35
EXACT_SHARE = 0.6
MIN_STEP_SHARE = 0.05
#: From this share of slots that must take an unranked seat, the direct MIP replaces the
#: exact one (its column generation adds unranked arcs by the thousand, all alike).
UNRANKED_HEAVY = 0.2
#: From this share the pooled model (:mod:`.pooled`, one column per slot for any unranked
#: seat) goes first: its LP, rounded, was optimal on the few-ranked and long-lists shapes
#: (where capacity sends many more seats than this share to unranked topics); then its MIP
#: while it is small.
POOLED_FROM = 0.05
#: The LP gets most of the time: an LP cut short gives nothing, and after it the other
#: methods did no better on these shapes (at 10,000 few-ranked under a load average of 23,
#: 60 % of a 60 s limit was not enough for it and nothing after it found more than a greedy
#: fill).
POOLED_LP_SHARE = 0.85
POOLED_MIP_SHARE = 0.6
#: Columns of the pooled MIP up to which HiGHS 1.16's set-up (which ignores the time limit)
#: stayed within seconds: 30,000 at 2,000 participants of the few-ranked shape took 6 s,
#: 100,000 at 10,000 more than 280 s.
POOLED_MIP_COLUMNS = 40_000

Progress = Callable[[str], None]
METHODS = ("auto", "exact", "large", "direct", "pooled")
#: The methods that honour a re-offer (contract version 3): both run the re-offer MIP.
REOFFER_METHODS = ("auto", "direct")


def solve(
    problem: Problem,
    *,
    time_limit: float = 60.0,
    seed: int = 0,
    progress: Progress | None = None,
    method: str = "auto",
) -> Result:
    """Assign participants to sessions as docs/allocation-contract.md asks.

    ``method`` is ``"auto"``, ``"exact"`` (LP and MIP over arcs), ``"large"`` (column
    generation over schedules; above 15,000 participants over groups of participants, from
    a sample's prices), ``"direct"`` (the contract's MIP, every arc) or ``"pooled"`` (unranked
    seats pooled per round, :mod:`.pooled`; not with ``previous``). ``"auto"`` runs methods
    one after the other by the instance's shape (see :func:`_portfolio`), each from what the
    last left, until one proves its answer optimal or the time is up. The same problem, seed and enough
    time give the same result. Raises :class:`InvalidProblem` listing every problem of an
    invalid input; never returns a partial answer to an invalid one.

    A re-offer (a participant with ``current`` or ``ceiling``, contract version 3) is solved
    by :mod:`.reoffer_mip` (min-cost flows round by round, then the MIP while it is small)
    under ``"auto"`` and ``"direct"``; the other
    methods refuse it with :class:`InvalidProblem`. When no assignment meeting every
    ceiling is found in time, the result's status is ``"no_solution"``, its assignment the
    current and fixed seats unchanged and ``metrics.warnings`` says why: publish nothing.
    """
    errors = validate(problem)
    if errors:
        raise InvalidProblem(errors)
    if method not in METHODS:
        raise ValueError(f"unknown method {method!r}")
    started = time.perf_counter()
    deadline = started + time_limit
    report: Progress = progress or (lambda message: None)

    reoffer = any(participant.reoffered for participant in problem.participants)
    if reoffer and method not in REOFFER_METHODS:
        raise InvalidProblem(
            [
                ProblemError(
                    "participants",
                    f"the {method!r} method cannot honour the re-offer fields current and "
                    "ceiling; use 'direct' or 'auto'",
                )
            ]
        )
    if method == "pooled" and problem.previous is not None:
        raise InvalidProblem(
            [
                ProblemError(
                    "previous",
                    "the 'pooled' method cannot weigh keeping published seats; use 'auto'",
                )
            ]
        )

    compiled = compile_problem(problem)
    report(
        f"{len(problem.participants):,} participants, {compiled.slot_count:,} seats to give, "
        f"{len(problem.sessions):,} sessions"
    )
    if reoffer:
        # Checking and describing the answer afterwards take about as long as compiling the
        # problem did: keep that much of the time limit for them, so the limit holds.
        reserve = time.perf_counter() - started
        outcome = solve_reoffer(compiled, deadline=deadline - reserve, seed=seed, progress=report)
        if not outcome.solved:
            return _no_solution(problem, outcome, time.perf_counter() - started)
    else:
        outcome = _optimise(compiled, deadline=deadline, seed=seed, progress=report, method=method)
    assignment = _assignment(compiled, outcome)
    violations = validate_assignment(problem, assignment)
    if violations:  # a bug, never an answer
        raise RuntimeError(
            "the engine built an infeasible assignment: " + "; ".join(map(str, violations))
        )

    value = objective(problem, assignment)
    moved = lost = None
    lower_bound = outcome.lower_bound
    if problem.previous is not None:
        moved = _count_moved(compiled, assignment)
        lost = _count_lost(compiled)
        report("bound without move costs")
        plain = compile_problem(dataclasses.replace(problem, previous=None))
        lower_bound = relax(plain, deadline=deadline, seed=seed, progress=report).integer_bound
    # Every cost is at least 0: a Lagrangian bound from prices far from converged (the
    # grouped method at 100,000 cut short by its time limit under load) fell to -7.6 million.
    lower_bound = max(0, min(lower_bound, value))
    unassigned, metrics = describe(
        problem,
        assignment,
        seconds=time.perf_counter() - started,
        method=outcome.method,
        moved=moved,
        move_cost=compiled.move_cost if problem.previous is not None else None,
        lost_published=lost,
    )
    status = "optimal" if value == lower_bound else "feasible"
    report(f"{status}: objective {value:,}, lower bound {lower_bound:,}")
    return Result(status, value, lower_bound, assignment, unassigned, metrics)


def _no_solution(problem: Problem, outcome: Outcome, seconds: float) -> Result:
    """The answer of a re-offer that found nothing: every current and fixed seat as it is."""
    assignment: dict[str, dict[str, str]] = {}
    for participant in problem.participants:
        attended = set(attended_rounds(problem, participant))
        seats = {rid: sid for rid, sid in participant.current.items() if rid in attended}
        seats.update(participant.fixed)
        order = {rnd.id: i for i, rnd in enumerate(problem.rounds)}
        assignment[participant.id] = dict(sorted(seats.items(), key=lambda item: order[item[0]]))
    unassigned, metrics = describe(problem, assignment, seconds=seconds, method=outcome.method)
    metrics.warnings.insert(0, f"no re-offer: {outcome.note}; nothing changes")
    return Result("no_solution", objective(problem, assignment), 0, assignment, unassigned, metrics)


def _optimise(
    compiled: Compiled, *, deadline: float, seed: int, progress: Progress, method: str
) -> Outcome:
    if method == "direct":
        return solve_direct(compiled, deadline=deadline, seed=seed, progress=progress)
    participants = len(compiled.problem.participants)
    large = large_applicable(compiled) and (
        method == "large" or (method == "auto" and participants >= SCHEDULES_FROM)
    )
    if large and block_count(participants) > 1:
        return solve_in_blocks(compiled, deadline=deadline, seed=seed, progress=progress)
    if method == "large":
        return solve_large(compiled, deadline=deadline, seed=seed, progress=progress)
    if method == "pooled":
        return _pooled(compiled, deadline=deadline, seed=seed, progress=progress)
    if method == "exact":
        return _exact(compiled, deadline=deadline, seed=seed, progress=progress)
    return _portfolio(compiled, large=large, deadline=deadline, seed=seed, progress=progress)


def _portfolio(
    compiled: Compiled, *, large: bool, deadline: float, seed: int, progress: Progress
) -> Outcome:
    """``auto``: methods one after the other, each from what the last one left, until one
    proves its answer optimal or the time is up; the best answer and the best bound win.

    The order follows the shape: where participants ranked fewer topics than they have
    rounds, the pooled model first (its LP, then its MIP while small); the schedules method
    first on other large instances (fast on realistic ones), but with a share of the time
    only when another method can follow; the direct MIP last, with whatever time is left.
    """
    started = time.perf_counter()
    total = deadline - started
    best: Outcome | None = None
    bound = 0
    exact_fits = len(compiled.ranked) <= EXACT_ARC_LIMIT
    direct_fits = direct_size(compiled) <= DIRECT_ARC_LIMIT
    share = unranked_share(compiled)
    heavy_unranked = share >= UNRANKED_HEAVY
    steps: list[tuple[str, float]] = []
    if share >= POOLED_FROM and pooled_applicable(compiled):
        steps.append(("pooled-lp", POOLED_LP_SHARE))
        if pooled_size(compiled) <= POOLED_MIP_COLUMNS:
            steps.append(("pooled-mip", POOLED_MIP_SHARE))
    if large:
        steps.append(("large", LARGE_SHARE if exact_fits or direct_fits else 1.0))
    if exact_fits and not (heavy_unranked and direct_fits):
        steps.append(("exact", EXACT_SHARE if direct_fits else 1.0))
    if direct_fits:
        steps.append(("direct", 1.0))
    if not steps:
        steps.append(("exact", 1.0))
    for name, share in steps:
        left = deadline - time.perf_counter()
        if best is not None and left < MIN_STEP_SHARE * total:
            break
        until = time.perf_counter() + share * left
        if best is not None:
            progress(f"not proven optimal ({name} next, {left:.0f} s left)")
        if name.startswith("pooled"):
            outcome = solve_pooled(
                compiled,
                deadline=until,
                seed=seed,
                progress=progress,
                integer=name == "pooled-mip",
            )
        elif name == "large":
            outcome = solve_large(compiled, deadline=until, seed=seed, progress=progress)
        elif name == "exact":
            outcome = _exact(compiled, deadline=until, seed=seed, progress=progress)
        else:
            # No start: HiGHS 1.16 given a start here overran its time limit by minutes.
            outcome = solve_direct(compiled, deadline=until, seed=seed, progress=progress)
        bound = max(bound, outcome.lower_bound)
        if best is None or solver_cost(compiled, outcome.chosen) < solver_cost(
            compiled, best.chosen
        ):
            best = outcome
        if solver_cost(compiled, best.chosen) <= bound:
            break
    assert best is not None
    best.lower_bound = min(bound, solver_cost(compiled, best.chosen))
    return best


def _pooled(compiled: Compiled, *, deadline: float, seed: int, progress: Progress) -> Outcome:
    """The pooled model's LP, rounded; when that is not proven optimal, its MIP."""
    until = time.perf_counter() + POOLED_LP_SHARE * (deadline - time.perf_counter())
    best = solve_pooled(compiled, deadline=until, seed=seed, progress=progress, integer=False)
    if solver_cost(compiled, best.chosen) <= best.lower_bound or time.perf_counter() >= deadline:
        return best
    mip = solve_pooled(compiled, deadline=deadline, seed=seed, progress=progress, integer=True)
    bound = max(best.lower_bound, mip.lower_bound)
    if solver_cost(compiled, mip.chosen) < solver_cost(compiled, best.chosen):
        best = mip
    best.lower_bound = min(bound, solver_cost(compiled, best.chosen))
    return best


def direct_size(compiled: Compiled) -> int:
    """About how many arcs the direct MIP would have: slots × sessions of their round."""
    per_round = np.bincount(compiled.session_round, minlength=len(compiled.round_ids))
    return int(per_round[compiled.slot_round].sum())


def unranked_share(compiled: Compiled) -> float:
    """The share of slots that must take an unranked topic or none: the participant ranked
    fewer topics than they have open rounds."""
    if compiled.slot_count == 0:
        return 0.0
    ranked = np.array([len(p.preferences) for p in compiled.problem.participants])
    short = np.maximum(compiled.participant_slots - ranked, 0)
    return float(short.sum()) / compiled.slot_count


def _exact(compiled: Compiled, *, deadline: float, seed: int, progress: Progress) -> Outcome:
    relaxation = relax(compiled, deadline=deadline, seed=seed, progress=progress)
    progress(f"LP bound {relaxation.integer_bound:,}")
    return solve_exact(compiled, relaxation, deadline=deadline, seed=seed, progress=progress)


def _assignment(compiled: Compiled, outcome: Outcome) -> dict[str, dict[str, str]]:
    problem = compiled.problem
    assignment: dict[str, dict[str, str]] = {
        participant.id: dict(participant.fixed) for participant in problem.participants
    }
    for slot, session in zip(
        outcome.chosen.slot.tolist(), outcome.chosen.session.tolist(), strict=True
    ):
        participant = problem.participants[int(compiled.slot_participant[slot])]
        assignment[participant.id][compiled.round_ids[int(compiled.slot_round[slot])]] = (
            compiled.session_ids[session]
        )
    order = {rid: i for i, rid in enumerate(compiled.round_ids)}
    return {
        pid: dict(sorted(seats.items(), key=lambda item: order[item[0]]))
        for pid, seats in assignment.items()
    }


def _count_moved(compiled: Compiled, assignment: dict[str, dict[str, str]]) -> int:
    problem = compiled.problem
    moved = 0
    for slot in range(compiled.slot_count):
        prev = int(compiled.slot_previous[slot])
        if prev < 0:
            continue
        pid = problem.participants[int(compiled.slot_participant[slot])].id
        rid = compiled.round_ids[int(compiled.slot_round[slot])]
        if assignment[pid].get(rid) != compiled.session_ids[prev]:
            moved += 1
    return moved


def _count_lost(compiled: Compiled) -> int:
    """Published seats that could not be kept: the session is gone or in another round, no
    longer step-free for someone who needs it, its topic is now fixed elsewhere for the
    participant, or the round is now fixed to another session. Participants no longer in
    the problem and rounds they no longer attend do not count."""
    problem = compiled.problem
    previous = problem.previous or {}
    open_slot = {
        (problem.participants[int(p)].id, compiled.round_ids[int(r)]): int(prev)
        for p, r, prev in zip(
            compiled.slot_participant.tolist(),
            compiled.slot_round.tolist(),
            compiled.slot_previous.tolist(),
            strict=True,
        )
    }
    lost = 0
    for participant in problem.participants:
        for rid, sid in previous.get(participant.id, {}).items():
            if rid in participant.fixed:
                lost += participant.fixed[rid] != sid
            elif open_slot.get((participant.id, rid), 0) < 0:
                lost += 1
    return lost
