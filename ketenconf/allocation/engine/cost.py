"""The objective of ALLOCATION.md: squared preference ranks, with heavy costs for the rest."""

from __future__ import annotations

from collections.abc import Mapping

from .problem import Participant, Problem


def unranked_cost(topic_count: int) -> int:
    """Cost of a session whose topic the participant did not rank: ``(T + 1)²``."""
    return (topic_count + 1) ** 2


def no_session_cost(topic_count: int) -> int:
    """Cost of an attended round without a session: ``10 × (T + 1)²``."""
    return 10 * (topic_count + 1) ** 2


def rank_cost(rank: int) -> int:
    """Cost of the topic at 1-based position ``rank`` of the preferences: ``rank²``."""
    return rank * rank


def attended_rounds(problem: Problem, participant: Participant) -> tuple[str, ...]:
    """The rounds a participant attends, in the order of ``problem.rounds``."""
    if participant.rounds is None:
        return tuple(rnd.id for rnd in problem.rounds)
    chosen = set(participant.rounds)
    return tuple(rnd.id for rnd in problem.rounds if rnd.id in chosen)


def objective(problem: Problem, assignment: Mapping[str, Mapping[str, str]]) -> int:
    """The contract objective of a (feasible) assignment; fixed seats cost nothing."""
    topic_of = {session.id: session.topic for session in problem.sessions}
    topics = problem.topic_count
    total = 0
    for participant in problem.participants:
        seats = assignment.get(participant.id, {})
        rank = {topic: k for k, topic in enumerate(participant.preferences, start=1)}
        for rid in attended_rounds(problem, participant):
            if rid in participant.fixed:
                continue
            sid = seats.get(rid)
            if sid is None:
                total += no_session_cost(topics)
            elif topic_of[sid] in rank:
                total += rank_cost(rank[topic_of[sid]])
            else:
                total += unranked_cost(topics)
    return total
