"""The re-offer round by round, as min-cost flows: a fast answer and a proven lower bound.

Within one round, with every other round's seats held as they are, the re-offer is a
min-cost flow (OR-Tools): a unit per slot, to one of its allowed sessions through a node per
(session, organisation) capped by the share rule, then the session capped by its seats left;
a slot without a current seat may instead take "no session". That is exact for the round:
a participant's allowed arcs are those that keep their own cost within their ceiling given
their other rounds, and that do not repeat a topic they hold in another round. Costs are
``(m + 1) × contract cost + 1 per move``, ``m`` the round's current seats, so the fewest
moves win among the round's optima, in exact integers.

:func:`round_by_round` sweeps the rounds in order, and again while an answer improves (a
move in one round can leave room under a ceiling for a move in another).

:func:`flow_bound`: drop the rows that tie rounds together (a topic once per participant,
the ceiling rows, the convex charge for several empty rounds, which only adds cost) and
keep the arcs no ceiling excludes on its own; what is left splits into one min-cost flow per
round, and the sum of their optima bounds the re-offer's optimum from below.
"""

from __future__ import annotations

import numpy as np
from ortools.graph.python import min_cost_flow

from .compiled import Arcs, Compiled, IntArray

#: Sweeps over the rounds at most.
PASSES = 3


def _round_flow(
    compiled: Compiled,
    slots: IntArray,
    arc_index: IntArray,
    arc_session: IntArray,
    arc_cost: IntArray,
    none_cost: IntArray,
) -> IntArray | None:
    """Per slot of ``slots`` the chosen session (-1: none), or None when infeasible.

    ``arc_index`` gives each arc's position in ``slots``; ``none_cost`` per slot is the cost
    of no session, negative when the slot must be seated.
    """
    m = len(slots)
    if m == 0:
        return np.zeros(0, dtype=np.int64)
    orgs = max(1, len(compiled.organisation_ids))
    participant = compiled.slot_participant[slots[arc_index]]
    pair_key = arc_session * orgs + compiled.participant_org[participant]
    pairs, pair_of = np.unique(pair_key, return_inverse=True)
    pair_session = pairs // orgs
    sessions, session_of = np.unique(pair_session, return_inverse=True)
    limit = compiled.organisation_limit[pair_session]
    if compiled.problem.rules.max_organisation_share is not None:
        used = np.array(
            [compiled.fixed_organisation.get((int(k // orgs), int(k % orgs)), 0) for k in pairs],
            dtype=np.int64,
        )
        pair_cap = np.maximum(limit - used, 0)
    else:
        pair_cap = np.full(len(pairs), m, dtype=np.int64)
    pair_base = m
    session_base = pair_base + len(pairs)
    sink = session_base + len(sessions)
    optional = np.flatnonzero(none_cost >= 0)
    tails = np.concatenate(
        [
            arc_index,
            optional,
            pair_base + np.arange(len(pairs)),
            session_base + np.arange(len(sessions)),
        ]
    )
    heads = np.concatenate(
        [
            pair_base + pair_of,
            np.full(len(optional), sink),
            session_base + session_of,
            np.full(len(sessions), sink),
        ]
    )
    capacities = np.concatenate(
        [
            np.ones(len(arc_index) + len(optional), dtype=np.int64),
            pair_cap,
            np.maximum(compiled.capacity_left[sessions], 0).astype(np.int64),
        ]
    )
    costs = np.concatenate(
        [
            arc_cost.astype(np.int64),
            none_cost[optional].astype(np.int64),
            np.zeros(len(pairs) + len(sessions), dtype=np.int64),
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
        return None
    used_arcs = flow.flows(np.arange(len(arc_index), dtype=np.int32)) > 0
    chosen = np.full(m, -1, dtype=np.int64)
    chosen[arc_index[used_arcs]] = arc_session[used_arcs]
    return chosen


def round_by_round(compiled: Compiled, arcs: Arcs, current: IntArray) -> IntArray | None:
    """Per slot a session (-1: none), starting from ``current``; None if a round's flow has
    no answer (the current seats do not fit)."""
    problem = compiled.problem
    held = current >= 0
    chosen = current.copy()
    cost_of = {
        (int(s), int(e)): int(c) for s, e, c in zip(arcs.slot, arcs.session, arcs.cost, strict=True)
    }
    slot_cost = np.array(
        [cost_of.get((slot, int(chosen[slot])), 0) for slot in range(compiled.slot_count)],
        dtype=np.int64,
    )
    ceilings = np.array(
        [-1 if p.ceiling is None else p.ceiling for p in problem.participants], dtype=np.int64
    )
    none = compiled.none_cost
    participants = len(problem.participants)
    by_round = [np.flatnonzero(compiled.slot_round == r) for r in range(len(compiled.round_ids))]
    arc_order = np.argsort(arcs.slot, kind="stable")
    arc_bounds = np.searchsorted(arcs.slot[arc_order], np.arange(compiled.slot_count + 1))
    for _sweep in range(PASSES):
        improved = False
        for r, slots in enumerate(by_round):
            if len(slots) == 0:
                continue
            seated = chosen >= 0
            linear = np.bincount(
                compiled.slot_participant, weights=slot_cost * seated, minlength=participants
            ).astype(np.int64)
            empty = np.bincount(
                compiled.slot_participant, weights=~seated, minlength=participants
            ).astype(np.int64)
            # Topics each participant holds, by round.
            held_topic = np.full(compiled.slot_count, -1, dtype=np.int64)
            held_topic[seated] = compiled.session_topic[chosen[seated]]
            mine = set(
                zip(
                    compiled.slot_participant[seated].tolist(),
                    held_topic[seated].tolist(),
                    compiled.slot_round[seated].tolist(),
                    strict=True,
                )
            )
            elsewhere = {(p, t) for p, t, rr in mine if rr != r}
            index: list[np.ndarray] = []
            for i, slot in enumerate(slots.tolist()):
                a = arc_order[arc_bounds[slot] : arc_bounds[slot + 1]]
                index.append(np.column_stack([np.full(len(a), i), a]))
            pairs = np.concatenate(index) if index else np.zeros((0, 2), dtype=np.int64)
            arc_index, arc_id = pairs[:, 0].astype(np.int64), pairs[:, 1].astype(np.int64)
            p_of = compiled.slot_participant[slots[arc_index]]
            topic = compiled.session_topic[arcs.session[arc_id]]
            keep = np.array(
                [
                    (p, t) not in elsewhere
                    for p, t in zip(p_of.tolist(), topic.tolist(), strict=True)
                ],
                dtype=np.bool_,
            )
            # The participant's cost with this arc, their other rounds as they are.
            slot_now = slots[arc_index]
            was_seated = chosen[slot_now] >= 0
            new_linear = (
                linear[p_of] - np.where(was_seated, slot_cost[slot_now], 0) + arcs.cost[arc_id]
            )
            new_empty = empty[p_of] - (~was_seated).astype(np.int64)
            new_cost = new_linear + none * new_empty * new_empty
            ceiling = ceilings[p_of]
            keep &= (ceiling < 0) | (new_cost <= ceiling)
            arc_index, arc_id = arc_index[keep], arc_id[keep]
            # Exact integer costs: (moves possible + 1) × cost + 1 per move.
            slot_held = held[slots]
            scale = int(slot_held.sum()) + 1
            moving = held[slots[arc_index]] & (arcs.session[arc_id] != current[slots[arc_index]])
            arc_cost = scale * arcs.cost[arc_id] + moving
            # No session: the marginal convex charge, C (2e + 1) with e other empty rounds.
            others_empty = empty[compiled.slot_participant[slots]] - (chosen[slots] < 0)
            none_cost = np.where(slot_held, -1, scale * none * (2 * others_empty + 1))
            # ... allowed only within the ceiling.
            p_slot = compiled.slot_participant[slots]
            seated_now = chosen[slots] >= 0
            empty_after = empty[p_slot] + seated_now
            cost_empty = (
                linear[p_slot]
                - np.where(seated_now, slot_cost[slots], 0)
                + none * empty_after * empty_after
            )
            ceiling_slot = ceilings[p_slot]
            none_cost[(ceiling_slot >= 0) & (cost_empty > ceiling_slot)] = -1
            answer = _round_flow(
                compiled, slots, arc_index, arcs.session[arc_id], arc_cost, none_cost
            )
            if answer is None:
                return None
            if not np.array_equal(answer, chosen[slots]):
                improved = True
                chosen[slots] = answer
                slot_cost[slots] = [
                    cost_of.get((int(s), int(e)), 0) for s, e in zip(slots, answer, strict=True)
                ]
        if not improved:
            break
    return chosen


def flow_bound(compiled: Compiled, arcs: Arcs, current: IntArray) -> int:
    """A lower bound on the re-offer's optimum: one min-cost flow per round (see above)."""
    held = current >= 0
    total = 0
    order = np.argsort(arcs.slot, kind="stable")
    for r in range(len(compiled.round_ids)):
        slots = np.flatnonzero(compiled.slot_round == r)
        if len(slots) == 0:
            continue
        position = np.full(compiled.slot_count, -1, dtype=np.int64)
        position[slots] = np.arange(len(slots))
        a = order[position[arcs.slot[order]] >= 0]
        none_cost = np.where(held[slots], -1, compiled.slot_none_cost[slots])
        answer = _round_flow(
            compiled, slots, position[arcs.slot[a]], arcs.session[a], arcs.cost[a], none_cost
        )
        if answer is None:
            return 0
        seated = answer >= 0
        cost_of = {
            (int(s), int(e)): int(c)
            for s, e, c in zip(arcs.slot[a], arcs.session[a], arcs.cost[a], strict=True)
        }
        total += sum(
            cost_of[(int(s), int(e))] for s, e in zip(slots[seated], answer[seated], strict=True)
        )
        total += int(compiled.slot_none_cost[slots[~seated]].sum())
    return total


def personal_bound(compiled: Compiled, arcs: Arcs, current: IntArray) -> int:
    """A lower bound ignoring capacities instead: each participant on their own.

    The ``k`` slots that must be seated take ``k`` different topics, each costing at least
    its cheapest arc, so at least the ``k`` cheapest topics' costs; a slot that may stay
    empty costs at least the least of its cheapest arc and no session.
    """
    held = current >= 0
    participant = compiled.slot_participant[arcs.slot]
    topic = compiled.session_topic[arcs.session]
    # Cheapest arc per (participant, topic) among held slots' arcs.
    mask = held[arcs.slot]
    key = participant[mask] * compiled.topic_count + topic[mask]
    order = np.lexsort((arcs.cost[mask], key))
    key_sorted = key[order]
    first = np.ones(len(order), dtype=np.bool_)
    first[1:] = key_sorted[1:] != key_sorted[:-1]
    best_key = key_sorted[first]
    best_cost = arcs.cost[mask][order][first]
    owner = best_key // compiled.topic_count
    need = np.bincount(compiled.slot_participant[held], minlength=len(compiled.participant_slots))
    total = 0
    by_owner = np.lexsort((best_cost, owner))
    owner_sorted, cost_sorted = owner[by_owner], best_cost[by_owner]
    starts = np.searchsorted(owner_sorted, np.arange(len(need) + 1))
    for p in np.flatnonzero(need).tolist():
        total += int(cost_sorted[starts[p] : starts[p] + need[p]].sum())
    free = np.flatnonzero(~held)
    if len(free):
        cheapest = compiled.slot_none_cost[free].astype(np.int64)
        position = np.full(compiled.slot_count, -1, dtype=np.int64)
        position[free] = np.arange(len(free))
        on_free = position[arcs.slot] >= 0
        np.minimum.at(cheapest, position[arcs.slot[on_free]], arcs.cost[on_free])
        total += int(cheapest.sum())
    return total
