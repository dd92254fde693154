"""Bounds use integrality exactly: ``optimal`` is reported at objectives of 10⁹ too."""

from __future__ import annotations

import pytest

from ketenconf.allocation.engine import Problem, solve, validate_assignment
from ketenconf.allocation.engine.relaxation import integer_bound

from .helpers import cp_sat_optimum


def test_a_float_bound_a_hair_off_an_integer_still_proves_that_integer() -> None:
    # A relative tolerance of 1e-7 turned 10⁹ into 10⁹ - 100.
    assert integer_bound(1_000_000_000.0, 4e11) == 1_000_000_000
    assert integer_bound(1_000_000_000.00001, 4e11) == 1_000_000_000
    assert integer_bound(999_999_999.99999, 4e11) == 1_000_000_000
    # A fractional bound rounds up: no solution can cost less than the next integer.
    assert integer_bound(999_999_999.5, 4e11) == 1_000_000_000


@pytest.mark.parametrize("method", ["exact", "auto", "direct"])
def test_optimal_is_reported_at_an_objective_above_a_billion(method: str) -> None:
    # 2,000 topics, so an empty round costs 10 × 2,001² = 40,040,010. Only t0 has seats (2);
    # the other 27 participants stay without a session: 27 × 40,040,010 + 2 × 1.
    topics = 2_000
    data = {
        "rounds": [{"id": "r1"}],
        "sessions": [
            {"id": f"s{t}", "topic": f"t{t}", "round": "r1", "capacity": 2 if t == 0 else 0}
            for t in range(topics)
        ],
        "participants": [
            {"id": f"p{i}", "organisation": "IND", "preferences": ["t0"]} for i in range(29)
        ],
    }
    p = Problem.from_dict(data)
    result = solve(p, method=method, time_limit=120)
    assert validate_assignment(p, result.assignment) == []
    optimum = 2 * 1 + 27 * 10 * (topics + 1) ** 2
    assert optimum > 1_000_000_000
    assert (result.objective, result.lower_bound, result.status) == (optimum, optimum, "optimal")


def test_the_large_method_reports_optimal_above_a_billion() -> None:
    # 2,000 topics in one round: an unranked seat costs 2,001² = 4,004,001. Everyone wants
    # t0 (2 seats); of the 260 others 258 get a seat elsewhere at that cost.
    topics = 2_000
    data = {
        "rounds": [{"id": "r1"}],
        "sessions": [
            {"id": f"s{t}", "topic": f"t{t}", "round": "r1", "capacity": 2 if t == 0 else 1}
            for t in range(topics)
        ],
        "participants": [
            {"id": f"p{i}", "organisation": "IND", "preferences": ["t0"]} for i in range(260)
        ],
    }
    p = Problem.from_dict(data)
    result = solve(p, method="large", time_limit=120)
    assert validate_assignment(p, result.assignment) == []
    optimum = 2 * 1 + 258 * (topics + 1) ** 2
    assert optimum > 1_000_000_000
    assert (result.objective, result.lower_bound, result.status) == (optimum, optimum, "optimal")


def test_the_independent_model_agrees_on_a_large_objective() -> None:
    topics = 300
    data = {
        "rounds": [{"id": "r1"}],
        "sessions": [
            {"id": f"s{t}", "topic": f"t{t}", "round": "r1", "capacity": 1} for t in range(topics)
        ],
        "participants": [
            {"id": f"p{i}", "organisation": "IND", "preferences": ["t0", "t1"]} for i in range(5)
        ],
    }
    p = Problem.from_dict(data)
    result = solve(p, method="exact")
    assert result.objective == cp_sat_optimum(p) == 1 + 4 + 3 * (topics + 1) ** 2
    assert result.status == "optimal"
