"""The programme scheduler: exact answers on small cases, its rules and bound as properties."""

from __future__ import annotations

import itertools
import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ketenconf.proposals.scheduler import (
    InvalidProblem,
    Placement,
    Problem,
    Room,
    Round,
    Schedule,
    Together,
    Topic,
    Weights,
    evaluate,
    greedy,
    solve,
    validate,
    validate_schedule,
)


def small() -> Problem:
    return Problem(
        rounds=(Round("r1"), Round("r2")),
        rooms=(
            Room("A", 60, ("step_free", "projector")),
            Room("B", 30, ("step_free",)),
            Room("C", 20),
        ),
        topics=(
            Topic("t1", 100, ("h1",), max_runs=2),
            Topic("t2", 40, ("h1",)),
            Topic("t3", 25, ("h2",), needs=("projector",)),
            Topic("t4", 10, ("h3",), rounds=("r2",)),
            Topic("t5", 30, ("h4",), size=20),
        ),
        together=(Together(("t2", "t3"), 15), Together(("t4", "t5"), 5)),
    )


def test_small_case_is_solved_to_its_proven_optimum() -> None:
    schedule = solve(small(), time_limit=10)
    assert schedule.status == "optimal"
    assert schedule.objective == schedule.lower_bound == 75
    # t1 and t2 share a host, t3 needs the only projector: 40 of t1's 100 and 10 of t2's 40
    # stay without a seat, and t2 and t3 (wanted together by 15) meet in round 1.
    assert schedule.seated == {"t1": 60, "t2": 30, "t3": 25, "t4": 10, "t5": 20}
    assert schedule.unseated == 60
    assert [(c.topics, c.round, c.people) for c in schedule.clashes] == [(("t2", "t3"), "r1", 15)]
    assert schedule.unscheduled == ()
    assert validate_schedule(small(), schedule.placements, require_pins=True) == []


def test_a_pin_is_kept_and_costs_what_it_costs() -> None:
    pinned = Problem(**{**small().__dict__, "pins": (Placement("t1", "r1", "C"),)})
    schedule = solve(pinned, time_limit=10)
    assert Placement("t1", "r1", "C") in schedule.placements
    assert schedule.objective == schedule.lower_bound
    assert schedule.objective >= 75


def test_the_json_form_round_trips() -> None:
    problem = small()
    assert Problem.from_dict(json.loads(json.dumps(problem.to_dict()))) == problem
    schedule = solve(problem, time_limit=10)
    again = Schedule.from_dict(json.loads(json.dumps(schedule.to_dict())))
    assert again.to_dict() == schedule.to_dict()
    assert again.placements == schedule.placements


def test_shape_errors_are_listed_by_path() -> None:
    with pytest.raises(InvalidProblem) as caught:
        Problem.from_dict(
            {
                "rounds": [{"id": ""}],
                "rooms": [{"id": "A", "capacity": "big"}],
                "topics": [{"id": "t1", "demand": 3, "colour": "red"}],
                "together": [{"topics": ["t1"], "people": 2}],
            }
        )
    assert [str(e) for e in caught.value.errors] == [
        "rounds[0].id: must not be empty",
        "rooms[0].capacity: must be a whole number, not a string",
        "topics[0].colour: unknown key",
        "together[0].topics: must name exactly two topics, not 1",
    ]


def test_meaning_errors_name_the_broken_rule() -> None:
    problem = Problem(
        rounds=(Round("r1"),),
        rooms=(Room("A", 30), Room("B", 30, ("step_free",))),
        topics=(
            Topic("t1", 10, ("anna",), needs=("step_free",)),
            Topic("t2", 10, ("anna",)),
            Topic("t3", -1, rounds=("r9",)),
        ),
        pins=(Placement("t1", "r1", "A"),),
    )
    assert [str(e) for e in validate(problem)] == [
        "topics[2].demand: must not be negative, not -1",
        'topics[2].rounds[0]: round "r9" is not in rounds',
    ]
    fixed = Problem(**{**problem.__dict__, "topics": problem.topics[:2]})
    assert [str(e) for e in validate(fixed)] == [
        'pins[0]: room "A" lacks what "t1" needs: step_free',
    ]
    clash = [Placement("t1", "r1", "B"), Placement("t2", "r1", "A")]
    assert [str(e) for e in validate_schedule(fixed, clash)] == [
        'placements[1]: host "anna" would be in two places in round "r1" ("t1" and "t2")',
    ]


# --- Properties -------------------------------------------------------------------------------

FEATURES = ("step_free", "projector")


@st.composite
def problems(draw: st.DrawFn, *, max_topics: int = 7) -> Problem:
    round_count = draw(st.integers(1, 3))
    rounds = tuple(Round(f"r{i}") for i in range(round_count))
    rooms = tuple(
        Room(
            f"m{i}",
            draw(st.integers(0, 60)),
            tuple(f for f in FEATURES if draw(st.booleans())),
        )
        for i in range(draw(st.integers(1, 4)))
    )
    hosts = [f"h{i}" for i in range(draw(st.integers(1, 5)))]
    topics = []
    for i in range(draw(st.integers(0, max_topics))):
        available = draw(st.none() | st.lists(st.sampled_from([r.id for r in rounds]), unique=True))
        topics.append(
            Topic(
                f"t{i}",
                draw(st.integers(0, 120)),
                tuple(draw(st.lists(st.sampled_from(hosts), unique=True, max_size=2))),
                tuple(draw(st.lists(st.sampled_from(FEATURES), unique=True))),
                tuple(available) if available is not None else None,
                draw(st.none() | st.integers(1, 50)),
                draw(st.integers(1, 2)),
            )
        )
    together = []
    for a, b in itertools.combinations([t.id for t in topics], 2):
        people = draw(st.integers(0, 30))
        if people:
            together.append(Together((a, b), people))
    return Problem(rounds, rooms, tuple(topics), tuple(together), (), Weights())


def check_rules(problem: Problem, placements: tuple[Placement, ...]) -> None:
    """The rules, checked here independently of validate_schedule."""
    rooms = {r.id: r for r in problem.rooms}
    topics = {t.id: t for t in problem.topics}
    seen_room: set[tuple[str, str]] = set()
    seen_host: dict[tuple[str, str], str] = {}
    runs: dict[str, set[str]] = {}
    for p in placements:
        topic, room = topics[p.topic], rooms[p.room]
        assert (p.round, p.room) not in seen_room, "a room holds two sessions"
        seen_room.add((p.round, p.room))
        assert p.round not in runs.setdefault(p.topic, set()), "a topic runs twice in a round"
        runs[p.topic].add(p.round)
        for host in topic.hosts:
            assert seen_host.setdefault((host, p.round), p.topic) == p.topic, "host clash"
        assert set(topic.needs) <= set(room.features), "a need is not met"
        assert topic.rounds is None or p.round in topic.rounds, "hosts are not available"
    for tid, rounds in runs.items():
        assert len(rounds) <= topics[tid].max_runs


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(problems())
def test_every_schedule_keeps_the_rules_and_its_bound_holds(problem: Problem) -> None:
    schedule = solve(problem, time_limit=5)
    check_rules(problem, schedule.placements)
    assert validate_schedule(problem, schedule.placements) == []
    cost = evaluate(problem, schedule.placements)
    assert schedule.objective == cost.total
    assert 0 <= schedule.lower_bound <= schedule.objective
    rooms = {r.id: r for r in problem.rooms}
    for topic in problem.topics:
        seats = sum(
            topic.seats_in(rooms[p.room]) for p in schedule.placements if p.topic == topic.id
        )
        # Capacity: nobody is counted seated beyond the seats of the topic's sessions.
        assert schedule.seated[topic.id] == min(topic.demand, seats)
    # Never worse than the greedy start, which keeps the rules too.
    start = greedy(problem)
    check_rules(problem, tuple(start))
    assert schedule.objective <= evaluate(problem, start).total


def brute_force(problem: Problem) -> int:
    """The optimum by trying every set of placements (tiny problems only)."""
    options = [
        Placement(t.id, r.id, m.id)
        for t in problem.topics
        for r in problem.rounds
        for m in problem.rooms
    ]
    best = None
    for size in range(len(options) + 1):
        for chosen in itertools.combinations(options, size):
            if validate_schedule(problem, chosen) == []:
                total = evaluate(problem, chosen).total
                best = total if best is None else min(best, total)
    assert best is not None
    return best


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(problems(max_topics=3).filter(lambda p: len(p.rounds) * len(p.rooms) * len(p.topics) <= 9))
def test_optimal_means_optimal_and_the_bound_is_a_bound(problem: Problem) -> None:
    best = brute_force(problem)
    schedule = solve(problem, time_limit=5)
    assert schedule.lower_bound <= best <= schedule.objective
    if schedule.status == "optimal":
        assert schedule.objective == best


@settings(max_examples=40, deadline=None)
@given(problems(), st.data())
def test_pins_are_kept(problem: Problem, data: st.DataObject) -> None:
    start = greedy(problem)
    pins = tuple(data.draw(st.lists(st.sampled_from(start), unique=True))) if start else ()
    pinned = Problem(**{**problem.__dict__, "pins": pins})
    assert validate(pinned) == []
    schedule = solve(pinned, time_limit=5)
    assert set(pins) <= set(schedule.placements)
    check_rules(pinned, schedule.placements)


def test_workshops_take_workshop_rooms_the_smallest_that_seats_them() -> None:
    """Two 40-seat workshops and the plenary hall, the market floor and workshop rooms free:
    each workshop goes to a workshop room, and to the smallest that holds it."""
    problem = Problem(
        rounds=(Round("r1"),),
        rooms=(
            Room("plenary", 620, ("kind:plenary",)),
            Room("market", 600, ("kind:market_floor",)),
            Room("big", 120, ("kind:workshop",)),
            Room("forty", 40, ("kind:workshop",)),
            Room("fifty", 50, ("kind:workshop",)),
        ),
        topics=(
            Topic("w1", 35, ("h1",), needs=("kind:workshop",), size=40),
            Topic("w2", 38, ("h2",), needs=("kind:workshop",), size=40),
        ),
    )
    schedule = solve(problem, time_limit=10)
    assert schedule.objective == 0
    assert sorted((p.topic, p.room) for p in schedule.placements) == [
        ("w1", "forty"),
        ("w2", "fifty"),
    ]
    assert validate_schedule(problem, schedule.placements, require_pins=True) == []
