"""Method for large instances: column generation over whole schedules, then rounding.

The master LP has one row per participant (choose one schedule, possibly no session at
all), one per session (capacity) and, added when violated, one per (session, organisation)
(the share rule); its columns are schedules. Prices from the master go to
:mod:`.schedules`, which finds every participant's best schedule at once; schedules that
would lower the master are added. At any prices those best schedules give a Lagrangian
lower bound, so the bound is valid whenever the method stops.

A basic master solution has at most as many fractional participants as it has session and
organisation rows, a few dozen against thousands of participants: the others keep their
schedule, the fractional ones are settled by an exact MIP over all their arcs, and any round
still empty is filled greedily.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

import highspy
import numpy as np

from ketenconf.enginekit.highs import new_highs

from .compiled import Arcs, Compiled, IntArray
from .model import FloatArray, build_model, run_highs
from .outcome import Outcome
from .primal import fill_greedily, organisation_counts
from .relaxation import integer_bound
from .schedules import MAX_ROUNDS, SessionPrices, Table, best_schedules, build_table

STOP_GAP = 5e-4  # relative gap between master LP and bound at which pricing stops ...
RELATIVE_STOP_FROM = 5_000  # ... above this many participants; below, only at a gap < 1
INTEGRAL = 1 - 1e-6
MASTER_SHARE = 0.85  # of the time left, for the master; the rest is for rounding


@dataclass
class Columns:
    participant: IntArray  # row of the table (q)
    session: IntArray  # (n, rounds), -1 = no session
    cost: IntArray


def large_applicable(compiled: Compiled) -> bool:
    """Schedules need a DP over round subsets and no published seats to keep."""
    return len(compiled.round_ids) <= MAX_ROUNDS and compiled.problem.previous is None


class Master:
    """The restricted master LP over some participants, grown in place in one HiGHS."""

    def __init__(
        self,
        compiled: Compiled,
        table: Table,
        members: IntArray,
        capacity_left: IntArray,
        org_used: dict[int, int],
        seed: int,
    ) -> None:
        self.compiled = compiled
        self.table = table
        self.n = len(members)
        self.row_of = np.full(len(table.participants), -1, dtype=np.int64)
        self.row_of[members] = np.arange(self.n)
        self.sessions = len(compiled.session_ids)
        self.orgs = max(1, len(compiled.organisation_ids))
        self.capacity_left = capacity_left
        self.org_used = org_used
        self.highs = new_highs()
        for name, value in (("threads", 1), ("random_seed", seed % 2_147_483_647)):
            self.highs.setOptionValue(name, value)
        lower = np.concatenate([np.ones(self.n), np.full(self.sessions, -highspy.kHighsInf)])
        upper = np.concatenate([np.ones(self.n), capacity_left.astype(np.float64)])
        nothing = np.zeros(0, np.int32)
        self.highs.addRows(self.n + self.sessions, lower, upper, 0, nothing, nothing, np.zeros(0))
        self.org_rows: dict[int, int] = {}  # session * orgs + org -> row
        self.org_rhs: list[float] = []
        self.keys: set[tuple[int, ...]] = set()
        rounds = len(compiled.round_ids)
        self.columns = Columns(
            np.zeros(0, np.int64), np.zeros((0, rounds), np.int64), np.zeros(0, np.int64)
        )

    def _entries(self, columns: Columns) -> tuple[IntArray, IntArray]:
        """Column-wise starts and row indices of these columns."""
        org = self.compiled.participant_org[self.table.participants[columns.participant]]
        rows_per_col: list[list[int]] = []
        for q, sess, o in zip(
            columns.participant.tolist(), columns.session.tolist(), org.tolist(), strict=True
        ):
            rows = [int(self.row_of[q])]
            for s in sess:
                if s >= 0:
                    rows.append(self.n + s)
                    row = self.org_rows.get(s * self.orgs + o)
                    if row is not None:
                        rows.append(row)
            rows_per_col.append(rows)
        starts = np.zeros(len(rows_per_col), dtype=np.int64)
        if rows_per_col:
            starts[1:] = np.cumsum([len(r) for r in rows_per_col])[:-1]
        index = np.array([i for rows in rows_per_col for i in rows], dtype=np.int64)
        return starts, index

    def add_columns(self, columns: Columns) -> int:
        """Add the columns not in the master yet; return how many were new."""
        fresh = []
        for i, (q, sess) in enumerate(
            zip(columns.participant.tolist(), columns.session.tolist(), strict=True)
        ):
            key = (q, *sess)
            if key not in self.keys:
                self.keys.add(key)
                fresh.append(i)
        if len(fresh) < len(columns.participant):
            columns = _subset(columns, np.array(fresh, dtype=np.int64))
        if len(columns.participant) == 0:
            return 0
        starts, index = self._entries(columns)
        k = len(columns.participant)
        self.highs.addCols(
            k,
            columns.cost.astype(np.float64),
            np.zeros(k),
            np.full(k, highspy.kHighsInf),
            len(index),
            starts.astype(np.int32),
            index.astype(np.int32),
            np.ones(len(index)),
        )
        self.columns = Columns(
            np.concatenate([self.columns.participant, columns.participant]),
            np.concatenate([self.columns.session, columns.session]),
            np.concatenate([self.columns.cost, columns.cost]),
        )
        return k

    def add_org_rows(self, keys: list[int]) -> None:
        compiled = self.compiled
        org = compiled.participant_org[self.table.participants[self.columns.participant]]
        base = self.highs.getNumRow()
        entries: list[list[int]] = [[] for _ in keys]
        position = {}
        for i, key in enumerate(keys):
            self.org_rows[key] = base + i
            position[key] = i
            self.org_rhs.append(float(_org_left(compiled, key, self.orgs, self.org_used)))
        for col, (sess, o) in enumerate(
            zip(self.columns.session.tolist(), org.tolist(), strict=True)
        ):
            for s in sess:
                if s >= 0:
                    at = position.get(s * self.orgs + o)
                    if at is not None:
                        entries[at].append(col)
        starts = np.zeros(len(keys), dtype=np.int64)
        if keys:
            starts[1:] = np.cumsum([len(e) for e in entries])[:-1]
        index = np.array([c for e in entries for c in e], dtype=np.int64)
        self.highs.addRows(
            len(keys),
            np.full(len(keys), -highspy.kHighsInf),
            np.array(self.org_rhs[-len(keys) :]),
            len(index),
            starts.astype(np.int32),
            index.astype(np.int32),
            np.ones(len(index)),
        )

    def solve(self, time_limit: float) -> FloatArray | None:
        """Solve; the column values when optimal, else ``None``."""
        # HiGHS counts the time limit over every run of this instance, not per run.
        self.highs.setOptionValue("time_limit", self.highs.getRunTime() + max(0.01, time_limit))
        self.highs.run()
        if self.highs.getModelStatus() != highspy.HighsModelStatus.kOptimal:
            return None
        return np.asarray(self.highs.getSolution().col_value, dtype=np.float64)

    def violated_org_keys(self, x: FloatArray) -> list[int]:
        if self.compiled.problem.rules.max_organisation_share is None:
            return []
        org = self.compiled.participant_org[self.table.participants[self.columns.participant]]
        use = (self.columns.session >= 0) & (x[:, None] > 1e-9)
        col, r = np.nonzero(use)
        keys = self.columns.session[col, r] * self.orgs + org[col]
        if len(keys) == 0:
            return []
        uniq, inverse = np.unique(keys, return_inverse=True)
        load = np.bincount(inverse, weights=x[col])
        bad = [
            int(k)
            for k, v in zip(uniq.tolist(), load.tolist(), strict=True)
            if v > _org_left(self.compiled, k, self.orgs, self.org_used) + 1e-6
        ]
        return [k for k in bad if k not in self.org_rows]

    def prices(self) -> tuple[SessionPrices, FloatArray]:
        """Capacity and organisation prices (≥ 0) and the member duals."""
        dual = np.asarray(self.highs.getSolution().row_dual, dtype=np.float64)
        mu = dual[: self.n]
        capacity = -np.minimum(dual[self.n : self.n + self.sessions], 0.0)
        org_y = -np.minimum(dual[self.n + self.sessions :], 0.0)
        organisation: dict[int, FloatArray] = {}
        for key, row in self.org_rows.items():
            y = org_y[row - self.n - self.sessions]
            if y > 0:
                s, o = divmod(key, self.orgs)
                organisation.setdefault(o, np.zeros(self.sessions))[s] = y
        return SessionPrices(capacity, organisation), mu


def _org_left(compiled: Compiled, key: int, orgs: int, used: dict[int, int]) -> int:
    s, o = divmod(key, orgs)
    return int(
        compiled.organisation_limit[s]
        - compiled.fixed_organisation.get((s, o), 0)
        - used.get(key, 0)
    )


class Pricing:
    """Oracle calls, the best bound so far and session loads at given prices."""

    def __init__(self, compiled: Compiled, table: Table) -> None:
        self.compiled = compiled
        self.table = table
        self.orgs = max(1, len(compiled.organisation_ids))
        self.org_limit_left: dict[int, int] = {}
        self.bound = -np.inf

    def evaluate(self, prices: SessionPrices) -> tuple[FloatArray, Columns]:
        values, best = best_schedules(self.compiled, self.table, prices)
        constant = -float(prices.session @ self.compiled.capacity_left)
        for o, extra in prices.organisation.items():
            for s in np.flatnonzero(extra > 0).tolist():
                key = s * self.orgs + o
                constant -= float(extra[s]) * _org_left(self.compiled, key, self.orgs, {})
        self.bound = max(self.bound, float(values.sum()) + constant)
        q = np.arange(len(self.table.participants), dtype=np.int64)
        return values, Columns(q, best.session, best.cost)

    def loads(self, columns: Columns) -> tuple[IntArray, dict[int, int]]:
        sessions = columns.session[columns.session >= 0]
        load = np.bincount(sessions, minlength=len(self.compiled.session_ids))
        org: dict[int, int] = {}
        if self.compiled.problem.rules.max_organisation_share is not None:
            owner = self.compiled.participant_org[self.table.participants[columns.participant]]
            rows, _ = np.nonzero(columns.session >= 0)
            keys = sessions * self.orgs + owner[rows]
            uniq, counts = np.unique(keys, return_counts=True)
            org = dict(zip(uniq.tolist(), counts.tolist(), strict=True))
        return load, org


def solve_large(
    compiled: Compiled,
    *,
    deadline: float,
    seed: int,
    progress: Callable[[str], None],
) -> Outcome:
    """Column generation over schedules for the bound and a near-integral master; rounding."""
    started = time.perf_counter()
    table = build_table(compiled)
    n = len(table.participants)
    rounds = len(compiled.round_ids)
    sessions = len(compiled.session_ids)
    pricing = Pricing(compiled, table)
    _, best = pricing.evaluate(SessionPrices(np.zeros(sessions), {}))
    members = np.arange(n, dtype=np.int64)
    kept = _subset(best, np.zeros(0, dtype=np.int64))
    master = Master(compiled, table, members, compiled.capacity_left, {}, seed)
    master.add_columns(
        Columns(
            members,
            np.full((n, rounds), -1, dtype=np.int64),
            table.free.sum(axis=1).astype(np.int64) ** 2 * compiled.none_cost,
        )
    )
    master.add_columns(best)
    greedy = _greedy_columns(compiled, table)
    master.add_columns(greedy)
    # Start with the share rows the favourite and greedy schedules already break.
    start_keys: set[int] = set()
    if compiled.problem.rules.max_organisation_share is not None:
        for columns in (best, greedy):
            _, org_load = pricing.loads(columns)
            start_keys.update(
                k for k, v in org_load.items() if v > _org_left(compiled, k, pricing.orgs, {})
            )
    if start_keys:
        master.add_org_rows(sorted(start_keys))
    final_prices = SessionPrices(np.zeros(sessions), {})
    x: FloatArray | None = None
    master_end = started + MASTER_SHARE * (deadline - started)
    while time.perf_counter() < master_end:
        solved = master.solve(master_end - time.perf_counter())
        if solved is None:
            break
        bad = master.violated_org_keys(solved)
        if bad:
            progress(f"master: adding {len(bad):,} organisation-share rows")
            master.add_org_rows(bad)
            continue
        x = solved
        master_prices, mu = master.prices()
        final_prices = master_prices
        values, best = pricing.evaluate(master_prices)
        lp_value = float(master.highs.getInfo().objective_function_value)
        total = lp_value + float(kept.cost.sum())
        progress(f"master: LP {total:,.1f}, bound {pricing.bound:,.1f}")
        gap = total - pricing.bound
        if gap < 1 or (n > RELATIVE_STOP_FROM and gap <= STOP_GAP * abs(total)):
            break
        reduced = values[members] - mu
        improving = members[reduced < -1e-6]
        if len(improving) == 0:
            break
        if master.add_columns(_subset(best, improving)) == 0:
            break  # nothing new: the oracle's floor for unranked seats is below any real one
    chosen = _round(
        compiled, table, kept, master, x, deadline=deadline, seed=seed, progress=progress
    )
    return Outcome(
        chosen,
        integer_bound(pricing.bound, compiled.bound_scale),
        "column generation",
        final_prices,
    )


def _subset(columns: Columns, rows: IntArray) -> Columns:
    return Columns(columns.participant[rows], columns.session[rows], columns.cost[rows])


def _round(
    compiled: Compiled,
    table: Table,
    kept: Columns,
    master: Master,
    x: FloatArray | None,
    *,
    deadline: float,
    seed: int,
    progress: Callable[[str], None],
) -> Arcs:
    """Keep stable and integral schedules; MIP over every arc of the others; fill greedily."""
    slot_of = _slot_index(compiled)
    cols = master.columns
    settled = [kept]
    open_q = np.unique(cols.participant)
    if x is not None:
        # Columns added after the last solve stay at zero: still a master solution.
        x = np.concatenate([x, np.zeros(len(cols.cost) - len(x))])
        whole = np.flatnonzero(x > INTEGRAL)
        settled.append(_subset(cols, whole))
        done = np.zeros(len(table.participants), dtype=np.bool_)
        done[cols.participant[whole]] = True
        open_q = open_q[~done[open_q]]
    keep = Columns(
        np.concatenate([c.participant for c in settled]),
        np.concatenate([c.session for c in settled]),
        np.concatenate([c.cost for c in settled]),
    )
    progress(f"rounding: {len(keep.participant):,} participants settled, {len(open_q):,} open")
    chosen = _schedule_arcs(compiled, table, keep.participant, keep.session, slot_of)
    if len(open_q):
        chosen = chosen.concat(
            _open_mip(compiled, table, open_q, chosen, deadline=deadline, seed=seed)
        )
    filled = np.zeros(compiled.slot_count, dtype=np.bool_)
    filled[chosen.slot] = True
    ranked = compiled.ranked
    return fill_greedily(compiled, chosen, ranked.take(~filled[ranked.slot]))


def _greedy_columns(compiled: Compiled, table: Table) -> Columns:
    """A feasible start: cheapest ranked arcs first, while seats last (one column each)."""
    chosen = fill_greedily(compiled, Arcs.empty(), compiled.ranked)
    rounds = len(compiled.round_ids)
    q_of = np.full(len(compiled.problem.participants), -1, dtype=np.int64)
    q_of[table.participants] = np.arange(len(table.participants))
    session = np.full((len(table.participants), rounds), -1, dtype=np.int64)
    cost = table.free.sum(axis=1).astype(np.int64) * compiled.none_cost
    q = q_of[compiled.slot_participant[chosen.slot]]
    session[q, compiled.slot_round[chosen.slot]] = chosen.session
    np.add.at(cost, q, _arc_costs(compiled, chosen) - compiled.none_cost)
    cost += compiled.convex_extra((table.free & (session < 0)).sum(axis=1))
    return Columns(np.arange(len(table.participants), dtype=np.int64), session, cost)


def _schedule_arcs(
    compiled: Compiled,
    table: Table,
    rows_q: IntArray,
    sessions: IntArray,
    slot_of: dict[tuple[int, int], int],
) -> Arcs:
    participants = table.participants[rows_q]
    arc_slot: list[int] = []
    arc_session: list[int] = []
    for p, sess in zip(participants.tolist(), sessions.tolist(), strict=True):
        for r, s in enumerate(sess):
            if s >= 0:
                arc_slot.append(slot_of[p, r])
                arc_session.append(s)
    arcs = Arcs(
        np.array(arc_slot, dtype=np.int64),
        np.array(arc_session, dtype=np.int64),
        np.zeros(len(arc_slot), dtype=np.int64),
    )
    return Arcs(arcs.slot, arcs.session, _arc_costs(compiled, arcs))


def _open_mip(
    compiled: Compiled,
    table: Table,
    open_q: IntArray,
    settled: Arcs,
    *,
    deadline: float,
    seed: int,
) -> Arcs:
    """Exact MIP over every arc (ranked and unranked) of the open participants' slots,
    within the seats the settled participants leave."""
    is_open = np.zeros(len(compiled.problem.participants), dtype=np.bool_)
    is_open[table.participants[open_q]] = True
    slots = np.flatnonzero(is_open[compiled.slot_participant])
    ranked = compiled.ranked.take(is_open[compiled.slot_participant[compiled.ranked.slot]])
    arcs = ranked.concat(compiled.unranked_arcs_for(slots))
    capacity_left = compiled.capacity_left - np.bincount(
        settled.session, minlength=len(compiled.session_ids)
    )
    model = build_model(
        compiled,
        arcs,
        capacity_left,
        organisation_counts(compiled, settled),
        table.participants[open_q],
    )
    solution = run_highs(model, integer=True, time_limit=deadline - time.perf_counter(), seed=seed)
    if solution is None:
        return Arcs.empty()
    return arcs.take(solution.x > 0.5)


def _slot_index(compiled: Compiled) -> dict[tuple[int, int], int]:
    return {
        (p, r): slot
        for slot, (p, r) in enumerate(
            zip(compiled.slot_participant.tolist(), compiled.slot_round.tolist(), strict=True)
        )
    }


def _arc_costs(compiled: Compiled, arcs: Arcs) -> IntArray:
    problem = compiled.problem
    costs = np.empty(len(arcs), dtype=np.int64)
    for i, (slot, s) in enumerate(zip(arcs.slot.tolist(), arcs.session.tolist(), strict=True)):
        participant = problem.participants[int(compiled.slot_participant[slot])]
        topic = problem.sessions[s].topic
        try:
            costs[i] = (participant.preferences.index(topic) + 1) ** 2
        except ValueError:
            costs[i] = compiled.unranked_cost
    return costs
