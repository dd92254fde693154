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
:func:`personal_pass` then gives each participant in turn their best schedule over all
rounds from their own seats and the free ones, which trades topics between rounds (no
single round's flow can: the topic is held in the other round).

:func:`flow_bound`: drop the rows that tie rounds together (a topic once per participant,
the ceiling rows, the convex charge for several empty rounds, which only adds cost) and
keep the arcs no ceiling excludes on its own; what is left splits into one min-cost flow per
round, and the sum of their optima bounds the re-offer's optimum from below.
:func:`personal_bound` drops the capacities instead.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable

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


def _arc_cost_lookup(compiled: Compiled, arcs: Arcs) -> Callable[[IntArray, IntArray], IntArray]:
    """A vectorised (slot, session) → arc cost (0 for session -1)."""
    width = len(compiled.session_ids) + 1
    keys = arcs.slot * width + arcs.session
    order = np.argsort(keys)
    sorted_keys, sorted_cost = keys[order], arcs.cost[order]

    def lookup(slots: IntArray, sessions: IntArray) -> IntArray:
        if len(sorted_keys) == 0:
            return np.zeros(len(slots), dtype=np.int64)
        query = slots * width + sessions
        pos = np.minimum(np.searchsorted(sorted_keys, query), len(sorted_keys) - 1)
        return np.where((sessions >= 0) & (sorted_keys[pos] == query), sorted_cost[pos], 0)

    return lookup


def round_by_round(
    compiled: Compiled,
    arcs: Arcs,
    current: IntArray,
    start: IntArray | None = None,
    *,
    deadline: float = math.inf,
) -> IntArray | None:
    """Per slot a session (-1: none), starting from ``start`` (default: ``current``); None
    if a round's flow has no answer (the current seats do not fit). Stops at ``deadline``
    with the answer so far (every step keeps it feasible)."""
    problem = compiled.problem
    held = current >= 0
    chosen = (current if start is None else start).copy()
    cost_lookup = _arc_cost_lookup(compiled, arcs)
    slot_cost = cost_lookup(np.arange(compiled.slot_count, dtype=np.int64), chosen)
    ceilings = np.array(
        [-1 if p.ceiling is None else p.ceiling for p in problem.participants], dtype=np.int64
    )
    none = compiled.none_cost
    participants = len(problem.participants)
    topics = compiled.topic_count
    slot_p = compiled.slot_participant
    arc_round = compiled.slot_round[arcs.slot]
    rounds = []
    for r in range(len(compiled.round_ids)):
        slots = np.flatnonzero(compiled.slot_round == r)
        position = np.full(compiled.slot_count, -1, dtype=np.int64)
        position[slots] = np.arange(len(slots))
        arc_id = np.flatnonzero(arc_round == r)
        rounds.append((r, slots, position[arcs.slot[arc_id]], arc_id))
    arc_key = slot_p[arcs.slot] * topics + compiled.session_topic[arcs.session]
    for _sweep in range(PASSES):
        improved = False
        for r, slots, all_index, all_id in rounds:
            if len(slots) == 0:
                continue
            if time.perf_counter() >= deadline:
                return chosen
            seated = chosen >= 0
            linear = np.bincount(slot_p, weights=slot_cost * seated, minlength=participants)
            linear = linear.astype(np.int64)
            empty = np.bincount(slot_p, weights=~seated, minlength=participants).astype(np.int64)
            # Topics each participant holds in the other rounds.
            other = seated & (compiled.slot_round != r)
            elsewhere = np.unique(slot_p[other] * topics + compiled.session_topic[chosen[other]])
            keep = ~np.isin(arc_key[all_id], elsewhere)
            arc_index, arc_id = all_index, all_id
            # The participant's cost with this arc, their other rounds as they are.
            p_of = slot_p[slots[arc_index]]
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
            # No session: the marginal convex charge, C (2e + 1) with e other empty rounds,
            # and only within the ceiling.
            p_slot = slot_p[slots]
            seated_now = chosen[slots] >= 0
            others_empty = empty[p_slot] - ~seated_now
            none_cost = np.where(slot_held, -1, scale * none * (2 * others_empty + 1))
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
                slot_cost[slots] = cost_lookup(slots, answer)
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


def personal_pass(
    compiled: Compiled,
    arcs: Arcs,
    current: IntArray,
    chosen: IntArray,
    *,
    deadline: float = math.inf,
) -> tuple[IntArray, bool]:
    """Each participant in turn: their best schedule over all their rounds from their own
    seats and the seats still free (which can trade topics between rounds, as no single
    round's flow can); taken when it costs less, or as much with fewer moves. A depth-first
    search over the participant's rounds, cheapest options first, cut where it cannot beat
    what they have. Stops at ``deadline`` with the answer so far."""
    problem = compiled.problem
    chosen = chosen.copy()
    none = compiled.none_cost
    share = problem.rules.max_organisation_share is not None
    load = np.bincount(chosen[chosen >= 0], minlength=len(compiled.session_ids)).tolist()
    capacity = compiled.capacity_left.tolist()
    limit = compiled.organisation_limit.tolist()
    org_load: dict[tuple[int, int], int] = dict(compiled.fixed_organisation)
    org_of = compiled.participant_org.tolist()
    slot_participant = compiled.slot_participant.tolist()
    for slot, session in enumerate(chosen.tolist()):
        if session >= 0:
            key = (session, org_of[slot_participant[slot]])
            org_load[key] = org_load.get(key, 0) + 1
    topic = compiled.session_topic.tolist()
    options: list[list[tuple[int, int]]] = [[] for _ in range(compiled.slot_count)]
    order_arcs = np.argsort(arcs.cost, kind="stable")
    for s, e, c in zip(
        arcs.slot[order_arcs].tolist(),
        arcs.session[order_arcs].tolist(),
        arcs.cost[order_arcs].tolist(),
        strict=True,
    ):
        options[s].append((e, c))
    held = (current >= 0).tolist()
    now = current.tolist()
    order = np.argsort(compiled.slot_participant, kind="stable")
    bounds = np.searchsorted(
        compiled.slot_participant[order], np.arange(len(problem.participants) + 1)
    ).tolist()
    order_list = order.tolist()
    improved = False
    for p, person in enumerate(problem.participants):
        if p % 256 == 0 and time.perf_counter() >= deadline:
            break
        slots = order_list[bounds[p] : bounds[p + 1]]
        if not slots:
            continue
        org = org_of[p]
        mine = [int(chosen[s]) for s in slots]
        for session in mine:
            if session >= 0:
                load[session] -= 1
                if share:
                    org_load[session, org] -= 1
        choices: list[list[tuple[int, int]]] = []
        for slot, session in zip(slots, mine, strict=True):
            here = [
                (e, c)
                for e, c in options[slot]
                if e == session
                or (load[e] < capacity[e] and (not share or org_load.get((e, org), 0) < limit[e]))
            ]
            if not held[slot]:
                here.append((-1, 0))
            choices.append(here)
        cost_now = _schedule_cost(options, slots, mine, none)
        moves_now = sum(held[s] and m != now[s] for s, m in zip(slots, mine, strict=True))
        best = _best_schedule(
            slots, choices, topic, none, person.ceiling, held, now, (cost_now, moves_now)
        )
        if best is not None:
            mine = best
            improved = True
        for slot, session in zip(slots, mine, strict=True):
            chosen[slot] = session
            if session >= 0:
                load[session] += 1
                if share:
                    org_load[session, org] = org_load.get((session, org), 0) + 1
    return chosen, improved


#: Search nodes per participant at most in :func:`personal_pass`.
MAX_NODES = 5_000


def _best_schedule(
    slots: list[int],
    choices: list[list[tuple[int, int]]],
    topic: list[int],
    none: int,
    ceiling: int | None,
    held: list[bool],
    now: list[int],
    beat: tuple[int, int],
) -> list[int] | None:
    """The least (cost, moves) schedule below ``beat``, or None. Costs of a schedule: its
    arcs plus ``none × e²`` for ``e`` empty rounds; within ``ceiling``."""
    k = len(slots)
    # The cheapest any later slot can cost (an empty one at least its first charge, none).
    cheapest = [min((c if e >= 0 else none) for e, c in here) if here else 0 for here in choices]
    rest = [0] * (k + 1)
    for i in range(k - 1, -1, -1):
        rest[i] = rest[i + 1] + cheapest[i]
    best_key = beat
    best: list[int] | None = None
    picked: list[int] = []
    used: set[int] = set()
    nodes = 0

    def visit(i: int, linear: int, empty: int, moves: int) -> None:
        nonlocal best_key, best, nodes
        nodes += 1
        if nodes > MAX_NODES:
            return
        if i == k:
            cost = linear + none * empty * empty
            if ceiling is not None and cost > ceiling:
                return
            if (cost, moves) < best_key:
                best_key = (cost, moves)
                best = list(picked)
            return
        if linear + none * empty * empty + rest[i] > best_key[0]:
            return
        slot = slots[i]
        for e, c in choices[i]:
            if e >= 0:
                t = topic[e]
                if t in used:
                    continue
                used.add(t)
                picked.append(e)
                visit(i + 1, linear + c, empty, moves + (held[slot] and e != now[slot]))
                picked.pop()
                used.discard(t)
            else:
                picked.append(-1)
                visit(i + 1, linear, empty + 1, moves)
                picked.pop()

    visit(0, 0, 0, 0)
    return best


def _schedule_cost(
    options: list[list[tuple[int, int]]], slots: list[int], sessions: list[int], none: int
) -> int:
    cost = 0
    empty = 0
    for slot, session in zip(slots, sessions, strict=True):
        if session < 0:
            empty += 1
        else:
            cost += next(c for e, c in options[slot] if e == session)
    return cost + none * empty * empty
