"""The re-offer on the day (contract version 3): current seats, ceilings, the fewest moves."""

from __future__ import annotations

import dataclasses
import itertools
import json
import random
from pathlib import Path
from typing import Any

import pytest

from ketenconf.allocation.engine import (
    InvalidProblem,
    Participant,
    Problem,
    first_come_first_served,
    objective,
    participant_cost,
    reoffer_mip,
    reoffer_moves,
    solve,
    validate,
    validate_assignment,
    waiting_list,
)
from ketenconf.allocation.engine.cli import main
from ketenconf.allocation.engine.cost import attended_rounds


def person(pid: str, prefs: list[str], org: str = "IND", **extra: Any) -> dict[str, Any]:
    return {"id": pid, "organisation": org, "preferences": prefs, **extra}


def chain_problem() -> dict[str, Any]:
    """Round r0 has started; in r1 the absent D frees a seat in X (topic tx).

    A (tx, ty) sits in Y, B (ty, tz) in Z, C (tz, tw) in W, each in their second choice; E
    walked in and wants tw. One seat per session.
    """
    started = {"r0": "H"}
    return {
        "rounds": [{"id": "r0"}, {"id": "r1"}],
        "sessions": [
            {"id": "H", "topic": "th", "round": "r0", "capacity": 10},
            *(
                {"id": sid, "topic": f"t{sid.lower()}", "round": "r1", "capacity": 1}
                for sid in "XYZW"
            ),
        ],
        "participants": [
            person("D", ["tx"], rounds=["r0"], fixed=started, current={**started, "r1": "X"}),
            person("A", ["tx", "ty"], fixed=started, current={**started, "r1": "Y"}, ceiling=4),
            person("B", ["ty", "tz"], fixed=started, current={**started, "r1": "Z"}, ceiling=4),
            person("C", ["tz", "tw"], fixed=started, current={**started, "r1": "W"}, ceiling=4),
            person("E", ["tw"], rounds=["r1"]),
        ],
    }


def test_a_chain_of_three_moves_is_the_optimum() -> None:
    problem = Problem.from_dict(chain_problem())
    result = solve(problem)
    # A takes D's seat in X, B takes A's seat in Y, C takes B's in Z, E gets C's in W:
    # everyone their first choice, 1 + 1 + 1 + 1 = 4 (was 4 + 4 + 4 for A, B, C and E
    # without a session: 10 × 6² = 360).
    assert result.assignment == {
        "D": {"r0": "H"},
        "A": {"r0": "H", "r1": "X"},
        "B": {"r0": "H", "r1": "Y"},
        "C": {"r0": "H", "r1": "Z"},
        "E": {"r1": "W"},
    }
    assert (result.status, result.objective, result.lower_bound) == ("optimal", 4, 4)
    summary = reoffer_moves(problem, result)
    assert [
        (m.participant, m.old_session, m.new_session, m.ranks_gained) for m in summary.moves
    ] == [
        ("A", "Y", "X", 1),
        ("B", "Z", "Y", 1),
        ("C", "W", "Z", 1),
    ]
    r1 = summary.rounds[1].to_dict()
    assert r1 == {
        "round": "r1",
        "seats_freed": 1,
        "seats_refilled": 1,
        "moved": 3,
        "upgrades": 3,
        "ranks_gained": {"1": 3},
        "newly_seated": 1,
        "walk_ins_seated": 1,
        "empty_seats": 0,
    }
    assert summary.rounds[0].to_dict()["moved"] == 0
    assert summary.total.empty_seats == 6  # in the started round r0


def test_nobody_is_moved_into_a_topic_they_did_not_rank() -> None:
    data = chain_problem()
    # B no longer ranks ty: B stays in Z (second choice), so C cannot move up to Z; A still
    # takes X. Giving B the free Y (unranked, (T + 1)² = 36) would be no cheaper anyway
    # under the ceiling, so make it tempting: B ranks only tz and sits in Z.
    data["participants"][2] = person(
        "B", ["tz"], fixed={"r0": "H"}, current={"r0": "H", "r1": "Z"}, ceiling=1
    )
    problem = Problem.from_dict(data)
    result = solve(problem)
    assert result.assignment["B"]["r1"] == "Z"
    assert result.assignment["A"]["r1"] == "X"
    assert result.assignment["C"]["r1"] == "W"
    # E (tw) would be best served by C moving to Y (unranked for C): never.
    assert "r1" not in result.assignment["E"] or result.assignment["E"]["r1"] == "Y"
    assert validate_assignment(problem, result.assignment) == []


def test_opt_outs_and_started_rounds_are_kept() -> None:
    data = chain_problem()
    # B opted out: B's current seat is fixed. The chain stops at B.
    data["participants"][2] = person("B", ["ty", "tz"], fixed={"r0": "H", "r1": "Z"})
    problem = Problem.from_dict(data)
    result = solve(problem)
    assert result.assignment["B"] == {"r0": "H", "r1": "Z"}
    assert result.assignment["A"]["r1"] == "X"
    assert result.assignment["C"]["r1"] == "W"  # Z stays B's
    assert all(seats.get("r0", "H") == "H" for seats in result.assignment.values())
    # E gets the seat A left in Y rather than none: unranked (36) beats 360.
    assert result.assignment["E"] == {"r1": "Y"}


def test_time_limit_without_an_answer_publishes_nothing() -> None:
    problem = Problem.from_dict(chain_problem())
    result = solve(problem, time_limit=1e-9)
    assert result.status == "no_solution"
    assert result.assignment["A"] == {"r0": "H", "r1": "Y"}
    assert result.assignment["E"] == {}
    assert result.metrics.warnings[0].startswith("no re-offer: the time limit was reached")
    assert reoffer_moves(problem, result).moves == []


def test_no_answer_when_the_current_seats_no_longer_fit() -> None:
    data = chain_problem()
    # Y shrank to no seats: A may not be left without one nor moved outside tx and ty, and
    # X is taken by... nobody: make D present so that X stays D's.
    data["sessions"][2]["capacity"] = 0
    data["participants"][0] = person("D", ["tx"], fixed={"r0": "H", "r1": "X"})
    problem = Problem.from_dict(data)
    result = solve(problem)
    assert result.status == "no_solution"
    assert "no assignment keeps every current seat" in result.metrics.warnings[0]


@pytest.mark.parametrize("method", ["exact", "large"])
def test_methods_without_reoffer_refuse_it(method: str) -> None:
    with pytest.raises(InvalidProblem, match="cannot honour the re-offer fields"):
        solve(Problem.from_dict(chain_problem()), method=method)


def test_the_fields_round_trip_through_json() -> None:
    data = chain_problem()
    problem = Problem.from_dict(data)
    assert Problem.from_dict(problem.to_dict()) == problem
    assert problem.participants[1].current == {"r0": "H", "r1": "Y"}
    assert problem.participants[1].ceiling == 4
    assert "current" not in problem.participants[4].to_dict()
    assert "ceiling" not in problem.participants[4].to_dict()


def test_bad_values_are_listed_by_path() -> None:
    data = chain_problem()
    data["participants"][1]["current"] = {"r1": 3}
    data["participants"][2]["ceiling"] = "4"
    data["participants"][3]["current"] = ["W"]
    with pytest.raises(InvalidProblem) as raised:
        Problem.from_dict(data)
    assert [str(e) for e in raised.value.errors] == [
        "participants[1].current.r1: must be a string, not a number",
        "participants[2].ceiling: must be a whole number, not a string",
        "participants[3].current: must be an object, not a list",
    ]


def test_meaning_errors_are_listed_by_path() -> None:
    data = chain_problem()
    data["participants"][1]["current"] = {"r0": "H", "r1": "H"}
    data["participants"][2]["current"] = {"r0": "X", "r1": "Z"}
    data["participants"][3]["ceiling"] = 3
    data["participants"][4]["current"] = {"r9": "W"}
    data["participants"][4]["ceiling"] = -1
    errors = [str(e) for e in validate(Problem.from_dict(data))]
    assert errors == [
        'participants[1].current.r1: session "H" is in round "r0", not "r1"',
        'participants[2].current.r0: session "X" is in round "r1", not "r0"',
        "participants[3].ceiling: is 3, below 4, the cost of the current seats: "
        "keeping them must always be allowed",
        'participants[4].current.r9: round "r9" is not in rounds',
        "participants[4].ceiling: must not be negative, not -1",
    ]
    data = chain_problem()
    data["participants"][1]["current"] = {"r0": "H", "r1": "X"}
    data["participants"][1]["fixed"] = {"r0": "H", "r1": "Y"}
    data["previous"] = {}
    errors = [str(e) for e in validate(Problem.from_dict(data))]
    assert errors == [
        'participants[1].current.r1: differs from the fixed seat "Y" of the round',
        "previous: cannot be combined with the re-offer fields current and ceiling: "
        "a re-offer keeps seats through current, not through move costs",
    ]


def test_validate_assignment_names_a_broken_ceiling_and_an_unranked_move() -> None:
    problem = Problem.from_dict(chain_problem())
    assignment = {
        "D": {"r0": "H"},
        "A": {"r0": "H", "r1": "W"},
        "B": {"r0": "H"},
        "C": {"r0": "H", "r1": "Z"},
    }
    assert [str(e) for e in validate_assignment(problem, assignment)] == [
        'assignment.A.r1: moved from "Y" into "W", whose topic "tw" the participant did not rank',
        "participants[1].ceiling: the participant's cost 36 exceeds their ceiling 4",
        'assignment.B.r1: current seat "Z" is taken and no session given',
        "participants[2].ceiling: the participant's cost 360 exceeds their ceiling 4",
    ]


# Small random days, checked against every possible assignment.


def _day(seed: int) -> Problem:
    """Three rounds, r1 started; a first assignment by first come first served; then some
    participants absent, some opted out, two walk-ins."""
    rng = random.Random(seed)
    topics = ["t1", "t2", "t3", "t4"]
    sessions = [{"id": "h", "topic": "th", "round": "r1", "capacity": 9}]
    for rid, offered in (("r2", topics[:3]), ("r3", ["t4", *rng.sample(topics[:3], 2)])):
        for topic in offered:
            sessions.append(
                {"id": f"{topic}{rid}", "topic": topic, "round": rid, "capacity": rng.randint(1, 2)}
            )
    participants = [
        person(
            f"p{i}",
            rng.sample(topics, rng.randint(1, 4)),
            org=rng.choice(["A", "B"]),
            needs_accessible=False,
        )
        for i in range(5)
    ]
    rounds = [{"id": "r1"}, {"id": "r2"}, {"id": "r3"}]
    rules = rng.choice([{}, {"max_organisation_share": 0.5}])
    first = Problem.from_dict(
        {"rounds": rounds, "sessions": sessions, "participants": participants, "rules": rules}
    )
    seats = first_come_first_served(first)
    day: list[Participant] = []
    for participant in first.participants:
        current = dict(seats[participant.id])
        kind = rng.choice(["move", "move", "absent", "opt-out"])
        fixed = {"r1": current["r1"]} if "r1" in current else {}
        if kind == "absent":
            entry = dataclasses.replace(participant, rounds=("r1",), fixed=fixed, current=current)
        elif kind == "opt-out":
            entry = dataclasses.replace(participant, fixed=current, current=current)
        else:
            entry = dataclasses.replace(participant, fixed=fixed, current=current)
            entry = dataclasses.replace(entry, ceiling=participant_cost(first, entry, current))
        day.append(entry)
    for i in range(2):
        day.append(Participant(f"w{i}", "W", tuple(rng.sample(topics, 2)), rounds=("r2", "r3")))
    return dataclasses.replace(first, participants=tuple(day))


def _best(problem: Problem) -> tuple[int, int]:
    """The least (objective, moves) over every assignment validate_assignment accepts.

    Each participant's own possible schedules first (their rounds, topics once, current
    seat or a ranked topic, ceiling), then every combination of them.
    """
    topic_of = {s.id: s.topic for s in problem.sessions}
    per_participant: list[list[tuple[dict[str, str], int]]] = []
    for participant in problem.participants:
        rounds = [r for r in attended_rounds(problem, participant) if r not in participant.fixed]
        options = [[None, *[s.id for s in problem.sessions if s.round == rid]] for rid in rounds]
        schedules = []
        for combo in itertools.product(*options):
            seats = dict(participant.fixed)
            seats.update({rid: sid for rid, sid in zip(rounds, combo, strict=True) if sid})
            topics = [topic_of[sid] for sid in seats.values()]
            if len(set(topics)) < len(topics):
                continue
            alone = dataclasses.replace(problem, participants=(participant,))
            if validate_assignment(alone, {participant.id: seats}):
                continue
            moves = sum(
                participant.current.get(rid) not in (None, seats.get(rid)) for rid in rounds
            )
            schedules.append((seats, moves))
        per_participant.append(schedules)
    # Depth first over participants, seats counted as they are taken (the objective is a
    # sum over participants, and capacity and the share rule are all that couple them).
    sessions = {s.id: s for s in problem.sessions}
    load: dict[str, int] = {}
    org_load: dict[tuple[str, str], int] = {}
    best: list[tuple[int, int]] = []

    def visit(i: int, cost: int, moves: int) -> None:
        if i == len(problem.participants):
            if not best or (cost, moves) < best[0]:
                best[:] = [(cost, moves)]
            return
        participant = problem.participants[i]
        for seats, moved in per_participant[i]:
            taken = []
            for sid in seats.values():
                session = sessions[sid]
                key = (sid, participant.organisation)
                limit = problem.rules.organisation_limit(session.capacity)
                if load.get(sid, 0) >= session.capacity or (
                    limit is not None and org_load.get(key, 0) >= limit
                ):
                    break
                load[sid] = load.get(sid, 0) + 1
                org_load[key] = org_load.get(key, 0) + 1
                taken.append(key)
            else:
                visit(i + 1, cost + participant_cost(problem, participant, seats), moves + moved)
            for sid, organisation in taken:
                load[sid] -= 1
                org_load[sid, organisation] -= 1

    visit(0, 0, 0)
    return best[0]


@pytest.mark.parametrize("seed", range(40))
def test_random_days_are_optimal_with_the_fewest_moves_and_nobody_worse_off(seed: int) -> None:
    problem = _day(seed)
    assert validate(problem) == []
    result = solve(problem)
    assert result.status == "optimal"
    assert validate_assignment(problem, result.assignment) == []
    summary = reoffer_moves(problem, result)
    assert (result.objective, summary.total.moved) == _best(problem)
    for participant in problem.participants:
        seats = result.assignment[participant.id]
        if participant.current:
            before = participant_cost(problem, participant, participant.current)
            assert participant_cost(problem, participant, seats) <= before
        for rid, sid in participant.fixed.items():
            assert seats[rid] == sid
        assert set(seats) <= set(attended_rounds(problem, participant))


@pytest.mark.parametrize("seed", range(40))
def test_round_by_round_alone_is_feasible_and_bounds_the_optimum(
    seed: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    # What large re-offers get: the min-cost flows round by round, without the MIP after.
    monkeypatch.setattr(reoffer_mip, "MIP_ARCS", 0)
    problem = _day(seed)
    result = solve(problem)
    assert result.metrics.method.startswith("re-offer")
    assert validate_assignment(problem, result.assignment) == []
    optimum, _moves = _best(problem)
    assert result.lower_bound <= optimum <= result.objective
    for participant in problem.participants:
        if participant.current:
            before = participant_cost(problem, participant, participant.current)
            assert (
                participant_cost(problem, participant, result.assignment[participant.id]) <= before
            )


def test_round_by_round_finds_the_chain(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(reoffer_mip, "MIP_ARCS", 0)
    result = solve(Problem.from_dict(chain_problem()))
    assert result.metrics.method == "re-offer (round by round)"
    assert (result.status, result.objective) == ("optimal", 4)
    assert result.assignment["C"]["r1"] == "Z"


@pytest.mark.parametrize("seed", range(40))
def test_the_waiting_list_baseline_breaks_no_rule(seed: int) -> None:
    problem = _day(seed)
    listed = waiting_list(problem)
    assert validate_assignment(problem, listed) == []
    assert objective(problem, listed) >= _best(problem)[0]


def test_the_waiting_list_serves_whoever_asked_first() -> None:
    # X frees up: A, first in line for X, moves up; B is next in line for the seat A left in
    # Y, C for B's in Z, and E, who walked in last, gets C's in W: here the queue finds the
    # chain too, because everyone wants exactly the seat the one before them left.
    problem = Problem.from_dict(chain_problem())
    listed = waiting_list(problem)
    assert listed["A"] == {"r0": "H", "r1": "X"}
    assert listed["B"] == {"r0": "H", "r1": "Y"}
    assert listed["C"] == {"r0": "H", "r1": "Z"}
    assert listed["E"] == {"r1": "W"}


@pytest.mark.parametrize("mip_arcs", [0, reoffer_mip.MIP_ARCS])
def test_of_two_optima_the_one_with_fewer_moves(
    mip_arcs: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    # D stays away from X. A (tx, ty) sits in Y; W walks in wanting tx, then ty. A to X and
    # W to Y costs 1 + 4, as does W to X with A staying: the engine moves nobody.
    monkeypatch.setattr(reoffer_mip, "MIP_ARCS", mip_arcs)
    data = {
        "rounds": [{"id": "r1"}],
        "sessions": [
            {"id": "X", "topic": "tx", "round": "r1", "capacity": 1},
            {"id": "Y", "topic": "ty", "round": "r1", "capacity": 1},
        ],
        "participants": [
            person("D", ["tx"], rounds=[], current={"r1": "X"}),
            person("A", ["tx", "ty"], current={"r1": "Y"}, ceiling=4),
            person("W", ["tx", "ty"]),
        ],
    }
    problem = Problem.from_dict(data)
    result = solve(problem)
    assert result.assignment == {"D": {}, "A": {"r1": "Y"}, "W": {"r1": "X"}}
    assert (result.status, result.objective) == ("optimal", 5)
    summary = reoffer_moves(problem, result)
    assert summary.moves == []
    assert summary.total.to_dict() | {"round": "r1"} == {
        "round": "r1",
        "seats_freed": 1,
        "seats_refilled": 1,
        "moved": 0,
        "upgrades": 0,
        "ranks_gained": {},
        "newly_seated": 1,
        "walk_ins_seated": 1,
        "empty_seats": 0,
    }


def test_ketenconf_assign_reads_and_writes_a_re_offer(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "day.json"
    source.write_text(json.dumps(chain_problem()), encoding="utf-8")
    target = tmp_path / "out.json"
    assert main([str(source), "-o", str(target)]) == 0
    out = json.loads(target.read_text(encoding="utf-8"))
    assert (out["status"], out["objective"]) == ("optimal", 4)
    assert out["assignment"]["C"] == {"r0": "H", "r1": "Z"}
    assert main([str(source), "-o", str(target), "--method", "large"]) == 2
    assert "cannot honour the re-offer fields" in capsys.readouterr().err


def test_ketenconf_assign_exits_3_when_a_re_offer_has_no_answer(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = chain_problem()
    data["sessions"][2]["capacity"] = 0
    data["participants"][0] = person("D", ["tx"], fixed={"r0": "H", "r1": "X"})
    source = tmp_path / "day.json"
    source.write_text(json.dumps(data), encoding="utf-8")
    target = tmp_path / "out.json"
    assert main([str(source), "-o", str(target)]) == 3
    out = json.loads(target.read_text(encoding="utf-8"))
    assert out["status"] == "no_solution"
    assert out["assignment"]["A"] == {"r0": "H", "r1": "Y"}
    err = capsys.readouterr().err
    assert "warning: no re-offer: no assignment keeps every current seat" in err
