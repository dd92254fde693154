"""Checks on the meaning of a problem and on any assignment, including manual edits.

Both functions return every problem found, each with the JSON path it is about; an empty
list means valid. Neither raises.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Callable, Mapping

from ketenconf.enginekit.errors import ProblemError, key_path, quote

from .cost import CostTable, attended_rounds
from .problem import (
    MAX_CAPACITY,
    MAX_CEILING,
    MAX_MOVE_COST,
    MAX_PARTICIPANTS,
    MAX_ROUNDS,
    MAX_SESSIONS,
    MAX_TOPICS,
    Participant,
    Problem,
    Session,
    organisation_limit,
)


def validate(problem: Problem) -> list[ProblemError]:
    """Every reason why ``problem`` cannot be solved as given (see docs/allocation-contract.md)."""
    errors: list[ProblemError] = []
    costs: CostTable | None = None
    fail = errors.append
    round_ids: set[str] = set()
    for i, rnd in enumerate(problem.rounds):
        if rnd.id in round_ids:
            fail(ProblemError(f"rounds[{i}].id", f"round {quote(rnd.id)} appears twice"))
        round_ids.add(rnd.id)

    sessions: dict[str, Session] = {}
    for i, entry in enumerate(problem.sessions):
        path = f"sessions[{i}]"
        if entry.id in sessions:
            fail(ProblemError(f"{path}.id", f"session {quote(entry.id)} appears twice"))
        else:
            sessions[entry.id] = entry
        if entry.round not in round_ids:
            fail(ProblemError(f"{path}.round", f"round {quote(entry.round)} is not in rounds"))
        if entry.capacity < 0:
            fail(ProblemError(f"{path}.capacity", f"must not be negative, not {entry.capacity}"))
        elif entry.capacity > MAX_CAPACITY:
            fail(ProblemError(f"{path}.capacity", f"must be at most {MAX_CAPACITY:,}"))
    topics = {s.topic for s in problem.sessions}
    for key, count, most in (
        ("rounds", len(problem.rounds), MAX_ROUNDS),
        ("sessions", len(problem.sessions), MAX_SESSIONS),
        ("participants", len(problem.participants), MAX_PARTICIPANTS),
    ):
        if count > most:
            fail(ProblemError(key, f"holds {count:,}, at most {most:,} are allowed"))
    if len(topics) > MAX_TOPICS:
        fail(ProblemError("sessions", f"name {len(topics):,} topics, at most {MAX_TOPICS:,}"))

    share = problem.rules.max_organisation_share
    if share is not None and not (math.isfinite(share) and 0 < share <= 1):
        fail(
            ProblemError(
                "rules.max_organisation_share",
                f"must be greater than 0 and at most 1, not {share:g}",
            )
        )
        share = None
    if problem.move_cost is not None and problem.move_cost < 0:
        fail(ProblemError("move_cost", f"must not be negative, not {problem.move_cost}"))
    elif problem.move_cost is not None and problem.move_cost > MAX_MOVE_COST:
        fail(ProblemError("move_cost", f"must be at most {MAX_MOVE_COST:,}"))

    participant_ids: set[str] = set()
    fixed_count: Counter[str] = Counter()
    fixed_org_count: Counter[tuple[str, str]] = Counter()
    for i, participant in enumerate(problem.participants):
        path = f"participants[{i}]"
        if participant.id in participant_ids:
            fail(ProblemError(f"{path}.id", f"participant {quote(participant.id)} appears twice"))
        participant_ids.add(participant.id)

        seen: dict[str, int] = {}
        for j, topic in enumerate(participant.preferences):
            where = f"{path}.preferences[{j}]"
            if topic in seen:
                fail(
                    ProblemError(
                        where,
                        f"topic {quote(topic)} is repeated (also at preferences[{seen[topic]}])",
                    )
                )
            else:
                seen[topic] = j
            if topic not in topics:
                fail(ProblemError(where, f"topic {quote(topic)} is not in sessions"))

        attended = set(round_ids)
        if participant.rounds is not None:
            attended = set()
            for j, rid in enumerate(participant.rounds):
                where = f"{path}.rounds[{j}]"
                if rid not in round_ids:
                    fail(ProblemError(where, f"round {quote(rid)} is not in rounds"))
                elif rid in attended:
                    fail(ProblemError(where, f"round {quote(rid)} is repeated"))
                attended.add(rid)

        fixed_topics: dict[str, str] = {}
        for rid, sid in participant.fixed.items():
            where = key_path(f"{path}.fixed", rid)
            if rid not in round_ids:
                fail(ProblemError(where, f"round {quote(rid)} is not in rounds"))
                continue
            if rid not in attended:
                fail(ProblemError(where, f"the participant does not attend round {quote(rid)}"))
                continue
            session = sessions.get(sid)
            if session is None:
                fail(ProblemError(where, f"session {quote(sid)} is not in sessions"))
                continue
            if session.round != rid:
                fail(
                    ProblemError(
                        where,
                        f"session {quote(sid)} is in round {quote(session.round)}, not {quote(rid)}",
                    )
                )
                continue
            if participant.needs_accessible and not session.accessible:
                fail(
                    ProblemError(
                        where,
                        f"session {quote(sid)} is not step-free accessible, which the participant needs",
                    )
                )
                continue
            if session.topic in fixed_topics:
                fail(
                    ProblemError(
                        where,
                        f"topic {quote(session.topic)} is already fixed in round "
                        f"{quote(fixed_topics[session.topic])}",
                    )
                )
                continue
            fixed_topics[session.topic] = rid
            fixed_count[sid] += 1
            if fixed_count[sid] > max(session.capacity, 0):
                fail(
                    ProblemError(
                        where,
                        f"session {quote(sid)} is full: {fixed_count[sid]} fixed seats, "
                        f"capacity {session.capacity}",
                    )
                )
                continue
            fixed_org_count[sid, participant.organisation] += 1
            if share is not None:
                limit = organisation_limit(share, session.capacity)
                if fixed_org_count[sid, participant.organisation] > limit:
                    fail(
                        ProblemError(
                            where,
                            f"session {quote(sid)} already holds {limit} fixed participants of "
                            f"organisation {quote(participant.organisation)}, the most allowed",
                        )
                    )
        if participant.reoffered:
            costs = costs or CostTable(problem)
            _check_reoffer(problem, i, participant, attended, sessions, costs, fail)

    if problem.previous is not None and any(p.reoffered for p in problem.participants):
        fail(
            ProblemError(
                "previous",
                "cannot be combined with the re-offer fields current and ceiling: "
                "a re-offer keeps seats through current, not through move costs",
            )
        )
    if problem.previous is not None:
        for pid, seats in problem.previous.items():
            for rid, sid in seats.items():
                session = sessions.get(sid)
                if session is not None and rid in round_ids and session.round != rid:
                    fail(
                        ProblemError(
                            key_path(key_path("previous", pid), rid),
                            f"session {quote(sid)} is in round {quote(session.round)}, not {quote(rid)}",
                        )
                    )
    return errors


def _check_reoffer(
    problem: Problem,
    i: int,
    participant: Participant,
    attended: set[str],
    sessions: Mapping[str, Session],
    costs: CostTable,
    fail: Callable[[ProblemError], None],
) -> None:
    """The re-offer fields of contract version 3: ``current`` seats the participant may hold
    and a ``ceiling`` that the current seats meet."""
    path = f"participants[{i}]"
    round_ids = {rnd.id for rnd in problem.rounds}
    ok = True
    topics: dict[str, str] = {
        sessions[sid].topic: rid
        for rid, sid in participant.fixed.items()
        if sid in sessions and rid in attended
    }
    for rid, sid in participant.current.items():
        where = key_path(f"{path}.current", rid)
        session = sessions.get(sid)
        if rid not in round_ids:
            fail(ProblemError(where, f"round {quote(rid)} is not in rounds"))
        elif session is None:
            fail(ProblemError(where, f"session {quote(sid)} is not in sessions"))
        elif session.round != rid:
            fail(
                ProblemError(
                    where,
                    f"session {quote(sid)} is in round {quote(session.round)}, not {quote(rid)}",
                )
            )
        elif rid not in attended:
            continue  # released: an absent participant's seat is free capacity
        elif rid in participant.fixed:
            if participant.fixed[rid] != sid:
                fail(
                    ProblemError(
                        where,
                        f"differs from the fixed seat {quote(participant.fixed[rid])} of the round",
                    )
                )
            continue
        elif participant.needs_accessible and not session.accessible:
            fail(
                ProblemError(
                    where,
                    f"session {quote(sid)} is not step-free accessible, which the participant needs",
                )
            )
        elif session.topic in topics:
            fail(
                ProblemError(
                    where,
                    f"topic {quote(session.topic)} is already held in round "
                    f"{quote(topics[session.topic])}",
                )
            )
        else:
            topics[session.topic] = rid
            continue
        ok = False
    ceiling = participant.ceiling
    if ceiling is None:
        return
    if ceiling < 0:
        fail(ProblemError(f"{path}.ceiling", f"must not be negative, not {ceiling}"))
    elif ceiling > MAX_CEILING:
        fail(ProblemError(f"{path}.ceiling", f"must be at most {MAX_CEILING:,}"))
    elif ok and participant.current:
        cost = costs.participant(participant, participant.current)
        if cost > ceiling:
            fail(
                ProblemError(
                    f"{path}.ceiling",
                    f"is {ceiling:,}, below {cost:,}, the cost of the current seats: "
                    "keeping them must always be allowed",
                )
            )


def validate_assignment(
    problem: Problem, assignment: Mapping[str, Mapping[str, str]]
) -> list[ProblemError]:
    """Every way in which ``assignment`` (participant → round → session) breaks the rules.

    Checks what docs/allocation-contract.md calls a feasible assignment: sessions exist and lie in rounds the
    participant attends, one per round, no topic twice, capacities, step-free access, the
    organisation-share rule and fixed seats; in a re-offer (version 3) also that a current
    seat is kept or traded for a ranked topic and that nobody's cost exceeds their ceiling.
    Use it on solver output and on manual edits alike.
    """
    errors: list[ProblemError] = []
    costs: CostTable | None = None
    fail = errors.append
    sessions = {session.id: session for session in problem.sessions}
    session_index = {session.id: i for i, session in enumerate(problem.sessions)}
    participants = {participant.id: participant for participant in problem.participants}
    all_rounds = [rnd.id for rnd in problem.rounds]
    occupancy: Counter[str] = Counter()
    by_organisation: dict[str, Counter[str]] = defaultdict(Counter)

    for pid, seats in assignment.items():
        participant = participants.get(pid)
        if participant is None:
            fail(
                ProblemError(
                    key_path("assignment", pid), f"participant {quote(pid)} is not in participants"
                )
            )
            continue
        attended = set(all_rounds if participant.rounds is None else participant.rounds)
        topics_seen: dict[str, str] = {}
        for rid, sid in seats.items():
            where = key_path(key_path("assignment", pid), rid)
            if rid not in attended:
                fail(ProblemError(where, f"the participant does not attend round {quote(rid)}"))
                continue
            session = sessions.get(sid)
            if session is None:
                fail(ProblemError(where, f"session {quote(sid)} is not in sessions"))
                continue
            if session.round != rid:
                fail(
                    ProblemError(
                        where,
                        f"session {quote(sid)} is in round {quote(session.round)}, not {quote(rid)}",
                    )
                )
                continue
            if participant.needs_accessible and not session.accessible:
                fail(
                    ProblemError(
                        where,
                        f"session {quote(sid)} is not step-free accessible, which the participant needs",
                    )
                )
            if session.topic in topics_seen:
                fail(
                    ProblemError(
                        where,
                        f"topic {quote(session.topic)} is already assigned in round "
                        f"{quote(topics_seen[session.topic])}",
                    )
                )
            topics_seen[session.topic] = rid
            occupancy[sid] += 1
            by_organisation[sid][participant.organisation] += 1

    for i, participant in enumerate(problem.participants):
        seats = assignment.get(participant.id, {})
        for rid, sid in participant.fixed.items():
            if seats.get(rid) != sid:
                got = seats.get(rid)
                fail(
                    ProblemError(
                        key_path(f"participants[{i}].fixed", rid),
                        f"fixed seat {quote(sid)} is not kept"
                        + (f", got {quote(got)}" if got is not None else ", no session given"),
                    )
                )

    for i, participant in enumerate(problem.participants):
        if participant.reoffered:
            costs = costs or CostTable(problem)
            _check_reoffer_assignment(
                problem, i, participant, assignment.get(participant.id, {}), sessions, costs, fail
            )

    for sid, count in sorted(occupancy.items(), key=lambda item: session_index[item[0]]):
        session = sessions[sid]
        where = f"sessions[{session_index[sid]}]"
        if count > session.capacity:
            fail(ProblemError(where, f"holds {count} participants, capacity {session.capacity}"))
        limit = problem.rules.organisation_limit(session.capacity)
        if limit is not None:
            for organisation, n in sorted(by_organisation[sid].items()):
                if n > limit:
                    fail(
                        ProblemError(
                            where,
                            f"holds {n} participants of organisation {quote(organisation)}, "
                            f"the most allowed is {limit}",
                        )
                    )
    return errors


def _check_reoffer_assignment(
    problem: Problem,
    i: int,
    participant: Participant,
    seats: Mapping[str, str],
    sessions: Mapping[str, Session],
    costs: CostTable,
    fail: Callable[[ProblemError], None],
) -> None:
    path = f"participants[{i}]"
    ranked = set(participant.preferences)
    for rid in attended_rounds(problem, participant):
        held = participant.current.get(rid)
        if held is None or rid in participant.fixed:
            continue
        got = seats.get(rid)
        where = key_path(key_path("assignment", participant.id), rid)
        if got is None:
            fail(ProblemError(where, f"current seat {quote(held)} is taken and no session given"))
        elif got != held and got in sessions and sessions[got].topic not in ranked:
            fail(
                ProblemError(
                    where,
                    f"moved from {quote(held)} into {quote(got)}, whose topic "
                    f"{quote(sessions[got].topic)} the participant did not rank",
                )
            )
    if participant.ceiling is not None:
        cost = costs.participant(participant, seats)
        if cost > participant.ceiling:
            fail(
                ProblemError(
                    f"{path}.ceiling",
                    f"the participant's cost {cost:,} exceeds their ceiling {participant.ceiling:,}",
                )
            )
