"""The matchmaking problem as frozen dataclasses, read from and written to JSON.

People who consented to networking say what interests them (themes, links of the chain) and
which kinds of organisation they want to meet. A meeting is two people of *different*
organisations at a numbered table during a slot (for example one of three 15-minute slots
during the information market). A table of ``seats`` seats holds ``seats // 2`` meetings at
once. Everyone has at most ``rules.max_meetings`` meetings, and at most one per slot.

``fixed`` are meetings that stand (accepted or still awaiting an answer from an earlier run);
``requests`` are pairs who asked for each other and both agreed: they are placed first;
``excluded`` are pairs that must not be proposed (one of them declined).

``Problem.from_dict`` checks the *shape* (types, required and unknown keys) and raises
:class:`InvalidProblem` listing every problem by JSON path; :func:`validate` checks the
*meaning* (unknown ids, colleagues paired, tables over capacity).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ketenconf.enginekit.errors import InvalidProblem
from ketenconf.enginekit.reading import ShapeReader, describe
from ketenconf.enginekit.shapes import Period


@dataclass(frozen=True)
class Slot(Period):
    """A time in which every person has at most one meeting."""


@dataclass(frozen=True)
class Table:
    """A numbered table; it holds ``seats // 2`` meetings in every slot."""

    id: str
    number: int
    seats: int = 2

    @property
    def meetings_per_slot(self) -> int:
        return self.seats // 2

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "number": self.number, "seats": self.seats}


@dataclass(frozen=True)
class Person:
    """Someone who consented to networking.

    ``slots`` lists the slots the person is there for (``None``: all); ``max_meetings``
    lowers the rule's maximum for this person (``None``: the rule's).
    """

    id: str
    organisation: str
    kind: str = ""
    chain_links: tuple[str, ...] = ()
    interests: tuple[str, ...] = ()
    wanted_kinds: tuple[str, ...] = ()
    slots: tuple[str, ...] | None = None
    max_meetings: int | None = None

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "id": self.id,
            "organisation": self.organisation,
            "kind": self.kind,
            "chain_links": list(self.chain_links),
            "interests": list(self.interests),
            "wanted_kinds": list(self.wanted_kinds),
        }
        if self.slots is not None:
            data["slots"] = list(self.slots)
        if self.max_meetings is not None:
            data["max_meetings"] = self.max_meetings
        return data


@dataclass(frozen=True)
class Meeting:
    """Two people at a table in a slot. ``first`` and ``second`` are in no particular order."""

    first: str
    second: str
    slot: str
    table: str

    @property
    def pair(self) -> tuple[str, str]:
        return pair(self.first, self.second)

    def to_dict(self) -> dict[str, Any]:
        return {"first": self.first, "second": self.second, "slot": self.slot, "table": self.table}


def pair(a: str, b: str) -> tuple[str, str]:
    """A pair of people in a canonical order, to compare and count pairs."""
    return (a, b) if a <= b else (b, a)


@dataclass(frozen=True)
class Rules:
    """The most meetings a person gets, and the weights of what makes a meeting worth it.

    The weight of a pair (see :func:`ketenconf.networking.engine.weights.pair_weight`) is
    ``shared_interest`` per interest they share, ``wanted_kind`` for each of the two who
    wanted to meet the other's kind of organisation, ``other_kind`` when their organisations
    are of different kinds and ``other_chain_links`` when their organisations work on
    different links of the chain. A pair that shares no interest and wanted neither kind
    has weight 0 and is never proposed; colleagues of one organisation never are either.
    """

    max_meetings: int = 3
    shared_interest: int = 10
    wanted_kind: int = 4
    other_kind: int = 3
    other_chain_links: int = 2

    def to_dict(self) -> dict[str, Any]:
        return {
            "max_meetings": self.max_meetings,
            "shared_interest": self.shared_interest,
            "wanted_kind": self.wanted_kind,
            "other_kind": self.other_kind,
            "other_chain_links": self.other_chain_links,
        }


@dataclass(frozen=True)
class Problem:
    slots: tuple[Slot, ...]
    tables: tuple[Table, ...]
    people: tuple[Person, ...]
    rules: Rules = Rules()
    requests: tuple[tuple[str, str], ...] = ()
    fixed: tuple[Meeting, ...] = ()
    excluded: tuple[tuple[str, str], ...] = ()

    @property
    def meetings_per_slot(self) -> int:
        return sum(table.meetings_per_slot for table in self.tables)

    def to_dict(self) -> dict[str, Any]:
        return {
            "slots": [s.to_dict() for s in self.slots],
            "tables": [t.to_dict() for t in self.tables],
            "people": [p.to_dict() for p in self.people],
            "rules": self.rules.to_dict(),
            "requests": [list(r) for r in self.requests],
            "fixed": [m.to_dict() for m in self.fixed],
            "excluded": [list(e) for e in self.excluded],
        }

    @classmethod
    def from_dict(cls, data: object) -> Problem:
        """Read the JSON form; raise :class:`InvalidProblem` listing every shape error."""
        reader = _Reader()
        problem = reader.problem(data)
        if reader.errors or problem is None:
            raise InvalidProblem(reader.errors)
        return problem


_TOP_KEYS = {"slots", "tables", "people", "rules", "requests", "fixed", "excluded"}
_SLOT_KEYS = {"id", "label"}
_TABLE_KEYS = {"id", "number", "seats"}
_PERSON_KEYS = {
    "id",
    "organisation",
    "kind",
    "chain_links",
    "interests",
    "wanted_kinds",
    "slots",
    "max_meetings",
}
_MEETING_KEYS = {"first", "second", "slot", "table"}
_RULE_KEYS = set(Rules().to_dict())


class _Reader(ShapeReader):
    """The matchmaking input."""

    def slot(self, value: object, path: str) -> Slot | None:
        if not self.obj(value, path, _SLOT_KEYS, ["id"]):
            return None
        assert isinstance(value, dict)
        sid = self.string(value["id"], f"{path}.id")
        label = self.string(value.get("label", ""), f"{path}.label", empty=True)
        return None if sid is None or label is None else Slot(sid, label)

    def table(self, value: object, path: str) -> Table | None:
        if not self.obj(value, path, _TABLE_KEYS, ["id", "number"]):
            return None
        assert isinstance(value, dict)
        tid = self.string(value["id"], f"{path}.id")
        number = self.integer(value["number"], f"{path}.number")
        seats = self.integer(value.get("seats", 2), f"{path}.seats")
        if tid is None or number is None or seats is None:
            return None
        return Table(tid, number, seats)

    def person(self, value: object, path: str) -> Person | None:
        if not self.obj(value, path, _PERSON_KEYS, ["id", "organisation"]):
            return None
        assert isinstance(value, dict)
        pid = self.string(value["id"], f"{path}.id")
        organisation = self.string(value["organisation"], f"{path}.organisation")
        kind = self.string(value.get("kind", ""), f"{path}.kind", empty=True)
        links = self.strings(value.get("chain_links", []), f"{path}.chain_links")
        interests = self.strings(value.get("interests", []), f"{path}.interests")
        wanted = self.strings(value.get("wanted_kinds", []), f"{path}.wanted_kinds")
        slots = None
        ok = True
        if value.get("slots") is not None:
            slots = self.strings(value["slots"], f"{path}.slots")
            ok = slots is not None
        max_meetings = None
        if value.get("max_meetings") is not None:
            max_meetings = self.integer(value["max_meetings"], f"{path}.max_meetings")
            ok = ok and max_meetings is not None
        parts = (pid, organisation, kind, links, interests, wanted)
        if not ok or any(part is None for part in parts):
            return None
        assert pid is not None and organisation is not None and kind is not None
        assert links is not None and interests is not None and wanted is not None
        return Person(pid, organisation, kind, links, interests, wanted, slots, max_meetings)

    def meeting(self, value: object, path: str) -> Meeting | None:
        if not self.obj(value, path, _MEETING_KEYS, sorted(_MEETING_KEYS)):
            return None
        assert isinstance(value, dict)
        parts = [self.string(value[key], f"{path}.{key}") for key in ("first", "second")]
        parts += [self.string(value[key], f"{path}.{key}") for key in ("slot", "table")]
        if any(part is None for part in parts):
            return None
        first, second, slot, table = (str(part) for part in parts)
        return Meeting(first, second, slot, table)

    def pair_of(self, value: object, path: str) -> tuple[str, str] | None:
        if not isinstance(value, list) or len(value) != 2:
            self.fail(path, f"must be a list of two person ids, not {describe(value)}")
            return None
        items = self.strings(value, path)
        return None if items is None else (items[0], items[1])

    def rules(self, value: object) -> Rules | None:
        if not self.obj(value, "rules", _RULE_KEYS, []):
            return None
        assert isinstance(value, dict)
        values: dict[str, int] = {}
        for key, item in value.items():
            number = self.integer(item, f"rules.{key}")
            if number is not None:
                values[key] = number
        return Rules(**values) if len(values) == len(value) else None

    def problem(self, data: object) -> Problem | None:
        if not self.obj(data, "", _TOP_KEYS, ["slots", "tables", "people"]) and not isinstance(
            data, dict
        ):
            return None
        assert isinstance(data, dict)
        slots = [self.slot(v, f"slots[{i}]") for i, v in enumerate(self.items(data, "slots"))]
        tables = [self.table(v, f"tables[{i}]") for i, v in enumerate(self.items(data, "tables"))]
        people = [self.person(v, f"people[{i}]") for i, v in enumerate(self.items(data, "people"))]
        requests = [
            self.pair_of(v, f"requests[{i}]") for i, v in enumerate(self.items(data, "requests"))
        ]
        fixed = [self.meeting(v, f"fixed[{i}]") for i, v in enumerate(self.items(data, "fixed"))]
        excluded = [
            self.pair_of(v, f"excluded[{i}]") for i, v in enumerate(self.items(data, "excluded"))
        ]
        rules = self.rules(data.get("rules", {}))
        if self.errors or rules is None:
            return None
        return Problem(
            slots=tuple(s for s in slots if s is not None),
            tables=tuple(t for t in tables if t is not None),
            people=tuple(p for p in people if p is not None),
            rules=rules,
            requests=tuple(r for r in requests if r is not None),
            fixed=tuple(m for m in fixed if m is not None),
            excluded=tuple(e for e in excluded if e is not None),
        )
