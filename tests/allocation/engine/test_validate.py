"""Every rule of docs/allocation-contract.md on invalid input: exact path and message."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from ketenconf.allocation.engine import (
    InvalidProblem,
    Problem,
    ProblemError,
    solve,
    validate,
    validate_assignment,
)

from .helpers import problem


def errors_of(data: Any) -> list[str]:
    """All problems of a JSON document, shape and meaning, as 'path: message'."""
    try:
        parsed = Problem.from_dict(data)
    except InvalidProblem as invalid:
        return [str(e) for e in invalid.errors]
    return [str(e) for e in validate(parsed)]


def edited(change: Any) -> dict[str, Any]:
    data = copy.deepcopy(problem())
    change(data)
    return data


def test_valid_problem_has_no_errors() -> None:
    assert errors_of(problem()) == []


CASES: list[tuple[str, Any, list[str]]] = [
    (
        "unknown topic in preferences",
        lambda d: d["participants"][1]["preferences"].append("t9"),
        ['participants[1].preferences[2]: topic "t9" is not in sessions'],
    ),
    (
        "repeated preference",
        lambda d: d["participants"][0]["preferences"].append("t1"),
        ['participants[0].preferences[3]: topic "t1" is repeated (also at preferences[0])'],
    ),
    (
        "session in unknown round",
        lambda d: d["sessions"][2].update(round="r7"),
        ['sessions[2].round: round "r7" is not in rounds'],
    ),
    (
        "negative capacity",
        lambda d: d["sessions"][0].update(capacity=-3),
        ["sessions[0].capacity: must not be negative, not -3"],
    ),
    (
        "duplicate session id",
        lambda d: d["sessions"][3].update(id="s1"),
        ['sessions[3].id: session "s1" appears twice'],
    ),
    (
        "duplicate participant id",
        lambda d: d["participants"][1].update(id="p1"),
        ['participants[1].id: participant "p1" appears twice'],
    ),
    (
        "duplicate round id",
        lambda d: d["rounds"].append({"id": "r1"}),
        ['rounds[2].id: round "r1" appears twice'],
    ),
    (
        "unknown round attended",
        lambda d: d["participants"][0].update(rounds=["r1", "r5"]),
        ['participants[0].rounds[1]: round "r5" is not in rounds'],
    ),
    (
        "round attended twice",
        lambda d: d["participants"][0].update(rounds=["r1", "r1"]),
        ['participants[0].rounds[1]: round "r1" is repeated'],
    ),
    (
        "fixed in a round not attended",
        lambda d: d["participants"][0].update(rounds=["r1"], fixed={"r2": "s3"}),
        ['participants[0].fixed.r2: the participant does not attend round "r2"'],
    ),
    (
        "fixed in unknown round",
        lambda d: d["participants"][0].update(fixed={"r4": "s3"}),
        ['participants[0].fixed.r4: round "r4" is not in rounds'],
    ),
    (
        "fixed to unknown session",
        lambda d: d["participants"][0].update(fixed={"r1": "s9"}),
        ['participants[0].fixed.r1: session "s9" is not in sessions'],
    ),
    (
        "fixed to a session of another round",
        lambda d: d["participants"][0].update(fixed={"r1": "s3"}),
        ['participants[0].fixed.r1: session "s3" is in round "r2", not "r1"'],
    ),
    (
        "fixed topic twice",
        lambda d: d["participants"][0].update(fixed={"r1": "s1", "r2": "s3"}),
        ['participants[0].fixed.r2: topic "t1" is already fixed in round "r1"'],
    ),
    (
        "fixed in an inaccessible session",
        lambda d: d["participants"][0].update(fixed={"r2": "s4"}, needs_accessible=True),
        [
            'participants[0].fixed.r2: session "s4" is not step-free accessible, '
            "which the participant needs"
        ],
    ),
    (
        "fixed in a full session",
        lambda d: (
            d["sessions"][0].update(capacity=1),
            d["participants"][0].update(fixed={"r1": "s1"}),
            d["participants"][1].update(fixed={"r1": "s1"}),
        ),
        ['participants[1].fixed.r1: session "s1" is full: 2 fixed seats, capacity 1'],
    ),
    (
        "fixed seats over the organisation share",
        lambda d: (
            d["participants"][1].update(organisation="IND"),
            d["participants"][0].update(fixed={"r1": "s1"}),
            d["participants"][1].update(fixed={"r1": "s1"}),
        ),
        [
            'participants[1].fixed.r1: session "s1" already holds 1 fixed participants of '
            'organisation "IND", the most allowed'
        ],
    ),
    (
        "share above 1",
        lambda d: d["rules"].update(max_organisation_share=1.5),
        ["rules.max_organisation_share: must be greater than 0 and at most 1, not 1.5"],
    ),
    (
        "share of 0",
        lambda d: d["rules"].update(max_organisation_share=0),
        ["rules.max_organisation_share: must be greater than 0 and at most 1, not 0"],
    ),
    (
        "share not a number",
        lambda d: d["rules"].update(max_organisation_share="25%"),
        ["rules.max_organisation_share: must be a number, not a string"],
    ),
    (
        "capacity not a whole number",
        lambda d: d["sessions"][1].update(capacity=2.5),
        ["sessions[1].capacity: must be a whole number, not a number"],
    ),
    (
        "capacity a boolean",
        lambda d: d["sessions"][1].update(capacity=True),
        ["sessions[1].capacity: must be a whole number, not a boolean"],
    ),
    (
        "preferences not a list",
        lambda d: d["participants"][0].update(preferences="t1"),
        ["participants[0].preferences: must be a list, not a string"],
    ),
    (
        "preference not a string",
        lambda d: d["participants"][0].update(preferences=["t1", 2]),
        ["participants[0].preferences[1]: must be a string, not a number"],
    ),
    (
        "needs_accessible not a boolean",
        lambda d: d["participants"][0].update(needs_accessible="yes"),
        ["participants[0].needs_accessible: must be true or false, not a string"],
    ),
    (
        "accessible not a boolean",
        lambda d: d["sessions"][0].update(accessible=1),
        ["sessions[0].accessible: must be true or false, not a number"],
    ),
    (
        "missing organisation",
        lambda d: d["participants"][0].pop("organisation"),
        ["participants[0].organisation: is required"],
    ),
    (
        "misspelt key",
        lambda d: d["participants"][0].update(needs_accesible=True),
        ["participants[0].needs_accesible: unknown key"],
    ),
    (
        "empty id",
        lambda d: d["sessions"][0].update(id=""),
        ["sessions[0].id: must not be empty"],
    ),
    (
        "participants not a list",
        lambda d: d.update(participants={"p1": {}}),
        ["participants: must be a list, not an object"],
    ),
    (
        "negative move cost",
        lambda d: d.update(move_cost=-1),
        ["move_cost: must not be negative, not -1"],
    ),
    (
        "previous seat in the wrong round",
        lambda d: d.update(previous={"p1": {"r1": "s3"}}),
        ['previous.p1.r1: session "s3" is in round "r2", not "r1"'],
    ),
]


@pytest.mark.parametrize(("change", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_invalid_input_names_path_and_problem(change: Any, expected: list[str]) -> None:
    assert errors_of(edited(change)) == expected


def test_every_problem_is_listed_not_only_the_first() -> None:
    def change(d: dict[str, Any]) -> None:
        d["sessions"][0]["capacity"] = -1
        d["participants"][0]["preferences"] = ["t1", "t1", "t8"]

    assert errors_of(edited(change)) == [
        "sessions[0].capacity: must not be negative, not -1",
        'participants[0].preferences[1]: topic "t1" is repeated (also at preferences[0])',
        'participants[0].preferences[2]: topic "t8" is not in sessions',
    ]


def test_input_that_is_not_an_object() -> None:
    assert errors_of([1, 2]) == ["input: must be an object, not a list"]


def test_missing_top_level_keys() -> None:
    assert errors_of({}) == [
        "rounds: is required",
        "sessions: is required",
        "participants: is required",
    ]


def test_solve_refuses_invalid_problem_with_every_error() -> None:
    data = edited(lambda d: d["participants"][0]["preferences"].append("t9"))
    with pytest.raises(InvalidProblem) as caught:
        solve(Problem.from_dict(data))
    assert caught.value.errors == (
        ProblemError("participants[0].preferences[3]", 'topic "t9" is not in sessions'),
    )


def test_previous_seats_of_cancelled_participants_are_ignored() -> None:
    data = problem(previous={"p-cancelled": {"r1": "s1"}, "p1": {"r1": "s-gone"}})
    assert errors_of(data) == []


class TestValidateAssignment:
    """The feasibility check the engine's output and manual edits both go through."""

    def setup_method(self) -> None:
        self.problem = Problem.from_dict(problem())

    def test_feasible(self) -> None:
        assert (
            validate_assignment(self.problem, {"p1": {"r1": "s1", "r2": "s4"}, "p2": {"r1": "s2"}})
            == []
        )

    def test_each_violation(self) -> None:
        data = problem()
        data["sessions"][0]["capacity"] = 1
        data["participants"].append(
            {
                "id": "p3",
                "organisation": "IND",
                "preferences": [],
                "rounds": ["r1"],
                "needs_accessible": True,
                "fixed": {"r1": "s2"},
            }
        )
        p = Problem.from_dict(data)
        violations = validate_assignment(
            p,
            {
                "p1": {"r1": "s1", "r2": "s3"},
                "p2": {"r1": "s1", "r2": "s9"},
                "p3": {"r1": "s1", "r2": "s4"},
                "p4": {"r1": "s1"},
            },
        )
        assert [str(v) for v in violations] == [
            'assignment.p1.r2: topic "t1" is already assigned in round "r1"',
            'assignment.p2.r2: session "s9" is not in sessions',
            'assignment.p3.r2: the participant does not attend round "r2"',
            'assignment.p4: participant "p4" is not in participants',
            'participants[2].fixed.r1: fixed seat "s2" is not kept, got "s1"',
            "sessions[0]: holds 3 participants, capacity 1",
            'sessions[0]: holds 2 participants of organisation "IND", the most allowed is 1',
        ]

    def test_inaccessible_and_wrong_round(self) -> None:
        data = problem()
        data["participants"][0]["needs_accessible"] = True
        p = Problem.from_dict(data)
        assert [str(v) for v in validate_assignment(p, {"p1": {"r1": "s3", "r2": "s4"}})] == [
            'assignment.p1.r1: session "s3" is in round "r2", not "r1"',
            'assignment.p1.r2: session "s4" is not step-free accessible, which the participant needs',
        ]
