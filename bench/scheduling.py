"""Benchmark of the programme scheduler against PyconUK's conference-scheduler ILP.

    .venv/bin/python bench/scheduling.py                        # three sizes, seed 0
    .venv/bin/python bench/scheduling.py --sizes medium --seed 3 --time-limit 120

The anchor is the PyPI package ``conference-scheduler`` (3.0.1, PyconUK): its ILP, built with
PuLP and solved by the CBC binary PuLP bundles, called through its own
``scheduler.solution`` with its ``efficiency_capacity_demand_difference`` objective (the
summed difference of demand and capacity). It is in requirements/dev.txt.

The instances are synthetic chain conferences (see ``instance``): rounds, rooms with seats
and features (step-free, projector), topics with an expected demand, one to three hosts from
organisations (some host two topics), needs, hosts unavailable in some round, popular topics
that may run twice, and pairs of topics that the same people want (same link of the chain).

How each model sees them, as faithfully as the PyconUK package allows:

- a slot is a (round, room); an event is a run of a topic. PyconUK must schedule every
  event exactly once and knows no optional second run, so a topic that may run twice gets
  two events when its demand exceeds the seats of the largest room it fits and its hosts
  host nothing else (demand split between them, the two never at once), as long as there
  are slots for all events;
- a room without a needed feature, or a round a host cannot come, is an unavailable slot;
  topics that share a host are unavailable during each other;
- its clash rows are written only for events whose unavailability list is not empty, and
  listing a pair both ways makes its ``Event.__eq__`` recurse without end; so every event
  lists the later events it must not run beside, plus one slot outside the schedule (which
  changes nothing else) so that every row is written;
- PyconUK has no soft clash term (its tags forbid concurrency outright, which is infeasible
  with ten topics per theme in three rounds), so the pairs only enter our objective.

Both answers are scored the same way afterwards: our objective (people left out: unseated
demand + people who must choose between two wanted topics + unscheduled topics at the total
demand + 1 each, ``ketenconf.proposals.scheduler.cost.evaluate``), PyconUK's own objective
(``Σ demand − capacity`` over its events; lower is "better" for it), and whether the answer
keeps our rules (``validate_schedule``). Times are wall-clock, model building included, in
the same run; the time limit is the same for both.

Today's figures, with the machine and the date they came from, are in ``bench/README.md``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from ketenconf.proposals.scheduler import (  # noqa: E402
    Placement,
    Problem,
    Room,
    Round,
    Together,
    Topic,
    evaluate,
    greedy,
    solve,
    validate_schedule,
)

LINKS = ("arrival", "reception", "asylum", "housing", "integration", "return", "resettlement")
#: name: (rounds, rooms, topics, participants)
SIZES = {
    "small": (2, 9, 14, 300),
    "medium": (3, 12, 30, 600),
    "large": (4, 18, 60, 1200),
}


def instance(size: str, seed: int) -> Problem:
    rounds_n, rooms_n, topics_n, people = SIZES[size]
    rng = random.Random(f"{size}-{seed}")
    rounds = tuple(Round(f"r{i + 1}", f"Ronde {i + 1}") for i in range(rounds_n))
    capacities = [150, 100, 80, 60, 50, 40, 40, 30, 30, 25, 25, 20]
    rooms = []
    for i in range(rooms_n):
        # The larger half of the rooms has everything; the rest may lack a lift or a beamer.
        features = []
        if i < rooms_n // 2 or rng.random() < 0.6:
            features.append("step_free")
        if i < rooms_n // 2 or rng.random() < 0.5:
            features.append("projector")
        rooms.append(Room(f"zaal-{i + 1}", capacities[i % len(capacities)], tuple(features)))
    # Popularity follows a long tail; the demands add up to about one favourite per person
    # per round.
    weights = [1 / (k + 1) ** 0.8 for k in range(topics_n)]
    rng.shuffle(weights)
    scale = people * rounds_n / sum(weights)
    topics: list[Topic] = []
    theme: dict[str, str] = {}
    for k in range(topics_n):
        tid = f"t{k + 1:02d}"
        # One to three hosts of their own; one topic in seven shares a host with another.
        hosts = [f"host-{k + 1}-{j + 1}" for j in range(rng.choice((1, 1, 2, 2, 3)))]
        if topics and rng.random() < 1 / 7:
            hosts.append(rng.choice(rng.choice(topics).hosts))
        needs = []
        if rng.random() < 0.2:
            needs.append("step_free")
        if rng.random() < 0.3:
            needs.append("projector")
        available = None
        if rounds_n > 1 and rng.random() < 0.15:
            missing = rng.choice(rounds).id
            available = tuple(r.id for r in rounds if r.id != missing)
        demand = max(5, round(weights[k] * scale * rng.uniform(0.8, 1.2)))
        group: int | None = rng.choice((None, None, None, 25, 30))
        topics.append(
            Topic(
                tid,
                demand,
                tuple(hosts),
                tuple(needs),
                available,
                group,
                2 if demand > 60 and rng.random() < 0.7 else 1,
            )
        )
        theme[tid] = rng.choice(LINKS)
    together = []
    for i, a in enumerate(topics):
        for b in topics[i + 1 :]:
            if theme[a.id] == theme[b.id]:
                both = round(a.demand * b.demand / people * 1.5)
                if both:
                    together.append(Together((a.id, b.id), both))
    return Problem(rounds, tuple(rooms), tuple(topics), tuple(together))


@dataclass
class Outcome:
    name: str
    seconds: float
    placements: list[Placement] | None
    note: str = ""


def pyconuk(problem: Problem, *, time_limit: float) -> Outcome:
    """PyconUK's ILP through its own API, on the same instance."""
    import pulp
    from conference_scheduler import scheduler
    from conference_scheduler.lp_problem import objective_functions
    from conference_scheduler.resources import Event, Slot

    started = time.perf_counter()
    day = dt.datetime(2027, 4, 15, 10, 0)
    round_start = {r.id: day + dt.timedelta(hours=2 * i) for i, r in enumerate(problem.rounds)}
    slots = [
        Slot(
            venue=room.id,
            starts_at=round_start[rnd.id],
            duration=60,
            capacity=room.capacity,
            session=rnd.id,
        )
        for rnd in problem.rounds
        for room in problem.rooms
    ]
    hosting: dict[str, int] = {}
    for topic in problem.topics:
        for host in topic.hosts:
            hosting[host] = hosting.get(host, 0) + 1
    runs: dict[str, int] = {}
    free = len(slots) - len(problem.topics)
    for topic in sorted(problem.topics, key=lambda t: -t.demand):
        fits = [room for room in problem.rooms if all(n in room.features for n in topic.needs)]
        biggest = max((topic.seats_in(room) for room in fits), default=0)
        rounds = len(problem.rounds) if topic.rounds is None else len(topic.rounds)
        alone = all(hosting[host] == 1 for host in topic.hosts)
        runs[topic.id] = 1
        if topic.max_runs >= 2 and topic.demand > biggest and free > 0 and rounds > 1 and alone:
            runs[topic.id] = 2
            free -= 1
    events: list[Event] = []
    event_topic: list[str] = []
    by_topic: dict[str, list[Event]] = {}
    for topic in problem.topics:
        for run in range(runs[topic.id]):
            unavailable = [
                slot
                for slot in slots
                if (topic.rounds is not None and slot.session not in topic.rounds)
                or any(
                    need not in room.features
                    for room in problem.rooms
                    if room.id == slot.venue
                    for need in topic.needs
                )
            ]
            event = Event(
                name=f"{topic.id}#{run + 1}",
                duration=60,
                demand=-(-topic.demand // runs[topic.id]),
                unavailability=unavailable,
            )
            events.append(event)
            event_topic.append(topic.id)
            by_topic.setdefault(topic.id, []).append(event)
    hosts: dict[str, list[str]] = {}
    for topic in problem.topics:
        for host in topic.hosts:
            hosts.setdefault(host, []).append(topic.id)
    # One direction is enough (PyconUK makes the relation symmetric) and both directions
    # would make its Event.__eq__, which compares unavailabilities, recurse without end.
    position = {id(event): i for i, event in enumerate(events)}
    for topic in problem.topics:
        others = {t for host in topic.hosts for t in hosts[host] if t != topic.id}
        for event in by_topic[topic.id]:
            later = [e for e in by_topic[topic.id] if position[id(e)] > position[id(event)]]
            for other in sorted(others):
                later += [e for e in by_topic[other] if position[id(e)] > position[id(event)]]
            event.add_unavailability(*later)
    # PyconUK writes its clash rows only for an event whose own unavailability is not empty,
    # so with one direction the later event of a pair could still clash; a slot that is not
    # in the schedule, listed for every event, makes the package write all the rows it means.
    nowhere = Slot(venue="(none)", starts_at=day, duration=0, capacity=0, session="(none)")
    for event in events:
        event.add_unavailability(nowhere)
    try:
        solution = scheduler.solution(
            events,
            slots,
            objective_function=objective_functions.efficiency_capacity_demand_difference,
            solver=pulp.PULP_CBC_CMD(msg=False, timeLimit=time_limit, threads=1),
        )
    except ValueError as error:
        return Outcome("PyconUK ILP (CBC)", time.perf_counter() - started, None, str(error))
    placements = [Placement(event_topic[e], slots[s].session, slots[s].venue) for e, s in solution]
    note = f"{len(events)} events in {len(slots)} slots"
    return Outcome("PyconUK ILP (CBC)", time.perf_counter() - started, placements, note)


def pyconuk_objective(problem: Problem, placements: Sequence[Placement]) -> int:
    """PyconUK's efficiency objective of a schedule: Σ (event demand − slot capacity)."""
    rooms = {room.id: room for room in problem.rooms}
    topics = {topic.id: topic for topic in problem.topics}
    runs: dict[str, int] = {}
    for p in placements:
        runs[p.topic] = runs.get(p.topic, 0) + 1
    return sum(
        -(-topics[p.topic].demand // runs[p.topic]) - rooms[p.room].capacity for p in placements
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--sizes", nargs="+", choices=list(SIZES), default=list(SIZES))
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--time-limit", type=float, default=60.0)
    args = parser.parse_args(argv)
    for size in args.sizes:
        problem = instance(size, args.seed)
        rounds_n, rooms_n, topics_n, people = SIZES[size]
        demand = sum(t.demand for t in problem.topics)
        print(
            f"\n== {size}: {rounds_n} rounds x {rooms_n} rooms, {topics_n} topics, "
            f"{people} participants, demand {demand}, {len(problem.together)} pairs wanted "
            f"together, seed {args.seed}, time limit {args.time_limit:g}s"
        )
        started = time.perf_counter()
        ours = solve(problem, time_limit=args.time_limit, seed=args.seed)
        ours_seconds = time.perf_counter() - started
        started = time.perf_counter()
        quick = greedy(problem)
        quick_seconds = time.perf_counter() - started
        outcomes = [
            Outcome(
                "ketenconf scheduler (HiGHS)",
                ours_seconds,
                list(ours.placements),
                f"{ours.status}, lower bound {ours.lower_bound}",
            ),
            Outcome("greedy start (ours)", quick_seconds, quick),
            pyconuk(problem, time_limit=args.time_limit),
        ]
        header = (
            f"{'method':<28} {'time s':>8} {'x ours':>7} {'objective':>9} {'unseated':>8} "
            f"{'clashing':>8} {'unsched':>7} {'PyconUK obj':>11} {'valid':>5}  note"
        )
        print(header)
        print("-" * len(header))
        for outcome in outcomes:
            ratio = outcome.seconds / ours_seconds if ours_seconds else float("nan")
            if outcome.placements is None:
                print(
                    f"{outcome.name:<28} {outcome.seconds:8.2f} {ratio:7.2f} "
                    f"{'-':>9} {'-':>8} {'-':>8} {'-':>7} {'-':>11} {'-':>5}  {outcome.note}"
                )
                continue
            cost = evaluate(problem, outcome.placements)
            valid = not validate_schedule(problem, outcome.placements)
            print(
                f"{outcome.name:<28} {outcome.seconds:8.2f} {ratio:7.2f} {cost.total:9d} "
                f"{cost.unseated:8d} {cost.clashing_people:8d} {len(cost.unscheduled):7d} "
                f"{pyconuk_objective(problem, outcome.placements):11d} "
                f"{'yes' if valid else 'NO':>5}  {outcome.note}"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
