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
