"""The problem as arrays, candidate partners from an exact pass over all pairs, and the bound.

Every pair of people is scored once, in blocks of rows, with numpy: interests and wanted
kinds are bit masks, so a block of 256 people against 20,000 is a handful of vector
operations. Each person keeps the ``k`` best partners (ties broken by a seeded draw, so
equal partners are spread rather than always the first in the list): these are the
candidate meetings the search works on, and their weights, being each person's exact top
``k``, also give the upper bound (see :mod:`.bound`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from .problem import Problem, pair
from .validate import limit

IntArray = npt.NDArray[np.int64]

#: Rows scored at once: 256 x 20,000 pairs is about 5 million cells per array.
BLOCK = 256
#: Bits for the seeded tie-break below the weight in the sort key.
NOISE_BITS = 16


@dataclass(frozen=True)
class Compiled:
    ids: list[str]
    index: dict[str, int]
    slot_ids: list[str]
    organisation: IntArray
    kind: IntArray
    links: IntArray
    interests: npt.NDArray[np.uint64]  # (people, words)
    wants: npt.NDArray[np.int32]  # (people, kinds): 1 where the person wants that kind
    available: list[int]  # slot bit mask per person
    capacity: list[int]  # meetings each may still get after the fixed ones
    slot_capacity: list[int]  # meetings each slot may still hold after the fixed ones
    fixed_busy: list[int]  # slot bit mask taken by fixed meetings, per person
    fixed_pairs: set[tuple[int, int]]
    excluded: set[tuple[int, int]]


def _codes(values: list[object]) -> tuple[IntArray, dict[object, int]]:
    table: dict[object, int] = {}
    codes = np.fromiter((table.setdefault(v, len(table)) for v in values), dtype=np.int64)
    return codes, table


def compile_problem(problem: Problem) -> Compiled:
    people = problem.people
    ids = [p.id for p in people]
    index = {pid: i for i, pid in enumerate(ids)}
    slot_ids = [s.id for s in problem.slots]
    slot_bit = {sid: 1 << i for i, sid in enumerate(slot_ids)}
    all_slots = (1 << len(slot_ids)) - 1

    organisation, _ = _codes([p.organisation for p in people])
    kind, kind_codes = _codes([p.kind for p in people])
    links, _ = _codes([frozenset(p.chain_links) for p in people])
    vocabulary: dict[str, int] = {}
    for person in people:
        for interest in person.interests:
            vocabulary.setdefault(interest, len(vocabulary))
    words = max(1, (len(vocabulary) + 63) // 64)
    interests = np.zeros((len(people), words), dtype=np.uint64)
    wants = np.zeros((len(people), max(1, len(kind_codes))), dtype=np.int32)
    for i, person in enumerate(people):
        for interest in set(person.interests):
            bit = vocabulary[interest]
            interests[i, bit // 64] |= np.uint64(1 << (bit % 64))
        for wanted_kind in set(person.wanted_kinds):
            if wanted_kind in kind_codes:
                wants[i, kind_codes[wanted_kind]] = 1

    available = [
        all_slots if p.slots is None else sum(slot_bit[s] for s in set(p.slots)) for p in people
    ]
    capacity = [limit(problem, p) for p in people]
    slot_capacity = [problem.meetings_per_slot] * len(slot_ids)
    fixed_busy = [0] * len(people)
    fixed_pairs: set[tuple[int, int]] = set()
    for meeting in problem.fixed:
        a, b = index[meeting.first], index[meeting.second]
        fixed_pairs.add((min(a, b), max(a, b)))
        slot_capacity[slot_ids.index(meeting.slot)] -= 1
        for member in (a, b):
            capacity[member] -= 1
            fixed_busy[member] |= slot_bit[meeting.slot]
    excluded = set()
    for a_id, b_id in problem.excluded:
        a, b = index[a_id], index[b_id]
        excluded.add((min(a, b), max(a, b)))
    return Compiled(
        ids=ids,
        index=index,
        slot_ids=slot_ids,
        organisation=organisation,
        kind=kind,
        links=links,
        interests=interests,
        wants=wants,
        available=available,
        capacity=[max(0, c) for c in capacity],
        slot_capacity=[max(0, c) for c in slot_capacity],
        fixed_busy=fixed_busy,
        fixed_pairs=fixed_pairs,
        excluded=excluded,
    )


@dataclass(frozen=True)
class Candidates:
    """Candidate meetings ``(u, v, weight)`` with ``u < v``, and each person's best weights."""

    u: IntArray
    v: IntArray
    weight: IntArray
    top: list[list[int]]  # per person: the weights of their best partners, best first
    options: IntArray  # per person: how many people they could meet at all


def weights_block(compiled: Compiled, problem: Problem, rows: IntArray) -> npt.NDArray[np.int32]:
    """The weights of ``rows`` against everyone: the numpy twin of ``pair_weight``."""
    rules = problem.rules
    c = compiled
    shared = np.zeros((len(rows), len(c.ids)), dtype=np.uint8)
    for word in range(c.interests.shape[1]):
        shared += np.bitwise_count(c.interests[rows, word][:, None] & c.interests[None, :, word])
    wanted = c.wants[rows][:, c.kind] + c.wants[:, c.kind[rows]].T
    weight = shared.astype(np.int32) * rules.shared_interest
    weight += wanted * np.int32(rules.wanted_kind)
    weight += (c.kind[rows][:, None] != c.kind[None, :]) * np.int32(rules.other_kind)
    weight += (c.links[rows][:, None] != c.links[None, :]) * np.int32(rules.other_chain_links)
    keep = (shared > 0) | (wanted > 0)
    keep &= c.organisation[rows][:, None] != c.organisation[None, :]
    weight[~keep] = 0
    return weight


def candidates(compiled: Compiled, problem: Problem, *, k: int, seed: int) -> Candidates:
    """Each person's ``k`` best partners among those who may still meet someone.

    Among partners of equal weight the choice is spread by a seeded draw: a random number
    per person, combined per pair, ranks ties, so not everyone picks the same people.
    """
    c = compiled
    n = len(c.ids)
    rng = np.random.default_rng(seed)
    draw = rng.integers(0, 1 << NOISE_BITS, size=n, dtype=np.int32)
    open_people = np.array(
        [cap > 0 and c.available[i] != 0 for i, cap in enumerate(c.capacity)], dtype=bool
    )
    top: list[list[int]] = [[] for _ in range(n)]
    options = np.zeros(n, dtype=np.int64)
    us: list[IntArray] = []
    vs: list[IntArray] = []
    ws: list[IntArray] = []
    rows_all = np.flatnonzero(open_people)
    take = min(k, n)
    for start in range(0, len(rows_all), BLOCK):
        rows = rows_all[start : start + BLOCK]
        weight = weights_block(c, problem, rows)
        weight[:, ~open_people] = 0
        options[rows] = np.count_nonzero(weight, axis=1)
        key = (weight << NOISE_BITS) | (draw[rows][:, None] ^ draw[None, :])
        best = np.argpartition(-key, take - 1, axis=1)[:, :take]
        best_keys = np.take_along_axis(key, best, axis=1)
        order = np.argsort(-best_keys, axis=1)
        best = np.take_along_axis(best, order, axis=1)
        best_weights = np.take_along_axis(weight, best, axis=1).astype(np.int64)
        for r, row in enumerate(rows.tolist()):
            values = best_weights[r]
            top[row] = values[values > 0].tolist()
        valid = best_weights > 0
        row_index = np.repeat(rows[:, None], take, axis=1)[valid]
        col_index = best[valid]
        us.append(np.minimum(row_index, col_index))
        vs.append(np.maximum(row_index, col_index))
        ws.append(best_weights[valid])
    if us:
        u, v, w = np.concatenate(us), np.concatenate(vs), np.concatenate(ws)
    else:
        u = v = w = np.zeros(0, dtype=np.int64)
    # Each pair once; pairs that meet already or were declined are no candidates.
    _, first = np.unique(u * n + v, return_index=True)
    u, v, w = u[first], v[first], w[first]
    skip = c.fixed_pairs | c.excluded
    if skip:
        drop = np.array([(int(a), int(b)) in skip for a, b in zip(u, v, strict=True)], dtype=bool)
        u, v, w = u[~drop], v[~drop], w[~drop]
    return Candidates(u=u, v=v, weight=w, top=top, options=options)


def fixed_weight(problem: Problem) -> int:
    from .weights import pair_weight

    people = {p.id: p for p in problem.people}
    return sum(pair_weight(people[m.first], people[m.second], problem.rules) for m in problem.fixed)


__all__ = ["Candidates", "Compiled", "candidates", "compile_problem", "pair"]
