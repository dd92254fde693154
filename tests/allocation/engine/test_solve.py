"""The engine on small problems whose answer can be worked out by hand."""

from __future__ import annotations

from typing import Any

import pytest

from ketenconf.allocation.engine import Problem, Unassigned, solve, validate_assignment
from ketenconf.allocation.engine.cost import objective

from .helpers import problem


def sessions(*rows: tuple[str, str, str, int]) -> list[dict[str, Any]]:
    return [{"id": i, "topic": t, "round": r, "capacity": c} for i, t, r, c in rows]


def person(pid: str, prefs: list[str], org: str = "IND", **extra: Any) -> dict[str, Any]:
    return {"id": pid, "organisation": org, "preferences": prefs, **extra}


@pytest.mark.parametrize("method", ["exact", "large"])
def test_both_get_their_top_two(method: str) -> None:
    result = solve(Problem.from_dict(problem()), method=method)
    # p1 (t1, t2, t3): t2 only runs in r1, so t2 in r1 and t1 in r2 costs 1 + 4.
    # p2 (t1, t3): t3 only runs in r2, so t1 in r1 and t3 in r2 costs 1 + 4.
    assert result.to_dict()["assignment"] == {
        "p1": {"r1": "s2", "r2": "s3"},
        "p2": {"r1": "s1", "r2": "s4"},
    }
    assert result.objective == 10
    assert result.status == "optimal"
    assert result.objective == result.lower_bound


@pytest.mark.parametrize("method", ["exact", "large"])
def test_squares_prefer_two_seconds_over_a_first_and_a_fourth(method: str) -> None:
    # One seat in the favourite topic: whoever gets it, the other takes their next choice.
    data = {
        "rounds": [{"id": "r1"}],
        "sessions": sessions(
            ("a", "ta", "r1", 1), ("b", "tb", "r1", 1), ("c", "tc", "r1", 1), ("d", "td", "r1", 1)
        ),
        "participants": [
            person("p1", ["ta", "tb", "tc", "td"]),
            person("p2", ["ta", "tc", "td", "tb"]),
            person("p3", ["tb", "ta", "tc", "td"]),
        ],
    }
    result = solve(Problem.from_dict(data), method=method)
    # p1:a, p2:c, p3:b costs 1+4+1 = 6; any other optimum costs at least as much.
    assert result.objective == 6
    assert result.lower_bound == 6
    assert result.metrics.rank_counts == {"1": 2, "2": 1}
    assert result.metrics.worst_rank == 2


@pytest.mark.parametrize("method", ["exact", "large"])
def test_shortfall_names_seats_missing_and_who_has_no_session(method: str) -> None:
    data = {
        "rounds": [{"id": "r1"}, {"id": "r2"}],
        "sessions": sessions(("a", "ta", "r1", 2), ("b", "tb", "r2", 1)),
        "participants": [person("p1", ["ta", "tb"]), person("p2", ["tb", "ta"], "COA")],
    }
    result = solve(Problem.from_dict(data), method=method)
    out = result.to_dict()
    assert out["metrics"]["shortfall"] == {"r2": 1}
    # The one seat in r2 (topic tb) goes to p2, who ranked it first: p1 gets ta (1),
    # p2 ta (4) and tb (1), p1 has no session in r2: 10 * (T + 1)^2 = 90 with T = 2.
    assert out["unassigned"] == [{"participant": "p1", "round": "r2"}]
    assert result.objective == 1 + 4 + 1 + 90
    assert result.status == "optimal"
    assert out["metrics"]["warnings"] == [
        'round "r2": 1 seats short (2 participants attend, 1 seats)',
        "1 participant-rounds have no session (see unassigned)",
    ]


def test_organisation_share_spreads_a_large_organisation() -> None:
    data = {
        "rounds": [{"id": "r1"}],
        "sessions": sessions(("a", "ta", "r1", 4), ("b", "tb", "r1", 4)),
        "participants": [person(f"p{i}", ["ta", "tb"]) for i in range(4)],
        "rules": {"max_organisation_share": 0.5},
    }
    result = solve(Problem.from_dict(data))
    in_a = sorted(p for p, seats in result.assignment.items() if seats.get("r1") == "a")
    assert len(in_a) == 2  # at most floor(0.5 * 4) = 2 of IND per session
    assert result.objective == 1 + 1 + 4 + 4
    assert result.status == "optimal"


def test_step_free_access_and_fixed_seats() -> None:
    data = {
        "rounds": [{"id": "r1"}, {"id": "r2"}],
        "sessions": [
            {"id": "a1", "topic": "ta", "round": "r1", "capacity": 5, "accessible": False},
            {"id": "b1", "topic": "tb", "round": "r1", "capacity": 5},
            {"id": "a2", "topic": "ta", "round": "r2", "capacity": 5},
            {"id": "b2", "topic": "tb", "round": "r2", "capacity": 1},
        ],
        "participants": [
            person("host", ["ta"], fixed={"r2": "b2"}),
            person("wheel", ["ta", "tb"], needs_accessible=True),
        ],
    }
    result = solve(Problem.from_dict(data))
    assert result.assignment == {
        "host": {"r1": "a1", "r2": "b2"},
        "wheel": {"r1": "b1", "r2": "a2"},
    }
    assert result.objective == 1 + 4 + 1  # fixed seats cost nothing
    assert result.metrics.fixed == 1


def test_unranked_session_beats_none() -> None:
    data = {
        "rounds": [{"id": "r1"}, {"id": "r2"}],
        "sessions": sessions(("a", "ta", "r1", 1), ("b", "tb", "r2", 1)),
        "participants": [person("p1", ["ta"])],
    }
    result = solve(Problem.from_dict(data))
    assert result.assignment == {"p1": {"r1": "a", "r2": "b"}}
    assert result.objective == 1 + 9  # (T + 1)^2 with T = 2
    assert result.metrics.rank_counts == {"1": 1, "unranked": 1}


def test_incremental_run_keeps_published_seats() -> None:
    base = {
        "rounds": [{"id": "r1"}],
        "sessions": sessions(("a", "ta", "r1", 2), ("b", "tb", "r1", 2)),
        "participants": [person("p1", ["tb", "ta"]), person("p2", ["tb", "ta"], "COA")],
    }
    first = solve(Problem.from_dict(base))
    assert first.assignment == {"p1": {"r1": "b"}, "p2": {"r1": "b"}}
    # A late registration who wants b as much: moving p1 or p2 would cost the move cost,
    # so the newcomer takes a, and nobody who already got a programme is moved.
    late = dict(base, participants=[*base["participants"], person("p3", ["tb", "ta"], "VNG")])
    late["previous"] = first.assignment
    again = solve(Problem.from_dict(late))
    assert again.assignment == {"p1": {"r1": "b"}, "p2": {"r1": "b"}, "p3": {"r1": "a"}}
    assert again.metrics.moved == 0
    assert again.metrics.move_cost == 9  # default (T + 1)^2
    assert again.objective == 1 + 1 + 4
    assert again.to_dict()["metrics"]["moved"] == 0


def test_incremental_run_moves_someone_when_that_avoids_an_empty_round() -> None:
    data = {
        "rounds": [{"id": "r1"}],
        "sessions": sessions(("a", "ta", "r1", 1), ("b", "tb", "r1", 1)),
        "participants": [
            person("p1", ["ta", "tb"]),
            {**person("p2", ["ta"]), "needs_accessible": False},
        ],
        "previous": {"p1": {"r1": "a"}},
        "move_cost": 3,
    }
    # p2 only ranked ta; leaving p2 without a session costs 10 * 9 = 90, an unranked seat 9.
    # Moving p1 to tb costs 4 + 3 and gives p2 ta at 1: 8 < 1 + 9.
    result = solve(Problem.from_dict(data))
    assert result.assignment == {"p1": {"r1": "b"}, "p2": {"r1": "a"}}
    assert result.metrics.moved == 1
    assert result.objective == 4 + 1


def test_same_seed_same_result_and_time_is_reported() -> None:
    p = Problem.from_dict(problem())
    one, two = solve(p, seed=7), solve(p, seed=7)
    assert one.assignment == two.assignment
    assert one.objective == two.objective
    assert one.metrics.seconds > 0


def test_result_round_trips_through_json_form() -> None:
    from ketenconf.allocation.engine import Result

    result = solve(Problem.from_dict(problem()))
    assert Result.from_dict(result.to_dict()).to_dict() == result.to_dict()


def test_problem_round_trips_through_json_form() -> None:
    data = problem(previous={"p1": {"r1": "s1"}}, move_cost=3)
    p = Problem.from_dict(data)
    assert Problem.from_dict(p.to_dict()) == p


def test_output_is_feasible_and_objective_matches() -> None:
    p = Problem.from_dict(problem())
    result = solve(p)
    assert validate_assignment(p, result.assignment) == []
    assert objective(p, result.assignment) == result.objective
    assert result.unassigned == [] or all(isinstance(u, Unassigned) for u in result.unassigned)


def test_blocks_split_every_seat_and_keep_fixed_seats_with_their_block() -> None:
    from ketenconf.allocation.engine.blocks import split

    data = {
        "rounds": [{"id": "r1"}],
        "sessions": sessions(("a", "ta", "r1", 10), ("b", "tb", "r1", 7)),
        "participants": [person(f"p{i}", ["ta"]) for i in range(9)],
    }
    data["participants"][4]["fixed"] = {"r1": "b"}
    parts = split(Problem.from_dict(data), 3, seed=1)
    assert sorted(p for group, _ in parts for p in group) == list(range(9))
    assert [sum(s.capacity for s in sub.sessions if s.id == "a") for _, sub in parts] == [4, 3, 3]
    capacity_b = {4 in group: sub.sessions[1].capacity for group, sub in parts}
    assert sum(sub.sessions[1].capacity for _, sub in parts) == 7
    assert capacity_b[True] == 1 + 2  # the host's seat plus a third of the 6 free ones


def test_published_seats_that_cannot_be_kept_are_counted_as_lost_not_moved() -> None:
    # Session "gone" was removed and p2 now needs a step-free room, which "a" is not: of
    # five published seats two are lost, and nobody is moved from a seat that can be kept
    # (p1 keeps the unranked "c": 4² = 16 against 2² = 4 for "a" plus a move of 16).
    data = {
        "rounds": [{"id": "r1"}, {"id": "r2"}],
        "sessions": [
            {"id": "a", "topic": "ta", "round": "r1", "capacity": 5, "accessible": False},
            {"id": "b", "topic": "tb", "round": "r2", "capacity": 5},
            {"id": "c", "topic": "tc", "round": "r1", "capacity": 5},
        ],
        "participants": [
            person("p1", ["tb", "ta"]),
            person("p2", ["ta", "tc"], rounds=["r1"], needs_accessible=True),
            person("p3", ["ta", "tb"]),
        ],
        "previous": {
            "p1": {"r1": "c", "r2": "gone"},
            "p2": {"r1": "a"},
            "p3": {"r1": "a", "r2": "b"},
        },
    }
    result = solve(Problem.from_dict(data))
    assert result.metrics.moved == 0
    assert result.metrics.lost_published == 2
    assert result.to_dict()["metrics"]["lost_published"] == 2


def test_a_shortage_caused_by_the_share_rule_names_the_rule_and_the_sessions() -> None:
    # Three IND participants, one round, two sessions of 4 seats with share 0.25: at most
    # one IND participant per session, so one of them gets nothing though seats are free.
    data = {
        "rounds": [{"id": "r1"}],
        "sessions": sessions(("a", "ta", "r1", 4), ("b", "tb", "r1", 4)),
        "participants": [person(f"p{i}", ["ta", "tb"]) for i in range(3)],
        "rules": {"max_organisation_share": 0.25},
    }
    result = solve(Problem.from_dict(data))
    assert len(result.unassigned) == 1
    assert result.metrics.warnings == [
        "1 participant-rounds have no session (see unassigned)",
        'round "r1": 1 participant-rounds of organisation "IND" have no session because of '
        'the organisation-share rule (max_organisation_share 0.25): sessions "a", "b" have '
        "free seats but already hold the most participants of that organisation allowed",
    ]
