"""The solver's answer, in the output format of docs/allocation-contract.md."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from ketenconf.enginekit.errors import quote
from ketenconf.enginekit.shapes import relative_gap

from .cost import attended_rounds
from .problem import Problem


@dataclass(frozen=True)
class Unassigned:
    """A participant who has no session in a round they attend."""

    participant: str
    round: str

    def to_dict(self) -> dict[str, str]:
        return {"participant": self.participant, "round": self.round}


@dataclass
class Metrics:
    """Figures about an assignment.

    ``rank_counts`` counts non-fixed seats by preference rank (keys ``"1"``, ``"2"``, ...,
    ``"unranked"``); ``worst_rank`` is the largest rank given (``None`` if no ranked seat);
    ``shortfall`` maps a round to the seats it lacks for everyone attending it, and
    ``accessible_shortfall`` the step-free seats it lacks for those who need them (only
    rounds that lack seats are listed); ``moved`` counts published seats that changed
    although they could have been kept, ``lost_published`` published seats that could not
    be kept (both ``None`` without ``previous``).
    """

    rank_counts: dict[str, int]
    worst_rank: int | None
    seconds: float
    fixed: int
    method: str
    shortfall: dict[str, int] = field(default_factory=dict)
    accessible_shortfall: dict[str, int] = field(default_factory=dict)
    moved: int | None = None
    move_cost: int | None = None
    warnings: list[str] = field(default_factory=list)
    lost_published: int | None = None

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "rank_counts": dict(self.rank_counts),
            "worst_rank": self.worst_rank,
            "seconds": round(self.seconds, 3),
            "fixed": self.fixed,
            "method": self.method,
            "shortfall": dict(self.shortfall),
            "accessible_shortfall": dict(self.accessible_shortfall),
            "warnings": list(self.warnings),
        }
        if self.moved is not None:
            data["moved"] = self.moved
            data["lost_published"] = self.lost_published
            data["move_cost"] = self.move_cost
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Metrics:
        return cls(
            rank_counts=dict(data["rank_counts"]),
            worst_rank=data["worst_rank"],
            seconds=float(data["seconds"]),
            fixed=int(data.get("fixed", 0)),
            method=str(data.get("method", "")),
            shortfall=dict(data.get("shortfall", {})),
            accessible_shortfall=dict(data.get("accessible_shortfall", {})),
            moved=data.get("moved"),
            move_cost=data.get("move_cost"),
            warnings=list(data.get("warnings", [])),
            lost_published=data.get("lost_published"),
        )


@dataclass
class Result:
    """An assignment with its objective, a proven lower bound and metrics.

    ``status`` is ``"optimal"`` when ``objective == lower_bound``, else ``"feasible"``.
    """

    status: str
    objective: int
    lower_bound: int
    assignment: dict[str, dict[str, str]]
    unassigned: list[Unassigned]
    metrics: Metrics

    @property
    def gap(self) -> float:
        """Relative gap ``(objective - lower_bound) / objective`` (0 when optimal)."""
        return relative_gap(self.objective, self.lower_bound)

    def to_dict(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "objective": self.objective,
            "lower_bound": self.lower_bound,
            "assignment": {p: dict(seats) for p, seats in self.assignment.items()},
            "unassigned": [u.to_dict() for u in self.unassigned],
            "metrics": self.metrics.to_dict(),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Result:
        return cls(
            status=str(data["status"]),
            objective=int(data["objective"]),
            lower_bound=int(data["lower_bound"]),
            assignment={p: dict(seats) for p, seats in data["assignment"].items()},
            unassigned=[Unassigned(u["participant"], u["round"]) for u in data["unassigned"]],
            metrics=Metrics.from_dict(data["metrics"]),
        )


def describe(
    problem: Problem,
    assignment: dict[str, dict[str, str]],
    *,
    seconds: float,
    method: str,
    moved: int | None = None,
    move_cost: int | None = None,
    lost_published: int | None = None,
) -> tuple[list[Unassigned], Metrics]:
    """The unassigned list and the metrics of an assignment."""
    topic_of = {s.id: s.topic for s in problem.sessions}
    capacity: Counter[str] = Counter()
    accessible: Counter[str] = Counter()
    for session in problem.sessions:
        capacity[session.round] += session.capacity
        if session.accessible:
            accessible[session.round] += session.capacity
    attending: Counter[str] = Counter()
    needing: Counter[str] = Counter()
    ranks: Counter[int] = Counter()
    unranked = fixed = 0
    unassigned: list[Unassigned] = []
    for participant in problem.participants:
        seats = assignment.get(participant.id, {})
        rank = {t: k for k, t in enumerate(participant.preferences, start=1)}
        for rid in attended_rounds(problem, participant):
            attending[rid] += 1
            if participant.needs_accessible:
                needing[rid] += 1
            if rid in participant.fixed:
                fixed += 1
            elif rid not in seats:
                unassigned.append(Unassigned(participant.id, rid))
            elif topic_of[seats[rid]] in rank:
                ranks[rank[topic_of[seats[rid]]]] += 1
            else:
                unranked += 1
    rank_counts = {str(k): ranks[k] for k in sorted(ranks)}
    if unranked:
        rank_counts["unranked"] = unranked
    shortfall = {
        r.id: attending[r.id] - capacity[r.id]
        for r in problem.rounds
        if attending[r.id] > capacity[r.id]
    }
    accessible_shortfall = {
        r.id: needing[r.id] - accessible[r.id]
        for r in problem.rounds
        if needing[r.id] > accessible[r.id]
    }
    warnings = [
        f'round "{rid}": {n} seats short ({attending[rid]} participants attend, '
        f"{capacity[rid]} seats)"
        for rid, n in shortfall.items()
    ] + [
        f'round "{rid}": {n} step-free seats short ({needing[rid]} participants need one, '
        f"{accessible[rid]} seats)"
        for rid, n in accessible_shortfall.items()
    ]
    if unassigned:
        warnings.append(f"{len(unassigned)} participant-rounds have no session (see unassigned)")
        warnings += _share_shortages(problem, assignment, unassigned)
    metrics = Metrics(
        rank_counts=rank_counts,
        worst_rank=max(ranks) if ranks else None,
        seconds=seconds,
        fixed=fixed,
        method=method,
        shortfall=shortfall,
        accessible_shortfall=accessible_shortfall,
        moved=moved,
        move_cost=move_cost,
        warnings=warnings,
        lost_published=lost_published,
    )
    return unassigned, metrics


def _share_shortages(
    problem: Problem, assignment: dict[str, dict[str, str]], unassigned: list[Unassigned]
) -> list[str]:
    """Say where the organisation-share rule, not a lack of seats, left people without one.

    A participant-round counts when its round still has sessions with free seats the
    participant could take (step-free if needed, topic not already held) and every one of
    them already holds the most participants of the participant's organisation allowed.
    """
    share = problem.rules.max_organisation_share
    if share is None:
        return []
    participants = {p.id: p for p in problem.participants}
    sessions = {s.id: s for s in problem.sessions}
    load: Counter[str] = Counter()
    by_org: Counter[tuple[str, str]] = Counter()
    for pid, seats in assignment.items():
        for sid in seats.values():
            load[sid] += 1
            by_org[sid, participants[pid].organisation] += 1
    blocked: dict[tuple[str, str], tuple[int, set[str]]] = {}
    for item in unassigned:
        participant = participants[item.participant]
        held = {sessions[sid].topic for sid in assignment.get(participant.id, {}).values()}
        free = [
            s
            for s in problem.sessions
            if s.round == item.round
            and load[s.id] < s.capacity
            and (s.accessible or not participant.needs_accessible)
            and s.topic not in held
        ]
        organisation = participant.organisation
        if free and all(
            by_org[s.id, organisation] >= (problem.rules.organisation_limit(s.capacity) or 0)
            for s in free
        ):
            count, names = blocked.get((item.round, organisation), (0, set()))
            blocked[item.round, organisation] = (count + 1, names | {s.id for s in free})
    order = {s.id: i for i, s in enumerate(problem.sessions)}
    warnings = []
    for (rid, organisation), (count, names) in blocked.items():
        listed = sorted(names, key=order.__getitem__)
        shown = ", ".join(quote(sid) for sid in listed[:5])
        if len(listed) > 5:
            shown += f" and {len(listed) - 5} more"
        warnings.append(
            f"round {quote(rid)}: {count} participant-rounds of organisation "
            f"{quote(organisation)} have no session because of the organisation-share rule "
            f"(max_organisation_share {share:g}): sessions {shown} have free seats but already "
            f"hold the most participants of that organisation allowed"
        )
    return warnings
