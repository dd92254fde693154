"""A validated problem turned into integer-indexed arrays for the solvers.

Every method prices an empty round at ``none_cost`` (the contract's first empty round); the
convex rest of version 2 (``C e (e − 1)`` per participant with ``e`` empty rounds) is added
where a method costs whole schedules, so bounds computed without it stay valid (lower).

A *slot* is one participant in one attended round that is not fixed: the unit that gets a
session or none. An *arc* is a (slot, session) pair the slot may use. Ranked arcs (topics in
the participant's preferences) are listed up front; arcs to unranked topics all cost
``(T + 1)²`` and are generated only when prices say they could help.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from .cost import attended_rounds, no_session_cost, rank_cost, unranked_cost
from .problem import Problem

IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]


@dataclass
class Arcs:
    """Parallel arrays: the slot, the session and the solver cost of every arc."""

    slot: IntArray
    session: IntArray
    cost: IntArray  # contract cost plus the move cost when it leaves a published seat

    @staticmethod
    def empty() -> Arcs:
        z = np.zeros(0, dtype=np.int64)
        return Arcs(z, z.copy(), z.copy())

    def __len__(self) -> int:
        return len(self.slot)

    def take(self, mask: npt.NDArray[np.bool_] | IntArray) -> Arcs:
        return Arcs(self.slot[mask], self.session[mask], self.cost[mask])

    def concat(self, other: Arcs) -> Arcs:
        return Arcs(
            np.concatenate([self.slot, other.slot]),
            np.concatenate([self.session, other.session]),
            np.concatenate([self.cost, other.cost]),
        )


@dataclass
class Compiled:
    """Integer-indexed view of a problem that passed :func:`validate`."""

    problem: Problem
    topic_count: int
    none_cost: int  # 10 (T+1)^2
    unranked_cost: int  # (T+1)^2
    move_cost: int
    round_ids: list[str]
    session_ids: list[str]
    session_round: IntArray
    session_topic: IntArray
    session_accessible: BoolArray
    capacity_left: IntArray  # capacity minus fixed seats
    organisation_limit: IntArray  # per session; -1 when the share rule is off
    fixed_organisation: Counter[tuple[int, int]]  # (session, org) -> fixed seats
    organisation_ids: list[str]
    participant_org: IntArray
    participant_accessible: BoolArray
    slot_participant: IntArray
    slot_round: IntArray
    slot_previous: IntArray  # published session of the slot, -1 if none
    slot_none_cost: IntArray  # cost of no session for this slot, move cost included
    participant_slots: IntArray  # per participant: attended rounds that are not fixed
    fixed_topics: list[set[int]]  # per participant
    ranked: Arcs  # every ranked arc (and every arc to a published seat)
    ranked_rank: IntArray  # 1-based rank of each ranked arc, 0 for an unranked published seat

    @property
    def slot_count(self) -> int:
        return len(self.slot_participant)

    @property
    def bound_scale(self) -> float:
        """The size of the numbers a float bound adds up: the none costs and as much again
        for the reduced costs and prices (see :func:`relaxation.integer_bound`)."""
        return 4.0 * float(self.slot_none_cost.sum()) + 1.0

    def convex_extra(self, empty: IntArray) -> IntArray:
        """Per count of empty rounds, what version 2 adds to ``e × none_cost``: ``C e (e−1)``."""
        empty = np.asarray(empty, dtype=np.int64)
        return self.none_cost * empty * np.maximum(empty - 1, 0)

    def empty_per_participant(self, chosen: Arcs) -> IntArray:
        """Per participant: non-fixed attended rounds without an arc in ``chosen``."""
        filled = np.bincount(
            self.slot_participant[chosen.slot], minlength=len(self.participant_slots)
        )
        return self.participant_slots - filled

    def unranked_arcs_for(self, slots: IntArray) -> Arcs:
        """Every arc from these slots to a session of a topic the participant did not rank."""
        problem = self.problem
        out_slot: list[int] = []
        out_session: list[int] = []
        by_round: dict[int, list[int]] = {}
        for s, r in enumerate(self.session_round.tolist()):
            by_round.setdefault(r, []).append(s)
        topic_index = self._topic_index()
        for slot in slots.tolist():
            p = int(self.slot_participant[slot])
            participant = problem.participants[p]
            ranked = {topic_index[t] for t in participant.preferences}
            needs = bool(self.participant_accessible[p])
            for s in by_round.get(int(self.slot_round[slot]), []):
                t = int(self.session_topic[s])
                if t in ranked or t in self.fixed_topics[p]:
                    continue
                if needs and not self.session_accessible[s]:
                    continue
                if s == self.slot_previous[slot]:
                    continue  # already among the ranked arcs
                out_slot.append(slot)
                out_session.append(s)
        slot_arr = np.asarray(out_slot, dtype=np.int64)
        session_arr = np.asarray(out_session, dtype=np.int64)
        cost = np.full(len(slot_arr), self.unranked_cost, dtype=np.int64)
        cost += np.where(self.slot_previous[slot_arr] >= 0, self.move_cost, 0)
        return Arcs(slot_arr, session_arr, cost)

    def _topic_index(self) -> dict[str, int]:
        index: dict[str, int] = {}
        for session in self.problem.sessions:
            index.setdefault(session.topic, len(index))
        return index


def compile_problem(problem: Problem) -> Compiled:
    """Index a valid problem. Behaviour on an invalid problem is undefined: validate first."""
    round_ids = [rnd.id for rnd in problem.rounds]
    round_index = {rid: i for i, rid in enumerate(round_ids)}
    topic_index: dict[str, int] = {}
    for session in problem.sessions:
        topic_index.setdefault(session.topic, len(topic_index))
    topic_count = len(topic_index)
    session_index = {session.id: i for i, session in enumerate(problem.sessions)}
    session_round = np.array([round_index[s.round] for s in problem.sessions], dtype=np.int64)
    session_topic = np.array([topic_index[s.topic] for s in problem.sessions], dtype=np.int64)
    session_accessible = np.array([s.accessible for s in problem.sessions], dtype=np.bool_)
    capacity = np.array([s.capacity for s in problem.sessions], dtype=np.int64)

    organisation_index: dict[str, int] = {}
    participant_org = np.zeros(len(problem.participants), dtype=np.int64)
    participant_accessible = np.zeros(len(problem.participants), dtype=np.bool_)
    fixed_count: Counter[int] = Counter()
    fixed_org: Counter[tuple[int, int]] = Counter()
    fixed_topics: list[set[int]] = []
    for p, participant in enumerate(problem.participants):
        o = organisation_index.setdefault(participant.organisation, len(organisation_index))
        participant_org[p] = o
        participant_accessible[p] = participant.needs_accessible
        topics: set[int] = set()
        for sid in participant.fixed.values():
            s = session_index[sid]
            fixed_count[s] += 1
            fixed_org[s, o] += 1
            topics.add(int(session_topic[s]))
        fixed_topics.append(topics)
    capacity_left = capacity - np.array(
        [fixed_count[s] for s in range(len(problem.sessions))], dtype=np.int64
    )

    limits = [problem.rules.organisation_limit(int(c)) for c in capacity]
    organisation_limit = np.array([-1 if x is None else x for x in limits], dtype=np.int64)

    move_cost = problem.effective_move_cost() if problem.previous is not None else 0
    none_cost = no_session_cost(topic_count)
    sessions_of_topic_round: dict[tuple[int, int], list[int]] = {}
    for s in range(len(problem.sessions)):
        key = (int(session_topic[s]), int(session_round[s]))
        sessions_of_topic_round.setdefault(key, []).append(s)

    slot_participant: list[int] = []
    slot_round: list[int] = []
    slot_previous: list[int] = []
    arc_slot: list[int] = []
    arc_session: list[int] = []
    arc_cost: list[int] = []
    arc_rank: list[int] = []
    previous = problem.previous or {}
    unranked = unranked_cost(topic_count)
    for p, participant in enumerate(problem.participants):
        published = previous.get(participant.id, {})
        needs = participant.needs_accessible
        taken = fixed_topics[p]
        ranks = [(k, topic_index[t]) for k, t in enumerate(participant.preferences, start=1)]
        rank_of = {t: k for k, t in ranks}
        for rid in attended_rounds(problem, participant):
            if rid in participant.fixed:
                continue
            r = round_index[rid]
            slot = len(slot_participant)
            slot_participant.append(p)
            slot_round.append(r)
            prev = session_index.get(published.get(rid, ""), -1)
            if prev >= 0 and (
                session_round[prev] != r
                or (needs and not session_accessible[prev])
                or int(session_topic[prev]) in taken
            ):
                prev = -1  # a published seat that can no longer be kept
            slot_previous.append(prev)
            move = move_cost if prev >= 0 else 0
            for k, t in ranks:
                if t in taken:
                    continue
                for s in sessions_of_topic_round.get((t, r), ()):
                    if needs and not session_accessible[s]:
                        continue
                    arc_slot.append(slot)
                    arc_session.append(s)
                    arc_cost.append(rank_cost(k) + (0 if s == prev else move))
                    arc_rank.append(k)
            if prev >= 0 and int(session_topic[prev]) not in rank_of:
                arc_slot.append(slot)
                arc_session.append(prev)
                arc_cost.append(unranked)
                arc_rank.append(0)

    slot_prev_arr = np.array(slot_previous, dtype=np.int64)
    return Compiled(
        problem=problem,
        topic_count=topic_count,
        none_cost=none_cost,
        unranked_cost=unranked,
        move_cost=move_cost,
        round_ids=round_ids,
        session_ids=[s.id for s in problem.sessions],
        session_round=session_round,
        session_topic=session_topic,
        session_accessible=session_accessible,
        capacity_left=capacity_left,
        organisation_limit=organisation_limit,
        fixed_organisation=fixed_org,
        organisation_ids=list(organisation_index),
        participant_org=participant_org,
        participant_accessible=participant_accessible,
        slot_participant=np.array(slot_participant, dtype=np.int64),
        slot_round=np.array(slot_round, dtype=np.int64),
        slot_previous=slot_prev_arr,
        participant_slots=np.bincount(
            np.array(slot_participant, dtype=np.int64), minlength=len(problem.participants)
        ).astype(np.int64),
        slot_none_cost=none_cost + np.where(slot_prev_arr >= 0, move_cost, 0).astype(np.int64),
        fixed_topics=fixed_topics,
        ranked=Arcs(
            np.array(arc_slot, dtype=np.int64),
            np.array(arc_session, dtype=np.int64),
            np.array(arc_cost, dtype=np.int64),
        ),
        ranked_rank=np.array(arc_rank, dtype=np.int64),
    )
