"""The re-offer on the day, read side: who is there, the engine's input, and what moved.

Before a workshop round, the seats of participants who have not checked in at the door are
offered to those who have (docs/allocation-contract.md, version 3: ``current`` and
``ceiling`` per participant). This module builds that input from a snapshot of the door and
the published seats, and reads the figures back; it writes nothing. The writes (preview,
confirm, the periodic job) are in :mod:`ketenconf.allocation.services`.

Who is who at a re-offer from round N (rounds before N count as started; the mapping of
docs/allocation-contract.md, version 3):

- **started rounds** keep everyone's published seat (``fixed``);
- **absent**: not checked in at the door and not coming later before round N; their
  ``rounds`` are the started ones, so their later ``current`` seats are released; someone
  coming later from round M keeps their seats from round M on (``fixed``);
- **opted out** (``wants_better_seat`` off) and present: every published seat is ``fixed``;
- **present and opted in**: their published seats are ``current`` and their own cost of them
  (``participant_cost``) is their ``ceiling``: they keep them or get sessions they ranked,
  never worse off in all;
- **walk-ins**: present, no published seat, and at least one ranked workshop; they enter with
  no ``current`` or ``ceiling``, and keep only seats in workshops they ranked. Present
  people without seats or choices are left out.
- seats an organiser locked stay ``fixed`` whoever holds them.
"""

from __future__ import annotations

import dataclasses
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from ketenconf.checkin.models import CheckIn, CheckInKind
from ketenconf.events.models import Edition
from ketenconf.programme.models import Block
from ketenconf.registration.models import Preference, Registration, RegistrationStatus

from . import adapter
from .engine import (
    Participant,
    Problem,
    Result,
    Round,
    Rules,
    Session,
    participant_cost,
    reoffer_moves,
)
from .models import AssignmentLock

Seats = dict[str, dict[str, str]]


def workshop_rounds(*, edition: Edition) -> list[Block]:
    """The edition's workshop rounds (round blocks with sessions), in time order: N counts these
    from 1."""
    seen: dict[int, Block] = {}
    for row in adapter.round_sessions(edition=edition):
        seen.setdefault(row.block_id, row.block)
    return list(seen.values())


def round_by_number(*, edition: Edition, number: int) -> Block | None:
    rounds = workshop_rounds(edition=edition)
    if 1 <= number <= len(rounds):
        return rounds[number - 1]
    return None


def checked_in(*, edition: Edition) -> set[int]:
    """The registrations checked in at the door of the edition, now."""
    return set(
        CheckIn.objects.filter(edition=edition, kind=CheckInKind.ENTRY).values_list(
            "registration_id", flat=True
        )
    )


@dataclass(frozen=True)
class Built:
    """The re-offer's input and what the service needs to read its output."""

    problem: Problem
    #: Participants whose later seats were freed (absent), by id.
    absent: frozenset[str]
    #: Participants who enter without published seats (walk-ins), by id.
    walk_ins: frozenset[str]
    #: Participants who may move (present, opted in), by id.
    movable: frozenset[str]
    #: The re-offered rounds' ids, in order.
    later: tuple[str, ...]
    #: The published seats (every round) the re-offer starts from.
    base: Seats


def problem_build(
    *,
    edition: Edition,
    before: Block,
    present: set[int],
    base: Mapping[str, Mapping[str, str]],
    max_organisation_share: float | None = None,
) -> Built:
    """The engine's input for a re-offer from round ``before``; ``present`` is the snapshot of
    the door (registration pks), ``base`` the published seats. Six queries."""
    sessions = adapter.round_sessions(edition=edition)
    blocks: dict[int, Block] = {}
    for row in sessions:
        blocks.setdefault(row.block_id, row.block)
    round_ids = [adapter.round_id(pk) for pk in blocks]
    if before.pk not in blocks:
        raise ValueError("not a workshop round of this edition")
    position = list(blocks).index(before.pk)
    started = set(round_ids[:position])
    later = tuple(round_ids[position:])
    order = {rid: i for i, rid in enumerate(round_ids)}

    registrations = list(
        Registration.objects.filter(edition=edition, status=RegistrationStatus.REGISTERED)
        .order_by("pk")
        .only("pk", "organisation_id", "needs_step_free", "wants_better_seat", "arrives_from_id")
    )
    pks = [r.pk for r in registrations]
    topic_pks = {row.topic_id for row in sessions}
    preferences: dict[int, list[int]] = defaultdict(list)
    for registration_pk, topic in (
        Preference.objects.filter(registration__in=pks, topic__in=topic_pks)
        .order_by("registration_id", "rank")
        .values_list("registration_id", "topic_id")
    ):
        preferences[registration_pk].append(topic)
    not_attended: dict[int, set[str]] = defaultdict(set)
    through = Registration.absent_rounds.through
    for registration_pk, block in through.objects.filter(
        registration__in=pks, block__in=list(blocks)
    ).values_list("registration_id", "block_id"):
        not_attended[registration_pk].add(adapter.round_id(block))
    locked: dict[int, dict[str, str]] = defaultdict(dict)
    for registration_pk, block, session in AssignmentLock.objects.filter(
        edition=edition, registration__in=pks, block__in=list(blocks)
    ).values_list("registration_id", "block_id", "session_id"):
        locked[registration_pk][adapter.round_id(block)] = adapter.session_id(session)

    participants = []
    absent: set[str] = set()
    walk_ins: set[str] = set()
    movable: set[str] = set()
    for registration in registrations:
        pid = adapter.participant_id(registration.pk)
        seats = {rid: sid for rid, sid in base.get(pid, {}).items() if rid in order}
        locks = locked.get(registration.pk, {})
        fixed = {rid: sid for rid, sid in seats.items() if rid in started}
        fixed.update(locks)
        # A current seat in a fixed round must be the fixed one (a lock may differ).
        current = {rid: sid for rid, sid in seats.items() if fixed.get(rid, sid) == sid}
        ranked = tuple(adapter.topic_id(pk) for pk in preferences.get(registration.pk, []))
        if registration.pk in present:
            if not seats:
                if not ranked:
                    continue
                walk_ins.add(pid)
                current = {}
                rounds = list(fixed) + [
                    rid for rid in later if rid not in not_attended[registration.pk]
                ]
            elif not registration.wants_better_seat:
                fixed.update(current)
                rounds = list(fixed)
            else:
                movable.add(pid)
                rounds = list(fixed) + [
                    rid
                    for rid in later
                    if rid not in not_attended[registration.pk] or rid in current
                ]
        else:
            comes_from = registration.arrives_from_id
            kept_from = order.get(adapter.round_id(comes_from), -1) if comes_from else -1
            if kept_from >= position:
                fixed.update({rid: sid for rid, sid in current.items() if order[rid] >= kept_from})
            if any(rid not in fixed for rid in current if rid in later):
                absent.add(pid)
            rounds = list(fixed)  # the seats in the other rounds are released
        participants.append(
            Participant(
                id=pid,
                organisation=adapter.organisation_id(registration.organisation_id),
                preferences=ranked,
                rounds=tuple(sorted(set(rounds), key=order.__getitem__)),
                fixed=fixed,
                needs_accessible=registration.needs_step_free,
                current=current,
            )
        )
    problem = Problem(
        rounds=tuple(
            Round(id=rid, label=adapter.round_label(blocks[adapter.pk_of(rid)]))
            for rid in round_ids
        ),
        sessions=tuple(
            Session(
                id=adapter.session_id(row.pk),
                topic=adapter.topic_id(row.topic_id),
                round=adapter.round_id(row.block_id),
                capacity=row.effective_capacity,
                accessible=row.room.step_free,
            )
            for row in sessions
        ),
        participants=tuple(participants),
        rules=Rules(max_organisation_share=max_organisation_share),
    )
    # Nobody worse off: the ceiling of whoever may move is the cost of their current seats.
    problem = dataclasses.replace(
        problem,
        participants=tuple(
            dataclasses.replace(p, ceiling=participant_cost(problem, p, p.current))
            if p.id in movable
            else p
            for p in problem.participants
        ),
    )
    return Built(
        problem=problem,
        absent=frozenset(absent),
        walk_ins=frozenset(walk_ins),
        movable=frozenset(movable),
        later=later,
        base={pid: dict(seats) for pid, seats in base.items()},
    )


# What moved ---------------------------------------------------------------------------------


def moves_and_figures(
    *, built: Built, seats: Mapping[str, Mapping[str, str]]
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The moves and the figures per re-offered round of giving ``seats`` (the re-offered
    rounds' seats, participant → round → session), as the engine's ``reoffer_moves`` counts
    them: a move is a participant-round whose seat changes (``gain``: ranks gained), a walk-in's
    new seat is listed with ``from`` None; per round seats freed, re-filled, upgrades and the
    ranks they gained (``gains``: ranks gained → upgrades), walk-ins seated, empty seats."""
    problem = built.problem
    assignment = {p.id: {**p.fixed, **seats.get(p.id, {})} for p in problem.participants}
    summary = reoffer_moves(problem, assignment)
    later = set(built.later)
    labels = {r.id: r.label for r in problem.rounds}
    moves: list[dict[str, Any]] = [
        {
            "registration": adapter.pk_of(move.participant),
            "round": adapter.pk_of(move.round),
            "from": adapter.pk_of(move.old_session),
            "to": adapter.pk_of(move.new_session),
            "gain": move.ranks_gained,
            "rank": move.new_rank,
            "walk_in": False,
        }
        for move in summary.moves
        if move.round in later
    ]
    ranks = adapter.ranks_of(problem)
    topic_of = {s.id: s.topic for s in problem.sessions}
    for participant in problem.participants:
        for rid, sid in seats.get(participant.id, {}).items():
            if rid in later and rid not in participant.current and rid not in participant.fixed:
                moves.append(
                    {
                        "registration": adapter.pk_of(participant.id),
                        "round": adapter.pk_of(rid),
                        "from": None,
                        "to": adapter.pk_of(sid),
                        "gain": None,
                        "rank": ranks[participant.id].get(topic_of[sid]),
                        "walk_in": participant.id in built.walk_ins,
                    }
                )
    moves.sort(key=lambda m: (m["registration"], m["round"]))
    figures = [
        {
            "round": row.round,
            "label": labels[row.round],
            "freed": row.seats_freed,
            "refilled": row.seats_refilled,
            "upgrades": row.upgrades,
            "ranks_gained": sum(gain * count for gain, count in row.ranks_gained.items()),
            "walk_ins": row.walk_ins_seated,
            "empty": row.empty_seats,
            "gains": {str(gain): count for gain, count in sorted(row.ranks_gained.items())},
        }
        for row in summary.rounds
        if row.round in later
    ]
    return moves, figures


def figures_total(figures: Iterable[Mapping[str, Any]]) -> dict[str, Any]:
    total: dict[str, Any] = {
        "freed": 0,
        "refilled": 0,
        "upgrades": 0,
        "ranks_gained": 0,
        "walk_ins": 0,
        "empty": 0,
    }
    for figure in figures:
        for key in total:
            total[key] += figure[key]
    return total


def result_usable(result: Result) -> bool:
    """Whether the engine found an answer that keeps every rule (in its time)."""
    return result.status in ("optimal", "feasible")


def settle(
    *,
    built: Built,
    seats: Mapping[str, Mapping[str, str]],
    arrived: set[str],
    registered: set[str],
    capacity: Mapping[str, int],
) -> tuple[Seats, int]:
    """The re-offered rounds' seats to publish, after the door was read again.

    ``arrived``: participants who checked in after the preview; those it treated as absent
    get their published seats back. ``registered``: participants who still have a seat in
    the edition (others lose theirs). Then, while a session is over its ``capacity`` (now)
    or over the organisation share, everyone who moved into it is left in their published
    seats in every re-offered round (a participant moves whole or not at all, so no one gets
    two seats in a round or a topic twice). Ends, at worst, at the published seats. Returns
    the seats and how many participants were left in place.
    """
    later = set(built.later)
    base_later = {
        pid: {rid: sid for rid, sid in old.items() if rid in later}
        for pid, old in built.base.items()
    }
    settled: Seats = {pid: dict(given) for pid, given in seats.items() if pid in registered}
    kept: set[str] = set()

    def keep(pid: str) -> None:
        kept.add(pid)
        old = base_later.get(pid, {})
        if old:
            settled[pid] = dict(old)
        else:
            settled.pop(pid, None)

    for pid in sorted(arrived & built.absent):
        if pid in registered:
            keep(pid)
    organisation = {p.id: p.organisation for p in built.problem.participants}
    rules = built.problem.rules
    while True:
        count: Counter[str] = Counter()
        by_organisation: Counter[tuple[str, str]] = Counter()
        for pid, given in settled.items():
            for sid in given.values():
                count[sid] += 1
                by_organisation[sid, organisation.get(pid, "")] += 1
        over = {sid for sid, n in count.items() if n > capacity.get(sid, 0)}
        for (sid, _org), n in by_organisation.items():
            limit = rules.organisation_limit(capacity.get(sid, 0))
            if limit is not None and n > limit:
                over.add(sid)
        movers = [
            pid
            for pid, given in settled.items()
            if pid not in kept
            and given != base_later.get(pid, {})
            and any(
                sid in over and base_later.get(pid, {}).get(rid) != sid
                for rid, sid in given.items()
            )
        ]
        if not over or not movers:
            break
        for pid in movers:
            keep(pid)
    return settled, len(kept)


def worse_off(*, built: Built, seats: Mapping[str, Mapping[str, str]]) -> list[str]:
    """Participants whose own cost would exceed their ceiling: none, when the engine kept the
    contract (the preview says so in words)."""
    problem = built.problem
    return [
        p.id
        for p in problem.participants
        if p.ceiling is not None
        and participant_cost(problem, p, {**p.fixed, **seats.get(p.id, {})}) > p.ceiling
    ]


def later_seats(*, built: Built, assignment: Mapping[str, Mapping[str, str]]) -> Seats:
    """The engine's seats in the re-offered rounds, without a walk-in's seat in a workshop
    they did not rank (the contract allows one; a walk-in asked for their choices only)."""
    later = set(built.later)
    topic_of = {s.id: s.topic for s in built.problem.sessions}
    ranked = {p.id: set(p.preferences) for p in built.problem.participants}
    seats: Seats = {}
    for pid, given in assignment.items():
        kept = {
            rid: sid
            for rid, sid in given.items()
            if rid in later and (pid not in built.walk_ins or topic_of[sid] in ranked[pid])
        }
        if kept:
            seats[pid] = kept
    return seats
