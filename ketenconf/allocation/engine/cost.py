"""The objective of the contract (version 2): squared ranks, heavy convex costs for empty rounds."""

from __future__ import annotations

from collections.abc import Mapping

from .problem import Participant, Problem


def unranked_cost(topic_count: int) -> int:
    """Cost of a session whose topic the participant did not rank: ``(T + 1)²``."""
    return (topic_count + 1) ** 2


def no_session_cost(topic_count: int) -> int:
    """Cost of a participant's first attended round without a session: ``10 × (T + 1)²``."""
    return 10 * (topic_count + 1) ** 2


def empty_rounds_cost(topic_count: int, empty: int) -> int:
    """Cost of one participant left without a session in ``empty`` rounds: ``10 (T+1)² e²``.

    Version 2 of the contract: convex, so that the optimiser spreads a shortage over many
    people instead of leaving one without any session.
    """
    return no_session_cost(topic_count) * empty * empty


def extra_empty_cost(none_cost: int, empty: int) -> int:
    """What version 2 adds to ``empty`` times the first empty round's cost: ``C e (e - 1)``.

    The methods price each empty round at ``C = 10 (T + 1)²`` (version 1, a lower bound of
    version 2) and add this per participant; the k-th empty round costs ``2 C (k - 1)`` more.
    """
    return none_cost * empty * (empty - 1)


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
    return sum(
        _participant_cost(
            problem, participant, assignment.get(participant.id, {}), topic_of, topics
        )
        for participant in problem.participants
    )


def participant_cost(problem: Problem, participant: Participant, seats: Mapping[str, str]) -> int:
    """One participant's share of the objective for ``seats`` (round → session).

    Counts the participant's attended rounds that are not fixed (seats in other rounds are
    ignored), the convex charge for empty ones included. Of the participant's ``current``
    seats this is the ceiling that leaves them no worse off in a re-offer. For many
    participants of one problem use :class:`CostTable`, which reads the sessions once.
    """
    topic_of = {session.id: session.topic for session in problem.sessions}
    return _participant_cost(problem, participant, seats, topic_of, problem.topic_count)


class CostTable:
    """:func:`participant_cost` for many participants of one problem: the session topics
    and ``T`` are looked up once, not per participant."""

    def __init__(self, problem: Problem) -> None:
        self.problem = problem
        self.topic_of = {session.id: session.topic for session in problem.sessions}
        self.topics = len(set(self.topic_of.values()))

    def participant(self, participant: Participant, seats: Mapping[str, str]) -> int:
        return _participant_cost(self.problem, participant, seats, self.topic_of, self.topics)


def _participant_cost(
    problem: Problem,
    participant: Participant,
    seats: Mapping[str, str],
    topic_of: Mapping[str, str],
    topics: int,
) -> int:
    rank = {topic: k for k, topic in enumerate(participant.preferences, start=1)}
    total = empty = 0
    for rid in attended_rounds(problem, participant):
        if rid in participant.fixed:
            continue
        sid = seats.get(rid)
        if sid is None or sid not in topic_of:
            empty += 1
        elif topic_of[sid] in rank:
            total += rank_cost(rank[topic_of[sid]])
        else:
            total += unranked_cost(topics)
    return total + empty_rounds_cost(topics, empty)
