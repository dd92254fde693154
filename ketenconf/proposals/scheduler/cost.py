"""The one objective, in people left out, computed from a schedule alone (never from a solver).

For a schedule (a list of placements) it counts, with the problem's weights:

- **unseated**: per topic, its demand minus the seats of all its sessions (never below 0);
  the seats of a session are the room's capacity, capped by the topic's ``size``;
- **clashes**: per pair of topics that ``people`` want together, those people when both
  topics run exactly once and in the same round (one more run of either topic, in another
  round, lets them see both);
- **unscheduled**: topics that do not run at all, at ``Problem.unscheduled_cost()`` each.

Lower is better; 0 means every favourite has a seat and nobody has to choose.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from .problem import Placement, Problem


@dataclass(frozen=True)
class Clash:
    topics: tuple[str, str]
    round: str
    people: int

    def to_dict(self) -> dict[str, Any]:
        return {"topics": list(self.topics), "round": self.round, "people": self.people}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Clash:
        first, second = data["topics"]
        return cls((str(first), str(second)), str(data["round"]), int(data["people"]))


@dataclass(frozen=True)
class Cost:
    seated: dict[str, int]
    unseated: int
    clashes: tuple[Clash, ...]
    unscheduled: tuple[str, ...]
    total: int

    @property
    def clashing_people(self) -> int:
        return sum(clash.people for clash in self.clashes)


def evaluate(problem: Problem, placements: Sequence[Placement]) -> Cost:
    """The objective of ``placements`` and its parts; assumes ids the problem knows."""
    rooms = {room.id: room for room in problem.rooms}
    seats: dict[str, int] = defaultdict(int)
    rounds_of: dict[str, list[str]] = defaultdict(list)
    topics = {topic.id: topic for topic in problem.topics}
    for placement in placements:
        topic = topics[placement.topic]
        seats[topic.id] += topic.seats_in(rooms[placement.room])
        rounds_of[topic.id].append(placement.round)
    seated = {topic.id: min(max(0, topic.demand), seats[topic.id]) for topic in problem.topics}
    unseated = sum(max(0, topic.demand) - seated[topic.id] for topic in problem.topics)
    clashes = []
    for pair in problem.together:
        first, second = (rounds_of.get(tid, []) for tid in pair.topics)
        if pair.people > 0 and len(first) == 1 and first == second:
            clashes.append(Clash(pair.topics, first[0], pair.people))
    unscheduled = tuple(topic.id for topic in problem.topics if not rounds_of.get(topic.id))
    weights = problem.weights
    total = (
        weights.unseated * unseated
        + weights.clash * sum(clash.people for clash in clashes)
        + problem.unscheduled_cost() * len(unscheduled)
    )
    return Cost(seated, unseated, tuple(clashes), unscheduled, total)
