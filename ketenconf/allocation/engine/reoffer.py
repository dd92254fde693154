"""What a re-offer changed (contract version 3): the moves and the day's figures per round.

Pure: reads a problem (its participants' ``current`` seats) and a :class:`.Result` of
:func:`.solve`, and returns what the day's page, the API and the mails need::

    summary = reoffer_moves(problem, result)
    for move in summary.moves: ...          # who goes from which seat to which
    summary.total.upgrades, summary.rounds  # figures, in total and per round

Definitions (all per round of the problem, in its order; rounds nobody could move in show
only their empty seats):

- *seats freed*: current seats of participants who no longer attend the round (absent);
- *seats re-filled*: of those, per session, how many are taken again (``min(freed, seats
  taken now − seats held before by those present)``);
- a *move*: a participant-round whose current seat differs from the new one; ``ranks_gained``
  is the old rank minus the new one (a topic not ranked counts as rank
  ``len(preferences) + 1``), negative when a participant trades a better rank in one round
  for a better total; an *upgrade* is a move with ``ranks_gained > 0``;
- *newly seated*: participant-rounds without a current seat that get one (a walk-in, or
  someone who had no seat in that round);
- *walk-ins seated*: of those, the ones of participants without any ``current`` seat;
- *empty seats*: capacity minus the seats taken after the re-offer.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field

from .cost import attended_rounds
from .problem import Participant, Problem
from .result import Result


@dataclass(frozen=True)
class Move:
    """One participant-round that changes seat."""

    participant: str
    round: str
    old_session: str
    new_session: str
    old_rank: int | None  # None: a topic the participant did not rank
    new_rank: int | None
    ranks_gained: int


@dataclass
class RoundFigures:
    """The day's figures for one round (or, in :attr:`ReofferSummary.total`, all rounds)."""

    round: str
    seats_freed: int = 0
    seats_refilled: int = 0
    moved: int = 0
    upgrades: int = 0
    ranks_gained: dict[int, int] = field(default_factory=dict)  # ranks gained → upgrades
    newly_seated: int = 0
    walk_ins_seated: int = 0
    empty_seats: int = 0

    def to_dict(self) -> dict[str, object]:
        return {
            "round": self.round,
            "seats_freed": self.seats_freed,
            "seats_refilled": self.seats_refilled,
            "moved": self.moved,
            "upgrades": self.upgrades,
            "ranks_gained": {str(k): v for k, v in sorted(self.ranks_gained.items())},
            "newly_seated": self.newly_seated,
            "walk_ins_seated": self.walk_ins_seated,
            "empty_seats": self.empty_seats,
        }


@dataclass
class ReofferSummary:
    """The moves of a re-offer and its figures per round and in total."""

    moves: list[Move]
    rounds: list[RoundFigures]
    total: RoundFigures

    def to_dict(self) -> dict[str, object]:
        return {
            "moves": [
                {
                    "participant": m.participant,
                    "round": m.round,
                    "old_session": m.old_session,
                    "new_session": m.new_session,
                    "old_rank": m.old_rank,
                    "new_rank": m.new_rank,
                    "ranks_gained": m.ranks_gained,
                }
                for m in self.moves
            ],
            "rounds": [r.to_dict() for r in self.rounds],
            "total": self.total.to_dict(),
        }


def reoffer_moves(
    problem: Problem, result: Result | Mapping[str, Mapping[str, str]]
) -> ReofferSummary:
    """The moves and figures of ``result`` (or of an assignment) against the current seats.

    A result with status ``"no_solution"`` moves nobody: its assignment is the current seats.
    """
    assignment = result.assignment if isinstance(result, Result) else result
    topic_of = {s.id: s.topic for s in problem.sessions}
    figures = {rnd.id: RoundFigures(rnd.id) for rnd in problem.rounds}
    freed: Counter[str] = Counter()
    before: Counter[str] = Counter()  # seats held now by those present
    taken: Counter[str] = Counter()
    moves: list[Move] = []
    for participant in problem.participants:
        seats = assignment.get(participant.id, {})
        attended = set(attended_rounds(problem, participant))
        taken.update(seats.values())
        for rid, sid in participant.current.items():
            if rid not in attended and rid not in participant.fixed:
                freed[sid] += 1
                figures[rid].seats_freed += 1
            else:
                before[sid] += 1
        for rid in attended:
            if rid in participant.fixed:
                before[participant.fixed[rid]] += participant.current.get(rid) is None
                continue
            old, new = participant.current.get(rid), seats.get(rid)
            row = figures[rid]
            if old is None:
                if new is not None:
                    row.newly_seated += 1
                    row.walk_ins_seated += not participant.current
                continue
            if new is None or new == old:
                continue
            old_rank = _rank(participant, topic_of[old])
            new_rank = _rank(participant, topic_of[new])
            gained = _depth(participant, old_rank) - _depth(participant, new_rank)
            moves.append(Move(participant.id, rid, old, new, old_rank, new_rank, gained))
            row.moved += 1
            if gained > 0:
                row.upgrades += 1
                row.ranks_gained[gained] = row.ranks_gained.get(gained, 0) + 1
    for session in problem.sessions:
        row = figures[session.round]
        gain = max(0, taken[session.id] - before[session.id])
        row.seats_refilled += min(freed[session.id], gain)
        row.empty_seats += max(0, session.capacity - taken[session.id])
    total = RoundFigures("")
    for row in figures.values():
        total.seats_freed += row.seats_freed
        total.seats_refilled += row.seats_refilled
        total.moved += row.moved
        total.upgrades += row.upgrades
        for k, v in row.ranks_gained.items():
            total.ranks_gained[k] = total.ranks_gained.get(k, 0) + v
        total.newly_seated += row.newly_seated
        total.walk_ins_seated += row.walk_ins_seated
        total.empty_seats += row.empty_seats
    return ReofferSummary(moves, list(figures.values()), total)


def _rank(participant: Participant, topic: str) -> int | None:
    try:
        return participant.preferences.index(topic) + 1
    except ValueError:
        return None


def _depth(participant: Participant, rank: int | None) -> int:
    return len(participant.preferences) + 1 if rank is None else rank
