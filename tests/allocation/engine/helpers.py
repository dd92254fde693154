"""Shared test helpers: tiny problems and an independent optimiser (OR-Tools CP-SAT)."""

from __future__ import annotations

import itertools
from typing import Any

from ortools.sat.python import cp_model

from ketenconf.allocation.engine import Problem


def problem(**overrides: Any) -> dict[str, Any]:
    """A small valid problem in JSON form; keyword arguments replace top-level keys."""
    data: dict[str, Any] = {
        "rounds": [{"id": "r1", "label": "Ronde 1"}, {"id": "r2", "label": "Ronde 2"}],
        "sessions": [
            {"id": "s1", "topic": "t1", "round": "r1", "capacity": 2},
            {"id": "s2", "topic": "t2", "round": "r1", "capacity": 2},
            {"id": "s3", "topic": "t1", "round": "r2", "capacity": 2},
            {"id": "s4", "topic": "t3", "round": "r2", "capacity": 2, "accessible": False},
        ],
        "participants": [
            {"id": "p1", "organisation": "IND", "preferences": ["t1", "t2", "t3"]},
            {"id": "p2", "organisation": "COA", "preferences": ["t1", "t3"]},
        ],
        "rules": {"max_organisation_share": 0.5},
    }
    data.update(overrides)
    return data


def _attended(p: Problem, participant: Any) -> list[str]:
    if participant.rounds is None:
        return [r.id for r in p.rounds]
    return [r.id for r in p.rounds if r.id in participant.rounds]


def cp_sat_optimum(p: Problem) -> int:
    """The optimum of the contract's objective (version 2), by a CP-SAT model written from it.

    A participant left without a session in ``e`` rounds pays ``10 (T + 1)² e²``: ``e``
    indicator booleans, the k-th costing ``10 (T + 1)² (2k - 1)``.
    """
    topics = sorted({s.topic for s in p.sessions})
    big = (len(topics) + 1) ** 2
    model = cp_model.CpModel()
    x: dict[tuple[int, int], cp_model.IntVar] = {}
    objective = []
    constant = 0
    load: dict[int, list[Any]] = {i: [] for i in range(len(p.sessions))}
    org_load: dict[tuple[int, str], list[Any]] = {}
    fixed_load = dict.fromkeys(range(len(p.sessions)), 0)
    fixed_org: dict[tuple[int, str], int] = {}
    index = {s.id: i for i, s in enumerate(p.sessions)}
    for participant in p.participants:
        for sid in participant.fixed.values():
            fixed_load[index[sid]] += 1
            key = (index[sid], participant.organisation)
            fixed_org[key] = fixed_org.get(key, 0) + 1
    for pi, participant in enumerate(p.participants):
        rank = {t: k for k, t in enumerate(participant.preferences, start=1)}
        fixed_topics = {p.sessions[index[sid]].topic for sid in participant.fixed.values()}
        per_topic: dict[str, list[Any]] = {}
        seated: list[Any] = []
        open_rounds = 0
        for rid in _attended(p, participant):
            if rid in participant.fixed:
                continue
            chosen = []
            for si, s in enumerate(p.sessions):
                if s.round != rid or s.topic in fixed_topics:
                    continue
                if participant.needs_accessible and not s.accessible:
                    continue
                var = model.new_bool_var(f"x{pi}_{si}")
                x[pi, si] = var
                chosen.append(var)
                per_topic.setdefault(s.topic, []).append(var)
                load[si].append(var)
                org_load.setdefault((si, participant.organisation), []).append(var)
                cost = rank[s.topic] ** 2 if s.topic in rank else big
                objective.append(cost * var)
            open_rounds += 1
            seated.extend(chosen)
            if chosen:
                model.add(sum(chosen) <= 1)
        empty = [model.new_bool_var(f"e{pi}_{k}") for k in range(1, open_rounds + 1)]
        if empty:
            model.add(sum(empty) + sum(seated) == open_rounds)
            for k, flag in enumerate(empty, start=1):
                objective.append(10 * big * (2 * k - 1) * flag)
        for vars_ in per_topic.values():
            if len(vars_) > 1:
                model.add(sum(vars_) <= 1)
    for si, s in enumerate(p.sessions):
        if load[si]:
            model.add(sum(load[si]) <= s.capacity - fixed_load[si])
        limit = p.rules.organisation_limit(s.capacity)
        if limit is not None:
            for (sj, org), vars_ in org_load.items():
                if sj == si:
                    model.add(sum(vars_) <= limit - fixed_org.get((si, org), 0))
    model.minimize(sum(objective) + constant)
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.max_time_in_seconds = 60
    status = solver.solve(model)
    assert status == cp_model.OPTIMAL
    return round(solver.objective_value)


def brute_force_optimum(p: Problem) -> int:
    """The optimum by trying every assignment (tiny problems only)."""
    topics = sorted({s.topic for s in p.sessions})
    big = (len(topics) + 1) ** 2
    slots = []
    for participant in p.participants:
        for rid in _attended(p, participant):
            if rid not in participant.fixed:
                slots.append((participant, rid))
    options = [[None, *[s for s in p.sessions if s.round == rid]] for _participant, rid in slots]
    sessions = {s.id: s for s in p.sessions}
    best = None
    for combo in itertools.product(*options):
        load: dict[str, int] = {}
        org: dict[tuple[str, str], int] = {}
        topics_of: dict[str, set[str]] = {}
        ok = True
        for participant in p.participants:
            topics_of[participant.id] = set()
            for sid in participant.fixed.values():
                load[sid] = load.get(sid, 0) + 1
                org[sid, participant.organisation] = org.get((sid, participant.organisation), 0) + 1
                topics_of[participant.id].add(sessions[sid].topic)
        cost = 0
        empty: dict[str, int] = {}
        for (participant, _rid), session in zip(slots, combo, strict=True):
            if session is None:
                empty[participant.id] = empty.get(participant.id, 0) + 1
                continue
            if participant.needs_accessible and not session.accessible:
                ok = False
                break
            if session.topic in topics_of[participant.id]:
                ok = False
                break
            topics_of[participant.id].add(session.topic)
            load[session.id] = load.get(session.id, 0) + 1
            key = (session.id, participant.organisation)
            org[key] = org.get(key, 0) + 1
            prefs = list(participant.preferences)
            cost += (prefs.index(session.topic) + 1) ** 2 if session.topic in prefs else big
        if not ok:
            continue
        cost += sum(10 * big * e * e for e in empty.values())
        if any(n > sessions[sid].capacity for sid, n in load.items()):
            continue
        limit_ok = all(
            n <= (p.rules.organisation_limit(sessions[sid].capacity) or n)
            for (sid, _o), n in org.items()
        )
        if not limit_ok:
            continue
        if best is None or cost < best:
            best = cost
    assert best is not None
    return best
