"""Lagrangian prices for the bound, prices for the seats (the block method's last step), and
re-seating one round at a time (also used by :mod:`.grouped`).

Relax every capacity and organisation-share row with non-negative prices: each participant
then picks their best schedule on their own (:mod:`.schedules`, vectorised over everyone),
and the total minus the prices times the right-hand sides is a lower bound on the optimum,
valid for *any* non-negative prices. A projected subgradient ascent (Polyak steps towards
a target just above the best bound, the target lowered when the bound stalls) improves the
prices over the whole problem at once; no LP over all participants is ever built.

The seats then follow the prices: everyone's best schedule at the final prices is accepted
in a seeded random order while its sessions (and organisation shares) have room; sessions
that are full get an infinite price, and those who did not fit choose again among what is
left, until everyone has a schedule. Slots still empty are filled greedily. A short
improvement pass then moves single seats to better free ones.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import numpy as np
from ortools.graph.python import min_cost_flow

from .compiled import Arcs, Compiled, IntArray
from .primal import fill_greedily
from .schedules import FloatArray, SessionPrices, Table, best_schedules, build_table

ASCENT_SHARE = 0.2  # of the time left, for the prices; the rest is for the seats
SWEEP_GAIN = 1e-3  # a sweep that gains less than this share counts as stuck
SAMPLE_SIZE = 4_000  # participants whose master LP gives the first prices
SAMPLE_SHARE = 0.2  # of the time, for that master
START_GAP = 0.005  # first target: this far above the best bound
STALL = 4  # iterations without a better bound before the target comes down
MIN_GAP = 2e-5
DEFLECT = 0.5


class Lagrangian:
    """Prices on capacities and organisation shares, their bound and subgradients."""

    def __init__(self, compiled: Compiled, table: Table) -> None:
        self.compiled = compiled
        self.table = table
        self.sessions = len(compiled.session_ids)
        self.orgs = max(1, len(compiled.organisation_ids))
        self.share = compiled.problem.rules.max_organisation_share is not None
        self.capacity = compiled.capacity_left.astype(np.float64)
        org_limit = np.zeros((self.sessions, self.orgs))
        if self.share:
            org_limit[:] = compiled.organisation_limit[:, None]
            for (s, o), used in compiled.fixed_organisation.items():
                org_limit[s, o] -= used
        self.org_limit = org_limit
        self.best = -np.inf
        self.best_prices = SessionPrices(np.zeros(self.sessions), {})

    def evaluate(self, y: FloatArray, z: FloatArray) -> tuple[float, FloatArray, FloatArray]:
        """Bound at session prices ``y`` and share prices ``z`` (sessions × orgs), and the
        subgradients (load minus right-hand side) of both."""
        prices = _prices(y, z)
        values, best = best_schedules(self.compiled, self.table, prices)
        value = float(values.sum()) - float(y @ self.capacity)
        if self.share:
            value -= float((z * self.org_limit).sum())
        if value > self.best:
            self.best = value
            self.best_prices = prices
        used = best.session >= 0
        sessions = best.session[used]
        load = np.bincount(sessions, minlength=self.sessions).astype(np.float64)
        org_load = np.zeros((self.sessions, self.orgs))
        if self.share:
            rows, _ = np.nonzero(used)
            np.add.at(org_load, (sessions, self.table.org[rows]), 1.0)
        return value, load - self.capacity, org_load - self.org_limit


def _prices(y: FloatArray, z: FloatArray) -> SessionPrices:
    organisation = {int(o): z[:, o].copy() for o in np.flatnonzero((z > 0).any(axis=0))}
    return SessionPrices(y.copy(), organisation)


def ascend(
    lagrangian: Lagrangian,
    start: SessionPrices,
    *,
    until: float,
    progress: Callable[[str], None],
) -> SessionPrices:
    """Projected subgradient ascent until ``until``; the prices of the best bound."""
    y = start.session.copy()
    z = np.zeros((lagrangian.sessions, lagrangian.orgs))
    for o, extra in start.organisation.items():
        z[:, o] = extra
    dy = np.zeros_like(y)
    dz = np.zeros_like(z)
    gap = START_GAP
    stalled = 0
    iteration = 0
    while True:
        iteration += 1
        before = lagrangian.best
        value, g, h = lagrangian.evaluate(y, z)
        if iteration % 10 == 1:
            progress(f"prices {iteration}: bound {lagrangian.best:,.1f}")
        if time.perf_counter() >= until:
            break
        if lagrangian.best > before + 1e-9 * max(1.0, abs(before)):
            stalled = 0
        else:
            stalled += 1
            if stalled >= STALL:
                gap = max(MIN_GAP, gap / 2)
                stalled = 0
        # Deflected subgradient (a share of the previous direction smooths the zigzag).
        dy = g + DEFLECT * dy
        dz = h + DEFLECT * dz
        dy = np.where((y <= 0) & (dy < 0), 0.0, dy)
        dz = np.where((z <= 0) & (dz < 0), 0.0, dz)
        norm = float(dy @ dy) + float((dz * dz).sum())
        if norm == 0:
            break  # the best schedules fit: they are optimal
        target = lagrangian.best + gap * max(1.0, abs(lagrangian.best))
        step = (target - value) / norm
        y = np.maximum(0.0, y + step * dy)
        z = np.maximum(0.0, z + step * dz)
    progress(f"prices: bound {lagrangian.best:,.1f} after {iteration} evaluations")
    return lagrangian.best_prices


def improve_rounds(
    compiled: Compiled,
    table: Table,
    accepted: IntArray,
    *,
    deadline: float,
    progress: Callable[[str], None],
    feasible: bool = True,
) -> IntArray:
    """Re-seat one round at a time optimally, the other rounds kept: a min-cost flow
    (slot -> session and organisation -> session -> sink, or no session), never worse."""
    rounds = len(compiled.round_ids)
    cost = schedule_cost(compiled, table, accepted)
    if feasible:
        best, best_cost = accepted.copy(), cost
    else:  # over capacity: not a solution until every round has been re-seated once
        best, best_cost = (
            np.full_like(accepted, -1),
            schedule_cost(compiled, table, accepted * 0 - 1),
        )
        cost = best_cost
    sweep = 0
    last = 0.0  # seconds the last round took
    ruined_at: int | None = None  # best cost when last unseating the poorly served
    while time.perf_counter() < deadline:
        sweep += 1
        before = cost
        done = 0
        for r in range(rounds):
            # Stop when one more round would likely overrun (the first one always runs).
            if time.perf_counter() + (last if feasible else 0.0) >= deadline:
                break
            began = time.perf_counter()
            accepted[:, r] = _reseat_round(compiled, table, accepted, r)
            last = time.perf_counter() - began
            done += 1
        if done < rounds and not feasible:
            break  # rounds not re-seated yet may still be over capacity
        feasible = True
        cost = schedule_cost(compiled, table, accepted)
        progress(f"re-seating rounds, sweep {sweep}: cost {before:,} -> {cost:,}")
        if cost < best_cost:
            best, best_cost = accepted.copy(), cost
        if len(_poor_rows(compiled, table, accepted)) and time.perf_counter() < deadline:
            moved = _move_into_free_seats(compiled, table, accepted)
            cost = schedule_cost(compiled, table, accepted)
            progress(f"{moved:,} participants moved into free seats: cost {cost:,}")
            if cost < best_cost:
                best, best_cost = accepted.copy(), cost
        if cost < before - SWEEP_GAIN * before:
            continue
        accepted = best.copy()
        cost = best_cost
        if ruined_at is not None and best_cost >= ruined_at:
            break
        # Stuck: unseat everyone with an unranked or empty round and seat them again, so
        # their other rounds can change too; kept only if it ends better.
        poor = _poor_rows(compiled, table, accepted)
        if len(poor) == 0:
            break
        progress(f"re-seating {len(poor):,} participants with an unranked or empty round")
        accepted[poor] = -1
        cost = schedule_cost(compiled, table, accepted)
        ruined_at = best_cost
    return best


def _move_into_free_seats(compiled: Compiled, table: Table, accepted: IntArray) -> int:
    """Everyone's best schedule among sessions with room; those who gain move, most gain
    first, while there is still room (their own seats freed first). How many moved."""
    sessions = len(compiled.session_ids)
    orgs = max(1, len(compiled.organisation_ids))
    share = compiled.problem.rules.max_organisation_share is not None
    q, r = np.nonzero(accepted >= 0)
    seat = accepted[q, r]
    room = compiled.capacity_left.astype(np.int64) - np.bincount(seat, minlength=sessions)
    org_room = np.full((sessions, orgs), np.iinfo(np.int64).max // 2, dtype=np.int64)
    if share:
        org_room[:] = compiled.organisation_limit[:, None]
        for (s, o), used in compiled.fixed_organisation.items():
            org_room[s, o] -= used
        np.subtract.at(org_room, (seat, table.org[q]), 1)
    y = np.where(room > 0, 0.0, np.inf)
    z = np.where(org_room > 0, 0.0, np.inf) if share else np.zeros((sessions, orgs))
    _, best = best_schedules(compiled, table, _prices(y, z))
    now = _row_costs(compiled, table, accepted)
    gain = now - best.cost
    moved = 0
    for row in np.argsort(-gain, kind="stable")[: int((gain > 0).sum())].tolist():
        o = int(table.org[row])
        old = [s for s in accepted[row].tolist() if s >= 0]
        new = [s for s in best.session[row].tolist() if s >= 0]
        for s in old:
            room[s] += 1
            org_room[s, o] += 1
        if all(room[s] > 0 and org_room[s, o] > 0 for s in new):
            chosen = new
            accepted[row] = best.session[row]
            moved += 1
        else:
            chosen = old
        for s in chosen:
            room[s] -= 1
            org_room[s, o] -= 1
    return moved


def _row_costs(compiled: Compiled, table: Table, accepted: IntArray) -> IntArray:
    """Contract cost of every table row's schedule."""
    topic = np.where(accepted >= 0, compiled.session_topic[np.maximum(accepted, 0)], -2)
    match = topic[:, :, None] == table.topics[:, None, :]  # (n, rounds, K)
    rank = np.where(
        match.any(axis=2),
        table.ranks[np.arange(len(accepted))[:, None], np.argmax(match, axis=2)],
        0,
    )
    cost = np.where(rank > 0, rank**2, compiled.unranked_cost)
    cost = np.where(accepted >= 0, cost, np.where(table.free, compiled.none_cost, 0))
    empty = (table.free & (accepted < 0)).sum(axis=1)
    return (cost.sum(axis=1) + compiled.convex_extra(empty)).astype(np.int64)


def _poor_rows(compiled: Compiled, table: Table, accepted: IntArray) -> IntArray:
    """Table rows with a free round that is empty or has an unranked topic."""
    topic = np.where(accepted >= 0, compiled.session_topic[np.maximum(accepted, 0)], -2)
    ranked = (topic[:, :, None] == table.topics[:, None, :]).any(axis=2)
    return np.flatnonzero((table.free & ~ranked).any(axis=1))


def schedule_cost(compiled: Compiled, table: Table, accepted: IntArray) -> int:
    """The contract cost of the schedules ``accepted`` picks from ``table``, empty slots included."""
    arcs = schedule_arcs(compiled, table, accepted)
    empty = int(table.free.sum()) - len(arcs)
    per_row = (table.free & (accepted < 0)).sum(axis=1)
    convex = int(compiled.convex_extra(per_row).sum())
    return int(arcs.cost.sum()) + empty * compiled.none_cost + convex


def _reseat_round(compiled: Compiled, table: Table, accepted: IntArray, r: int) -> IntArray:
    """The best seats of round ``r`` for everyone, the other rounds fixed."""
    sessions = len(compiled.session_ids)
    orgs = max(1, len(compiled.organisation_ids))
    share = compiled.problem.rules.max_organisation_share is not None
    rows = np.flatnonzero(table.free[:, r])
    m = len(rows)
    current = accepted[rows, r]
    topic_now = np.where(accepted >= 0, compiled.session_topic[np.maximum(accepted, 0)], -1)
    others = np.delete(topic_now[rows], r, axis=1)  # (m, rounds - 1)
    topics = table.topics[rows]
    blocked = (topics[:, :, None] == others[:, None, :]).any(axis=2) | (topics < 0)
    in_round = np.flatnonzero(compiled.session_round == r)
    arc_row: list[IntArray] = []
    arc_session: list[IntArray] = []
    arc_cost: list[IntArray] = []
    needs = table.accessible[rows]
    for s in in_round.tolist():
        hit = (topics == compiled.session_topic[s]) & ~blocked
        if not compiled.session_accessible[s]:
            hit &= ~needs[:, None]
        i, j = np.nonzero(hit)
        arc_row.append(i)
        arc_session.append(np.full(len(i), s, dtype=np.int64))
        arc_cost.append(table.ranks[rows[i], j] ** 2)
    # The current seat stays possible (so the result is never worse), unranked ones too.
    seated = np.flatnonzero(current >= 0)
    arc_row.append(seated)
    arc_session.append(current[seated])
    now_ranked = (topics[seated] == compiled.session_topic[current[seated]][:, None]).any(axis=1)
    arc_cost.append(np.where(now_ranked, 0, compiled.unranked_cost).astype(np.int64))
    # (ranked current seats are already listed with their cost: drop the duplicate)
    keep_last = ~now_ranked
    arc_row[-1], arc_session[-1], arc_cost[-1] = (
        arc_row[-1][keep_last],
        arc_session[-1][keep_last],
        arc_cost[-1][keep_last],
    )
    a_row = np.concatenate(arc_row)
    a_session = np.concatenate(arc_session)
    a_cost = np.concatenate(arc_cost).astype(np.int64)
    # Nodes: slots 0..m-1, then (session, organisation) pairs, then sessions, then the sink.
    a_org = table.org[rows[a_row]] if share else np.zeros(len(a_row), dtype=np.int64)
    pair_key = a_session * orgs + a_org
    pairs, pair_of = np.unique(pair_key, return_inverse=True)
    pair_base = m
    session_base = pair_base + len(pairs)
    sink = session_base + sessions
    pair_session = pairs // orgs
    pair_org = pairs % orgs
    if share:
        limit = compiled.organisation_limit[pair_session].astype(np.int64)
        fixed = np.array(
            [
                compiled.fixed_organisation.get((int(s), int(o)), 0)
                for s, o in zip(pair_session.tolist(), pair_org.tolist(), strict=True)
            ],
            dtype=np.int64,
        )
        pair_cap = np.maximum(0, limit - fixed)
    else:
        pair_cap = np.full(len(pairs), m, dtype=np.int64)
    tails = np.concatenate(
        [a_row, np.arange(m), pair_base + np.arange(len(pairs)), session_base + in_round]
    )
    heads = np.concatenate(
        [
            pair_base + pair_of,
            np.full(m, sink),
            session_base + pair_session,
            np.full(len(in_round), sink),
        ]
    )
    capacities = np.concatenate(
        [
            np.ones(len(a_row), dtype=np.int64),
            np.ones(m, dtype=np.int64),
            pair_cap,
            np.maximum(0, compiled.capacity_left[in_round]).astype(np.int64),
        ]
    )
    # Version 2: no seat in round r costs the marginal C (2e + 1), e the other empty rounds.
    empty_elsewhere = np.delete(table.free[rows] & (accepted[rows] < 0), r, axis=1).sum(axis=1)
    costs = np.concatenate(
        [
            a_cost,
            (compiled.none_cost * (2 * empty_elsewhere + 1)).astype(np.int64),
            np.zeros(len(pairs) + len(in_round), dtype=np.int64),
        ]
    )
    flow = min_cost_flow.SimpleMinCostFlow()
    flow.add_arcs_with_capacity_and_unit_cost(
        tails.astype(np.int32), heads.astype(np.int32), capacities, costs
    )
    supplies = np.zeros(sink + 1, dtype=np.int64)
    supplies[:m] = 1
    supplies[sink] = -m
    flow.set_nodes_supplies(np.arange(sink + 1, dtype=np.int32), supplies)
    if flow.solve() != flow.OPTIMAL:
        return accepted[:, r].copy()
    used = flow.flows(np.arange(len(a_row), dtype=np.int32)) > 0
    column = accepted[:, r].copy()
    column[rows] = -1
    column[rows[a_row[used]]] = a_session[used]
    return column


def schedule_arcs(compiled: Compiled, table: Table, accepted: IntArray) -> Arcs:
    """Schedules (rows of the table) as arcs with their contract costs."""
    q, r = np.nonzero(accepted >= 0)
    session = accepted[q, r]
    participant = table.participants[q]
    slot_at = np.full((len(compiled.problem.participants), len(compiled.round_ids)), -1)
    slot_at[compiled.slot_participant, compiled.slot_round] = np.arange(compiled.slot_count)
    slot = slot_at[participant, r].astype(np.int64)
    topic = compiled.session_topic[session]
    match = table.topics[q] == topic[:, None]
    rank = np.where(match.any(axis=1), table.ranks[q, np.argmax(match, axis=1)], 0)
    cost = np.where(rank > 0, rank**2, compiled.unranked_cost).astype(np.int64)
    return Arcs(slot, session.astype(np.int64), cost)


def polish(
    compiled: Compiled,
    chosen: Arcs | None,
    starts: list[SessionPrices],
    *,
    deadline: float,
    progress: Callable[[str], None],
) -> tuple[Arcs, float, SessionPrices]:
    """A better bound (the best of zero prices and ``starts``, then ascent) and a better
    feasible selection (``chosen``, or everyone's best schedule at the prices, re-seated by
    rounds): (arcs, bound, prices)."""
    started = time.perf_counter()
    table = build_table(compiled)
    lagrangian = Lagrangian(compiled, table)
    orgs = max(1, len(compiled.organisation_ids))
    for prices in [SessionPrices(np.zeros(lagrangian.sessions), {}), *starts]:
        z = np.zeros((lagrangian.sessions, orgs))
        for o, extra in prices.organisation.items():
            z[:, o] = extra
        lagrangian.evaluate(prices.session, z)
    progress(f"prices: bound {lagrangian.best:,.1f} from the starting prices")
    prices = ascend(
        lagrangian,
        lagrangian.best_prices,
        until=started + ASCENT_SHARE * (deadline - started),
        progress=progress,
    )
    if chosen is None:
        # Too many in some sessions: the first sweep of re-seating makes it feasible.
        _, wanted = best_schedules(compiled, table, prices)
        accepted = wanted.session
    else:
        accepted = _accepted(compiled, table, chosen)
    accepted = improve_rounds(
        compiled,
        table,
        accepted,
        deadline=deadline,
        progress=progress,
        feasible=chosen is not None,
    )
    better = schedule_arcs(compiled, table, accepted)
    filled = np.zeros(compiled.slot_count, dtype=np.bool_)
    filled[better.slot] = True
    better = fill_greedily(compiled, better, compiled.ranked.take(~filled[compiled.ranked.slot]))
    return better, lagrangian.best, prices


def _accepted(compiled: Compiled, table: Table, chosen: Arcs) -> IntArray:
    """A selection as a session per (table row, round), -1 for none."""
    row_of = np.full(len(compiled.problem.participants), -1, dtype=np.int64)
    row_of[table.participants] = np.arange(len(table.participants))
    accepted = np.full((len(table.participants), len(compiled.round_ids)), -1, dtype=np.int64)
    rows = row_of[compiled.slot_participant[chosen.slot]]
    accepted[rows, compiled.slot_round[chosen.slot]] = chosen.session
    return accepted


def sample_prices(
    compiled: Compiled, *, deadline: float, seed: int, progress: Callable[[str], None]
) -> SessionPrices:
    """Master-LP prices of a random sample of participants with its share of the seats,
    keyed for the whole problem (zero when the sample gives none)."""
    from .blocks import split
    from .compiled import compile_problem
    from .large import solve_large

    sessions = len(compiled.session_ids)
    parts = max(1, len(compiled.problem.participants) // SAMPLE_SIZE)
    _, sub = split(compiled.problem, parts, seed)[0]
    sub_compiled = compile_problem(sub)
    outcome = solve_large(sub_compiled, deadline=deadline, seed=seed, progress=lambda m: None)
    if outcome.prices is None:
        return SessionPrices(np.zeros(sessions), {})
    index = {name: i for i, name in enumerate(compiled.organisation_ids)}
    organisation = {
        index[sub_compiled.organisation_ids[o]]: v for o, v in outcome.prices.organisation.items()
    }
    progress(f"prices from a sample of {len(sub.participants):,} participants")
    return SessionPrices(outcome.prices.session.copy(), organisation)
