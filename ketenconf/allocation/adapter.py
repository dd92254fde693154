"""Between the database and the engine: :func:`problem_build` makes a Problem of an edition,
:func:`result_apply` writes a solved run's seats; ids are read back here too.

Ids in the problem name database rows: ``r<pk>`` a registration (participant), ``b<pk>`` a
round block, ``s<pk>`` a session, ``t<pk>`` a topic, ``o<pk>`` an organisation. The engine
never sees the database; this module never solves.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.utils import timezone
from django.utils.formats import time_format

from ketenconf.events.models import Edition
from ketenconf.programme.models import Block, BlockKind
from ketenconf.programme.models import Session as SessionRow
from ketenconf.registration.models import Preference, Registration, RegistrationStatus

from .engine import Participant, Problem, Result, Round, Rules, Session
from .models import Assignment, AssignmentLock, AssignmentRun, RunStatus


def participant_id(pk: int) -> str:
    return f"r{pk}"


def round_id(pk: int) -> str:
    return f"b{pk}"


def session_id(pk: int) -> str:
    return f"s{pk}"


def topic_id(pk: int) -> str:
    return f"t{pk}"


def organisation_id(pk: int) -> str:
    return f"o{pk}"


def pk_of(engine_id: str) -> int:
    """The primary key in an id such as ``r12``."""
    return int(engine_id[1:])


def round_label(block: Block) -> str:
    start = time_format(timezone.localtime(block.start), "H:i")
    end = time_format(timezone.localtime(block.end), "H:i")
    return f"{block} {start}–{end}"


def round_sessions(*, edition: Edition) -> list[SessionRow]:
    """The sessions of the edition's workshop rounds, in time order, then by room."""
    return list(
        SessionRow.objects.filter(edition=edition, block__kind=BlockKind.ROUND)
        .select_related("topic", "room", "block")
        .order_by("block__start", "block__pk", "room__name", "pk")
    )


def published_seats(*, edition: Edition) -> dict[str, dict[str, str]] | None:
    """The seats of the edition's latest published run, participant → round → session."""
    run = (
        AssignmentRun.objects.filter(edition=edition, published_at__isnull=False)
        .order_by("-published_at", "-pk")
        .first()
    )
    if run is None:
        return None
    return seats_of_run(run=run)


def seats_of_run(*, run: AssignmentRun) -> dict[str, dict[str, str]]:
    seats: dict[str, dict[str, str]] = defaultdict(dict)
    rows = (
        Assignment.objects.filter(run=run)
        .order_by("registration_id", "block__start")
        .values_list("registration_id", "block_id", "session_id")
    )
    for registration, block, session in rows:
        seats[participant_id(registration)][round_id(block)] = session_id(session)
    return dict(seats)


@dataclass(frozen=True)
class BuiltProblem:
    problem: Problem
    #: Published seats that were left out because the participant, round or session is gone.
    dropped_previous: int


def problem_build(
    *,
    edition: Edition,
    max_organisation_share: float | None = None,
    previous: Mapping[str, Mapping[str, str]] | None = None,
) -> BuiltProblem:
    """The engine's input for the edition as it stands.

    Participants are the registrations with a seat (status registered), in order of
    registration; their preferences are their ranked topics that run in a round, best first;
    their rounds are the rounds with sessions minus the rounds they said they do not attend
    (``None`` when they attend all); their locked seats become ``fixed``. ``previous`` (the
    published seats, for incremental mode) is kept only where participant, round and session
    still exist. Seven queries, whatever the size of the edition.
    """
    sessions = round_sessions(edition=edition)
    blocks: dict[int, Block] = {}
    for row in sessions:
        blocks.setdefault(row.block_id, row.block)
    round_pks = list(blocks)
    topic_pks = {row.topic_id for row in sessions}

    registrations = list(
        Registration.objects.filter(edition=edition, status=RegistrationStatus.REGISTERED)
        .order_by("pk")
        .only("pk", "organisation_id", "needs_step_free")
    )
    registration_pks = [r.pk for r in registrations]
    preferences: dict[int, list[int]] = defaultdict(list)
    for registration_pk, topic in (
        Preference.objects.filter(registration__in=registration_pks, topic__in=topic_pks)
        .order_by("registration_id", "rank")
        .values_list("registration_id", "topic_id")
    ):
        preferences[registration_pk].append(topic)
    absent: dict[int, set[int]] = defaultdict(set)
    through = Registration.absent_rounds.through
    for registration_pk, block in through.objects.filter(
        registration__in=registration_pks, block__in=round_pks
    ).values_list("registration_id", "block_id"):
        absent[registration_pk].add(block)
    fixed: dict[int, dict[str, str]] = defaultdict(dict)
    for registration_pk, block, session in (
        AssignmentLock.objects.filter(edition=edition, registration__in=registration_pks)
        .order_by("registration_id", "block__start")
        .values_list("registration_id", "block_id", "session_id")
    ):
        fixed[registration_pk][round_id(block)] = session_id(session)

    participants = []
    for registration in registrations:
        missing = absent.get(registration.pk, set())
        rounds = None
        if missing:
            rounds = tuple(round_id(pk) for pk in round_pks if pk not in missing)
        participants.append(
            Participant(
                id=participant_id(registration.pk),
                organisation=organisation_id(registration.organisation_id),
                preferences=tuple(topic_id(pk) for pk in preferences.get(registration.pk, [])),
                rounds=rounds,
                fixed=fixed.get(registration.pk, {}),
                needs_accessible=registration.needs_step_free,
            )
        )

    kept_previous, dropped = _previous_still_valid(
        previous, participants=(p.id for p in participants), sessions=sessions
    )
    problem = Problem(
        rounds=tuple(Round(id=round_id(pk), label=round_label(blocks[pk])) for pk in round_pks),
        sessions=tuple(
            Session(
                id=session_id(row.pk),
                topic=topic_id(row.topic_id),
                round=round_id(row.block_id),
                capacity=row.effective_capacity,
                accessible=row.room.step_free,
            )
            for row in sessions
        ),
        participants=tuple(participants),
        rules=Rules(max_organisation_share=max_organisation_share),
        previous=kept_previous,
    )
    return BuiltProblem(problem=problem, dropped_previous=dropped)


def _previous_still_valid(
    previous: Mapping[str, Mapping[str, str]] | None,
    *,
    participants: Iterable[str],
    sessions: list[SessionRow],
) -> tuple[dict[str, dict[str, str]] | None, int]:
    if previous is None:
        return None, 0
    round_of = {session_id(row.pk): round_id(row.block_id) for row in sessions}
    present = set(participants)
    kept: dict[str, dict[str, str]] = {}
    dropped = 0
    for pid, seats in previous.items():
        for rid, sid in seats.items():
            if pid in present and round_of.get(sid) == rid:
                kept.setdefault(pid, {})[rid] = sid
            else:
                dropped += 1
    return kept, dropped


def ranks_of(problem: Problem) -> dict[str, dict[str, int]]:
    """Participant → topic → rank (1 is the first choice)."""
    return {
        p.id: {topic: rank for rank, topic in enumerate(p.preferences, start=1)}
        for p in problem.participants
    }


def assignment_rows(
    *, run: AssignmentRun, problem: Problem, assignment: Mapping[str, Mapping[str, str]]
) -> list[Assignment]:
    """Unsaved ``Assignment`` rows for an engine assignment, for seats whose rows still exist."""
    topic_of = {s.id: s.topic for s in problem.sessions}
    ranks = ranks_of(problem)
    registration_pks = set(
        Registration.objects.filter(
            edition_id=run.edition_id, pk__in=[pk_of(pid) for pid in assignment]
        ).values_list("pk", flat=True)
    )
    session_pks = set(
        SessionRow.objects.filter(
            edition_id=run.edition_id, pk__in=[pk_of(s.id) for s in problem.sessions]
        ).values_list("pk", flat=True)
    )
    rows = []
    for pid, seats in assignment.items():
        if pk_of(pid) not in registration_pks:
            continue
        for rid, sid in seats.items():
            if pk_of(sid) not in session_pks:
                continue
            rows.append(
                Assignment(
                    run=run,
                    registration_id=pk_of(pid),
                    block_id=pk_of(rid),
                    session_id=pk_of(sid),
                    rank=ranks.get(pid, {}).get(topic_of[sid]),
                )
            )
    return rows


def result_apply(*, run: AssignmentRun, problem: Problem, result: Result) -> None:
    """Write a solved run: its seats (replacing any it had) and the engine's figures.

    The caller holds the run's row locked in a transaction, so a failure writes no seat.
    """
    Assignment.objects.filter(run=run).delete()
    Assignment.objects.bulk_create(
        assignment_rows(run=run, problem=problem, assignment=result.assignment),
        batch_size=1000,
    )
    run.result = result.to_dict()
    run.objective = result.objective
    run.lower_bound = result.lower_bound
    run.status = RunStatus.DONE
    run.finished_at = timezone.now()
    run.save(update_fields=["result", "objective", "lower_bound", "status", "finished_at"])
