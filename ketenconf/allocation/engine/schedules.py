"""Each participant's best *schedule* (a session or none per attended round) under prices.

Given non-negative prices on sessions (capacity) and on (session, organisation) pairs (the
share rule), every participant's cheapest schedule is a small assignment problem between
their free rounds and their ranked topics, never a topic twice. It is solved for all
participants at once by a dynamic programme over topics whose state is the set of rounds
already filled (2^rounds states), vectorised with numpy.

Rounds left open take the better of no session and the cheapest unranked session of the
round; for the bound that unranked price ignores which topics are unranked (a value that can
only be lower), for the schedule an actual unranked session of an unused topic is picked.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from .compiled import Compiled, IntArray

FloatArray = npt.NDArray[np.float64]
MAX_ROUNDS = 10  # 2^rounds DP states per participant
CHUNK = 20_000
CELLS = 2_000_000


@dataclass
class Schedules:
    """A batch of schedules: ``participant`` and the session per round (-1: none)."""

    participant: IntArray  # index into problem.participants
    session: IntArray  # shape (n, rounds), -1 = no session
    cost: IntArray  # contract objective of the schedule's free rounds (move costs excluded)


@dataclass
class Table:
    """Per-participant data the oracle needs, built once."""

    participants: IntArray  # participants with at least one free round
    free: npt.NDArray[np.bool_]  # (n, rounds) attended and not fixed
    topics: IntArray  # (n, K) ranked topics not already fixed, -1 padding
    ranks: IntArray  # (n, K) their 1-based ranks
    org: IntArray
    accessible: npt.NDArray[np.bool_]


def build_table(compiled: Compiled) -> Table:
    problem = compiled.problem
    rounds = len(compiled.round_ids)
    free = np.zeros((len(problem.participants), rounds), dtype=np.bool_)
    free[compiled.slot_participant, compiled.slot_round] = True
    participants = np.flatnonzero(free.any(axis=1))
    topic_index: dict[str, int] = {}
    for session in problem.sessions:
        topic_index.setdefault(session.topic, len(topic_index))
    lists = []
    for p in participants.tolist():
        taken = compiled.fixed_topics[p]
        lists.append(
            [
                (topic_index[t], k)
                for k, t in enumerate(problem.participants[p].preferences, start=1)
                if topic_index[t] not in taken
            ]
        )
    width = max((len(x) for x in lists), default=0)
    topics = np.full((len(participants), max(1, width)), -1, dtype=np.int64)
    ranks = np.zeros((len(participants), max(1, width)), dtype=np.int64)
    for i, entries in enumerate(lists):
        for j, (t, k) in enumerate(entries):
            topics[i, j] = t
            ranks[i, j] = k
    return Table(
        participants=participants,
        free=free[participants],
        topics=topics,
        ranks=ranks,
        org=compiled.participant_org[participants],
        accessible=compiled.participant_accessible[participants],
    )


@dataclass
class SessionPrices:
    """Non-negative prices: per session, and per (session, organisation) for some pairs."""

    session: FloatArray
    organisation: dict[int, FloatArray]  # organisation -> price per session


def best_schedules(
    compiled: Compiled, table: Table, prices: SessionPrices
) -> tuple[FloatArray, Schedules]:
    """Per table participant: the least priced cost (valid for a bound) and that schedule."""
    n = len(table.participants)
    values = np.zeros(n)
    sessions = np.full((n, len(compiled.round_ids)), -1, dtype=np.int64)
    costs = np.zeros(n, dtype=np.int64)
    # The version-2 step holds (participants × 2^rounds × rounds) numbers: keep it small.
    rounds = len(compiled.round_ids)
    chunk = max(1, min(CHUNK, CELLS // ((1 << rounds) * (rounds + 1))))
    for start in range(0, n, chunk):
        part = slice(start, min(n, start + chunk))
        v, s, c = _chunk(compiled, table, prices, part)
        values[part], sessions[part], costs[part] = v, s, c
    return values, Schedules(table.participants.copy(), sessions, costs)


def _session_tables(
    compiled: Compiled, prices: SessionPrices, variant_prices: FloatArray
) -> tuple[FloatArray, IntArray, FloatArray]:
    """Per (needs step-free, topic, round): least price and its session; per round the
    least unranked price (needs, round)."""
    rounds = len(compiled.round_ids)
    topics = compiled.topic_count
    value = np.full((2, topics, rounds), np.inf)
    arg = np.full((2, topics, rounds), -1, dtype=np.int64)
    unranked = np.full((2, rounds), np.inf)
    order = np.argsort(variant_prices, kind="stable")
    for s in order[::-1].tolist():  # cheapest written last
        t, r = int(compiled.session_topic[s]), int(compiled.session_round[s])
        price = variant_prices[s]
        for needs in (0, 1):
            if needs and not compiled.session_accessible[s]:
                continue
            value[needs, t, r] = price
            arg[needs, t, r] = s
            unranked[needs, r] = min(unranked[needs, r], price)
    return value, arg, unranked


def _chunk(
    compiled: Compiled, table: Table, prices: SessionPrices, part: slice
) -> tuple[FloatArray, IntArray, IntArray]:
    rounds = len(compiled.round_ids)
    free = table.free[part]
    topics = table.topics[part]
    ranks = table.ranks[part]
    org = table.org[part]
    needs = table.accessible[part].astype(np.int64)
    n, width = topics.shape
    variants = [o for o in prices.organisation if (org == o).any()]
    variant_of = np.zeros(n, dtype=np.int64)
    tables = [_session_tables(compiled, prices, prices.session)]
    for i, o in enumerate(variants, start=1):
        variant_of[org == o] = i
        tables.append(_session_tables(compiled, prices, prices.session + prices.organisation[o]))
    value = np.stack([t[0] for t in tables])  # (variant, needs, topic, round)
    arg = np.stack([t[1] for t in tables])
    unranked = np.stack([t[2] for t in tables])  # (variant, needs, round)

    none_cost = float(compiled.none_cost)
    unranked_price = unranked[variant_of, needs] + compiled.unranked_cost  # (n, rounds)
    base = np.where(free, np.minimum(none_cost, unranked_price), 0.0)
    safe_topic = np.maximum(topics, 0)
    price = value[variant_of[:, None], needs[:, None], safe_topic]  # (n, width, rounds)
    weight = ranks[:, :, None] ** 2 + price - base[:, None, :]
    weight[~free[:, None, :].repeat(width, axis=1)] = np.inf
    weight[topics < 0] = np.inf

    states = 1 << rounds
    dp = np.full((n, states), np.inf)
    dp[:, 0] = 0.0
    choice = np.full((width, n, states), -1, dtype=np.int8)
    masks = np.arange(states)
    for j in range(width):
        new = dp.copy()
        for r in range(rounds):
            bit = 1 << r
            src = masks[(masks & bit) == 0]
            dst = src | bit
            candidate = dp[:, src] + weight[:, j, r, None]
            better = candidate < new[:, dst]
            new[:, dst] = np.where(better, candidate, new[:, dst])
            choice[j][:, dst] = np.where(better, r, choice[j][:, dst])
        dp = new
    # Version 2: the rounds a mask leaves open take their cheapest unranked seat or stay
    # empty, e empty rounds costing C e² together: per mask, the j cheapest open rounds
    # take an unranked seat, for the best j.
    bits = ((masks[:, None] >> np.arange(rounds)) & 1).astype(np.bool_)  # (states, rounds)
    open_ = free[:, None, :] & ~bits[None, :, :]  # (n, states, rounds)
    sorted_prices = np.sort(np.where(open_, unranked_price[:, None, :], np.inf), axis=2)
    prefix = np.concatenate([np.zeros((n, states, 1)), np.cumsum(sorted_prices, axis=2)], axis=2)
    empty = open_.sum(axis=2)[:, :, None] - np.arange(rounds + 1)
    rest = np.where(empty >= 0, prefix + none_cost * np.maximum(empty, 0) ** 2, np.inf)
    take = np.argmin(rest, axis=2)  # (n, states)
    best_rest = np.take_along_axis(rest, take[:, :, None], axis=2)[:, :, 0]
    base_open = np.where(open_, base[:, None, :], 0.0).sum(axis=2)
    total = dp + base.sum(axis=1)[:, None] - base_open + best_rest
    mask = np.argmin(total, axis=1)
    value_out = total[np.arange(n), mask]
    unranked_seats = take[np.arange(n), mask]

    assigned_topic = np.full((n, rounds), -1, dtype=np.int64)
    assigned_rank = np.zeros((n, rounds), dtype=np.int64)
    rows = np.arange(n)
    for j in range(width - 1, -1, -1):
        r = choice[j][rows, mask].astype(np.int64)
        hit = r >= 0
        assigned_topic[rows[hit], r[hit]] = topics[hit, j]
        assigned_rank[rows[hit], r[hit]] = ranks[hit, j]
        mask = np.where(hit, mask ^ (1 << np.maximum(r, 0)), mask)

    sessions = np.full((n, rounds), -1, dtype=np.int64)
    ranked = assigned_topic >= 0
    qi, ri = np.nonzero(ranked)
    sessions[qi, ri] = arg[variant_of[qi], needs[qi], assigned_topic[qi, ri], ri]
    cost = (assigned_rank**2).sum(axis=1)
    open_round = free & ~ranked
    position = np.argsort(
        np.argsort(np.where(open_round, unranked_price, np.inf), axis=1, kind="stable"),
        axis=1,
        kind="stable",
    )
    use_unranked = open_round & (position < unranked_seats[:, None])
    cost += (open_round & ~use_unranked).sum(axis=1) * compiled.none_cost
    for q, r in zip(*np.nonzero(use_unranked), strict=True):
        s = _unranked_session(compiled, table, part.start + int(q), int(r), sessions[q], prices)
        if s >= 0:
            sessions[q, r] = s
            cost[q] += compiled.unranked_cost
        else:
            cost[q] += compiled.none_cost
    # Version 2: the schedule's cost is exact; ``value_out`` keeps one none cost per empty
    # round, a lower value, so the bounds built from it stay valid.
    cost += compiled.convex_extra((free & (sessions < 0)).sum(axis=1))
    return value_out, sessions, cost


def _unranked_session(
    compiled: Compiled,
    table: Table,
    q: int,
    r: int,
    chosen: IntArray,
    prices: SessionPrices,
) -> int:
    """The cheapest session of round ``r`` whose topic ``q`` neither ranked nor uses."""
    p = int(table.participants[q])
    blocked = set(table.topics[q][table.topics[q] >= 0].tolist()) | compiled.fixed_topics[p]
    blocked |= {int(compiled.session_topic[s]) for s in chosen.tolist() if s >= 0}
    extra = prices.organisation.get(int(table.org[q]))
    best, best_price = -1, np.inf
    for s in np.flatnonzero(compiled.session_round == r).tolist():
        if int(compiled.session_topic[s]) in blocked:
            continue
        if table.accessible[q] and not compiled.session_accessible[s]:
            continue
        price = prices.session[s] + (0.0 if extra is None else extra[s])
        if price < best_price:
            best, best_price = s, price
    return best
