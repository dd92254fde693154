"""The method for very large instances: its bound is valid and its seats are feasible.

Checked on medium instances that the exact method solves, so the true optimum is known.
"""

from __future__ import annotations

import time

import pytest

from bench.instances import generate
from ketenconf.allocation.engine import (
    Problem,
    blocks,
    grouped,
    lagrange,
    solve,
    validate_assignment,
)
from ketenconf.allocation.engine.compiled import Arcs, compile_problem
from ketenconf.allocation.engine.cost import objective
from ketenconf.allocation.engine.lagrange import polish
from ketenconf.allocation.engine.outcome import Outcome
from ketenconf.allocation.engine.primal import fill_greedily, solver_cost
from ketenconf.allocation.engine.solve import _assignment


def _instance(seed: int) -> Problem:
    return Problem.from_dict(generate(240, rounds=3, sessions_per_round=5, seed=seed))


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_prices_bound_the_optimum_and_reseating_stays_feasible(seed: int) -> None:
    problem = _instance(seed)
    exact = solve(problem, method="exact", time_limit=60)
    compiled = compile_problem(problem)
    start = fill_greedily(compiled, Arcs.empty(), compiled.ranked)
    chosen, bound, _ = polish(
        compiled, start, [], deadline=time.perf_counter() + 3, progress=lambda m: None
    )
    assert exact.status == "optimal"
    assert bound <= exact.objective
    assignment = _assignment(compiled, Outcome(chosen, 0, "test"))
    assert validate_assignment(problem, assignment) == []
    assert objective(problem, assignment) <= solver_cost(compiled, start)
    assert objective(problem, assignment) >= exact.lower_bound


@pytest.mark.parametrize("solve_blocks", [False, True])
def test_very_large_path_gives_a_valid_bound_and_a_feasible_assignment(
    monkeypatch: pytest.MonkeyPatch, solve_blocks: bool
) -> None:
    problem = _instance(3)
    exact = solve(problem, method="exact", time_limit=60)
    monkeypatch.setattr(blocks, "BLOCKS_ABOVE", 100)
    monkeypatch.setattr(blocks, "BLOCK_SIZE", 80)
    monkeypatch.setattr(blocks, "SOLVE_BLOCKS", solve_blocks)
    monkeypatch.setattr(lagrange, "SAMPLE_SIZE", 80)
    result = solve(problem, method="large", time_limit=10)
    assert ("blocks" in result.metrics.method) == solve_blocks
    assert validate_assignment(problem, result.assignment) == []
    assert exact.status == "optimal"
    assert result.lower_bound <= exact.objective <= result.objective


def test_no_time_left_still_gives_a_feasible_assignment_and_a_valid_bound() -> None:
    problem = _instance(4)
    exact = solve(problem, method="exact", time_limit=60)
    compiled = compile_problem(problem)
    chosen, bound, _ = polish(
        compiled, None, [], deadline=time.perf_counter(), progress=lambda m: None
    )
    assignment = _assignment(compiled, Outcome(chosen, 0, "test"))
    assert validate_assignment(problem, assignment) == []
    assert exact.status == "optimal"
    assert bound <= exact.objective


@pytest.mark.parametrize("seed", [0, 5])
def test_groups_give_a_valid_bound_and_feasible_seats_near_the_optimum(seed: int) -> None:
    problem = Problem.from_dict(generate(400, rounds=3, sessions_per_round=6, seed=seed))
    exact = solve(problem, method="exact", time_limit=60)
    compiled = compile_problem(problem)
    start = lagrange.sample_prices(
        compiled, deadline=time.perf_counter() + 5, seed=seed, progress=lambda m: None
    )
    outcome = grouped.solve_grouped(
        compiled, start, deadline=time.perf_counter() + 10, seed=seed, progress=lambda m: None
    )
    assignment = _assignment(compiled, outcome)
    assert validate_assignment(problem, assignment) == []
    assert exact.status == "optimal"
    assert outcome.lower_bound <= exact.objective <= objective(problem, assignment)
    # Close on both sides: the bound is the master's LP bound, the seats its rounding.
    assert objective(problem, assignment) <= 1.02 * exact.objective
    assert outcome.lower_bound >= 0.98 * exact.objective


def test_groups_without_time_still_give_feasible_seats_and_a_valid_bound() -> None:
    problem = _instance(6)
    exact = solve(problem, method="exact", time_limit=60)
    compiled = compile_problem(problem)
    outcome = grouped.solve_grouped(
        compiled, None, deadline=time.perf_counter(), seed=0, progress=lambda m: None
    )
    assignment = _assignment(compiled, outcome)
    assert validate_assignment(problem, assignment) == []
    assert exact.status == "optimal"
    assert outcome.lower_bound <= exact.objective <= objective(problem, assignment)


def test_groups_prove_the_optimum_when_the_share_rule_leaves_people_without_a_seat() -> None:
    # One seat left in the only session, but the host already uses organisation A's share:
    # both others go without a session (2 x 10 x (1 + 1)^2 = 80), and the bound says so.
    problem = Problem.from_dict(
        {
            "rounds": [{"id": "r1"}],
            "sessions": [{"id": "s1", "topic": "t1", "round": "r1", "capacity": 2}],
            "participants": [
                {"id": "p1", "organisation": "A", "preferences": ["t1"], "fixed": {"r1": "s1"}},
                {"id": "p2", "organisation": "A", "preferences": ["t1"]},
                {"id": "p3", "organisation": "A", "preferences": []},
            ],
            "rules": {"max_organisation_share": 0.5},
        }
    )
    compiled = compile_problem(problem)
    outcome = grouped.solve_grouped(
        compiled, None, deadline=time.perf_counter() + 10, seed=0, progress=lambda m: None
    )
    assignment = _assignment(compiled, outcome)
    assert assignment == {"p1": {"r1": "s1"}, "p2": {}, "p3": {}}
    assert objective(problem, assignment) == outcome.lower_bound == 80
