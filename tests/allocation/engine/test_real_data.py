"""The engine on public preference data no one here wrote (bench/data/preferences)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from bench import _preferences
from ketenconf.allocation.engine import Problem, solve, validate_assignment


@pytest.mark.parametrize(
    ("build", "optimum"),
    [
        (_preferences.glasgow_projects, 63),
        (_preferences.agh_courses, 4_159),
        (_preferences.alpine_roundtables, 106_877),
    ],
    ids=["glasgow-projects", "agh-courses", "alpine-roundtables"],
)
def test_real_preferences_are_solved_to_proven_optimality(
    build: Callable[[], dict[str, Any]], optimum: int
) -> None:
    p = Problem.from_dict(build())
    result = solve(p, time_limit=30)
    assert validate_assignment(p, result.assignment) == []
    assert result.status == "optimal"
    assert result.objective == optimum
    assert result.lower_bound == optimum
