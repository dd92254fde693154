"""The matchmaking engine on small problems whose answer can be checked by hand."""

from __future__ import annotations

import itertools

import pytest

from ketenconf.networking.engine import (
    InvalidProblem,
    Meeting,
    Person,
    Problem,
    Result,
    Rules,
    Slot,
    Table,
    greedy_baseline,
    metrics,
    pair_weight,
    solve,
    validate,
    validate_meetings,
)


def person(
    pid: str, organisation: str, *interests: str, kind: str = "ngo", **extra: object
) -> Person:
    return Person(pid, organisation, kind, (), tuple(interests), **extra)  # type: ignore[arg-type]


def slots(count: int) -> tuple[Slot, ...]:
    return tuple(Slot(f"s{i}", f"slot {i}") for i in range(1, count + 1))


def tables(count: int, seats: int = 2) -> tuple[Table, ...]:
    return tuple(Table(f"t{i}", i, seats) for i in range(1, count + 1))


def pairs(result: Result) -> set[tuple[str, str]]:
    return {m.pair for m in result.meetings}


def test_colleagues_of_one_organisation_are_never_matched() -> None:
    problem = Problem(
        slots=slots(3),
        tables=tables(10),
        people=(
            person("a", "IND", "return", "housing"),
            person("b", "IND", "return", "housing"),
            person("c", "COA", "return"),
        ),
    )
    result = solve(problem)
    assert pairs(result) == {("a", "c"), ("b", "c")}
    assert pair_weight(problem.people[0], problem.people[1], problem.rules) == 0


def test_people_without_a_shared_interest_are_not_proposed() -> None:
    problem = Problem(
        slots=slots(1),
        tables=tables(1),
        people=(person("a", "IND", "return"), person("b", "COA", "housing")),
    )
    assert solve(problem).meetings == ()


def test_tables_limit_the_meetings_in_a_slot() -> None:
    # Six people of six organisations all share an interest: three meetings would fit the
    # people, but one table of four seats holds two meetings.
    people = tuple(person(f"p{i}", f"org{i}", "return") for i in range(6))
    problem = Problem(slots=slots(1), tables=tables(1, seats=4), people=people)
    result = solve(problem)
    assert len(result.meetings) == 2
    assert {m.table for m in result.meetings} == {"t1"}
    assert validate_meetings(problem, result.meetings) == []


def test_one_meeting_per_slot_and_at_most_the_maximum() -> None:
    people = tuple(person(f"p{i}", f"org{i}", "return") for i in range(6))
    problem = Problem(slots=slots(4), tables=tables(10), people=people, rules=Rules(max_meetings=2))
    result = solve(problem)
    per_person = {p.id: 0 for p in people}
    for meeting in result.meetings:
        per_person[meeting.first] += 1
        per_person[meeting.second] += 1
    assert per_person == dict.fromkeys(per_person, 2)
    seen = set()
    for meeting in result.meetings:
        for pid in (meeting.first, meeting.second):
            assert (pid, meeting.slot) not in seen
            seen.add((pid, meeting.slot))


def test_a_person_meets_only_in_the_slots_they_are_there() -> None:
    problem = Problem(
        slots=slots(3),
        tables=tables(5),
        people=(
            person("a", "IND", "return", slots=("s2",)),
            person("b", "COA", "return"),
            person("c", "VNG", "return"),
        ),
    )
    result = solve(problem)
    assert [m.slot for m in result.meetings if "a" in m.pair] == ["s2"]
    assert len(result.meetings) == 2


def test_accepted_requests_are_placed_first_even_without_shared_interests() -> None:
    # One slot and one table: without the request, a and b (weight 0) would never meet and
    # the table would go to c and d, who share an interest.
    problem = Problem(
        slots=slots(1),
        tables=tables(1),
        people=(
            person("a", "IND", "return"),
            person("b", "COA", "housing"),
            person("c", "VNG", "minors"),
            person("d", "DT&V", "minors"),
        ),
        requests=(("b", "a"),),
    )
    result = solve(problem)
    assert result.meetings == (Meeting("a", "b", "s1", "t1"),)
    assert result.unplaced_requests == ()
    assert result.metrics.requests_honoured == 1


def test_a_request_without_room_is_reported() -> None:
    problem = Problem(
        slots=slots(1),
        tables=tables(1),
        people=(
            person("a", "IND", "return"),
            person("b", "COA", "return"),
            person("c", "VNG", "return"),
        ),
        requests=(("a", "b"), ("a", "c")),
    )
    result = solve(problem)
    assert pairs(result) == {("a", "b")}
    assert result.unplaced_requests == (("a", "c", "no room for another meeting"),)


def test_fixed_meetings_stay_and_declined_pairs_are_not_proposed_again() -> None:
    people = (
        person("a", "IND", "return", "housing"),
        person("b", "COA", "return", "housing"),
        person("c", "VNG", "return"),
    )
    problem = Problem(
        slots=slots(2),
        tables=tables(1),
        people=people,
        fixed=(Meeting("a", "c", "s2", "t1"),),
        excluded=(("a", "b"),),
    )
    result = solve(problem)
    assert pairs(result) == {("b", "c")}
    assert result.meetings[0].slot == "s1"
    assert result.metrics.meetings == 2


def test_weights_prefer_other_kinds_and_links_and_wanted_kinds() -> None:
    rules = Rules()
    ind = Person("a", "IND", "national_agency", ("asylum_procedure",), ("return",), ("ngo",))
    coa = Person("b", "COA", "national_agency", ("asylum_procedure",), ("return",))
    vwn = Person("c", "VWN", "ngo", ("integration",), ("return",))
    assert pair_weight(ind, coa, rules) == 10
    assert pair_weight(ind, vwn, rules) == 10 + 4 + 3 + 2


def test_the_best_answer_on_a_small_problem_and_a_bound_above_it() -> None:
    people = (
        person("a", "IND", "return", "housing", kind="national_agency"),
        person("b", "COA", "return", "housing", kind="national_agency"),
        person("c", "VNG", "return", kind="municipal_association"),
        person("d", "VWN", "housing", "minors", kind="ngo"),
        person("e", "Utrecht", "minors", kind="municipality"),
    )
    problem = Problem(slots=slots(2), tables=tables(1, seats=4), people=people)
    result = solve(problem)
    best = 0
    everyone = list(itertools.combinations(people, 2))
    for chosen in itertools.chain.from_iterable(
        itertools.combinations(everyone, size) for size in range(5)
    ):
        for placed in itertools.product(("s1", "s2"), repeat=len(chosen)):
            meetings = [
                Meeting(a.id, b.id, slot, "t1") for (a, b), slot in zip(chosen, placed, strict=True)
            ]
            if not validate_meetings(problem, meetings):
                best = max(best, sum(pair_weight(a, b, problem.rules) for a, b in chosen))
    assert result.weight == best == 59
    assert result.upper_bound >= best
    assert greedy_baseline(problem).weight <= best


def test_the_same_seed_gives_the_same_answer() -> None:
    people = tuple(
        person(f"p{i}", f"org{i % 7}", "return", "housing"[: 1 + i % 5]) for i in range(40)
    )
    problem = Problem(slots=slots(3), tables=tables(6, seats=4), people=people)
    assert solve(problem, seed=3).meetings == solve(problem, seed=3).meetings


def test_metrics() -> None:
    people = (
        Person("a", "IND", "national_agency", ("arrival",), ("return", "housing")),
        Person("b", "COA", "national_agency", ("reception",), ("return",)),
        Person("c", "VWN", "ngo", ("reception",), ("housing",)),
        Person("d", "VNG", "municipal_association", (), ()),
    )
    problem = Problem(slots=slots(2), tables=tables(2), people=people, requests=(("a", "d"),))
    figures = metrics(problem, [Meeting("a", "b", "s1", "t1"), Meeting("a", "c", "s2", "t1")])
    assert figures.to_dict() == {
        "meetings": 2,
        "people": 4,
        "people_with_meetings": 3,
        "meetings_per_person": 1.0,
        "people_by_meetings": {"0": 1, "1": 2, "2": 1},
        "organisation_pairs": 2,
        "cross_kind_share": 0.5,
        "cross_link_share": 1.0,
        "shared_interests_per_meeting": 1.0,
        "requests": 1,
        "requests_honoured": 0,
    }


def test_validate_names_every_problem_by_its_path() -> None:
    problem = Problem(
        slots=(Slot("s1"), Slot("s1")),
        tables=(Table("t1", 1, 1),),
        people=(person("a", "IND", "return"), person("b", "IND", "return")),
        requests=(("a", "b"), ("a", "x")),
        fixed=(Meeting("a", "b", "s9", "t1"),),
    )
    assert [str(e) for e in validate(problem)] == [
        'slots[1].id: slot "s1" appears twice',
        "tables[0].seats: must be at least 2, not 1",
        'requests[0]: "a" and "b" are both of organisation "IND"',
        'requests[1][1]: person "x" is not in people',
        'fixed[0].slot: slot "s9" is not in slots',
    ]
    with pytest.raises(InvalidProblem):
        solve(problem)


def test_json_round_trip_and_shape_errors() -> None:
    problem = Problem(
        slots=slots(1),
        tables=tables(1),
        people=(person("a", "IND", "return", max_meetings=1), person("b", "COA", "return")),
        requests=(("a", "b"),),
    )
    assert Problem.from_dict(problem.to_dict()) == problem
    result = solve(problem)
    assert Result.from_dict(result.to_dict()).meetings == result.meetings
    with pytest.raises(InvalidProblem) as raised:
        Problem.from_dict({"slots": [{"id": 3}], "tables": [], "people": [{"id": "a"}], "x": 1})
    assert [str(e) for e in raised.value.errors] == [
        "x: unknown key",
        "slots[0].id: must be a string, not a number",
        "people[0].organisation: is required",
    ]
