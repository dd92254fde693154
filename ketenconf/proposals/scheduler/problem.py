"""The programme scheduling problem as frozen dataclasses, read from and written to JSON.

Which topic runs in which round and room. ``Problem.from_dict`` checks the *shape* (types,
required and unknown keys) and raises :class:`InvalidProblem` listing every problem by its
JSON path; :func:`~ketenconf.proposals.scheduler.validate.validate` checks the *meaning*.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ketenconf.enginekit.errors import InvalidProblem
from ketenconf.enginekit.reading import ShapeReader, describe
from ketenconf.enginekit.shapes import Period


@dataclass(frozen=True)
class Round(Period):
    """A round block of the day: every topic runs at most once in it."""


@dataclass(frozen=True)
class Room:
    """A room with its seats and features (for example ``step_free``, ``projector``)."""

    id: str
    capacity: int
    features: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "capacity": self.capacity, "features": list(self.features)}


@dataclass(frozen=True)
class Topic:
    """A topic to place: its expected demand, hosts, needs and the rounds it may run in.

    ``demand`` is how many people are expected to want it; ``size`` caps the seats of one
    session whatever the room (``None``: the room's capacity); ``max_runs`` is 2 when the
    topic may run twice; ``rounds`` lists the rounds all its hosts are available (``None``:
    every round); ``needs`` are room features every room it runs in must have.
    """

    id: str
    demand: int
    hosts: tuple[str, ...] = ()
    needs: tuple[str, ...] = ()
    rounds: tuple[str, ...] | None = None
    size: int | None = None
    max_runs: int = 1

    def seats_in(self, room: Room) -> int:
        return room.capacity if self.size is None else min(self.size, room.capacity)

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "id": self.id,
            "demand": self.demand,
            "hosts": list(self.hosts),
            "needs": list(self.needs),
            "max_runs": self.max_runs,
        }
        if self.rounds is not None:
            data["rounds"] = list(self.rounds)
        if self.size is not None:
            data["size"] = self.size
        return data


@dataclass(frozen=True)
class Together:
    """``people`` want both topics: running them only in the same round makes them choose."""

    topics: tuple[str, str]
    people: int

    def to_dict(self) -> dict[str, Any]:
        return {"topics": list(self.topics), "people": self.people}


@dataclass(frozen=True)
class Placement:
    """One session: a topic in a round and a room (a pin, or part of an answer)."""

    topic: str
    round: str
    room: str

    def to_dict(self) -> dict[str, str]:
        return {"topic": self.topic, "round": self.round, "room": self.room}


@dataclass(frozen=True)
class Weights:
    """What a person left out costs, per cause, in the one objective (see ``cost.py``).

    ``unseated``: per person of a topic's demand without a seat; ``clash``: per person who
    wants two topics that run only in the same round; ``unscheduled``: per topic that does
    not run at all (``None``: one more than the total demand, so every topic runs first).
    """

    unseated: int = 1
    clash: int = 1
    unscheduled: int | None = None

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"unseated": self.unseated, "clash": self.clash}
        if self.unscheduled is not None:
            data["unscheduled"] = self.unscheduled
        return data


@dataclass(frozen=True)
class Problem:
    rounds: tuple[Round, ...]
    rooms: tuple[Room, ...]
    topics: tuple[Topic, ...]
    together: tuple[Together, ...] = ()
    pins: tuple[Placement, ...] = ()
    weights: Weights = Weights()

    def unscheduled_cost(self) -> int:
        if self.weights.unscheduled is not None:
            return self.weights.unscheduled
        return self.weights.unseated * sum(max(0, t.demand) for t in self.topics) + 1

    def to_dict(self) -> dict[str, Any]:
        return {
            "rounds": [r.to_dict() for r in self.rounds],
            "rooms": [r.to_dict() for r in self.rooms],
            "topics": [t.to_dict() for t in self.topics],
            "together": [t.to_dict() for t in self.together],
            "pins": [p.to_dict() for p in self.pins],
            "weights": self.weights.to_dict(),
        }

    @classmethod
    def from_dict(cls, data: object) -> Problem:
        """Read the JSON form; raise :class:`InvalidProblem` listing every shape error."""
        reader = _Reader()
        problem = reader.problem(data)
        if reader.errors or problem is None:
            raise InvalidProblem(reader.errors)
        return problem


class _Reader(ShapeReader):
    """The programme scheduler input."""

    def round(self, value: object, path: str) -> Round | None:
        data = self.fields(value, path, {"id", "label"}, ["id"])
        if data is None:
            return None
        rid = self.string(data["id"], f"{path}.id")
        label = data.get("label", "")
        if not isinstance(label, str):
            self.fail(f"{path}.label", f"must be a string, not {describe(label)}")
            return None
        return None if rid is None else Round(rid, label)

    def room(self, value: object, path: str) -> Room | None:
        data = self.fields(value, path, {"id", "capacity", "features"}, ["id", "capacity"])
        if data is None:
            return None
        rid = self.string(data["id"], f"{path}.id")
        capacity = self.integer(data["capacity"], f"{path}.capacity")
        features = self.strings(data.get("features", []), f"{path}.features")
        if rid is None or capacity is None or features is None:
            return None
        return Room(rid, capacity, features)

    def topic(self, value: object, path: str) -> Topic | None:
        keys = {"id", "demand", "hosts", "needs", "rounds", "size", "max_runs"}
        data = self.fields(value, path, keys, ["id", "demand"])
        if data is None:
            return None
        tid = self.string(data["id"], f"{path}.id")
        demand = self.integer(data["demand"], f"{path}.demand")
        hosts = self.strings(data.get("hosts", []), f"{path}.hosts")
        needs = self.strings(data.get("needs", []), f"{path}.needs")
        rounds = None
        ok = True
        if data.get("rounds") is not None:
            rounds = self.strings(data["rounds"], f"{path}.rounds")
            ok = rounds is not None
        size = None
        if data.get("size") is not None:
            size = self.integer(data["size"], f"{path}.size")
            ok = ok and size is not None
        max_runs = self.integer(data.get("max_runs", 1), f"{path}.max_runs")
        if tid is None or demand is None or hosts is None or needs is None or max_runs is None:
            return None
        if not ok:
            return None
        return Topic(tid, demand, hosts, needs, rounds, size, max_runs)

    def together(self, value: object, path: str) -> Together | None:
        data = self.fields(value, path, {"topics", "people"}, ["topics", "people"])
        if data is None:
            return None
        topics = self.strings(data["topics"], f"{path}.topics")
        people = self.integer(data["people"], f"{path}.people")
        if topics is not None and len(topics) != 2:
            self.fail(f"{path}.topics", f"must name exactly two topics, not {len(topics)}")
            return None
        if topics is None or people is None:
            return None
        return Together((topics[0], topics[1]), people)

    def placement(self, value: object, path: str) -> Placement | None:
        data = self.fields(value, path, {"topic", "round", "room"}, ["topic", "round", "room"])
        if data is None:
            return None
        parts = [self.string(data[key], f"{path}.{key}") for key in ("topic", "round", "room")]
        if parts[0] is None or parts[1] is None or parts[2] is None:
            return None
        return Placement(parts[0], parts[1], parts[2])

    def weights(self, value: object) -> Weights | None:
        data = self.fields(value, "weights", {"unseated", "clash", "unscheduled"}, [])
        if data is None:
            return None
        unseated = self.integer(data.get("unseated", 1), "weights.unseated")
        clash = self.integer(data.get("clash", 1), "weights.clash")
        unscheduled = None
        if data.get("unscheduled") is not None:
            unscheduled = self.integer(data["unscheduled"], "weights.unscheduled")
            if unscheduled is None:
                return None
        if unseated is None or clash is None:
            return None
        return Weights(unseated, clash, unscheduled)

    def problem(self, value: object) -> Problem | None:
        keys = {"rounds", "rooms", "topics", "together", "pins", "weights"}
        data = self.fields(value, "", keys, ["rounds", "rooms", "topics"])
        if data is None:
            return None
        rounds = [self.round(v, f"rounds[{i}]") for i, v in enumerate(self.items(data, "rounds"))]
        rooms = [self.room(v, f"rooms[{i}]") for i, v in enumerate(self.items(data, "rooms"))]
        topics = [self.topic(v, f"topics[{i}]") for i, v in enumerate(self.items(data, "topics"))]
        together = [
            self.together(v, f"together[{i}]") for i, v in enumerate(self.items(data, "together"))
        ]
        pins = [self.placement(v, f"pins[{i}]") for i, v in enumerate(self.items(data, "pins"))]
        weights = self.weights(data.get("weights", {}))
        if self.errors or weights is None:
            return None
        return Problem(
            rounds=tuple(r for r in rounds if r is not None),
            rooms=tuple(r for r in rooms if r is not None),
            topics=tuple(t for t in topics if t is not None),
            together=tuple(t for t in together if t is not None),
            pins=tuple(p for p in pins if p is not None),
            weights=weights,
        )
