"""Property-based checks: every answer is feasible, and optimal where we can tell.

Tiny problems are compared with a brute force over every assignment, medium ones with an
independent CP-SAT model written from docs/allocation-contract.md (the engine itself uses HiGHS).
"""

from __future__ import annotations

import json
from typing import Any

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from ketenconf.allocation.engine import Problem, solve, validate, validate_assignment
from ketenconf.allocation.engine.cost import objective

from .helpers import brute_force_optimum, cp_sat_optimum


@st.composite
def problems(
    draw: st.DrawFn, *, max_people: int, max_rounds: int, max_topics: int, max_capacity: int
) -> dict[str, Any]:
    rounds = [f"r{i}" for i in range(draw(st.integers(1, max_rounds)))]
    topics = [f"t{i}" for i in range(draw(st.integers(1, max_topics)))]
    sessions = []
    for t in topics:
        for r in rounds:
            if draw(st.booleans()):
                sessions.append(
                    {
                        "id": f"s{len(sessions)}",
                        "topic": t,
                        "round": r,
                        "capacity": draw(st.integers(0, max_capacity)),
                        "accessible": draw(st.booleans()),
                    }
                )
    assume(sessions)
    used_topics = sorted({s["topic"] for s in sessions})
    people = []
    for i in range(draw(st.integers(1, max_people))):
        prefs = draw(st.permutations(used_topics))[: draw(st.integers(0, len(used_topics)))]
        person: dict[str, Any] = {
            "id": f"p{i}",
            "organisation": draw(st.sampled_from(["IND", "COA", "VNG"])),
            "preferences": list(prefs),
            "needs_accessible": draw(st.booleans()),
        }
        if draw(st.booleans()):
            person["rounds"] = [r for r in rounds if draw(st.booleans())]
        if draw(st.integers(0, 5)) == 0:
            s = draw(st.sampled_from(sessions))
            person["fixed"] = {s["round"]: s["id"]}
            person.setdefault("rounds", list(rounds))
            if s["round"] not in person["rounds"]:
                person["rounds"].append(s["round"])
        people.append(person)
    share = draw(st.sampled_from([None, 0.34, 0.5, 1.0]))
    data = {
        "rounds": [{"id": r} for r in rounds],
        "sessions": sessions,
        "participants": people,
        "rules": {} if share is None else {"max_organisation_share": share},
    }
    assume(validate(Problem.from_dict(data)) == [])
    return data


def check(p: Problem, method: str, optimum: int) -> None:
    try:
        _check(p, method, optimum)
    except AssertionError as error:
        raise AssertionError(f"{method} on {json.dumps(p.to_dict())}") from error


def _check(p: Problem, method: str, optimum: int) -> None:
    result = solve(p, method=method, seed=1)
    assert validate_assignment(p, result.assignment) == []
    assert objective(p, result.assignment) == result.objective
    assert result.lower_bound <= optimum <= result.objective
    # Whenever the answer is optimal the engine must be able to say so.
    assert (result.status == "optimal") == (result.objective == result.lower_bound)
    # The schedules method rounds a master LP; the pooled one can fail to seat an unranked
    # round away from a topic the participant holds: both may miss the optimum, not the bound.
    if method not in ("large", "pooled"):
        assert result.objective == optimum
        assert result.status == "optimal"
    unassigned = {(u.participant, u.round) for u in result.unassigned}
    for participant in p.participants:
        attended = (
            participant.rounds if participant.rounds is not None else [r.id for r in p.rounds]
        )
        for rid in attended:
            given = rid in result.assignment[participant.id]
            assert given != ((participant.id, rid) in unassigned)


SETTINGS = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.filter_too_much, HealthCheck.too_slow],
)


@SETTINGS
@given(problems(max_people=3, max_rounds=2, max_topics=3, max_capacity=2))
def test_tiny_problems_match_brute_force(data: dict[str, Any]) -> None:
    p = Problem.from_dict(data)
    optimum = brute_force_optimum(p)
    for method in ("exact", "large", "direct", "pooled", "auto"):
        check(p, method, optimum)


@settings(
    max_examples=50,
    deadline=None,
    suppress_health_check=[HealthCheck.filter_too_much, HealthCheck.too_slow],
)
@given(problems(max_people=30, max_rounds=3, max_topics=6, max_capacity=8))
def test_medium_problems_match_an_independent_cp_sat_model(data: dict[str, Any]) -> None:
    p = Problem.from_dict(data)
    optimum = cp_sat_optimum(p)
    for method in ("exact", "large", "direct", "pooled", "auto"):
        check(p, method, optimum)
