"""Helpers shared by the exact and the large method: costs of a selection and greedy filling."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from .compiled import Arcs, Compiled, IntArray


def solver_cost(compiled: Compiled, chosen: Arcs) -> int:
    """Objective the solver minimises (contract objective, version 2, plus move costs)."""
    linear = int(compiled.slot_none_cost.sum()) + int(
        (chosen.cost - compiled.slot_none_cost[chosen.slot]).sum()
    )
    return linear + int(compiled.convex_extra(compiled.empty_per_participant(chosen)).sum())


class Occupancy:
    """Seats, organisation seats and topics already used, to add arcs one at a time."""

    def __init__(self, compiled: Compiled, chosen: Arcs) -> None:
        self.compiled = compiled
        self.orgs = max(1, len(compiled.organisation_ids))
        self.share = compiled.problem.rules.max_organisation_share is not None
        self.load: IntArray = np.bincount(chosen.session, minlength=len(compiled.session_ids))
        self.org_used: dict[tuple[int, int], int] = dict(compiled.fixed_organisation)
        participant = compiled.slot_participant[chosen.slot]
        for s, o in zip(
            chosen.session.tolist(), compiled.participant_org[participant].tolist(), strict=True
        ):
            self.org_used[s, o] = self.org_used.get((s, o), 0) + 1
        self.topics: set[tuple[int, int]] = set()
        for p, topics in enumerate(compiled.fixed_topics):
            self.topics.update((p, t) for t in topics)
        for p, s in zip(participant.tolist(), chosen.session.tolist(), strict=True):
            self.topics.add((p, int(compiled.session_topic[s])))
        self.filled: set[int] = set(chosen.slot.tolist())

    def fits(self, slot: int, session: int) -> bool:
        c = self.compiled
        if slot in self.filled or self.load[session] >= c.capacity_left[session]:
            return False
        p = int(c.slot_participant[slot])
        if (p, int(c.session_topic[session])) in self.topics:
            return False
        if self.share:
            o = int(c.participant_org[p])
            if self.org_used.get((session, o), 0) >= c.organisation_limit[session]:
                return False
        return True

    def add(self, slot: int, session: int) -> None:
        c = self.compiled
        p = int(c.slot_participant[slot])
        o = int(c.participant_org[p])
        self.load[session] += 1
        self.org_used[session, o] = self.org_used.get((session, o), 0) + 1
        self.topics.add((p, int(c.session_topic[session])))
        self.filled.add(slot)


def fill_greedily(compiled: Compiled, chosen: Arcs, candidates: Arcs) -> Arcs:
    """Give empty slots the cheapest candidate arc that still fits, then any unranked seat."""
    occupancy = Occupancy(compiled, chosen)
    order = np.lexsort((candidates.session, candidates.slot, candidates.cost))
    added_slot: list[int] = []
    added_session: list[int] = []
    added_cost: list[int] = []
    for i in order.tolist():
        slot, session = int(candidates.slot[i]), int(candidates.session[i])
        if occupancy.fits(slot, session):
            occupancy.add(slot, session)
            added_slot.append(slot)
            added_session.append(session)
            added_cost.append(int(candidates.cost[i]))
    empty = np.array(sorted(set(range(compiled.slot_count)) - occupancy.filled), dtype=np.int64)
    if len(empty):
        extra = compiled.unranked_arcs_for(empty)
        for i in np.lexsort((extra.session, extra.slot)).tolist():
            slot, session = int(extra.slot[i]), int(extra.session[i])
            if occupancy.fits(slot, session):
                occupancy.add(slot, session)
                added_slot.append(slot)
                added_session.append(session)
                added_cost.append(int(extra.cost[i]))
    added = Arcs(
        np.array(added_slot, dtype=np.int64),
        np.array(added_session, dtype=np.int64),
        np.array(added_cost, dtype=np.int64),
    )
    return chosen.concat(added)


def organisation_counts(compiled: Compiled, chosen: Arcs) -> Mapping[tuple[int, int], int]:
    """Seats per (session, organisation) of fixed seats plus ``chosen``."""
    counts = dict(compiled.fixed_organisation)
    participant = compiled.slot_participant[chosen.slot]
    for s, o in zip(
        chosen.session.tolist(), compiled.participant_org[participant].tolist(), strict=True
    ):
        counts[s, o] = counts.get((s, o), 0) + 1
    return counts


def keep_feasible(compiled: Compiled, chosen: Arcs) -> Arcs:
    """Drop, in order, arcs that would break a capacity, share or topic limit."""
    occupancy = Occupancy(compiled, Arcs.empty())
    keep = np.zeros(len(chosen), dtype=np.bool_)
    for i, (slot, session) in enumerate(
        zip(chosen.slot.tolist(), chosen.session.tolist(), strict=True)
    ):
        if occupancy.fits(slot, session):
            occupancy.add(slot, session)
            keep[i] = True
    return chosen.take(keep)
