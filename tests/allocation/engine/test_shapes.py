"""The three shapes where the first engine lost to the direct MIP, at a size the independent
CP-SAT model of helpers.py solves: ``auto`` must find the optimum and say so."""

from __future__ import annotations

import pytest

from bench import instances
from ketenconf.allocation.engine import InvalidProblem, Problem, solve, validate_assignment

from .helpers import cp_sat_optimum


@pytest.mark.parametrize(
    ("shape", "participants"),
    [("few-ranked", 50), ("full-ranking", 40), ("long-lists", 60)],
)
def test_auto_is_optimal_and_proves_it_on_each_shape(shape: str, participants: int) -> None:
    p = Problem.from_dict(instances.shaped(shape, participants, seed=3))
    result = solve(p, time_limit=60, seed=0)
    assert validate_assignment(p, result.assignment) == []
    assert result.objective == cp_sat_optimum(p)
    assert (result.lower_bound, result.status) == (result.objective, "optimal")


def test_the_direct_mip_agrees_on_the_full_ranking_shape() -> None:
    p = Problem.from_dict(instances.shaped("full-ranking", 40, seed=1))
    direct = solve(p, time_limit=60, method="direct")
    assert (direct.objective, direct.status) == (cp_sat_optimum(p), "optimal")
    assert solve(p, time_limit=60).objective == direct.objective


@pytest.mark.parametrize(
    ("shape", "participants", "seed"),
    [("few-ranked", 50, 3), ("few-ranked", 40, 5), ("long-lists", 60, 3)],
)
def test_the_pooled_method_is_optimal_and_proves_it_where_many_seats_are_unranked(
    shape: str, participants: int, seed: int
) -> None:
    p = Problem.from_dict(instances.shaped(shape, participants, seed=seed))
    result = solve(p, time_limit=60, seed=0, method="pooled")
    assert validate_assignment(p, result.assignment) == []
    assert result.objective == cp_sat_optimum(p)
    assert (result.lower_bound, result.status) == (result.objective, "optimal")
    assert result.metrics.method.startswith("pooled")


def test_the_pooled_method_refuses_published_seats_it_cannot_weigh() -> None:
    data = instances.shaped("few-ranked", 20, seed=1)
    data["previous"] = {}
    with pytest.raises(InvalidProblem) as error:
        solve(Problem.from_dict(data), time_limit=10, method="pooled")
    assert "previous" in str(error.value)
