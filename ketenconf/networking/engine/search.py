"""Meetings on the candidate graph: a greedy start, then moves that only ever add weight.

The state keeps, per person, the meetings they have by slot and the meetings they may still
get; per slot, the meetings it may still hold. Three moves improve it, each applied only
when the total weight rises, so the search ends:

- *insert*: both are free in a slot with a free table place;
- *shift*: both may meet more, but no slot is free for both: move one of their meetings to
  another slot where its two people are free, then meet in the slot that freed;
- *exchange*: give up the lightest meetings in the way (of either person, or the lightest
  of a full slot) for a heavier one.
"""

from __future__ import annotations

import heapq
import time

import numpy as np

from .compiled import Candidates, Compiled

Pair = tuple[int, int]


def bits(mask: int) -> list[int]:
    out = []
    while mask:
        low = mask & -mask
        out.append(low.bit_length() - 1)
        mask ^= low
    return out


class State:
    def __init__(self, compiled: Compiled) -> None:
        self.compiled = compiled
        n = len(compiled.ids)
        self.capacity = list(compiled.capacity)
        self.busy = list(compiled.fixed_busy)
        self.available = compiled.available
        self.slot_left = list(compiled.slot_capacity)
        self.open_mask = sum(1 << s for s, left in enumerate(self.slot_left) if left > 0)
        self.at: list[dict[int, tuple[int, int]]] = [{} for _ in range(n)]
        self.meetings: dict[Pair, tuple[int, int, bool]] = {}
        self.weight = 0
        self.heaps: list[list[tuple[int, int, int]]] = [[] for _ in self.slot_left]

    def common(self, u: int, v: int) -> int:
        """Slots in which both are there, both free, and a table place is free."""
        free = ~(self.busy[u] | self.busy[v])
        return self.available[u] & self.available[v] & free & self.open_mask

    def best_slot(self, mask: int) -> int:
        """The slot with the most table places left (the earliest among equals)."""
        return max(bits(mask), key=lambda s: (self.slot_left[s], -s))

    def add(self, u: int, v: int, slot: int, weight: int, *, locked: bool = False) -> None:
        key = (u, v) if u < v else (v, u)
        self.meetings[key] = (slot, weight, locked)
        bit = 1 << slot
        for person, partner in ((u, v), (v, u)):
            self.capacity[person] -= 1
            self.busy[person] |= bit
            self.at[person][slot] = (partner, weight)
        self.slot_left[slot] -= 1
        if self.slot_left[slot] == 0:
            self.open_mask &= ~bit
        if not locked:
            heapq.heappush(self.heaps[slot], (weight, key[0], key[1]))
        self.weight += weight

    def remove(self, u: int, v: int) -> tuple[int, int]:
        key = (u, v) if u < v else (v, u)
        slot, weight, _locked = self.meetings.pop(key)
        bit = 1 << slot
        for person in key:
            self.capacity[person] += 1
            self.busy[person] &= ~bit
            del self.at[person][slot]
        self.slot_left[slot] += 1
        self.open_mask |= bit
        self.weight -= weight
        return slot, weight

    def lightest_in(self, slot: int) -> tuple[int, Pair] | None:
        heap = self.heaps[slot]
        while heap:
            weight, u, v = heap[0]
            current = self.meetings.get((u, v))
            if current is not None and current[0] == slot and current[1] == weight:
                return weight, (u, v)
            heapq.heappop(heap)
        return None

    def movable(self, person: int, slot: int) -> tuple[int, int] | None:
        """The meeting ``person`` has in ``slot`` if the search may touch it."""
        found = self.at[person].get(slot)
        if found is None:
            return None
        partner, _weight = found
        key = (person, partner) if person < partner else (partner, person)
        return None if self.meetings[key][2] else found

    def lightest_of(self, person: int, skip_slot: int) -> tuple[int, int, int] | None:
        """``(weight, partner, slot)`` of the person's lightest movable meeting elsewhere."""
        best = None
        for slot in self.at[person]:
            if slot == skip_slot:
                continue
            found = self.movable(person, slot)
            if found is not None and (best is None or found[1] < best[0]):
                best = (found[1], found[0], slot)
        return best


def greedy(state: State, candidates: Candidates, *, order: np.ndarray) -> None:
    """Take candidate meetings in ``order`` when both people and a slot have room."""
    us, vs, ws = candidates.u.tolist(), candidates.v.tolist(), candidates.weight.tolist()
    for e in order.tolist():
        u, v = us[e], vs[e]
        if state.capacity[u] <= 0 or state.capacity[v] <= 0 or (u, v) in state.meetings:
            continue
        mask = state.common(u, v)
        if mask:
            state.add(u, v, state.best_slot(mask), ws[e])


def first_fit(state: State, candidates: Candidates) -> None:
    """The baseline: heaviest candidate first, into the first slot free for both."""
    us, vs, ws = candidates.u.tolist(), candidates.v.tolist(), candidates.weight.tolist()
    for e in np.argsort(-candidates.weight, kind="stable").tolist():
        u, v = us[e], vs[e]
        if state.capacity[u] <= 0 or state.capacity[v] <= 0:
            continue
        mask = state.common(u, v)
        if mask:
            state.add(u, v, (mask & -mask).bit_length() - 1, ws[e])


def _try_shift(state: State, u: int, v: int, weight: int) -> bool:
    both = state.available[u] & state.available[v]
    for slot in bits(both):
        bit = 1 << slot
        busy_u, busy_v = state.busy[u] & bit, state.busy[v] & bit
        if bool(busy_u) == bool(busy_v):
            continue
        mover = u if busy_u else v
        found = state.movable(mover, slot)
        if found is None:
            continue
        partner, partner_weight = found
        targets = (
            state.available[mover]
            & state.available[partner]
            & ~(state.busy[mover] | state.busy[partner])
            & state.open_mask
        )
        if not targets:
            continue
        state.remove(mover, partner)
        state.add(mover, partner, state.best_slot(targets), partner_weight)
        state.add(u, v, slot, weight)
        return True
    return False


def _try_exchange(state: State, u: int, v: int, weight: int) -> bool:
    best: tuple[int, list[Pair], int] | None = None
    for slot in bits(state.available[u] & state.available[v]):
        bit = 1 << slot
        drops: list[Pair] = []
        loss = 0
        ok = True
        for person in (u, v):
            if state.busy[person] & bit:
                found = state.movable(person, slot)
                if found is None:
                    ok = False
                    break
                partner, lost = found
                drops.append((min(person, partner), max(person, partner)))
                loss += lost
            elif state.capacity[person] <= 0:
                other = state.lightest_of(person, slot)
                if other is None:
                    ok = False
                    break
                lost, partner, _other_slot = other
                drops.append((min(person, partner), max(person, partner)))
                loss += lost
        if not ok or loss >= weight:
            continue
        freed = sum(1 for pair in drops if state.meetings[pair][0] == slot)
        if state.slot_left[slot] + freed <= 0:
            lightest = state.lightest_in(slot)
            if lightest is None or lightest[1] in drops:
                continue
            loss += lightest[0]
            drops = [*drops, lightest[1]]
            if loss >= weight:
                continue
        if best is None or loss < best[0]:
            best = (loss, drops, slot)
    if best is None:
        return False
    _loss, drops, slot = best
    for a, b in dict.fromkeys(drops):
        state.remove(a, b)
    state.add(u, v, slot, weight)
    return True


def improve(state: State, candidates: Candidates, *, order: np.ndarray, deadline: float) -> int:
    """Passes of insert, shift and exchange moves until none helps; returns the passes made."""
    us, vs, ws = candidates.u.tolist(), candidates.v.tolist(), candidates.weight.tolist()
    passes = 0
    improved = True
    while improved and time.perf_counter() < deadline:
        improved = False
        passes += 1
        for count, e in enumerate(order.tolist()):
            if count % 4096 == 0 and time.perf_counter() >= deadline:
                break
            u, v, weight = us[e], vs[e], ws[e]
            if (u, v) in state.meetings:
                continue
            if state.capacity[u] > 0 and state.capacity[v] > 0:
                mask = state.common(u, v)
                if mask:
                    state.add(u, v, state.best_slot(mask), weight)
                    improved = True
                    continue
                if _try_shift(state, u, v, weight):
                    improved = True
                    continue
            if _try_exchange(state, u, v, weight):
                improved = True
    return passes
