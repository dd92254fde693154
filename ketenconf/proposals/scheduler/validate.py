"""Checks on the meaning of a problem and on any schedule, including one edited by hand.

Both functions return every problem found, each with the JSON path it is about; an empty
list means valid. Neither raises. The rules a schedule must keep:

- a room holds at most one session per round;
- a topic runs at most once per round, and at most ``max_runs`` times in all;
- a host is never in two places: no two topics sharing a host run in the same round;
- a topic runs only in rooms with every feature it needs, in rounds its hosts are available;
- every pin is kept (when checking an answer: ``require_pins=True``).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence

from ketenconf.enginekit.errors import ProblemError

from .problem import Placement, Problem


def validate(problem: Problem) -> list[ProblemError]:
    """Every reason why ``problem`` cannot be solved as given."""
    errors: list[ProblemError] = []
    fail = errors.append
    for key, ids in (
        ("rounds", [r.id for r in problem.rounds]),
        ("rooms", [r.id for r in problem.rooms]),
    ):
        seen: set[str] = set()
        for i, item_id in enumerate(ids):
            if item_id in seen:
                fail(ProblemError(f"{key}[{i}].id", f'"{item_id}" appears twice'))
            seen.add(item_id)
    round_ids = {r.id for r in problem.rounds}
    for i, room in enumerate(problem.rooms):
        if room.capacity < 0:
            fail(ProblemError(f"rooms[{i}].capacity", f"must not be negative, not {room.capacity}"))
    topic_ids: set[str] = set()
    for i, topic in enumerate(problem.topics):
        path = f"topics[{i}]"
        if topic.id in topic_ids:
            fail(ProblemError(f"{path}.id", f'"{topic.id}" appears twice'))
        topic_ids.add(topic.id)
        if topic.demand < 0:
            fail(ProblemError(f"{path}.demand", f"must not be negative, not {topic.demand}"))
        if topic.size is not None and topic.size < 1:
            fail(ProblemError(f"{path}.size", f"must be at least 1, not {topic.size}"))
        if topic.max_runs < 1:
            fail(ProblemError(f"{path}.max_runs", f"must be at least 1, not {topic.max_runs}"))
        for j, rid in enumerate(topic.rounds or ()):
            if rid not in round_ids:
                fail(ProblemError(f"{path}.rounds[{j}]", f'round "{rid}" is not in rounds'))
    for i, pair in enumerate(problem.together):
        path = f"together[{i}]"
        for j, tid in enumerate(pair.topics):
            if tid not in topic_ids:
                fail(ProblemError(f"{path}.topics[{j}]", f'topic "{tid}" is not in topics'))
        if pair.topics[0] == pair.topics[1]:
            fail(ProblemError(f"{path}.topics", "must name two different topics"))
        if pair.people < 0:
            fail(ProblemError(f"{path}.people", f"must not be negative, not {pair.people}"))
    for name in ("unseated", "clash", "unscheduled"):
        value = getattr(problem.weights, name)
        if value is not None and value < 0:
            fail(ProblemError(f"weights.{name}", f"must not be negative, not {value}"))
    if not errors:
        errors.extend(validate_schedule(problem, problem.pins, key="pins"))
    return errors


def validate_schedule(
    problem: Problem,
    placements: Sequence[Placement],
    *,
    key: str = "placements",
    require_pins: bool = False,
) -> list[ProblemError]:
    """Every rule ``placements`` breaks, each at ``<key>[i]``; ``[]`` when it keeps them all."""
    errors: list[ProblemError] = []
    fail = errors.append
    rounds = {r.id: r for r in problem.rounds}
    rooms = {r.id: r for r in problem.rooms}
    topics = {t.id: t for t in problem.topics}
    room_taken: dict[tuple[str, str], int] = {}
    topic_taken: dict[tuple[str, str], int] = {}
    host_taken: dict[tuple[str, str], tuple[int, str]] = {}
    runs: Counter[str] = Counter()
    for i, placement in enumerate(placements):
        path = f"{key}[{i}]"
        topic = topics.get(placement.topic)
        room = rooms.get(placement.room)
        known = True
        if topic is None:
            fail(ProblemError(f"{path}.topic", f'topic "{placement.topic}" is not in topics'))
            known = False
        if placement.round not in rounds:
            fail(ProblemError(f"{path}.round", f'round "{placement.round}" is not in rounds'))
            known = False
        if room is None:
            fail(ProblemError(f"{path}.room", f'room "{placement.room}" is not in rooms'))
            known = False
        if not known or topic is None or room is None:
            continue
        where = (placement.round, placement.room)
        if where in room_taken:
            other = placements[room_taken[where]].topic
            fail(
                ProblemError(
                    path,
                    f'room "{room.id}" holds "{other}" already in round "{placement.round}"',
                )
            )
        else:
            room_taken[where] = i
        if (topic.id, placement.round) in topic_taken:
            fail(ProblemError(path, f'topic "{topic.id}" runs twice in round "{placement.round}"'))
        else:
            topic_taken[(topic.id, placement.round)] = i
            runs[topic.id] += 1
            if runs[topic.id] == topic.max_runs + 1:
                fail(
                    ProblemError(
                        path, f'topic "{topic.id}" may run at most {topic.max_runs} time(s)'
                    )
                )
        for host in topic.hosts:
            seen = host_taken.get((host, placement.round))
            if seen is not None and seen[1] != topic.id:
                fail(
                    ProblemError(
                        path,
                        f'host "{host}" would be in two places in round "{placement.round}" '
                        f'("{seen[1]}" and "{topic.id}")',
                    )
                )
            elif seen is None:
                host_taken[(host, placement.round)] = (i, topic.id)
        missing = [need for need in topic.needs if need not in room.features]
        if missing:
            fail(
                ProblemError(
                    path, f'room "{room.id}" lacks what "{topic.id}" needs: {", ".join(missing)}'
                )
            )
        if topic.rounds is not None and placement.round not in topic.rounds:
            fail(
                ProblemError(
                    path,
                    f'the hosts of "{topic.id}" are not available in round "{placement.round}"',
                )
            )
    if require_pins:
        given = set(placements)
        for i, pin in enumerate(problem.pins):
            if pin not in given:
                fail(ProblemError(f"pins[{i}]", f'pin of "{pin.topic}" is not kept'))
    return errors


def host_rounds(problem: Problem, placements: Sequence[Placement]) -> dict[str, list[str]]:
    """Per host, the rounds they host in, in placement order (a reading aid for tests)."""
    topics = {t.id: t for t in problem.topics}
    result: dict[str, list[str]] = defaultdict(list)
    for placement in placements:
        for host in topics[placement.topic].hosts:
            result[host].append(placement.round)
    return dict(result)
