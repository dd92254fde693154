"""What organisers do without an optimiser, to compare against in benchmarks.

Both let participants pick one after another: each takes their best-ranked topic that still
has a seat in a round they have free, then the next, and finally any session with room for
rounds still empty (a sign-up form that closes full sessions). They differ only in the order.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Sequence

from .cost import attended_rounds
from .problem import Participant, Problem


def first_come_first_served(problem: Problem) -> dict[str, dict[str, str]]:
    """Participants pick in the order of the input (the order they registered)."""
    return _serial(problem, problem.participants)


def random_serial_dictatorship(problem: Problem, *, seed: int = 0) -> dict[str, dict[str, str]]:
    """Participants pick in a random order drawn with ``seed``."""
    order = list(problem.participants)
    random.Random(seed).shuffle(order)
    return _serial(problem, order)


def _serial(problem: Problem, order: Sequence[Participant]) -> dict[str, dict[str, str]]:
    sessions = {s.id: s for s in problem.sessions}
    load: Counter[str] = Counter()
    org_load: Counter[tuple[str, str]] = Counter()
    for participant in problem.participants:
        for sid in participant.fixed.values():
            load[sid] += 1
            org_load[sid, participant.organisation] += 1
    by_topic: dict[str, list[str]] = {}
    for session in problem.sessions:
        by_topic.setdefault(session.topic, []).append(session.id)
    rules = problem.rules

    def room(participant: Participant, sid: str) -> bool:
        session = sessions[sid]
        if load[sid] >= session.capacity:
            return False
        if participant.needs_accessible and not session.accessible:
            return False
        limit = rules.organisation_limit(session.capacity)
        return limit is None or org_load[sid, participant.organisation] < limit

    assignment: dict[str, dict[str, str]] = {}
    for participant in order:
        seats = dict(participant.fixed)
        free = [r for r in attended_rounds(problem, participant) if r not in seats]
        topics = {sessions[sid].topic for sid in seats.values()}

        wanted = [sessions[sid] for t in participant.preferences for sid in by_topic[t]]
        for session in [*wanted, *problem.sessions]:
            if (
                session.round in free
                and session.topic not in topics
                and room(participant, session.id)
            ):
                seats[session.round] = session.id
                free.remove(session.round)
                topics.add(session.topic)
                load[session.id] += 1
                org_load[session.id, participant.organisation] += 1
        assignment[participant.id] = seats
    return {p.id: assignment[p.id] for p in problem.participants}


def waiting_list(problem: Problem) -> dict[str, dict[str, str]]:
    """A re-offer (contract version 3) as other platforms do it: a first-come first-served
    waiting list.

    Everyone keeps their ``current`` and fixed seats. Freed seats go to whoever asked first:
    in the order of the input (registration order; walk-ins, who have no ``current`` seat,
    after everyone else), each participant in turn takes, in a round that is not fixed, a
    seat with room in a topic they ranked better than the one they hold there (best first,
    never a topic they hold in another round); a move frees their old seat for whoever comes
    next, and the passes repeat until nobody moves. Then rounds still without a seat get any
    session with room, in the same order (the desk gives walk-ins whatever is left). Nobody
    is moved to a worse rank, so nobody's ceiling is broken.
    """
    sessions = {s.id: s for s in problem.sessions}
    by_round_topic: dict[tuple[str, str], list[str]] = {}
    for session in problem.sessions:
        by_round_topic.setdefault((session.round, session.topic), []).append(session.id)
    load: Counter[str] = Counter()
    org_load: Counter[tuple[str, str]] = Counter()
    seats: dict[str, dict[str, str]] = {}
    order = sorted(problem.participants, key=lambda p: not p.current)
    for participant in order:
        attended = set(attended_rounds(problem, participant))
        held = {r: s for r, s in participant.current.items() if r in attended}
        held.update(participant.fixed)
        seats[participant.id] = held
        for sid in held.values():
            load[sid] += 1
            org_load[sid, participant.organisation] += 1
    rules = problem.rules

    def room(participant: Participant, sid: str) -> bool:
        session = sessions[sid]
        if load[sid] >= session.capacity:
            return False
        if participant.needs_accessible and not session.accessible:
            return False
        limit = rules.organisation_limit(session.capacity)
        return limit is None or org_load[sid, participant.organisation] < limit

    def take(participant: Participant, rid: str, sid: str) -> None:
        mine = seats[participant.id]
        old = mine.get(rid)
        if old is not None:
            load[old] -= 1
            org_load[old, participant.organisation] -= 1
        mine[rid] = sid
        load[sid] += 1
        org_load[sid, participant.organisation] += 1

    moved = True
    while moved:
        moved = False
        for participant in order:
            mine = seats[participant.id]
            for rid in attended_rounds(problem, participant):
                if rid in participant.fixed:
                    continue
                topics = {sessions[sid].topic for r, sid in mine.items() if r != rid}
                now = sessions[mine[rid]].topic if rid in mine else None
                for topic in participant.preferences:
                    if topic == now:
                        break
                    if topic in topics:
                        continue
                    free = [s for s in by_round_topic.get((rid, topic), []) if room(participant, s)]
                    if free:
                        take(participant, rid, free[0])
                        moved = True
                        break
    for participant in order:
        mine = seats[participant.id]
        for rid in attended_rounds(problem, participant):
            if rid in mine:
                continue
            topics = {sessions[sid].topic for sid in mine.values()}
            for session in problem.sessions:
                if (
                    session.round == rid
                    and session.topic not in topics
                    and room(participant, session.id)
                ):
                    take(participant, rid, session.id)
                    break
    return {p.id: seats[p.id] for p in problem.participants}
