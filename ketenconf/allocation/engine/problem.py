"""The workshop assignment problem as frozen dataclasses, read from and written to JSON.

The JSON format is the contract in docs/allocation-contract.md. ``Problem.from_dict`` checks the
*shape* of the data (types, required and unknown keys) and raises :class:`InvalidProblem`
listing every problem by its JSON path; :func:`ketenconf.allocation.engine.validate.validate`
checks the *meaning* (unknown ids, repeated preferences, fixed seats that cannot be kept).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from ketenconf.enginekit.errors import InvalidProblem, key_path
from ketenconf.enginekit.reading import ShapeReader, describe
from ketenconf.enginekit.shapes import Period


@dataclass(frozen=True)
class Round(Period):
    """One workshop round (a block of the day in which every participant attends one session)."""


@dataclass(frozen=True)
class Session:
    """One run of a topic in one round, in a room with a capacity."""

    id: str
    topic: str
    round: str
    capacity: int
    accessible: bool = True

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "topic": self.topic,
            "round": self.round,
            "capacity": self.capacity,
            "accessible": self.accessible,
        }


@dataclass(frozen=True)
class Participant:
    """A participant with ranked topic preferences (best first).

    ``rounds`` is ``None`` when the participant attends every round. ``fixed`` maps a
    round id to a session id that must be kept (hosts, late manual changes).

    Re-offer on the day (contract version 3): ``current`` maps a round id to the session the
    participant holds now; in an attended, non-fixed round with a current seat they get that
    session or one of a topic they ranked, never none. A current seat in a round they no
    longer attend is released (free capacity). ``ceiling`` (``None``: none) bounds the
    participant's own cost under the contract's objective; :func:`.cost.participant_cost` of
    the current seats is the ceiling that leaves nobody worse off.
    """

    id: str
    organisation: str
    preferences: tuple[str, ...] = ()
    rounds: tuple[str, ...] | None = None
    fixed: Mapping[str, str] = field(default_factory=dict)
    needs_accessible: bool = False
    current: Mapping[str, str] = field(default_factory=dict)
    ceiling: int | None = None

    @property
    def reoffered(self) -> bool:
        """Whether the participant carries a re-offer field (``current`` or ``ceiling``)."""
        return bool(self.current) or self.ceiling is not None

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "id": self.id,
            "organisation": self.organisation,
            "preferences": list(self.preferences),
        }
        if self.rounds is not None:
            data["rounds"] = list(self.rounds)
        if self.fixed:
            data["fixed"] = dict(self.fixed)
        if self.needs_accessible:
            data["needs_accessible"] = True
        if self.current:
            data["current"] = dict(self.current)
        if self.ceiling is not None:
            data["ceiling"] = self.ceiling
        return data


@dataclass(frozen=True)
class Rules:
    """Rules on top of capacities. ``max_organisation_share`` is ``None`` when off."""

    max_organisation_share: float | None = None

    def organisation_limit(self, capacity: int) -> int | None:
        """Most participants of one organisation allowed in a session of this capacity."""
        if self.max_organisation_share is None:
            return None
        return organisation_limit(self.max_organisation_share, capacity)

    def to_dict(self) -> dict[str, Any]:
        if self.max_organisation_share is None:
            return {}
        return {"max_organisation_share": self.max_organisation_share}


@dataclass(frozen=True)
class Problem:
    """A whole assignment problem.

    ``previous`` (participant → round → session) is the assignment published earlier; when
    given, the solver pays ``move_cost`` (``None``: the default, ``(T + 1)²``, the cost of
    one unranked session) for every participant-round whose published seat changes.
    """

    rounds: tuple[Round, ...]
    sessions: tuple[Session, ...]
    participants: tuple[Participant, ...]
    rules: Rules = Rules()
    previous: Mapping[str, Mapping[str, str]] | None = None
    move_cost: int | None = None

    @property
    def topic_count(self) -> int:
        """``T`` of the objective: the number of distinct topics in the input."""
        return len({session.topic for session in self.sessions})

    def effective_move_cost(self) -> int:
        """The cost of moving one participant-round away from its published seat."""
        if self.move_cost is not None:
            return self.move_cost
        return (self.topic_count + 1) ** 2

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "rounds": [r.to_dict() for r in self.rounds],
            "sessions": [s.to_dict() for s in self.sessions],
            "participants": [p.to_dict() for p in self.participants],
            "rules": self.rules.to_dict(),
        }
        if self.previous is not None:
            data["previous"] = {p: dict(seats) for p, seats in self.previous.items()}
        if self.move_cost is not None:
            data["move_cost"] = self.move_cost
        return data

    @classmethod
    def from_dict(cls, data: object) -> Problem:
        """Read the JSON form; raise :class:`InvalidProblem` listing every shape error."""
        reader = _Reader()
        problem = reader.problem(data)
        if reader.errors or problem is None:
            raise InvalidProblem(reader.errors)
        return problem


def organisation_limit(share: float, capacity: int) -> int:
    """``max(1, floor(share × capacity))``, computed on the decimal the JSON spells.

    ``0.29 × 100`` is 28.999... in binary floating point; reading the share as the decimal
    ``0.29`` gives the 29 a reader of the input expects.
    """
    return max(1, math.floor(Fraction(repr(share)) * capacity))


# The limits of docs/allocation-contract.md: every objective fits a 64-bit integer.
MAX_ROUNDS = 20
MAX_SESSIONS = 100_000
MAX_TOPICS = 10_000
MAX_PARTICIPANTS = 1_000_000
MAX_CAPACITY = 1_000_000
MAX_MOVE_COST = 1_000_000_000
MAX_CEILING = 10**15
MAX_ID_LENGTH = 200
MAX_LABEL_LENGTH = 1_000

_ROUND_KEYS = {"id", "label"}
_SESSION_KEYS = {"id", "topic", "round", "capacity", "accessible"}
_PARTICIPANT_KEYS = {
    "id",
    "organisation",
    "preferences",
    "rounds",
    "fixed",
    "needs_accessible",
    "current",
    "ceiling",
}
_RULES_KEYS = {"max_organisation_share"}
_TOP_KEYS = {"rounds", "sessions", "participants", "rules", "previous", "move_cost"}


class _Reader(ShapeReader):
    """The input of docs/allocation-contract.md."""

    max_length = MAX_ID_LENGTH

    def round(self, value: object, path: str) -> Round | None:
        if not self.obj(value, path, _ROUND_KEYS, ["id"]):
            return None
        assert isinstance(value, dict)
        rid = self.string(value["id"], f"{path}.id")
        label = value.get("label", rid or "")
        if not isinstance(label, str):
            self.fail(f"{path}.label", f"must be a string, not {describe(label)}")
            return None
        if len(label) > MAX_LABEL_LENGTH:
            self.fail(f"{path}.label", f"must be at most {MAX_LABEL_LENGTH} characters")
            return None
        return None if rid is None else Round(rid, label)

    def session(self, value: object, path: str) -> Session | None:
        if not self.obj(value, path, _SESSION_KEYS, ["id", "topic", "round", "capacity"]):
            return None
        assert isinstance(value, dict)
        sid = self.string(value["id"], f"{path}.id")
        topic = self.string(value["topic"], f"{path}.topic")
        rid = self.string(value["round"], f"{path}.round")
        capacity = self.integer(value["capacity"], f"{path}.capacity")
        accessible = self.boolean(value.get("accessible", True), f"{path}.accessible")
        if sid is None or topic is None or rid is None or capacity is None or accessible is None:
            return None
        return Session(sid, topic, rid, capacity, accessible)

    def participant(self, value: object, path: str) -> Participant | None:
        required = ["id", "organisation", "preferences"]
        if not self.obj(value, path, _PARTICIPANT_KEYS, required):
            return None
        assert isinstance(value, dict)
        pid = self.string(value["id"], f"{path}.id")
        organisation = self.string(value["organisation"], f"{path}.organisation")
        preferences = self.strings(value["preferences"], f"{path}.preferences")
        rounds = None
        ok = True
        if "rounds" in value:
            rounds = self.strings(value["rounds"], f"{path}.rounds")
            ok = rounds is not None
        fixed = self.string_map(value.get("fixed", {}), f"{path}.fixed")
        needs = self.boolean(value.get("needs_accessible", False), f"{path}.needs_accessible")
        current = self.string_map(value.get("current", {}), f"{path}.current")
        ceiling = None
        if value.get("ceiling") is not None:
            ceiling = self.integer(value["ceiling"], f"{path}.ceiling")
            ok = ok and ceiling is not None
        if pid is None or organisation is None or preferences is None or fixed is None:
            return None
        if needs is None or current is None or not ok:
            return None
        return Participant(pid, organisation, preferences, rounds, fixed, needs, current, ceiling)

    def string_map(self, value: object, path: str) -> dict[str, str] | None:
        if not isinstance(value, dict):
            self.fail(path, f"must be an object, not {describe(value)}")
            return None
        result: dict[str, str] = {}
        for key, item in value.items():
            text = self.string(item, key_path(path, str(key)))
            if text is not None:
                result[str(key)] = text
        return result if len(result) == len(value) else None

    def rules(self, value: object) -> Rules | None:
        if not self.obj(value, "rules", _RULES_KEYS, []):
            return None
        assert isinstance(value, dict)
        share = value.get("max_organisation_share")
        if share is None:
            return Rules()
        if isinstance(share, bool) or not isinstance(share, int | float):
            self.fail("rules.max_organisation_share", f"must be a number, not {describe(share)}")
            return None
        return Rules(float(share))

    def previous(self, value: object) -> dict[str, dict[str, str]] | None:
        if value is None:
            return None
        if not isinstance(value, dict):
            self.fail("previous", f"must be an object, not {describe(value)}")
            return None
        result: dict[str, dict[str, str]] = {}
        for pid, seats in value.items():
            parsed = self.string_map(seats, key_path("previous", str(pid)))
            if parsed is not None:
                result[str(pid)] = parsed
        return result

    def problem(self, data: object) -> Problem | None:
        self.obj(data, "", _TOP_KEYS, ["rounds", "sessions", "participants"])
        if not isinstance(data, dict):
            return None
        assert isinstance(data, dict)
        rounds = [self.round(v, f"rounds[{i}]") for i, v in enumerate(self.items(data, "rounds"))]
        sessions = [
            self.session(v, f"sessions[{i}]") for i, v in enumerate(self.items(data, "sessions"))
        ]
        participants = [
            self.participant(v, f"participants[{i}]")
            for i, v in enumerate(self.items(data, "participants"))
        ]
        rules = self.rules(data.get("rules", {}))
        previous = self.previous(data.get("previous"))
        move_cost = None
        if data.get("move_cost") is not None:
            move_cost = self.integer(data["move_cost"], "move_cost")
        if self.errors or rules is None:
            return None
        return Problem(
            rounds=tuple(r for r in rounds if r is not None),
            sessions=tuple(s for s in sessions if s is not None),
            participants=tuple(p for p in participants if p is not None),
            rules=rules,
            previous=previous,
            move_cost=move_cost,
        )
