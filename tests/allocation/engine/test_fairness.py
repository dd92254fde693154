"""Version 2 of the contract: a participant's empty rounds cost ``10 (T + 1)² × e²``.

Every figure below is worked out by hand in the comments, and checked against the brute
force of helpers.py, which is written from the contract and not from the engine.
"""

from __future__ import annotations

from typing import Any

import pytest

from ketenconf.allocation.engine import Problem, solve, validate_assignment
from ketenconf.allocation.engine.cost import objective

from .helpers import brute_force_optimum, cp_sat_optimum


def shortage() -> dict[str, Any]:
    """Two rounds, one seat in each; A and B both attend both rounds.

    T = 4 (t3 and t4 run in rooms with no seats), so one empty round costs 10 × 25 = 250.
    A ranks t1, t2 first and second; B ranks them third and fourth.

    - A gets both seats: ranks 1² + 2² = 5, B is empty twice: 250 × 2² = 1000, total 1005
      (version 1: 5 + 2 × 250 = 505, its optimum).
    - A takes t2 (2² = 4), B takes t1 (3² = 9), each empty once: 13 + 250 + 250 = 513,
      the version-2 optimum (A t1 + B t2 costs 1 + 16 + 500 = 517).
    """
    return {
        "rounds": [{"id": "r1"}, {"id": "r2"}],
        "sessions": [
            {"id": "s1", "topic": "t1", "round": "r1", "capacity": 1},
            {"id": "s2", "topic": "t2", "round": "r2", "capacity": 1},
            {"id": "s3", "topic": "t3", "round": "r1", "capacity": 0},
            {"id": "s4", "topic": "t4", "round": "r2", "capacity": 0},
        ],
        "participants": [
            {"id": "A", "organisation": "IND", "preferences": ["t1", "t2"]},
            {"id": "B", "organisation": "COA", "preferences": ["t3", "t4", "t1", "t2"]},
        ],
    }


def test_objective_charges_the_square_of_the_empty_rounds() -> None:
    p = Problem.from_dict(shortage())
    assert objective(p, {"A": {"r1": "s1", "r2": "s2"}, "B": {}}) == 1005
    assert objective(p, {"A": {"r2": "s2"}, "B": {"r1": "s1"}}) == 513
    assert objective(p, {"A": {"r1": "s1"}, "B": {"r2": "s2"}}) == 517
    # Nobody seated: each is empty twice, 2 × 250 × 4.
    assert objective(p, {"A": {}, "B": {}}) == 2000


def test_three_empty_rounds_cost_nine_times_one() -> None:
    data = {
        "rounds": [{"id": "r1"}, {"id": "r2"}, {"id": "r3"}],
        "sessions": [{"id": "s1", "topic": "t1", "round": "r1", "capacity": 0}],
        "participants": [
            {"id": "A", "organisation": "IND", "preferences": ["t1"]},
            {"id": "B", "organisation": "IND", "preferences": [], "rounds": ["r2"]},
        ],
    }
    p = Problem.from_dict(data)
    # T = 1: one empty round costs 10 × 2² = 40; A is empty in 3 rounds (9 × 40), B in 1.
    assert objective(p, {}) == 9 * 40 + 40
    for method in ("exact", "large", "auto"):
        result = solve(p, method=method)
        assert (result.objective, result.lower_bound, result.status) == (400, 400, "optimal")


def test_fixed_rounds_are_not_empty_rounds() -> None:
    data = shortage()
    data["participants"][0]["fixed"] = {"r1": "s1"}
    p = Problem.from_dict(data)
    # A's fixed r1 costs nothing; A's r2 empty and B's two empty rounds: 250 + 250 × 4.
    assert objective(p, {"A": {"r1": "s1"}, "B": {}}) == 1250
    # A in s2 (2² = 4), B empty twice: 1004; or B in s2 (4² = 16) and A and B empty once.
    assert objective(p, {"A": {"r1": "s1"}, "B": {"r2": "s2"}}) == 16 + 250 + 250


@pytest.mark.parametrize("method", ["exact", "large", "auto", "direct"])
def test_the_shortage_is_spread_over_both_participants(method: str) -> None:
    p = Problem.from_dict(shortage())
    result = solve(p, method=method)
    assert validate_assignment(p, result.assignment) == []
    assert result.assignment == {"A": {"r2": "s2"}, "B": {"r1": "s1"}}
    assert (result.objective, result.lower_bound, result.status) == (513, 513, "optimal")
    assert brute_force_optimum(p) == 513
    assert cp_sat_optimum(p) == 513


def test_without_empty_rounds_both_versions_agree() -> None:
    data = shortage()
    data["sessions"][0]["capacity"] = 2
    data["sessions"][1]["capacity"] = 2
    p = Problem.from_dict(data)
    # Room for both: A 1 + 4, B 9 + 16, nobody empty.
    result = solve(p, method="exact")
    assert (result.objective, result.status) == (30, "optimal")
