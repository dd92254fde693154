"""The one entry point: :func:`solve` a problem into a :class:`Schedule`.

The model (a MIP, solved with HiGHS behind :func:`_run_highs`)::

    x[t,r,m] ∈ {0,1}   topic t runs in round r, room m   (only where hosts, needs allow)
    u[t,r]  = Σ_m x[t,r,m] ≤ 1                            a topic once per round
    Σ_r u[t,r] ≤ max_runs[t]
    Σ_t x[t,r,m] ≤ 1                                      a room holds one session
    Σ_{t ∋ h} u[t,r] ≤ 1                                  a host in one place per round
    s[t] ≤ min(demand[t], Σ seats[t,m] x[t,r,m])          expected seats
    y[t] ≥ 1 − Σ_r u[t,r]                                 the topic does not run
    z[a,b] ≥ 2u[a,r] + 2u[b,r] − 1 − n[a] − n[b]  ∀r      a, b both run once, in round r
           (z[a,b] ≥ u[a,r] + u[b,r] − 1 when neither may run twice)
    minimise  w_unseated Σ (demand − s) + w_clash Σ people·z + w_unscheduled Σ y

which is exactly :func:`~ketenconf.proposals.scheduler.cost.evaluate`'s total. Pins fix
their ``x`` to 1. The greedy schedule is handed to HiGHS as a start; the MIP's dual bound,
rounded up (every cost is a whole number), is the lower bound reported.
"""

from __future__ import annotations

import time
from collections import defaultdict
from dataclasses import dataclass, field

import highspy
import numpy as np

from ketenconf.enginekit.errors import InvalidProblem
from ketenconf.enginekit.highs import mip_highs

from .cost import evaluate
from .greedy import greedy
from .problem import Placement, Problem
from .result import Schedule
from .validate import validate, validate_schedule


def solve(problem: Problem, *, time_limit: float = 30.0, seed: int = 0) -> Schedule:
    """The best schedule found within ``time_limit`` seconds, with a proven lower bound.

    Raises :class:`InvalidProblem` listing every problem of an invalid input.
    """
    errors = validate(problem)
    if errors:
        raise InvalidProblem(errors)
    started = time.perf_counter()
    start = greedy(problem)
    model = _build(problem)
    solved = _run_highs(model, problem=problem, start=start, time_limit=time_limit, seed=seed)
    if solved is None:
        placements, bound, method = start, 0, "greedy"
    else:
        placements, bound, method = solved[0], solved[1], "mip"
        if evaluate(problem, start).total < evaluate(problem, placements).total:
            placements = start
    placements = _ordered(problem, smallest_rooms(problem, placements))
    violations = validate_schedule(problem, placements, require_pins=True)
    if violations:  # a bug, never an answer
        raise RuntimeError(
            "the scheduler built an invalid schedule: " + "; ".join(map(str, violations))
        )
    cost = evaluate(problem, placements)
    bound = max(0, min(bound, cost.total))
    return Schedule(
        status="optimal" if bound == cost.total else "feasible",
        objective=cost.total,
        lower_bound=bound,
        placements=tuple(placements),
        seated=cost.seated,
        unseated=cost.unseated,
        clashes=cost.clashes,
        unscheduled=cost.unscheduled,
        seconds=time.perf_counter() - started,
        method=method,
    )


def smallest_rooms(problem: Problem, placements: list[Placement]) -> list[Placement]:
    """The same sessions, each in the smallest room of its round that seats it.

    Round by round, the sessions that are not pinned, the least needing first, take the
    smallest room that has their needs and holds what they need (their ``size``, else their
    demand, and never fewer seats than they had): a workshop of 40 leaves the plenary hall to
    whoever needs it. The objective does not change (no session loses seats); should it
    ever, the placements stay as they were.
    """
    topics = {topic.id: topic for topic in problem.topics}
    rooms = {room.id: room for room in problem.rooms}
    pinned = set(problem.pins)
    moved: list[Placement] = []
    for rnd in problem.rounds:
        here = [p for p in placements if p.round == rnd.id]
        fixed = [p for p in here if p in pinned]
        taken = {p.room for p in fixed}
        free = sorted(
            (r for r in problem.rooms if r.id not in taken), key=lambda r: (r.capacity, r.id)
        )
        moved.extend(fixed)

        def wanted(placement: Placement) -> int:
            topic = topics[placement.topic]
            had = topic.seats_in(rooms[placement.room])
            return min(had, topic.size if topic.size is not None else max(topic.demand, 1))

        for placement in sorted(
            (p for p in here if p not in pinned), key=lambda p: (wanted(p), p.topic)
        ):
            topic = topics[placement.topic]
            fits = [
                r
                for r in free
                if all(need in r.features for need in topic.needs)
                and topic.seats_in(r) >= wanted(placement)
            ]
            room = fits[0] if fits else rooms[placement.room]
            if room in free:
                free.remove(room)
            moved.append(Placement(placement.topic, placement.round, room.id))
    if len(moved) != len(placements) or len({(p.round, p.room) for p in moved}) != len(moved):
        return placements
    if evaluate(problem, moved).total > evaluate(problem, placements).total:
        return placements
    return moved


def _ordered(problem: Problem, placements: list[Placement]) -> list[Placement]:
    rounds = {r.id: i for i, r in enumerate(problem.rounds)}
    rooms = {r.id: i for i, r in enumerate(problem.rooms)}
    return sorted(placements, key=lambda p: (rounds[p.round], rooms[p.room]))


@dataclass
class _Model:
    """Columns and rows of the MIP, row by row, and where each x sits."""

    cost: list[float] = field(default_factory=list)
    lower: list[float] = field(default_factory=list)
    upper: list[float] = field(default_factory=list)
    integer: list[bool] = field(default_factory=list)
    row_lower: list[float] = field(default_factory=list)
    row_upper: list[float] = field(default_factory=list)
    row_index: list[list[int]] = field(default_factory=list)
    row_value: list[list[float]] = field(default_factory=list)
    offset: float = 0.0
    x: dict[tuple[str, str, str], int] = field(default_factory=dict)
    u: dict[tuple[str, str], int] = field(default_factory=dict)
    s: dict[str, int] = field(default_factory=dict)
    y: dict[str, int] = field(default_factory=dict)
    z: dict[tuple[str, str], int] = field(default_factory=dict)

    def column(self, cost: float, lower: float, upper: float, *, integer: bool = False) -> int:
        self.cost.append(cost)
        self.lower.append(lower)
        self.upper.append(upper)
        self.integer.append(integer)
        return len(self.cost) - 1

    def row(self, terms: dict[int, float], lower: float, upper: float) -> None:
        self.row_index.append(list(terms))
        self.row_value.append(list(terms.values()))
        self.row_lower.append(lower)
        self.row_upper.append(upper)


INF = highspy.kHighsInf


def _build(problem: Problem) -> _Model:
    model = _Model()
    weights = problem.weights
    pinned = set(problem.pins)
    round_ids = [r.id for r in problem.rounds]
    for topic in problem.topics:
        allowed = round_ids if topic.rounds is None else [r for r in round_ids if r in topic.rounds]
        rooms = [room for room in problem.rooms if all(n in room.features for n in topic.needs)]
        seats: dict[int, float] = {}
        for rid in allowed:
            in_round: dict[int, float] = {}
            for room in rooms:
                fixed = Placement(topic.id, rid, room.id) in pinned
                k = model.column(0.0, 1.0 if fixed else 0.0, 1.0, integer=True)
                model.x[(topic.id, rid, room.id)] = k
                in_round[k] = -1.0
                seats[k] = -float(topic.seats_in(room))
            if in_round:
                u = model.column(0.0, 0.0, 1.0)
                model.u[(topic.id, rid)] = u
                model.row({u: 1.0, **in_round}, 0.0, 0.0)
        runs = {model.u[(topic.id, r)]: 1.0 for r in allowed if (topic.id, r) in model.u}
        demand = max(0, topic.demand)
        model.offset += weights.unseated * demand
        s = model.column(-float(weights.unseated), 0.0, float(demand))
        model.s[topic.id] = s
        model.row({s: 1.0, **seats}, -INF, 0.0)
        y = model.column(float(problem.unscheduled_cost()), 0.0, 1.0)
        model.y[topic.id] = y
        model.row({y: 1.0, **runs}, 1.0, INF)
        if len(runs) > topic.max_runs:
            model.row(runs, -INF, float(topic.max_runs))

    per_room: dict[tuple[str, str], dict[int, float]] = defaultdict(dict)
    for (_, rid, mid), k in model.x.items():
        per_room[(rid, mid)][k] = 1.0
    for in_room in per_room.values():
        if len(in_room) > 1:
            model.row(in_room, -INF, 1.0)

    topics_of: dict[str, list[str]] = defaultdict(list)
    for topic in problem.topics:
        for host in dict.fromkeys(topic.hosts):
            topics_of[host].append(topic.id)
    for tids in topics_of.values():
        if len(tids) < 2:
            continue
        for rid in round_ids:
            hosted = {model.u[(t, rid)]: 1.0 for t in tids if (t, rid) in model.u}
            if len(hosted) > 1:
                model.row(hosted, -INF, 1.0)

    people: dict[tuple[str, str], int] = defaultdict(int)
    for pair in problem.together:
        first, second = sorted(pair.topics)
        people[(first, second)] += pair.people
    max_runs = {topic.id: topic.max_runs for topic in problem.topics}
    for (a, b), count in people.items():
        shared = [r for r in round_ids if (a, r) in model.u and (b, r) in model.u]
        if count <= 0 or weights.clash == 0 or not shared:
            continue
        z = model.column(float(weights.clash * count), 0.0, 1.0)
        model.z[(a, b)] = z
        once = max_runs[a] == 1 and max_runs[b] == 1
        for rid in shared:
            terms: dict[int, float] = {z: 1.0}
            if once:
                terms[model.u[(a, rid)]] = -1.0
                terms[model.u[(b, rid)]] = -1.0
            else:
                for tid in (a, b):
                    for other in round_ids:
                        if (tid, other) in model.u:
                            terms[model.u[(tid, other)]] = -1.0 if other == rid else 1.0
            model.row(terms, -1.0, INF)
    return model


def _start_vector(model: _Model, problem: Problem, start: list[Placement]) -> list[float]:
    value = [0.0] * len(model.cost)
    cost = evaluate(problem, start)
    runs: dict[str, set[str]] = defaultdict(set)
    for placement in start:
        value[model.x[(placement.topic, placement.round, placement.room)]] = 1.0
        value[model.u[(placement.topic, placement.round)]] = 1.0
        runs[placement.topic].add(placement.round)
    for topic in problem.topics:
        value[model.s[topic.id]] = float(cost.seated[topic.id])
        value[model.y[topic.id]] = 0.0 if runs[topic.id] else 1.0
    for clash in cost.clashes:
        key = (min(clash.topics), max(clash.topics))
        if key in model.z:
            value[model.z[key]] = 1.0
    return value


def _run_highs(
    model: _Model, *, problem: Problem, start: list[Placement], time_limit: float, seed: int
) -> tuple[list[Placement], int] | None:
    """Solve the MIP; the placements it found and the bound, or ``None`` without a solution."""
    if not model.cost:
        return [], 0
    highs = mip_highs(time_limit=time_limit, seed=seed)
    lp = highspy.HighsLp()
    n = len(model.cost)
    lp.num_col_ = n
    lp.num_row_ = len(model.row_lower)
    lp.col_cost_ = np.array(model.cost)
    lp.col_lower_ = np.array(model.lower)
    lp.col_upper_ = np.array(model.upper)
    lp.row_lower_ = np.array(model.row_lower)
    lp.row_upper_ = np.array(model.row_upper)
    lp.offset_ = model.offset
    starts = np.zeros(len(model.row_index) + 1, dtype=np.int32)
    np.cumsum([len(index) for index in model.row_index], out=starts[1:])
    lp.a_matrix_.format_ = highspy.MatrixFormat.kRowwise
    lp.a_matrix_.num_col_ = n
    lp.a_matrix_.num_row_ = lp.num_row_
    lp.a_matrix_.start_ = starts
    lp.a_matrix_.index_ = np.array([k for index in model.row_index for k in index], dtype=np.int32)
    lp.a_matrix_.value_ = np.array([v for values in model.row_value for v in values])
    lp.integrality_ = [
        highspy.HighsVarType.kInteger if integer else highspy.HighsVarType.kContinuous
        for integer in model.integer
    ]
    highs.passModel(lp)
    given = highspy.HighsSolution()
    given.col_value = _start_vector(model, problem, start)
    given.value_valid = True
    highs.setSolution(given)
    highs.run()
    solution = highs.getSolution()
    if not solution.value_valid:
        return None
    info = highs.getInfo()
    values = np.asarray(solution.col_value)
    placements = [
        Placement(topic, rid, room) for (topic, rid, room), k in model.x.items() if values[k] > 0.5
    ]
    bound = float(info.mip_dual_bound)
    if not np.isfinite(bound):
        bound = 0.0
    return placements, int(np.ceil(bound - 1e-6))
