"""Checks on the meaning of a problem and on any set of meetings, including manual edits.

Both return every problem found, each with the JSON path it is about; an empty list means
valid. Neither raises.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from ketenconf.enginekit.errors import ProblemError

from .problem import Meeting, Person, Problem, pair


def _person_slots(person: Person, slot_ids: Sequence[str]) -> set[str]:
    return set(slot_ids) if person.slots is None else set(person.slots)


def validate(problem: Problem) -> list[ProblemError]:
    """Every reason why ``problem`` cannot be solved as given."""
    errors: list[ProblemError] = []
    fail = errors.append
    rules = problem.rules
    if rules.max_meetings < 0:
        fail(ProblemError("rules.max_meetings", f"must not be negative, not {rules.max_meetings}"))
    for key, value in rules.to_dict().items():
        if key != "max_meetings" and value < 0:
            fail(ProblemError(f"rules.{key}", f"must not be negative, not {value}"))

    slot_ids: list[str] = []
    for i, slot in enumerate(problem.slots):
        if slot.id in slot_ids:
            fail(ProblemError(f"slots[{i}].id", f'slot "{slot.id}" appears twice'))
        slot_ids.append(slot.id)
    table_ids: set[str] = set()
    numbers: set[int] = set()
    for i, table in enumerate(problem.tables):
        if table.id in table_ids:
            fail(ProblemError(f"tables[{i}].id", f'table "{table.id}" appears twice'))
        if table.number in numbers:
            fail(ProblemError(f"tables[{i}].number", f"table number {table.number} appears twice"))
        if table.seats < 2:
            fail(ProblemError(f"tables[{i}].seats", f"must be at least 2, not {table.seats}"))
        table_ids.add(table.id)
        numbers.add(table.number)

    people: dict[str, Person] = {}
    for i, person in enumerate(problem.people):
        path = f"people[{i}]"
        if person.id in people:
            fail(ProblemError(f"{path}.id", f'person "{person.id}" appears twice'))
        people[person.id] = person
        for j, slot_id in enumerate(person.slots or ()):
            if slot_id not in slot_ids:
                fail(ProblemError(f"{path}.slots[{j}]", f'slot "{slot_id}" is not in slots'))
        if person.max_meetings is not None and person.max_meetings < 0:
            fail(
                ProblemError(
                    f"{path}.max_meetings", f"must not be negative, not {person.max_meetings}"
                )
            )

    seen_pairs: dict[tuple[str, str], str] = {}
    for name in ("requests", "excluded"):
        for i, (a, b) in enumerate(getattr(problem, name)):
            path = f"{name}[{i}]"
            for j, pid in enumerate((a, b)):
                if pid not in people:
                    fail(ProblemError(f"{path}[{j}]", f'person "{pid}" is not in people'))
            if a == b:
                fail(ProblemError(path, f'"{a}" cannot meet themselves'))
            elif name == "requests" and _colleagues(people, a, b):
                fail(
                    ProblemError(
                        path, f'"{a}" and "{b}" are both of organisation "{people[a].organisation}"'
                    )
                )
            both = pair(a, b)
            if both in seen_pairs:
                fail(ProblemError(path, f'the pair "{a}", "{b}" is also at {seen_pairs[both]}'))
            else:
                seen_pairs[both] = path

    errors += validate_meetings(problem, problem.fixed, path="fixed", check_excluded=False)
    return errors


def validate_meetings(
    problem: Problem,
    meetings: Sequence[Meeting],
    *,
    path: str = "meetings",
    check_excluded: bool = True,
) -> list[ProblemError]:
    """Every rule ``meetings`` break: colleagues paired, a person twice in a slot or meeting
    someone twice, more meetings than allowed, a table over its seats, unknown ids."""
    errors: list[ProblemError] = []
    fail = errors.append
    people = {person.id: person for person in problem.people}
    slot_ids = [slot.id for slot in problem.slots]
    tables = {table.id: table for table in problem.tables}
    excluded = {pair(a, b) for a, b in problem.excluded} if check_excluded else set()
    busy: dict[tuple[str, str], int] = {}
    pairs: dict[tuple[str, str], int] = {}
    at_table: Counter[tuple[str, str]] = Counter()
    count: Counter[str] = Counter()
    for i, meeting in enumerate(meetings):
        where = f"{path}[{i}]"
        known = True
        for end in ("first", "second"):
            pid = getattr(meeting, end)
            if pid not in people:
                fail(ProblemError(f"{where}.{end}", f'person "{pid}" is not in people'))
                known = False
        if meeting.slot not in slot_ids:
            fail(ProblemError(f"{where}.slot", f'slot "{meeting.slot}" is not in slots'))
            known = False
        if meeting.table not in tables:
            fail(ProblemError(f"{where}.table", f'table "{meeting.table}" is not in tables'))
            known = False
        if not known:
            continue
        first, second = people[meeting.first], people[meeting.second]
        if first.id == second.id:
            fail(ProblemError(where, f'"{first.id}" cannot meet themselves'))
            continue
        if first.organisation == second.organisation:
            fail(
                ProblemError(
                    where,
                    f'"{first.id}" and "{second.id}" are both of organisation '
                    f'"{first.organisation}"',
                )
            )
        if meeting.pair in excluded:
            fail(ProblemError(where, f'"{first.id}" and "{second.id}" must not be paired again'))
        if meeting.pair in pairs:
            fail(ProblemError(where, f"the same pair meets at {path}[{pairs[meeting.pair]}]"))
        pairs.setdefault(meeting.pair, i)
        for person in (first, second):
            if meeting.slot not in _person_slots(person, slot_ids):
                fail(ProblemError(where, f'"{person.id}" is not there in slot "{meeting.slot}"'))
            key = (person.id, meeting.slot)
            if key in busy:
                fail(
                    ProblemError(
                        where,
                        f'"{person.id}" already meets someone in slot "{meeting.slot}" '
                        f"at {path}[{busy[key]}]",
                    )
                )
            busy.setdefault(key, i)
            count[person.id] += 1
        at_table[(meeting.slot, meeting.table)] += 1
    for pid, number in count.items():
        allowed = limit(problem, people[pid])
        if number > allowed:
            fail(ProblemError(path, f'"{pid}" has {number} meetings, more than {allowed}'))
    for (slot_id, table_id), number in at_table.items():
        table = tables[table_id]
        if number > table.meetings_per_slot:
            fail(
                ProblemError(
                    path,
                    f"table {table.number} holds {table.meetings_per_slot} meetings in slot "
                    f'"{slot_id}", not {number}',
                )
            )
    return errors


def _colleagues(people: dict[str, Person], a: str, b: str) -> bool:
    return a in people and b in people and people[a].organisation == people[b].organisation


def limit(problem: Problem, person: Person) -> int:
    """The most meetings ``person`` may have: the rule's, their own, and their slots."""
    allowed = problem.rules.max_meetings
    if person.max_meetings is not None:
        allowed = min(allowed, person.max_meetings)
    slots = len(problem.slots) if person.slots is None else len(set(person.slots))
    return max(0, min(allowed, slots))
