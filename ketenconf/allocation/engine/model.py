"""The linear model over a set of arcs, solved with HiGHS, and the prices it yields.

Variables: one per arc, ``x ∈ [0, 1]`` (integer in a MIP). Rows:

- slot rows: at most one arc per slot (no arc means no session, at the slot's none cost);
- topic rows: at most one arc per participant and topic, when the participant has arcs to two
  sessions of the topic (never the same topic twice);
- capacity rows: per session, arcs ≤ seats left after fixed seats;
- organisation rows: per session and organisation, arcs ≤ the share limit left.

Rows that cannot bind are left out. The objective is ``Σ none cost + Σ (arc cost − none cost) x``.

Version 2 of the contract charges a participant's ``e`` empty rounds ``C e²`` rather than
``C e``. For the participants listed in ``convex`` the model holds that exactly: extra
columns ``w_k ∈ [0, 1]`` (k = 2 … rounds) costing ``2 C (k − 1)`` and one row
``− Σ x − Σ w ≤ 1 − rounds``; cheaper ``w`` fill first, so the LP charges ``C e (e − 1)``
more. For everyone else the model charges ``C e``, at most the contract's cost, so the
model stays a relaxation and its bounds stay valid.

:class:`Prices` are the duals of the coupling rows (topic, capacity, organisation). For *any*
prices ≤ 0 :meth:`Prices.bound` is a valid lower bound on the optimum (Lagrangian relaxation
of the coupling rows; each slot then picks its cheapest arc or none on its own), so the bound
the engine reports does not depend on the LP solver's tolerances.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import highspy
import numpy as np
import numpy.typing as npt

from ketenconf.enginekit.highs import mip_highs

from .compiled import Arcs, Compiled, IntArray

FloatArray = npt.NDArray[np.float64]


@dataclass
class Prices:
    """Non-positive dual prices on the coupling rows, and their ``Σ y·b`` term."""

    capacity: FloatArray  # per session
    topic_keys: IntArray  # sorted participant * T + topic
    topic_values: FloatArray
    organisation_keys: IntArray  # sorted session * O + organisation
    organisation_values: FloatArray
    constant: float

    @staticmethod
    def zero(compiled: Compiled) -> Prices:
        z = np.zeros(0, dtype=np.int64)
        f = np.zeros(0, dtype=np.float64)
        return Prices(np.zeros(len(compiled.session_ids)), z, f, z.copy(), f.copy(), 0.0)

    def reduced(self, compiled: Compiled, arcs: Arcs) -> FloatArray:
        """Arc cost minus the slot's none cost minus the prices of the rows the arc is in."""
        value = (arcs.cost - compiled.slot_none_cost[arcs.slot]).astype(np.float64)
        value -= self.capacity[arcs.session]
        participant = compiled.slot_participant[arcs.slot]
        if len(self.topic_keys):
            keys = participant * compiled.topic_count + compiled.session_topic[arcs.session]
            value -= _lookup(self.topic_keys, self.topic_values, keys)
        if len(self.organisation_keys):
            orgs = len(compiled.organisation_ids)
            keys = arcs.session * orgs + compiled.participant_org[participant]
            value -= _lookup(self.organisation_keys, self.organisation_values, keys)
        return value

    def unranked_floor(self, compiled: Compiled) -> FloatArray:
        """Per slot, a value at most the reduced cost of any of its unranked arcs (inf if none).

        Takes the minimum over every session of the slot's round that the participant may
        enter, ignoring topic prices (≤ 0, so ignoring them can only lower the value).
        """
        sessions = len(compiled.session_ids)
        rounds = len(compiled.round_ids)
        orgs = len(compiled.organisation_ids)
        penalty = -self.capacity  # >= 0
        org_list: list[int] = (
            np.unique(self.organisation_keys % orgs).tolist() if len(self.organisation_keys) else []
        )
        org_row = {int(o): i + 1 for i, o in enumerate(org_list)}
        table = np.full((len(org_row) + 1, rounds, 2), np.inf)
        variants = [penalty]
        for o in org_list:
            extra = np.zeros(sessions)
            mask = (self.organisation_keys % orgs) == o
            extra[self.organisation_keys[mask] // orgs] = -self.organisation_values[mask]
            variants.append(penalty + extra)
        for i, values in enumerate(variants):
            for needs in (0, 1):
                allowed = compiled.session_accessible | (needs == 0)
                for r in range(rounds):
                    mask = allowed & (compiled.session_round == r)
                    if mask.any():
                        table[i, r, needs] = values[mask].min()
        participant = compiled.slot_participant
        org_index = np.array(
            [org_row.get(int(o), 0) for o in compiled.participant_org[participant]], dtype=np.int64
        )
        needs_index = compiled.participant_accessible[participant].astype(np.int64)
        floor = table[org_index, compiled.slot_round, needs_index]
        return floor + float(compiled.unranked_cost - compiled.none_cost)

    def slot_minimum(self, compiled: Compiled, arcs: Arcs, reduced: FloatArray) -> FloatArray:
        """Per slot: min(0, cheapest reduced cost among ``arcs`` of the slot)."""
        best = np.zeros(compiled.slot_count)
        if len(arcs):
            np.minimum.at(best, arcs.slot, reduced)
        return best

    def bound(self, compiled: Compiled, slot_best: FloatArray) -> float:
        """The Lagrangian lower bound given each slot's min(0, best reduced cost over all arcs)."""
        return float(compiled.slot_none_cost.sum()) + self.constant + float(slot_best.sum())


def _lookup(keys: IntArray, values: FloatArray, query: IntArray) -> FloatArray:
    pos = np.searchsorted(keys, query)
    pos = np.minimum(pos, len(keys) - 1)
    found = keys[pos] == query
    return np.where(found, values[pos], 0.0)


@dataclass
class Model:
    """A HiGHS model over ``arcs`` and the data needed to read its duals back as prices."""

    arcs: Arcs
    lp: highspy.HighsLp
    offset: float
    slot_rows: int
    topic_keys: IntArray
    capacity_sessions: IntArray
    capacity_rhs: FloatArray
    organisation_keys: IntArray
    organisation_rhs: FloatArray
    convex_participants: IntArray  # participants with an exact version-2 row, in row order

    convex_slots: IntArray  # their open rounds
    arc_participant: IntArray  # per arc column

    def full_start(self, x: FloatArray) -> FloatArray:
        """A start for every column from values of the arc columns (the w follow from x)."""
        extra: list[float] = []
        for p, slots in zip(
            self.convex_participants.tolist(), self.convex_slots.tolist(), strict=True
        ):
            empty = slots - round(float(x[self.arc_participant == p].sum()))
            extra.extend(1.0 if k <= empty else 0.0 for k in range(2, slots + 1))
        return np.concatenate([x, np.asarray(extra, dtype=np.float64)])


def build_model(
    compiled: Compiled,
    arcs: Arcs,
    capacity_left: IntArray,
    organisation_used: Mapping[tuple[int, int], int],
    convex: IntArray | None = None,
) -> Model:
    """Build the model; ``organisation_used`` counts seats already taken per (session, org).

    ``convex`` lists participants whose empty rounds the model charges exactly (version 2).
    """
    n = len(arcs)
    sessions = len(compiled.session_ids)
    orgs = max(1, len(compiled.organisation_ids))
    participant = compiled.slot_participant[arcs.slot]
    cols: list[IntArray] = []
    rows: list[IntArray] = []
    col_index = np.arange(n, dtype=np.int64)

    slots, slot_row = np.unique(arcs.slot, return_inverse=True)
    cols.append(col_index)
    rows.append(slot_row.astype(np.int64))
    next_row = len(slots)
    upper: list[FloatArray] = [np.ones(len(slots))]

    topic_key = participant * compiled.topic_count + compiled.session_topic[arcs.session]
    uniq, inverse, counts = np.unique(topic_key, return_inverse=True, return_counts=True)
    keep = counts >= 2
    row_of = np.full(len(uniq), -1, dtype=np.int64)
    row_of[keep] = next_row + np.arange(int(keep.sum()))
    arc_row = row_of[inverse]
    has = arc_row >= 0
    cols.append(col_index[has])
    rows.append(arc_row[has])
    topic_keys = uniq[keep]
    upper.append(np.ones(len(topic_keys)))
    next_row += len(topic_keys)

    load = np.bincount(arcs.session, minlength=sessions)
    binding = np.flatnonzero(load > capacity_left)
    row_of = np.full(sessions, -1, dtype=np.int64)
    row_of[binding] = next_row + np.arange(len(binding))
    arc_row = row_of[arcs.session]
    has = arc_row >= 0
    cols.append(col_index[has])
    rows.append(arc_row[has])
    capacity_rhs = capacity_left[binding].astype(np.float64)
    upper.append(capacity_rhs)
    next_row += len(binding)

    organisation_keys = np.zeros(0, dtype=np.int64)
    organisation_rhs = np.zeros(0)
    if compiled.problem.rules.max_organisation_share is not None and n:
        org_key = arcs.session * orgs + compiled.participant_org[participant]
        uniq, inverse, counts = np.unique(org_key, return_inverse=True, return_counts=True)
        limit = compiled.organisation_limit[uniq // orgs]
        used = np.array(
            [organisation_used.get((int(k // orgs), int(k % orgs)), 0) for k in uniq],
            dtype=np.int64,
        )
        left = limit - used
        keep = counts > left
        row_of = np.full(len(uniq), -1, dtype=np.int64)
        row_of[keep] = next_row + np.arange(int(keep.sum()))
        arc_row = row_of[inverse]
        has = arc_row >= 0
        cols.append(col_index[has])
        rows.append(arc_row[has])
        organisation_keys = uniq[keep]
        organisation_rhs = left[keep].astype(np.float64)
        upper.append(organisation_rhs)
        next_row += len(organisation_keys)

    values = [np.ones(len(c)) for c in cols]
    costs = [(arcs.cost - compiled.slot_none_cost[arcs.slot]).astype(np.float64)]
    convex_participants = np.zeros(0, dtype=np.int64)
    total = n
    if convex is not None and len(convex):
        convex = np.asarray(convex, dtype=np.int64)
        convex_participants = convex[compiled.participant_slots[convex] >= 2]
    if len(convex_participants):
        counts = compiled.participant_slots[convex_participants]
        row_of = np.full(len(compiled.participant_slots), -1, dtype=np.int64)
        row_of[convex_participants] = next_row + np.arange(len(convex_participants))
        arc_row = row_of[participant]
        has = arc_row >= 0
        cols.append(col_index[has])
        rows.append(arc_row[has])
        values.append(np.full(int(has.sum()), -1.0))
        w_row = np.repeat(row_of[convex_participants], counts - 1)
        k = np.concatenate([np.arange(2, c + 1) for c in counts.tolist()]).astype(np.int64)
        cols.append(total + np.arange(len(w_row), dtype=np.int64))
        rows.append(w_row)
        values.append(np.full(len(w_row), -1.0))
        costs.append((2 * compiled.none_cost * (k - 1)).astype(np.float64))
        upper.append((1 - counts).astype(np.float64))
        next_row += len(convex_participants)
        total += len(w_row)

    all_cols = np.concatenate(cols)
    all_rows = np.concatenate(rows)
    all_values = np.concatenate(values)
    order = np.argsort(all_cols, kind="stable")
    starts = np.zeros(total + 1, dtype=np.int64)
    np.cumsum(np.bincount(all_cols, minlength=total), out=starts[1:])

    lp = highspy.HighsLp()
    lp.num_col_ = total
    lp.num_row_ = next_row
    lp.col_cost_ = np.concatenate(costs)
    lp.col_lower_ = np.zeros(total)
    lp.col_upper_ = np.ones(total)
    lp.row_lower_ = np.full(next_row, -highspy.kHighsInf)
    lp.row_upper_ = np.concatenate(upper)
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.num_col_ = total
    lp.a_matrix_.num_row_ = next_row
    lp.a_matrix_.start_ = starts.astype(np.int32)
    lp.a_matrix_.index_ = all_rows[order].astype(np.int32)
    lp.a_matrix_.value_ = all_values[order]
    offset = float(compiled.slot_none_cost[slots].sum())
    lp.offset_ = offset
    return Model(
        arcs=arcs,
        lp=lp,
        offset=offset,
        slot_rows=len(slots),
        topic_keys=topic_keys,
        capacity_sessions=binding.astype(np.int64),
        capacity_rhs=capacity_rhs,
        organisation_keys=organisation_keys,
        organisation_rhs=organisation_rhs,
        convex_participants=convex_participants,
        convex_slots=compiled.participant_slots[convex_participants],
        arc_participant=participant,
    )


@dataclass
class Solution:
    """What HiGHS returned for a model."""

    optimal: bool
    x: FloatArray
    objective: float
    mip_bound: float
    row_dual: FloatArray


def run_highs(
    model: Model,
    *,
    integer: bool,
    time_limit: float,
    seed: int,
    start: FloatArray | None = None,
) -> Solution | None:
    """Solve ``model`` (as LP or MIP) single-threaded; ``None`` when no solution came back."""
    highs = configured_highs(time_limit=time_limit, seed=seed)
    lp = model.lp
    if integer:
        lp.integrality_ = [highspy.HighsVarType.kInteger] * lp.num_col_
    else:
        lp.integrality_ = []
    highs.passModel(lp)
    if integer and start is not None:
        solution = highspy.HighsSolution()
        solution.col_value = list(model.full_start(start))
        solution.value_valid = True
        highs.setSolution(solution)
    highs.run()
    status = highs.getModelStatus()
    info = highs.getInfo()
    sol = highs.getSolution()
    if status == highspy.HighsModelStatus.kModelEmpty:
        return Solution(
            True, np.zeros(len(model.arcs)), model.offset, model.offset, np.zeros(lp.num_row_)
        )
    if not sol.value_valid:
        return None
    x = np.asarray(sol.col_value, dtype=np.float64)[: len(model.arcs)]
    row_dual = np.asarray(sol.row_dual, dtype=np.float64) if sol.dual_valid else np.zeros(0)
    optimal = status in (highspy.HighsModelStatus.kOptimal, highspy.HighsModelStatus.kModelEmpty)
    objective = float(info.objective_function_value)
    mip_bound = float(info.mip_dual_bound) if integer else objective
    return Solution(optimal, x, objective, mip_bound, row_dual)


def configured_highs(*, time_limit: float, seed: int) -> highspy.Highs:
    """A silent, single-threaded HiGHS with the engine's options (integral objective)."""
    return mip_highs(
        time_limit=time_limit,
        seed=seed,
        options=(
            ("presolve", "on"),
            # HiGHS 1.16's symmetry detection ignores the time limit: on 1,500 participants who
            # rank all of 10 topics running in every round it ran for minutes past a limit of 8 s.
            ("mip_detect_symmetry", False),
        ),
    )


def prices_from(compiled: Compiled, model: Model, row_dual: FloatArray) -> Prices:
    """Read a model's row duals back as prices, clipped to ≤ 0 so the bound stays valid."""
    if len(row_dual) == 0:
        return Prices.zero(compiled)
    y = np.minimum(row_dual, 0.0)
    start = model.slot_rows
    topic = y[start : start + len(model.topic_keys)]
    start += len(model.topic_keys)
    capacity_y = y[start : start + len(model.capacity_sessions)]
    start += len(model.capacity_sessions)
    organisation = y[start : start + len(model.organisation_keys)]
    capacity = np.zeros(len(compiled.session_ids))
    capacity[model.capacity_sessions] = capacity_y
    constant = (
        float(topic.sum())
        + float(capacity_y @ model.capacity_rhs)
        + float(organisation @ model.organisation_rhs)
    )
    return Prices(
        capacity=capacity,
        topic_keys=model.topic_keys,
        topic_values=topic,
        organisation_keys=model.organisation_keys,
        organisation_values=organisation,
        constant=constant,
    )
