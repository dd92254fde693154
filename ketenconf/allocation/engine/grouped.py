"""Very large instances: column generation over *groups* of participants.

Participants are dealt at random (seeded) into a few hundred groups. A group's column is the
sum of its members' best schedules at some prices: how many of them sit in every session
(and every (session, organisation) pair with a share row), and what their schedules cost.
The master LP has one convexity row per group, one capacity row per session and, added when
violated, one row per (session, organisation); it chooses a convex combination of every
group's columns. This is the Dantzig-Wolfe master with the groups as blocks (a group's
subproblem splits into its members' own), so its optimum is the LP bound of the master over
single participants, yet it has a few hundred rows instead of one per participant, and one
oracle call (:func:`.schedules.best_schedules` over everyone) adds a column to every group.

Every oracle call gives a Lagrangian lower bound, valid whatever the prices, so the bound
stays proven whenever the loop stops. Two stabilisations: seats beyond a limit may be
bought in the master at a penalty (raised when the loop would stop while some are bought),
so its duals never take the scale of a missing seat; and the oracle is called at a mix of
the best prices so far and the master's (Wentges smoothing). The loop starts from a
sample's prices and stops when the master's value and the bound meet, or at its share of
the time.

Seats: every group takes the schedules of its heaviest column in the last master solution.
The integral groups' seats fit together; seats of fractional groups can go beyond a
capacity or share limit, which the first sweep of :func:`.lagrange.improve_rounds` (an exact
re-seating of one round at a time, the other rounds kept) repairs; later sweeps improve.
Should time run out before the first sweep ends, the seats beyond the limits are left empty
instead (those of the heaviest columns kept). Slots still empty are filled greedily.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import highspy
import numpy as np
import numpy.typing as npt

from ketenconf.enginekit.highs import new_highs

from .compiled import Compiled, IntArray
from .lagrange import improve_rounds, schedule_arcs, schedule_cost
from .model import FloatArray
from .outcome import Outcome
from .primal import fill_greedily
from .relaxation import integer_bound
from .schedules import SessionPrices, Table, best_schedules, build_table

GROUPS = 500  # groups: enough to converge in a few dozen oracle calls, a small master LP
MIN_GROUP = 10  # participants per group at least (fewer groups on smaller problems)
STOP_GAP = 2e-4  # relative gap between master value and bound at which pricing stops
MASTER_SHARE = 0.75  # of the time, for the master; the rest is for the seats
EPS = 1e-6
SMOOTHING = 0.8  # weight of the best prices so far in the prices the oracle gets


class GroupMaster:
    """The master LP over group columns, grown in place in one HiGHS instance."""

    def __init__(self, compiled: Compiled, table: Table, groups: int, seed: int) -> None:
        self.compiled = compiled
        self.table = table
        self.groups = groups
        rng = np.random.default_rng(seed)
        n = len(table.participants)
        self.group_of: IntArray = rng.permutation(n) % groups
        self.sessions = len(compiled.session_ids)
        self.orgs = max(1, len(compiled.organisation_ids))
        self.share = compiled.problem.rules.max_organisation_share is not None
        self.org_limit = np.zeros((self.sessions, self.orgs), dtype=np.int64)
        if self.share:
            self.org_limit[:] = compiled.organisation_limit[:, None]
            for (s, o), used in compiled.fixed_organisation.items():
                self.org_limit[s, o] -= used
        self.highs = new_highs()
        for name, value in (("threads", 1), ("random_seed", seed % 2_147_483_647)):
            self.highs.setOptionValue(name, value)
        lower = np.concatenate([np.ones(groups), np.full(self.sessions, -highspy.kHighsInf)])
        upper = np.concatenate([np.ones(groups), compiled.capacity_left.astype(np.float64)])
        nothing = np.zeros(0, np.int32)
        self.highs.addRows(groups + self.sessions, lower, upper, 0, nothing, nothing, np.zeros(0))
        self.org_keys: list[int] = []  # session * orgs + org, one per share row, in row order
        self.schedules: list[IntArray] = []  # per oracle call: session per (member, round)
        self.col_group = np.zeros(0, dtype=np.int64)  # -1 for a slack column
        self.col_call = np.zeros(0, dtype=np.int64)
        self.penalty = float(compiled.topic_count)
        self._add_slack(groups + np.arange(self.sessions))

    def _add_slack(self, rows: IntArray) -> None:
        """A column per row that buys a seat beyond the limit at ``penalty``."""
        k = len(rows)
        self.highs.addCols(
            k,
            np.full(k, self.penalty),
            np.zeros(k),
            np.full(k, highspy.kHighsInf),
            k,
            np.arange(k, dtype=np.int32),
            rows.astype(np.int32),
            np.full(k, -1.0),
        )
        self.col_group = np.concatenate([self.col_group, np.full(k, -1)])
        self.col_call = np.concatenate([self.col_call, np.full(k, -1)])

    def slack_used(self, x: FloatArray) -> bool:
        return bool(x[: len(self.col_group)][self.col_group < 0].sum() > EPS)

    def raise_penalty(self) -> None:
        """Make seats beyond the limits four times dearer."""
        self.penalty *= 4
        slack = np.flatnonzero(self.col_group < 0)
        self.highs.changeColsCost(
            len(slack), slack.astype(np.int32), np.full(len(slack), self.penalty)
        )

    def add_call(self, session: IntArray, cost: IntArray, only: IntArray | None = None) -> int:
        """Add the columns one oracle call gives (``only`` those groups, else all)."""
        call = len(self.schedules)
        self.schedules.append(session.astype(np.int32))
        groups = np.arange(self.groups) if only is None else only
        if len(groups) == 0:
            return 0
        col_of = np.full(self.groups, -1, dtype=np.int64)
        col_of[groups] = np.arange(len(groups))
        group_cost = np.bincount(self.group_of, weights=cost, minlength=self.groups)
        q, r = np.nonzero(session >= 0)
        s = session[q, r]
        col = col_of[self.group_of[q]]
        mine = col >= 0
        q, s, col = q[mine], s[mine], col[mine]
        cols = [col]
        rows = [self.groups + s]
        if self.org_keys:
            row = self._org_rows_of(s * self.orgs + self.table.org[q])
            has = row >= 0
            cols.append(col[has])
            rows.append(row[has])
        cols.append(np.arange(len(groups)))
        rows.append(groups)
        all_col = np.concatenate(cols)
        all_row = np.concatenate(rows)
        pair = all_col * (self.highs.getNumRow() + 1) + all_row
        uniq, counts = np.unique(pair, return_counts=True)
        col_index = uniq // (self.highs.getNumRow() + 1)
        row_index = uniq % (self.highs.getNumRow() + 1)
        starts = np.searchsorted(col_index, np.arange(len(groups)))
        k = len(groups)
        self.highs.addCols(
            k,
            group_cost[groups].astype(np.float64),
            np.zeros(k),
            np.full(k, highspy.kHighsInf),
            len(row_index),
            starts.astype(np.int32),
            row_index.astype(np.int32),
            counts.astype(np.float64),
        )
        self.col_group = np.concatenate([self.col_group, groups])
        self.col_call = np.concatenate([self.col_call, np.full(k, call)])
        return k

    def _org_rows_of(self, keys: IntArray) -> IntArray:
        """The share row of every (session * orgs + org) key, -1 where there is none."""
        known = np.array(self.org_keys, dtype=np.int64)
        order = np.argsort(known)
        pos = np.minimum(np.searchsorted(known[order], keys), len(known) - 1)
        found = known[order][pos] == keys
        return np.where(found, self.groups + self.sessions + order[pos], -1)

    def add_org_rows(self, keys: list[int]) -> None:
        """Share rows for these (session * orgs + org) keys, over every column so far."""
        base = self.highs.getNumRow()
        wanted = np.array(keys, dtype=np.int64)
        order = np.argsort(wanted)
        rows: list[IntArray] = []
        cols: list[IntArray] = []
        for call, session in enumerate(self.schedules):
            mine = np.flatnonzero(self.col_call == call)
            if len(mine) == 0:
                continue
            col_of = np.full(self.groups, -1, dtype=np.int64)
            col_of[self.col_group[mine]] = mine
            q, r = np.nonzero(session >= 0)
            key = session[q, r].astype(np.int64) * self.orgs + self.table.org[q]
            pos = np.minimum(np.searchsorted(wanted[order], key), len(wanted) - 1)
            col = col_of[self.group_of[q]]
            hit = (wanted[order][pos] == key) & (col >= 0)
            rows.append(order[pos][hit])
            cols.append(col[hit])
        ncols = max(1, len(self.col_group))
        pair = (
            np.concatenate(rows) * ncols + np.concatenate(cols) if rows else np.zeros(0, np.int64)
        )
        uniq, counts = np.unique(pair, return_counts=True)
        row, col = uniq // ncols, uniq % ncols
        starts = np.searchsorted(row, np.arange(len(keys)))
        rhs = self.org_limit.reshape(-1)[wanted].astype(np.float64)
        self.highs.addRows(
            len(keys),
            np.full(len(keys), -highspy.kHighsInf),
            rhs,
            len(col),
            starts.astype(np.int32),
            col.astype(np.int32),
            counts.astype(np.float64),
        )
        self.org_keys.extend(keys)
        self._add_slack(base + np.arange(len(keys)))

    def solve(self, time_limit: float, *, primal: bool = True) -> FloatArray | None:
        """Solve; primal simplex after new columns (the basis stays feasible), dual
        simplex after new rows. The column values when optimal, else ``None``."""
        self.highs.setOptionValue("simplex_strategy", 4 if primal else 1)
        # HiGHS counts the time limit over every run of this instance, not per run.
        self.highs.setOptionValue("time_limit", self.highs.getRunTime() + max(0.01, time_limit))
        self.highs.run()
        if self.highs.getModelStatus() != highspy.HighsModelStatus.kOptimal:
            return None
        return np.asarray(self.highs.getSolution().col_value, dtype=np.float64)

    def value(self) -> float:
        return float(self.highs.getInfo().objective_function_value)

    def prices(self) -> tuple[SessionPrices, FloatArray]:
        """Capacity and share prices (≥ 0) and the groups' duals."""
        dual = np.asarray(self.highs.getSolution().row_dual, dtype=np.float64)
        mu = dual[: self.groups]
        capacity = -np.minimum(dual[self.groups : self.groups + self.sessions], 0.0)
        organisation: dict[int, FloatArray] = {}
        base = self.groups + self.sessions
        for i, key in enumerate(self.org_keys):
            y = -min(float(dual[base + i]), 0.0)
            if y > 0:
                s, o = divmod(key, self.orgs)
                organisation.setdefault(o, np.zeros(self.sessions))[s] = y
        return SessionPrices(capacity, organisation), mu

    def violated_org_keys(self, x: FloatArray) -> list[int]:
        """Share limits the master solution breaks that have no row yet."""
        if not self.share:
            return []
        load = np.zeros(self.sessions * self.orgs)
        for call, session in enumerate(self.schedules):
            weight = np.zeros(self.groups)
            mine = (self.col_call == call) & (x[: len(self.col_call)] > 1e-9)
            if not mine.any():
                continue
            weight[self.col_group[mine]] = x[: len(self.col_call)][mine]
            q, r = np.nonzero(session >= 0)
            key = session[q, r].astype(np.int64) * self.orgs + self.table.org[q]
            load += np.bincount(key, weights=weight[self.group_of[q]], minlength=len(load))
        over = np.flatnonzero(load > self.org_limit.reshape(-1) + 1e-6)
        known = set(self.org_keys)
        return [int(k) for k in over.tolist() if int(k) not in known]

    def reduced_costs(
        self, session: IntArray, cost: IntArray, prices: SessionPrices, mu: FloatArray
    ) -> FloatArray:
        """Per group: the master reduced cost of the column these schedules would make."""
        q, r = np.nonzero(session >= 0)
        s = session[q, r]
        price = prices.session[s].copy()
        org = self.table.org[q]
        for o, extra in prices.organisation.items():
            mine = org == o
            price[mine] += extra[s[mine]]
        priced = np.bincount(self.group_of[q], weights=price, minlength=self.groups)
        total = np.bincount(self.group_of, weights=cost, minlength=self.groups)
        return total + priced - mu

    def accepted(self, x: FloatArray) -> tuple[IntArray, FloatArray]:
        """Every member's schedule from their group's heaviest column, and its weight."""
        n = len(self.table.participants)
        best_col = np.full(self.groups, -1, dtype=np.int64)
        best_x = np.full(self.groups, -1.0)
        for j, (g, v) in enumerate(zip(self.col_group.tolist(), x.tolist(), strict=True)):
            if g >= 0 and v > best_x[g]:
                best_x[g] = v
                best_col[g] = j
        call = self.col_call[best_col][self.group_of]
        out = np.full((n, len(self.compiled.round_ids)), -1, dtype=np.int64)
        for c in np.unique(call).tolist():
            rows = np.flatnonzero(call == c)
            out[rows] = self.schedules[c][rows]
        return out, best_x[self.group_of]


def _mix(a: SessionPrices, b: SessionPrices, alpha: float) -> SessionPrices:
    """``alpha * a + (1 - alpha) * b``."""
    if alpha == 0:
        return b
    organisation: dict[int, FloatArray] = {}
    for o in set(a.organisation) | set(b.organisation):
        zero = np.zeros(len(a.session))
        organisation[o] = alpha * a.organisation.get(o, zero) + (1 - alpha) * b.organisation.get(
            o, zero
        )
    return SessionPrices(alpha * a.session + (1 - alpha) * b.session, organisation)


def _bound(
    compiled: Compiled, master: GroupMaster, values: FloatArray, prices: SessionPrices
) -> float:
    """Lagrangian bound of the best schedules' priced values at ``prices``."""
    value = float(values.sum()) - float(prices.session @ compiled.capacity_left)
    for o, extra in prices.organisation.items():
        value -= float(extra @ master.org_limit[:, o])
    return value


def solve_grouped(
    compiled: Compiled,
    start: SessionPrices | None,
    *,
    deadline: float,
    seed: int,
    progress: Callable[[str], None],
) -> Outcome:
    """Column generation over groups for the bound and the seats (see the module doc)."""
    started = time.perf_counter()
    table = build_table(compiled)
    n = len(table.participants)
    rounds = len(compiled.round_ids)
    sessions = len(compiled.session_ids)
    groups = max(1, min(GROUPS, n // MIN_GROUP))
    master = GroupMaster(compiled, table, groups, seed)
    nothing = np.full((n, rounds), -1, dtype=np.int64)
    master.add_call(nothing, table.free.sum(axis=1).astype(np.int64) ** 2 * compiled.none_cost)
    best_bound = -np.inf
    best_prices = SessionPrices(np.zeros(sessions), {})
    prices = start if start is not None else best_prices
    values, best = best_schedules(compiled, table, prices)
    best_bound = _bound(compiled, master, values, prices)
    best_prices = prices
    master.add_call(best.session, best.cost)
    if compiled.problem.rules.max_organisation_share is not None:
        keys: set[int] = set()
        for session in (best.session,):
            q, r = np.nonzero(session >= 0)
            key = session[q, r] * master.orgs + table.org[q]
            uniq, counts = np.unique(key, return_counts=True)
            keys.update(int(k) for k in uniq[counts > master.org_limit.reshape(-1)[uniq]])
        if keys:
            master.add_org_rows(sorted(keys))
    master_end = started + MASTER_SHARE * (deadline - started)
    x: FloatArray | None = None
    iteration = 0
    rows_added = True
    last: SessionPrices | None = None  # the master's last prices, if not given to the oracle
    while time.perf_counter() < master_end:
        iteration += 1
        began = time.perf_counter()
        solved = master.solve(master_end - time.perf_counter(), primal=not rows_added)
        rows_added = False
        if solved is None:
            progress(f"groups: master not solved ({master.highs.getModelStatus()})")
            break
        bad = master.violated_org_keys(solved)
        if bad:
            progress(f"groups: adding {len(bad):,} organisation-share rows")
            master.add_org_rows(bad)
            rows_added = True
            continue
        x = solved
        lp = master.value()
        if lp - best_bound < 1 or lp - best_bound <= STOP_GAP * abs(lp):
            if not master.slack_used(x):
                break
            master.raise_penalty()
            progress(f"groups: seats beyond the limits now cost {master.penalty:,.0f}")
            continue
        master_prices, mu = master.prices()
        lp_seconds = time.perf_counter() - began
        # Smoothed prices (Wentges): a step from the best prices towards the master's.
        added = 0
        for alpha in (SMOOTHING, 0.0):
            prices = _mix(best_prices, master_prices, alpha)
            values, best = best_schedules(compiled, table, prices)
            bound = _bound(compiled, master, values, prices)
            if bound > best_bound:
                best_bound, best_prices = bound, prices
            reduced = master.reduced_costs(best.session, best.cost, master_prices, mu)
            improving = np.flatnonzero(reduced < -EPS)
            if len(improving):
                added = master.add_call(best.session, best.cost, improving)
                break
        progress(
            f"groups {iteration}: master {lp:,.1f}, bound {best_bound:,.1f}, "
            f"{added:,} new columns (master LP {lp_seconds:.1f} s)"
        )
        last = None if alpha == 0 else master_prices
        if not added:
            if not master.slack_used(x):
                break
            master.raise_penalty()
            progress(f"groups: seats beyond the limits now cost {master.penalty:,.0f}")
    if last is not None:
        # The master's own prices, not evaluated yet: often a better bound near the end.
        values, _ = best_schedules(compiled, table, last)
        bound = _bound(compiled, master, values, last)
        if bound > best_bound:
            best_bound, best_prices = bound, last
        progress(f"groups: bound {best_bound:,.1f} at the master's last prices")
    if x is None:
        accepted, weight = best.session.copy(), np.zeros(n)
    else:
        x = np.concatenate([x, np.zeros(len(master.col_group) - len(x))])
        accepted, weight = master.accepted(x)
        fractional = int(((x > EPS) & (x < 1 - EPS)).sum())
        progress(f"seats from the master: {fractional:,} fractional columns")
    fallback = accepted.copy()
    dropped = _drop_overflow(compiled, master, fallback, weight, seed)
    progress(f"{dropped:,} seats beyond a limit")
    # The first sweep re-seats every round within its limits (better than leaving the
    # seats beyond them empty); if time runs out before, the seats left empty are kept.
    accepted = improve_rounds(
        compiled, table, accepted, deadline=deadline, progress=progress, feasible=dropped == 0
    )
    if schedule_cost(compiled, table, accepted) > schedule_cost(compiled, table, fallback):
        accepted = fallback
    chosen = schedule_arcs(compiled, table, accepted)
    filled = np.zeros(compiled.slot_count, dtype=np.bool_)
    filled[chosen.slot] = True
    chosen = fill_greedily(compiled, chosen, compiled.ranked.take(~filled[compiled.ranked.slot]))
    return Outcome(
        chosen,
        integer_bound(best_bound, compiled.bound_scale),
        f"column generation over {groups:,} groups",
        best_prices,
    )


def _drop_overflow(
    compiled: Compiled, master: GroupMaster, accepted: IntArray, weight: FloatArray, seed: int
) -> int:
    """Empty the seats beyond a capacity or share limit, in place; how many.

    Seats of heavier columns (integral groups first, whose seats fit together) are kept
    first, ties in a seeded random order."""
    q, r = np.nonzero(accepted >= 0)
    s = accepted[q, r]
    tie = np.random.default_rng(seed).random(len(q))
    order = np.lexsort((tie, -weight[q]))
    q, r, s = q[order], r[order], s[order]
    keep = _within(s, compiled.capacity_left)
    if master.share:
        key = s * master.orgs + master.table.org[q]
        keep &= _within(np.where(keep, key, -1), master.org_limit.reshape(-1))
    accepted[q[~keep], r[~keep]] = -1
    return int((~keep).sum())


def _within(key: IntArray, limit: IntArray) -> npt.NDArray[np.bool_]:
    """Whether each entry is among the first ``limit[key]`` of its key, in array order
    (never for key -1)."""
    keep = np.zeros(len(key), dtype=np.bool_)
    idx = np.flatnonzero(key >= 0)
    sub = key[idx]
    order = np.argsort(sub, kind="stable")
    first = np.searchsorted(sub[order], sub[order], side="left")
    rank = np.empty(len(idx), dtype=np.int64)
    rank[order] = np.arange(len(idx)) - first
    keep[idx] = rank < limit[sub]
    return keep
