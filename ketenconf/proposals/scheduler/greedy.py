"""A quick feasible schedule: the MIP's starting point, and its fallback if time runs out.

Pins first; then every topic once, those with fewest possible places first, each given the
free room and round that seats most of its demand, clashes least with what that round holds
already and wastes fewest seats; then second runs while demand is left and a topic may.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable

from .problem import Placement, Problem, Room, Topic


def _place_best(
    problem: Problem,
    topic_id: str,
    rooms: dict[str, Room],
    topics: dict[str, Topic],
    together: dict[tuple[str, str], int],
    taken: set[tuple[str, str]],
    hosting: set[tuple[str, str]],
    in_round: dict[str, list[str]],
    seats: dict[str, int],
    place: Callable[[Placement], None],
) -> bool:
    """Place one more run of a topic where it does most good; ``False`` if nowhere fits."""
    topic = topics[topic_id]
    allowed = [r.id for r in problem.rounds if topic.rounds is None or r.id in topic.rounds]
    runs = sum(1 for rid in allowed if topic.id in in_round[rid])
    best: tuple[tuple[int, int, int, str, str], Placement] | None = None
    for rid in allowed:
        if topic.id in in_round[rid] or any((host, rid) in hosting for host in topic.hosts):
            continue
        clash = sum(together.get((topic.id, other), 0) for other in in_round[rid])
        for room in problem.rooms:
            if (rid, room.id) in taken or any(n not in room.features for n in topic.needs):
                continue
            gain = min(max(0, topic.demand - seats[topic.id]), topic.seats_in(room))
            waste = topic.seats_in(room) - gain
            key = (-gain, clash, waste, rid, room.id)
            if best is None or key < best[0]:
                best = (key, Placement(topic.id, rid, room.id))
    if best is None or (runs and best[0][0] == 0):
        return False
    place(best[1])
    return True


def greedy(problem: Problem) -> list[Placement]:
    rooms = {room.id: room for room in problem.rooms}
    topics = {topic.id: topic for topic in problem.topics}
    together: dict[tuple[str, str], int] = defaultdict(int)
    for pair in problem.together:
        first, second = pair.topics
        together[(first, second)] += pair.people
        together[(second, first)] += pair.people
    taken: set[tuple[str, str]] = set()
    hosting: set[tuple[str, str]] = set()
    in_round: dict[str, list[str]] = defaultdict(list)
    seats: dict[str, int] = defaultdict(int)
    placements: list[Placement] = []

    def place(placement: Placement) -> None:
        topic = topics[placement.topic]
        taken.add((placement.round, placement.room))
        hosting.update((host, placement.round) for host in topic.hosts)
        in_round[placement.round].append(topic.id)
        seats[topic.id] += topic.seats_in(rooms[placement.room])
        placements.append(placement)

    for pin in problem.pins:
        place(pin)
    round_ids = [r.id for r in problem.rounds]

    def options(topic_id: str) -> int:
        topic = topics[topic_id]
        rounds = round_ids if topic.rounds is None else topic.rounds
        fitting = [room for room in problem.rooms if all(n in room.features for n in topic.needs)]
        return len(rounds) * len(fitting)

    # Every topic once (the most constrained first), then second runs while demand is left.
    order = sorted(problem.topics, key=lambda t: (options(t.id), -t.demand, t.id))
    for topic in order:
        if not any(topic.id in in_round[r] for r in round_ids):
            _place_best(
                problem, topic.id, rooms, topics, together, taken, hosting, in_round, seats, place
            )
    for topic in sorted(problem.topics, key=lambda t: (-(t.demand - seats[t.id]), t.id)):
        while True:
            runs = sum(1 for r in round_ids if topic.id in in_round[r])
            if not runs or runs >= topic.max_runs or seats[topic.id] >= topic.demand:
                break
            if not _place_best(
                problem, topic.id, rooms, topics, together, taken, hosting, in_round, seats, place
            ):
                break
    return placements
