"""The engine's answer and the figures organisers see about any set of meetings."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from .problem import Meeting, Problem, pair
from .weights import pair_weight, shared_interests


@dataclass(frozen=True)
class Metrics:
    """Figures about meetings (those kept from before included).

    ``meetings_per_person`` is the mean over everyone in the problem (two per meeting);
    ``people_by_meetings`` counts people by how many meetings they have (keys ``"0"``,
    ``"1"``, ...); ``organisation_pairs`` counts distinct pairs of organisations that met;
    ``cross_kind_share`` and ``cross_link_share`` are the shares of meetings between
    organisations of different kinds and of different links of the chain (0 without
    meetings).
    """

    meetings: int
    people: int
    people_with_meetings: int
    meetings_per_person: float
    people_by_meetings: dict[str, int]
    organisation_pairs: int
    cross_kind_share: float
    cross_link_share: float
    shared_interests_per_meeting: float
    requests: int
    requests_honoured: int

    def to_dict(self) -> dict[str, Any]:
        return {
            "meetings": self.meetings,
            "people": self.people,
            "people_with_meetings": self.people_with_meetings,
            "meetings_per_person": round(self.meetings_per_person, 4),
            "people_by_meetings": dict(self.people_by_meetings),
            "organisation_pairs": self.organisation_pairs,
            "cross_kind_share": round(self.cross_kind_share, 4),
            "cross_link_share": round(self.cross_link_share, 4),
            "shared_interests_per_meeting": round(self.shared_interests_per_meeting, 4),
            "requests": self.requests,
            "requests_honoured": self.requests_honoured,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Metrics:
        return cls(
            meetings=int(data["meetings"]),
            people=int(data["people"]),
            people_with_meetings=int(data["people_with_meetings"]),
            meetings_per_person=float(data["meetings_per_person"]),
            people_by_meetings={str(k): int(v) for k, v in data["people_by_meetings"].items()},
            organisation_pairs=int(data["organisation_pairs"]),
            cross_kind_share=float(data["cross_kind_share"]),
            cross_link_share=float(data["cross_link_share"]),
            shared_interests_per_meeting=float(data["shared_interests_per_meeting"]),
            requests=int(data["requests"]),
            requests_honoured=int(data["requests_honoured"]),
        )


def metrics(problem: Problem, meetings: Sequence[Meeting]) -> Metrics:
    """The figures for ``meetings`` between the people of ``problem``."""
    people = {person.id: person for person in problem.people}
    per_person: Counter[str] = Counter()
    organisation_pairs: set[tuple[str, str]] = set()
    cross_kind = cross_link = shared = 0
    pairs = set()
    for meeting in meetings:
        a, b = people[meeting.first], people[meeting.second]
        per_person[a.id] += 1
        per_person[b.id] += 1
        pairs.add(meeting.pair)
        organisation_pairs.add(pair(a.organisation, b.organisation))
        cross_kind += a.kind != b.kind
        cross_link += set(a.chain_links) != set(b.chain_links)
        shared += len(shared_interests(a, b))
    count = len(meetings)
    by_count: Counter[int] = Counter(per_person[pid] for pid in people)
    return Metrics(
        meetings=count,
        people=len(people),
        people_with_meetings=sum(1 for pid in people if per_person[pid]),
        meetings_per_person=2 * count / len(people) if people else 0.0,
        people_by_meetings={str(k): by_count[k] for k in sorted(by_count)},
        organisation_pairs=len(organisation_pairs),
        cross_kind_share=cross_kind / count if count else 0.0,
        cross_link_share=cross_link / count if count else 0.0,
        shared_interests_per_meeting=shared / count if count else 0.0,
        requests=len(problem.requests),
        requests_honoured=sum(1 for a, b in problem.requests if pair(a, b) in pairs),
    )


def total_weight(problem: Problem, meetings: Sequence[Meeting]) -> int:
    people = {person.id: person for person in problem.people}
    return sum(pair_weight(people[m.first], people[m.second], problem.rules) for m in meetings)


@dataclass(frozen=True)
class Result:
    """New meetings of a run, and how good the whole set (with ``fixed``) is.

    ``meetings`` are the meetings this run adds: honoured requests first, then proposals.
    ``weight`` is the total weight of these and the fixed meetings; ``upper_bound`` a proven
    bound on that total for any set of meetings that keeps the rules (the gap says how far
    from the best the answer can be at most). ``unplaced_requests`` lists requests that
    could not be placed, with the reason.
    """

    meetings: tuple[Meeting, ...]
    weight: int
    upper_bound: int
    metrics: Metrics
    seconds: float
    method: str
    unplaced_requests: tuple[tuple[str, str, str], ...] = ()

    @property
    def gap(self) -> float:
        """``(bound - weight) / bound``: at most this share of the best weight is missed."""
        return (self.upper_bound - self.weight) / self.upper_bound if self.upper_bound else 0.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "meetings": [m.to_dict() for m in self.meetings],
            "weight": self.weight,
            "upper_bound": self.upper_bound,
            "gap": round(self.gap, 6),
            "metrics": self.metrics.to_dict(),
            "seconds": round(self.seconds, 3),
            "method": self.method,
            "unplaced_requests": [list(item) for item in self.unplaced_requests],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Result:
        return cls(
            meetings=tuple(
                Meeting(m["first"], m["second"], m["slot"], m["table"]) for m in data["meetings"]
            ),
            weight=int(data["weight"]),
            upper_bound=int(data["upper_bound"]),
            metrics=Metrics.from_dict(data["metrics"]),
            seconds=float(data["seconds"]),
            method=str(data["method"]),
            unplaced_requests=tuple(
                (str(a), str(b), str(reason)) for a, b, reason in data["unplaced_requests"]
            ),
        )
