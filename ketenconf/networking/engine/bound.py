"""Proven upper bounds on the weight of the meetings a run may add.

Both relax the slots (a person's meetings need not fit in different slots) and keep the
rest: at most ``b`` more meetings per person, at most ``T`` more meetings at the tables.

- :func:`price_bound` counts each meeting at both ends: with a price ``p`` per table
  place, the weight is at most ``p*T + (1/2) * sum over people of their b best
  (weight - p)+``. Cheap; always computed.
- :func:`lp_bound` solves the linear relaxation on the candidate pairs with HiGHS and reads
  its duals ``y`` (per person) and ``λ`` (tables) back; for *every* pair, candidate or not,
  ``y_u + y_v + λ + z_uv >= w_uv`` must hold, so the pairs outside the candidates are paid
  for with a ``z`` computed from the best weight they can have (a pair that is no candidate
  is worth at most the lowest candidate weight of each of the two). Weak duality makes the
  bound valid whatever duals HiGHS returns, even when it stops at its time limit.
"""

from __future__ import annotations

import time

import highspy
import numpy as np
import numpy.typing as npt

from ketenconf.enginekit.highs import new_highs

from .compiled import BLOCK, Candidates, Compiled, weights_block
from .problem import Problem

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]


def price_bound(compiled: Compiled, top: list[list[int]]) -> float:
    c = compiled
    tables = sum(c.slot_capacity)
    width = max(c.capacity, default=0)
    best_values = np.zeros((len(top), max(1, width)), dtype=np.int64)
    for i, (values, b) in enumerate(zip(top, c.capacity, strict=True)):
        kept = values[:b]
        best_values[i, : len(kept)] = kept
    prices = np.unique(np.concatenate([[0], best_values.ravel()]))
    return float(
        min(int(price) * tables + np.maximum(best_values - price, 0).sum() / 2 for price in prices)
    )


def _lp_duals(compiled: Compiled, found: Candidates, *, seconds: float) -> tuple[FloatArray, float]:
    n = len(compiled.ids)
    m = len(found.u)
    highs = new_highs()
    highs.setOptionValue("time_limit", max(0.1, seconds))
    # Interior point without crossover: about twice as fast as simplex on 20,000 people;
    # its duals need not be exact, as the bound is computed from them afresh below.
    highs.setOptionValue("solver", "ipm")
    highs.setOptionValue("run_crossover", "off")
    lp = highspy.HighsLp()
    lp.num_col_ = m
    lp.num_row_ = n + 1
    lp.col_cost_ = -found.weight.astype(np.float64)
    lp.col_lower_ = np.zeros(m)
    lp.col_upper_ = np.ones(m)
    lp.row_lower_ = np.full(n + 1, -highspy.kHighsInf)
    lp.row_upper_ = np.array([*compiled.capacity, sum(compiled.slot_capacity)], dtype=np.float64)
    index = np.empty(3 * m, dtype=np.int32)
    index[0::3], index[1::3], index[2::3] = found.u, found.v, n
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_ = np.arange(0, 3 * m + 1, 3, dtype=np.int32)
    lp.a_matrix_.index_ = index
    lp.a_matrix_.value_ = np.ones(3 * m)
    highs.passModel(lp)
    highs.run()
    solution = highs.getSolution()
    if not solution.dual_valid:
        return np.zeros(n), 0.0
    duals = np.maximum(-np.asarray(solution.row_dual, dtype=np.float64), 0.0)
    return duals[:n], float(duals[n])


def _repair(threshold: FloatArray, y: FloatArray, price: float) -> float:
    """Sum over pairs u < v of max(0, min(t_u, t_v) - y_u - y_v - price)."""
    total = 0.0
    levels = np.unique(threshold[threshold > 0])
    for level in levels:
        here = np.flatnonzero(threshold == level)
        above = np.sort(y[threshold > level])
        same = np.sort(y[here])
        prefix_above = np.concatenate([[0.0], np.cumsum(above)])
        prefix_same = np.concatenate([[0.0], np.cumsum(same)])
        a = level - price - y[here]
        count = np.searchsorted(above, a)
        total += float((count * a - prefix_above[count]).clip(min=0).sum())
        count = np.searchsorted(same, a)
        within = count * a - prefix_same[count]
        # Each pair within the level is seen from both ends; a person is no pair with itself.
        self_pair = np.maximum(a - y[here], 0.0)
        total += float((within - self_pair).clip(min=0).sum()) / 2
    return total


def _exact_slack(
    compiled: Compiled, problem: Problem, y: FloatArray, price: float, open_people: BoolArray
) -> float:
    """Sum over all pairs u < v of the people who may meet of max(0, w_uv - y_u - y_v - price)."""
    rows_all = np.flatnonzero(open_people)
    total = 0.0
    for start in range(0, len(rows_all), BLOCK):
        rows = rows_all[start : start + BLOCK]
        weight = weights_block(compiled, problem, rows)
        slack = weight - y[rows][:, None] - y[None, :] - price
        slack[:, ~open_people] = 0.0
        total += float(np.maximum(slack, 0.0).sum())
    return total / 2


def lp_bound(
    compiled: Compiled,
    problem: Problem,
    found: Candidates,
    *,
    k: int,
    deadline: float,
    pass_seconds: float,
) -> float | None:
    """The dual bound of the linear relaxation, or ``None`` when there is no time for it.

    The pairs outside the candidates are paid for exactly (another pass over all pairs)
    when the time left allows one more pass like the candidates' (``pass_seconds``), else
    from the best weight they can have.
    """
    seconds = deadline - time.perf_counter() - pass_seconds
    if seconds <= 0.2 or len(found.u) == 0:
        return None
    y, price = _lp_duals(compiled, found, seconds=seconds)
    n = len(compiled.ids)
    capacity = np.array(compiled.capacity, dtype=np.float64)
    base = float(capacity @ y) + price * sum(compiled.slot_capacity)
    open_people = np.array(
        [cap > 0 and compiled.available[i] != 0 for i, cap in enumerate(compiled.capacity)],
        dtype=bool,
    )
    if deadline - time.perf_counter() > 1.5 * pass_seconds:
        return base + _exact_slack(compiled, problem, y, price, open_people)
    z = np.maximum(found.weight - y[found.u] - y[found.v] - price, 0.0)
    # The best a pair outside the candidates can weigh: the lowest weight a person keeps,
    # when they keep a full list (with fewer, all their partners are candidates).
    threshold = np.zeros(n)
    for person, values in enumerate(found.top):
        if len(values) >= k and open_people[person]:
            threshold[person] = values[-1]
    return base + float(z.sum()) + _repair(threshold, y, price)
