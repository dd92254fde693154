"""Method for shapes with many unranked seats: unranked seats pooled per round.

Every unranked seat costs the same ``(T + 1)²``, so which unranked session a participant
gets matters only through the seats it takes, step-free rooms, the organisation share and
topics already held. The direct MIP has a column for every slot and unranked session (a
third of a million alike columns at 10,000 participants of ``bench.instances.few_ranked``),
and HiGHS spends its time among their symmetric optima. Here a slot has one column
``u`` ("an unranked seat in this round") besides its ranked arcs, and per session, class
of organisation and step-free need a continuous count ``z`` of unranked seats given there:

- ``Σ ranked arcs into s + Σ z[s, ·, ·] ≤`` seats left in ``s``;
- ``Σ z[s, c, n]`` over the round's sessions (step-free ones when ``n`` needs them)
  ``≥ Σ u`` of the round's slots of class ``c`` and need ``n``;
- for an organisation that could break the share rule in a round, its own class, with
  ``ranked arcs + z ≤`` its share left in every session; the others share one class
  (whatever the seating, they cannot break the rule there);
- ranked topics at most once per participant, and the version-2 row of :mod:`.model` for
  every participant with two or more open rounds.

This model only drops constraints of the contract's problem (an unranked seat in a topic
the participant holds elsewhere, or ranked, is not excluded), so its optimum, and HiGHS's
bound on it, is a lower bound. Given integral ``x`` and ``u`` the ``z`` part is a flow
problem with integral data, so ``z`` needs no integrality. The seats are then placed
round by round, each round a max-flow LP over the real unranked arcs (slots, sessions,
organisation shares: a network matrix, so the LP's vertex is integral), away from topics
the participant already holds. When every pooled seat finds a session, the assignment
costs what the model said, and the model's bound proves it.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable

import highspy
import numpy as np

from .compiled import Arcs, Compiled, IntArray
from .model import FloatArray, build_model, configured_highs, run_highs
from .outcome import Outcome
from .primal import Occupancy, fill_greedily, keep_feasible, organisation_counts, solver_cost
from .relaxation import integer_bound


def pooled_applicable(compiled: Compiled) -> bool:
    """Unranked seats cost the same for everyone only without published seats to keep."""
    return compiled.problem.previous is None


def pooled_size(compiled: Compiled) -> int:
    """About how many binary columns the pooled MIP has: ranked arcs and one per slot."""
    return len(compiled.ranked) + compiled.slot_count


def solve_pooled(
    compiled: Compiled,
    *,
    deadline: float,
    seed: int,
    progress: Callable[[str], None],
    integer: bool = True,
) -> Outcome:
    """Solve the pooled model (its LP when ``integer`` is false) within the time left, then
    place the pooled seats; from the LP, arcs and seats at 1 are kept, the rest filled."""
    pool = _Pool(compiled, convex=integer)
    kind = "MIP" if integer else "LP"
    progress(
        f"pooled {kind}: {len(compiled.ranked):,} ranked arcs, {len(pool.u_slots):,} slots "
        f"with an unranked seat, {pool.lp.num_row_:,} rows"
    )
    highs = configured_highs(time_limit=deadline - time.perf_counter(), seed=seed)
    if not integer:
        pool.lp.integrality_ = []
    highs.passModel(pool.lp)
    highs.run()
    solution = highs.getSolution()
    info = highs.getInfo()
    optimal = highs.getModelStatus() == highspy.HighsModelStatus.kOptimal
    value = float(info.mip_dual_bound) if integer else float(info.objective_function_value)
    if not integer and not optimal:
        value = 0.0  # an unfinished LP's objective bounds nothing
    bound = integer_bound(value, compiled.bound_scale) if math.isfinite(value) else 0
    bound = max(bound, 0)
    if not solution.value_valid:
        chosen = fill_greedily(compiled, Arcs.empty(), compiled.ranked)
        return Outcome(chosen, min(bound, solver_cost(compiled, chosen)), f"pooled {kind} (none)")
    values = np.asarray(solution.col_value, dtype=np.float64)
    ranked = keep_feasible(compiled, compiled.ranked.take(values[: pool.n_ranked] > 0.5))
    pooled = pool.u_slots[values[pool.n_ranked : pool.n_ranked + len(pool.u_slots)] > 0.5]
    pooled = np.setdiff1d(pooled, ranked.slot)
    chosen, unplaced = _place(compiled, ranked, pooled, deadline=deadline, seed=seed)
    if unplaced:
        progress(f"pooled {kind}: {unplaced:,} pooled seats found no session")
    chosen = fill_greedily(compiled, chosen, compiled.ranked)
    cost = solver_cost(compiled, chosen)
    progress(f"pooled {kind}: {cost:,}, bound {bound:,}")
    return Outcome(chosen, min(bound, cost), f"pooled unranked seats ({kind})")


class _Pool:
    """The pooled model's HiGHS LP and the order of its columns (ranked, u, z, w)."""

    def __init__(self, compiled: Compiled, *, convex: bool = True) -> None:
        ranked = compiled.ranked
        sessions = len(compiled.session_ids)
        rounds = len(compiled.round_ids)
        orgs = max(1, len(compiled.organisation_ids))
        slot_org = compiled.participant_org[compiled.slot_participant]
        slot_needs = compiled.participant_accessible[compiled.slot_participant].astype(np.int64)
        self.n_ranked = len(ranked)
        self.u_slots = _slots_with_unranked(compiled)
        share = compiled.problem.rules.max_organisation_share is not None

        # Organisations that could break the share rule in a round get a class of their own.
        classes: dict[tuple[int, int], int] = {}  # (round, org) -> class (0 is the rest)
        if share:
            per_round_org = np.bincount(
                compiled.slot_round * orgs + slot_org, minlength=rounds * orgs
            ).reshape(rounds, orgs)
            fixed = np.zeros((sessions, orgs), dtype=np.int64)
            for (s, o), count in compiled.fixed_organisation.items():
                fixed[s, o] = count
            for r in range(rounds):
                in_round = np.flatnonzero(compiled.session_round == r)
                if not len(in_round):
                    continue
                worst = fixed[in_round] + per_round_org[r][None, :]
                limit = compiled.organisation_limit[in_round][:, None]
                for o in np.flatnonzero((worst > limit).any(axis=0)).tolist():
                    classes[r, int(o)] = len([k for k in classes if k[0] == r]) + 1
        self.classes = classes

        cols: list[IntArray] = []
        rows: list[IntArray] = []
        vals: list[FloatArray] = []
        costs: list[FloatArray] = []
        integer: list[np.ndarray] = []
        next_col = 0
        next_row = 0
        upper: list[FloatArray] = []
        lower: list[FloatArray] = []

        # Slot rows: ranked arcs and u.
        n_u = len(self.u_slots)
        slot_col_slot = np.concatenate([ranked.slot, self.u_slots])
        cols.append(np.arange(len(slot_col_slot), dtype=np.int64))
        rows.append(slot_col_slot)
        vals.append(np.ones(len(slot_col_slot)))
        next_row = compiled.slot_count
        lower.append(np.full(next_row, -highspy.kHighsInf))
        upper.append(np.ones(next_row))
        # No cost on binary columns: HiGHS 1.16 partitions the binary columns of the
        # objective into cliques before it starts, which took minutes on tens of thousands
        # of alike columns. The costs sit on continuous columns: z (unranked seats) and one
        # column per rank counting its arcs.
        costs.append(np.zeros(len(ranked) + n_u))
        integer.append(np.ones(len(ranked) + n_u, dtype=bool))
        next_col = len(ranked) + n_u

        # Ranked topics at most once per participant.
        participant = compiled.slot_participant[ranked.slot]
        topic_key = participant * compiled.topic_count + compiled.session_topic[ranked.session]
        uniq, inverse, counts = np.unique(topic_key, return_inverse=True, return_counts=True)
        keep = counts >= 2
        row_of = np.full(len(uniq), -1, dtype=np.int64)
        row_of[keep] = next_row + np.arange(int(keep.sum()))
        arc_row = row_of[inverse]
        has = arc_row >= 0
        cols.append(np.flatnonzero(has))
        rows.append(arc_row[has])
        vals.append(np.ones(int(has.sum())))
        lower.append(np.full(int(keep.sum()), -highspy.kHighsInf))
        upper.append(np.ones(int(keep.sum())))
        next_row += int(keep.sum())

        # z columns: per session, class and need (need 1 only in step-free sessions).
        z_session: list[int] = []
        z_class: list[int] = []
        z_needs: list[int] = []
        for s in range(sessions):
            r = int(compiled.session_round[s])
            own = [0] + [c for (rr, _o), c in classes.items() if rr == r]
            for c in own:
                for n in (0, 1) if compiled.session_accessible[s] else (0,):
                    z_session.append(s)
                    z_class.append(c)
                    z_needs.append(n)
        zs = np.asarray(z_session, dtype=np.int64)
        zc = np.asarray(z_class, dtype=np.int64)
        zn = np.asarray(z_needs, dtype=np.int64)
        z_col = next_col + np.arange(len(zs), dtype=np.int64)
        next_col += len(zs)
        costs.append(np.full(len(zs), float(compiled.unranked_cost - compiled.none_cost)))
        integer.append(np.zeros(len(zs), dtype=bool))

        # Capacity rows: ranked arcs and z.
        cols.append(np.arange(len(ranked), dtype=np.int64))
        rows.append(next_row + ranked.session)
        vals.append(np.ones(len(ranked)))
        cols.append(z_col)
        rows.append(next_row + zs)
        vals.append(np.ones(len(zs)))
        lower.append(np.full(sessions, -highspy.kHighsInf))
        upper.append(np.maximum(compiled.capacity_left, 0).astype(np.float64))
        next_row += sessions

        # Share rows of the organisations with a class of their own.
        if classes:
            org_of_class = {(r, c): o for (r, o), c in classes.items()}
            keys: dict[tuple[int, int], int] = {}  # (session, org) -> row
            rhs: list[float] = []
            for s in range(sessions):
                r = int(compiled.session_round[s])
                for (rr, o), _c in classes.items():
                    if rr == r:
                        keys[s, o] = next_row + len(rhs)
                        left = compiled.organisation_limit[s] - compiled.fixed_organisation.get(
                            (s, o), 0
                        )
                        rhs.append(float(max(left, 0)))
            arc_org = compiled.participant_org[participant]
            arc_rows = np.array(
                [
                    keys.get((s, o), -1)
                    for s, o in zip(ranked.session.tolist(), arc_org.tolist(), strict=True)
                ],
                dtype=np.int64,
            )
            has = arc_rows >= 0
            cols.append(np.flatnonzero(has))
            rows.append(arc_rows[has])
            vals.append(np.ones(int(has.sum())))
            z_rows = np.array(
                [
                    keys[s, org_of_class[int(self_round), c]] if c else -1
                    for s, c, self_round in zip(
                        zs.tolist(), zc.tolist(), compiled.session_round[zs].tolist(), strict=True
                    )
                ],
                dtype=np.int64,
            )
            has = z_rows >= 0
            cols.append(z_col[has])
            rows.append(z_rows[has])
            vals.append(np.ones(int(has.sum())))
            lower.append(np.full(len(rhs), -highspy.kHighsInf))
            upper.append(np.asarray(rhs))
            next_row += len(rhs)

        # Pool rows: z of the round, class and need cover the u of that round, class, need.
        u_round = compiled.slot_round[self.u_slots]
        u_class = np.array(
            [
                classes.get((int(r), int(o)), 0)
                for r, o in zip(u_round.tolist(), slot_org[self.u_slots].tolist(), strict=True)
            ],
            dtype=np.int64,
        )
        u_needs = slot_needs[self.u_slots]
        width = (len(classes) + 1) * 2
        pool_key_u = u_round * width + u_class * 2 + u_needs
        # z of need 0 serves need 0; z of need 1 serves need 1 (step-free sessions only).
        pool_key_z_list = compiled.session_round[zs] * width + zc * 2 + zn
        pools, pool_row = np.unique(
            np.concatenate([pool_key_u, pool_key_z_list]), return_inverse=True
        )
        cols.append(len(ranked) + np.arange(n_u, dtype=np.int64))
        rows.append(next_row + pool_row[:n_u])
        vals.append(np.full(n_u, -1.0))
        cols.append(z_col)
        rows.append(next_row + pool_row[n_u:])
        vals.append(np.ones(len(zs)))
        lower.append(np.zeros(len(pools)))
        upper.append(np.zeros(len(pools)))
        next_row += len(pools)

        # One column per arc cost: the number of ranked arcs chosen at that cost.
        values, cost_row = np.unique(ranked.cost, return_inverse=True)
        cols.append(np.arange(len(ranked), dtype=np.int64))
        rows.append(next_row + cost_row)
        vals.append(np.full(len(ranked), -1.0))
        cols.append(next_col + np.arange(len(values), dtype=np.int64))
        rows.append(next_row + np.arange(len(values), dtype=np.int64))
        vals.append(np.ones(len(values)))
        costs.append((values - compiled.none_cost).astype(np.float64))
        integer.append(np.zeros(len(values), dtype=bool))
        lower.append(np.zeros(len(values)))
        upper.append(np.zeros(len(values)))
        self.rank_cols = next_col + np.arange(len(values), dtype=np.int64)
        next_row += len(values)
        next_col += len(values)

        # Version 2: e empty rounds cost C e², for everyone with two or more open rounds (in the
        # MIP; the LP charges C e, a relaxation, and is much faster without these rows).
        convex_ids = np.flatnonzero(compiled.participant_slots >= 2 if convex else [])
        if len(convex_ids):
            counts = compiled.participant_slots[convex_ids]
            row_of = np.full(len(compiled.participant_slots), -1, dtype=np.int64)
            row_of[convex_ids] = next_row + np.arange(len(convex_ids))
            col_participant = compiled.slot_participant[slot_col_slot]
            arc_row = row_of[col_participant]
            has = arc_row >= 0
            cols.append(np.flatnonzero(has))
            rows.append(arc_row[has])
            vals.append(np.full(int(has.sum()), -1.0))
            w_row = np.repeat(row_of[convex_ids], counts - 1)
            k = np.concatenate([np.arange(2, c + 1) for c in counts.tolist()]).astype(np.int64)
            cols.append(next_col + np.arange(len(w_row), dtype=np.int64))
            rows.append(w_row)
            vals.append(np.full(len(w_row), -1.0))
            costs.append((2 * compiled.none_cost * (k - 1)).astype(np.float64))
            integer.append(np.zeros(len(w_row), dtype=bool))
            lower.append(np.full(len(convex_ids), -highspy.kHighsInf))
            upper.append((1 - counts).astype(np.float64))
            next_row += len(convex_ids)
            next_col += len(w_row)

        all_cols = np.concatenate(cols)
        all_rows = np.concatenate(rows)
        all_vals = np.concatenate(vals)
        order = np.lexsort((all_rows, all_cols))
        starts = np.zeros(next_col + 1, dtype=np.int64)
        np.cumsum(np.bincount(all_cols, minlength=next_col), out=starts[1:])
        col_upper = np.ones(next_col)
        col_upper[z_col] = highspy.kHighsInf
        col_upper[self.rank_cols] = highspy.kHighsInf

        lp = highspy.HighsLp()
        lp.num_col_ = next_col
        lp.num_row_ = next_row
        lp.col_cost_ = np.concatenate(costs)
        lp.col_lower_ = np.zeros(next_col)
        lp.col_upper_ = col_upper
        lp.row_lower_ = np.concatenate(lower)
        lp.row_upper_ = np.concatenate(upper)
        lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
        lp.a_matrix_.num_col_ = next_col
        lp.a_matrix_.num_row_ = next_row
        lp.a_matrix_.start_ = starts.astype(np.int32)
        lp.a_matrix_.index_ = all_rows[order].astype(np.int32)
        lp.a_matrix_.value_ = all_vals[order]
        lp.offset_ = float(compiled.slot_none_cost.sum())
        kinds = np.concatenate(integer)
        lp.integrality_ = [
            highspy.HighsVarType.kInteger if k else highspy.HighsVarType.kContinuous
            for k in kinds.tolist()
        ]
        self.lp = lp


def _slots_with_unranked(compiled: Compiled) -> IntArray:
    """Slots that have at least one session of a topic the participant may take unranked."""
    problem = compiled.problem
    rounds = len(compiled.round_ids)
    topics_of: list[list[set[int]]] = [[set(), set()] for _ in range(rounds)]
    for s in range(len(compiled.session_ids)):
        r = int(compiled.session_round[s])
        t = int(compiled.session_topic[s])
        topics_of[r][0].add(t)
        if compiled.session_accessible[s]:
            topics_of[r][1].add(t)
    topic_index = compiled._topic_index()
    excluded: list[set[int]] = [
        {topic_index[t] for t in participant.preferences} | compiled.fixed_topics[p]
        for p, participant in enumerate(problem.participants)
    ]
    keep = np.zeros(compiled.slot_count, dtype=bool)
    for slot, (p, r) in enumerate(
        zip(compiled.slot_participant.tolist(), compiled.slot_round.tolist(), strict=True)
    ):
        offered = topics_of[r][int(compiled.participant_accessible[p])]
        keep[slot] = len(offered) > len(excluded[p]) or bool(offered - excluded[p])
    return np.flatnonzero(keep)


def _place(
    compiled: Compiled, ranked: Arcs, pooled: IntArray, *, deadline: float, seed: int
) -> tuple[Arcs, int]:
    """Seat the pooled slots round by round (a max-flow LP each); return the arcs and how
    many pooled slots found no session."""
    chosen = ranked
    unplaced = 0
    for r in range(len(compiled.round_ids)):
        slots = pooled[compiled.slot_round[pooled] == r]
        if not len(slots):
            continue
        arcs = compiled.unranked_arcs_for(slots)
        held = Occupancy(compiled, chosen)
        topics = compiled.session_topic[arcs.session]
        participant = compiled.slot_participant[arcs.slot]
        free = np.array(
            [
                (p, t) not in held.topics
                for p, t in zip(participant.tolist(), topics.tolist(), strict=True)
            ],
            dtype=bool,
        )
        arcs = arcs.take(free)
        load = np.bincount(chosen.session, minlength=len(compiled.session_ids))
        model = build_model(
            compiled, arcs, compiled.capacity_left - load, organisation_counts(compiled, chosen)
        )
        solution = run_highs(
            model, integer=False, time_limit=max(1.0, deadline - time.perf_counter()), seed=seed
        )
        picked = arcs.take(solution.x > 0.5) if solution is not None else Arcs.empty()
        # Checked one by one: a non-integral answer must not break a limit.
        occupancy = Occupancy(compiled, chosen)
        keep = np.zeros(len(picked), dtype=bool)
        for i, (slot, session) in enumerate(
            zip(picked.slot.tolist(), picked.session.tolist(), strict=True)
        ):
            if occupancy.fits(slot, session):
                occupancy.add(slot, session)
                keep[i] = True
        picked = picked.take(keep)
        unplaced += len(slots) - len(picked)
        chosen = chosen.concat(picked)
    return chosen, unplaced
