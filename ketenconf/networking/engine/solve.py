"""The one entry point, :func:`solve`, and the greedy baseline it is measured against."""

from __future__ import annotations

import math
import time

import numpy as np

from ketenconf.enginekit.errors import InvalidProblem

from .bound import lp_bound, price_bound
from .compiled import Compiled, candidates, compile_problem, fixed_weight
from .problem import Meeting, Problem
from .result import Result, metrics
from .search import State, first_fit, greedy, improve
from .validate import validate, validate_meetings
from .weights import pair_weight

#: Candidate partners kept per person: enough to find another when the best are taken.
#: Small crowds keep more (up to 64), within about 40,000 candidate pairs; large ones 16.
CANDIDATES_PER_PERSON = 16
CANDIDATES_MAX = 64
CANDIDATE_BUDGET = 40_000
#: Share of the time limit the search may use; the linear relaxation's bound gets the rest.
SEARCH_SHARE = 0.5


def solve(problem: Problem, *, time_limit: float = 60.0, seed: int = 0, lp: bool = True) -> Result:
    """Propose meetings that maximise their total weight under the rules of the problem.

    Fixed meetings stay as they are. Accepted requests are placed first, each in the
    earliest slot free for both with a table place; then the search proposes meetings (see
    :mod:`.search`). The same problem and seed give the same answer. The upper bound is
    that of the linear relaxation when ``lp`` and time allow, else the cheaper price bound
    (see :mod:`.bound`); the result's ``method`` says which. Raises
    :class:`InvalidProblem` listing every problem of an invalid input.
    """
    return _run(problem, time_limit=time_limit, seed=seed, method="local-search", lp=lp)


def greedy_baseline(problem: Problem, *, seed: int = 0) -> Result:
    """What a spreadsheet would do: heaviest pair first, first slot free for both. No search."""
    return _run(problem, time_limit=0.0, seed=seed, method="greedy", lp=False)


def _run(problem: Problem, *, time_limit: float, seed: int, method: str, lp: bool) -> Result:
    errors = validate(problem)
    if errors:
        raise InvalidProblem(errors)
    started = time.perf_counter()
    compiled = compile_problem(problem)
    people = sum(1 for cap in compiled.capacity if cap > 0)
    k = min(CANDIDATES_MAX, CANDIDATE_BUDGET // max(1, people))
    k = max(CANDIDATES_PER_PERSON, k, *compiled.capacity, 1)
    found = candidates(compiled, problem, k=k, seed=seed)
    pass_seconds = time.perf_counter() - started
    bound = price_bound(compiled, found.top)

    state = State(compiled)
    unplaced = _place_requests(state, compiled, problem)
    if method == "greedy":
        first_fit(state, found)
    else:
        rng = np.random.default_rng(seed)
        scarcity = np.minimum(found.options[found.u], found.options[found.v])
        order = np.lexsort((rng.random(len(found.weight)), scarcity, -found.weight))
        greedy(state, found, order=order)
        improve(state, found, order=order, deadline=started + SEARCH_SHARE * time_limit)
    if lp:
        relaxed = lp_bound(
            compiled,
            problem,
            found,
            k=k,
            deadline=started + 0.95 * time_limit,
            pass_seconds=pass_seconds,
        )
        if relaxed is not None and relaxed < bound:
            bound = relaxed
            method += "+lp-bound"

    meetings = _with_tables(state, compiled, problem)
    violations = validate_meetings(problem, [*problem.fixed, *meetings])
    if violations:  # a bug, never an answer
        raise RuntimeError(
            "the engine built meetings that break the rules: " + "; ".join(map(str, violations))
        )
    kept = fixed_weight(problem)
    weight = kept + state.weight
    return Result(
        meetings=tuple(meetings),
        weight=weight,
        upper_bound=max(weight, kept + math.floor(bound + 1e-6)),
        metrics=metrics(problem, [*problem.fixed, *meetings]),
        seconds=time.perf_counter() - started,
        method=method,
        unplaced_requests=tuple(unplaced),
    )


def _place_requests(
    state: State, compiled: Compiled, problem: Problem
) -> list[tuple[str, str, str]]:
    people = {p.id: p for p in problem.people}
    unplaced: list[tuple[str, str, str]] = []
    for a_id, b_id in problem.requests:
        a, b = compiled.index[a_id], compiled.index[b_id]
        key = (min(a, b), max(a, b))
        if key in compiled.fixed_pairs or key in state.meetings:
            continue
        if key in compiled.excluded:
            unplaced.append((a_id, b_id, "declined"))
            continue
        if state.capacity[a] <= 0 or state.capacity[b] <= 0:
            unplaced.append((a_id, b_id, "no room for another meeting"))
            continue
        mask = state.common(a, b)
        if not mask:
            unplaced.append((a_id, b_id, "no slot free for both with a free table"))
            continue
        weight = pair_weight(people[a_id], people[b_id], problem.rules)
        state.add(a, b, (mask & -mask).bit_length() - 1, weight, locked=True)
    return unplaced


def _with_tables(state: State, compiled: Compiled, problem: Problem) -> list[Meeting]:
    """Seat the new meetings at tables, lowest numbers first, around the fixed ones."""
    tables = sorted(problem.tables, key=lambda t: t.number)
    taken: dict[tuple[str, str], int] = {}
    for meeting in problem.fixed:
        taken[(meeting.slot, meeting.table)] = taken.get((meeting.slot, meeting.table), 0) + 1
    ordered = sorted(
        state.meetings.items(),
        key=lambda item: (item[1][0], not item[1][2], -item[1][1], item[0]),
    )
    cursor = dict.fromkeys(range(len(compiled.slot_ids)), 0)
    meetings = []
    for (u, v), (slot, _weight, _locked) in ordered:
        slot_id = compiled.slot_ids[slot]
        while True:
            table = tables[cursor[slot]]
            if taken.get((slot_id, table.id), 0) < table.meetings_per_slot:
                break
            cursor[slot] += 1
        taken[(slot_id, table.id)] = taken.get((slot_id, table.id), 0) + 1
        meetings.append(Meeting(compiled.ids[u], compiled.ids[v], slot_id, table.id))
    return meetings
