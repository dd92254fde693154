"""Reads of the workshop assignment: runs, their figures, seats, and personal programmes."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Q, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from ketenconf.core.personal_data import when
from ketenconf.events.models import Edition, Organisation, Room
from ketenconf.programme.models import Block, Topic
from ketenconf.programme.models import Session as SessionRow
from ketenconf.registration.models import Registration

from . import adapter
from .engine import Problem, ProblemError, objective
from .models import (
    Assignment,
    AssignmentLock,
    AssignmentRun,
    Reoffer,
    ReofferStatus,
    RunStatus,
)

PARTICIPANTS_PER_PAGE = 50
#: Organisations shown per session in the organisation mix.
TOP_ORGANISATIONS = 3


def published_run(*, edition: Edition) -> AssignmentRun | None:
    """The run participants see: the edition's latest published one."""
    return (
        AssignmentRun.objects.filter(edition=edition, published_at__isnull=False)
        .order_by("-published_at", "-pk")
        .first()
    )


def published_run_id(*, edition_id: int) -> int | None:
    """The primary key of :func:`published_run`, in one query that loads no run."""
    return (
        AssignmentRun.objects.filter(edition_id=edition_id, published_at__isnull=False)
        .order_by("-published_at", "-pk")
        .values_list("pk", flat=True)
        .first()
    )


def runs_for_edition(*, edition: Edition) -> QuerySet[AssignmentRun]:
    return (
        AssignmentRun.objects.filter(edition=edition)
        .select_related("created_by")
        .order_by("-created_at", "-pk")
    )


def run_get(*, edition: Edition, pk: int) -> AssignmentRun | None:
    return AssignmentRun.objects.filter(edition=edition, pk=pk).first()


def locks_for_edition(*, edition: Edition) -> QuerySet[AssignmentLock]:
    return (
        AssignmentLock.objects.filter(edition=edition)
        .select_related("registration", "block", "session__topic", "session__room")
        .order_by("registration__name", "registration_id", "block__start")
    )


# Personal programmes ------------------------------------------------------------------------


@dataclass(frozen=True)
class ProgrammeItem:
    """One published seat: the round block, the session, its topic and room."""

    block: Block
    session: SessionRow
    topic: Topic
    room: Room


def _items(rows: QuerySet[Assignment]) -> QuerySet[Assignment]:
    return rows.select_related("block", "session__topic", "session__room").order_by(
        "block__start", "block_id"
    )


def _item(row: Assignment) -> ProgrammeItem:
    return ProgrammeItem(
        block=row.block, session=row.session, topic=row.session.topic, room=row.session.room
    )


def personal_programme(*, registration: Registration) -> list[ProgrammeItem]:
    """The participant's published sessions in time order; empty until a run is published.

    Only a registration with a seat has a programme. One query.
    """
    if not registration.has_seat:
        return []
    latest = (
        AssignmentRun.objects.filter(edition_id=registration.edition_id, published_at__isnull=False)
        .order_by("-published_at", "-pk")
        .values("pk")[:1]
    )
    rows = Assignment.objects.filter(registration=registration, run_id=Subquery(latest))
    return [_item(row) for row in _items(rows)]


def personal_data(*, registration: Registration) -> list[dict[str, Any]] | None:
    """The participant's published seats, for the download of their own data."""
    items = personal_programme(registration=registration)
    if not items:
        return None
    return [
        {
            "round": str(item.block),
            "start": when(item.block.start),
            "session": item.topic.title,
            "room": item.room.name,
        }
        for item in items
    ]


def programmes_of_run(*, run: AssignmentRun) -> dict[int, list[ProgrammeItem]]:
    """Registration pk → its sessions in this run, in time order."""
    programmes: dict[int, list[ProgrammeItem]] = defaultdict(list)
    for row in _items(Assignment.objects.filter(run=run)):
        programmes[row.registration_id].append(_item(row))
    return dict(programmes)


# Names for ids, and problems in words ------------------------------------------------------


@dataclass
class Names:
    """What the ids in a problem stand for, for people."""

    labels: dict[str, str] = field(default_factory=dict)

    def __call__(self, engine_id: str) -> str:
        return self.labels.get(engine_id, engine_id)


def problem_names(*, problem: Problem) -> Names:
    """Labels for every id in the problem. Four queries."""
    names = Names()
    for rnd in problem.rounds:
        names.labels[rnd.id] = rnd.label or rnd.id
    pks = [adapter.pk_of(p.id) for p in problem.participants]
    for pk, name in Registration.objects.filter(pk__in=pks).values_list("pk", "name"):
        names.labels[adapter.participant_id(pk)] = name
    org_pks = {adapter.pk_of(p.organisation) for p in problem.participants}
    for org in Organisation.objects.filter(pk__in=org_pks):
        names.labels[adapter.organisation_id(org.pk)] = str(org)
    session_pks = [adapter.pk_of(s.id) for s in problem.sessions]
    for row in SessionRow.objects.filter(pk__in=session_pks).select_related("topic", "room"):
        names.labels[adapter.session_id(row.pk)] = f"{row.topic.title} ({row.room.name})"
        names.labels[adapter.topic_id(row.topic_id)] = row.topic.title
    return names


_INDEXED = re.compile(r"^(participants|sessions|rounds)\[(\d+)\](?:\.(.*))?$")
_ASSIGNED = re.compile(r"^assignment\.([^.]+)\.([^.]+)$")
_ID = re.compile(r'"([rbsto]\d+)"')

# Engine messages we say in our own words; anything else is shown as the engine says it.
_TRANSLATED: list[tuple[re.Pattern[str], Any]] = [
    (
        re.compile(r"^holds (\d+) participants, capacity (\d+)$"),
        lambda m, who, n: (
            _("%(where)s would hold %(count)s participants; it has room for %(capacity)s.")
            % {"where": who, "count": m[1], "capacity": m[2]}
        ),
    ),
    (
        re.compile(r'^topic "(\w+)" is already assigned in round "(\w+)"$'),
        lambda m, who, n: (
            _("%(where)s: %(topic)s would come twice; it is also in %(round)s.")
            % {"where": who, "topic": n(m[1]), "round": n(m[2])}
        ),
    ),
    (
        re.compile(r'^session "(\w+)" is not step-free accessible, which the participant needs$'),
        lambda m, who, n: (
            _(
                "%(where)s: %(session)s is not step-free, and this participant needs step-free rooms."
            )
            % {"where": who, "session": n(m[1])}
        ),
    ),
    (
        re.compile(
            r'^holds (\d+) participants of organisation "(\w+)", the most allowed is (\d+)$'
        ),
        lambda m, who, n: (
            _(
                "%(where)s would hold %(count)s participants of %(organisation)s; "
                "at most %(limit)s are allowed."
            )
            % {"where": who, "count": m[1], "organisation": n(m[2]), "limit": m[3]}
        ),
    ),
    (
        re.compile(r'^session "(\w+)" is full: (\d+) fixed seats, capacity (\d+)$'),
        lambda m, who, n: (
            _("%(where)s: the locked seats in %(session)s are more than its %(capacity)s places.")
            % {"where": who, "session": n(m[1]), "capacity": m[3]}
        ),
    ),
]


def _where(path: str, *, problem: Problem, names: Names) -> str:
    """A JSON path in words: ``participants[3].fixed.b5`` → "Jan Jansen, lock in Round 1"."""
    match = _INDEXED.match(path)
    if match:
        kind, index, rest = match[1], int(match[2]), match[3] or ""
        if kind == "participants" and index < len(problem.participants):
            who = names(problem.participants[index].id)
            if rest.startswith("fixed."):
                return _("%(participant)s, locked seat in %(round)s") % {
                    "participant": who,
                    "round": names(rest.removeprefix("fixed.")),
                }
            return who
        if kind == "sessions" and index < len(problem.sessions):
            session = problem.sessions[index]
            return _("%(session)s in %(round)s") % {
                "session": names(session.id),
                "round": names(session.round),
            }
        if kind == "rounds" and index < len(problem.rounds):
            return names(problem.rounds[index].id)
    match = _ASSIGNED.match(path)
    if match:
        return _("%(participant)s in %(round)s") % {
            "participant": names(match[1]),
            "round": names(match[2]),
        }
    return path or _("the input")


def problem_error_explain(error: ProblemError, *, names: Names, problem: Problem) -> str:
    """One engine problem in words: where (the path, named) and what."""
    where = _where(error.path, problem=problem, names=names)
    for pattern, say in _TRANSLATED:
        found = pattern.match(error.message)
        if found:
            return str(say(found, where, names))
    message = _ID.sub(lambda m: f'"{names(m[1])}"', error.message)
    return f"{where}: {message}"


def run_problems(*, run: AssignmentRun) -> list[dict[str, str]]:
    """The problems a failed run's input has, each with its path and in words."""
    if not run.problems:
        return []
    problem = Problem.from_dict(run.problem)
    names = problem_names(problem=problem)
    return [
        {
            "path": item["path"],
            "text": problem_error_explain(ProblemError(**item), names=names, problem=problem),
        }
        for item in run.problems
    ]


# The figures of a run -----------------------------------------------------------------------


@dataclass(frozen=True)
class RankRow:
    label: str
    count: int
    percent: float


@dataclass
class SessionReport:
    session: SessionRow
    capacity: int
    taken: int
    accessible: bool
    organisations: list[tuple[str, int]]
    largest_share: float

    @property
    def left(self) -> int:
        return self.capacity - self.taken


@dataclass
class RoundReport:
    label: str
    attending: int
    capacity: int
    short: int
    step_free_short: int
    without_session: list[str]


@dataclass
class RunReport:
    participants: int
    participant_rounds: int
    seats_given: int
    ranks: list[RankRow]
    first_choice: int
    with_preferences: int
    worst_rank: int | None
    objective: int | None
    lower_bound: int | None
    status: str
    method: str
    seconds: float | None
    moved: int | None
    rounds: list[RoundReport]
    sessions: list[SessionReport]
    without_any_session: int = 0  # participants with rounds to attend and no seat in any
    lost_published: int | None = None  # published seats that could not be kept

    @property
    def first_choice_percent(self) -> float:
        return 100 * self.first_choice / self.with_preferences if self.with_preferences else 0.0

    @property
    def no_session(self) -> int:
        return self.participant_rounds - self.seats_given

    @property
    def gap_percent(self) -> float | None:
        if self.objective is None or self.lower_bound is None or not self.objective:
            return None if self.objective is None else 0.0
        return 100 * (self.objective - self.lower_bound) / self.objective


def _percent(part: int, whole: int) -> float:
    return round(100 * part / whole, 1) if whole else 0.0


def run_report(*, run: AssignmentRun) -> RunReport:
    """The figures of a finished run, from its seats as they stand (moves included).

    Choices by rank count every seat given (locked seats too) by the place of its topic in
    the participant's preferences. Five queries, whatever the size of the edition.
    """
    problem = Problem.from_dict(run.problem)
    rows = list(
        Assignment.objects.filter(run=run).values_list(
            "registration_id", "block_id", "session_id", "rank", "registration__organisation_id"
        )
    )
    assignment: dict[str, dict[str, str]] = defaultdict(dict)
    ranks: Counter[int | None] = Counter()
    taken: Counter[int] = Counter()
    mix: dict[int, Counter[int]] = defaultdict(Counter)
    first_choice = set()
    for registration, block, session, rank, organisation in rows:
        assignment[adapter.participant_id(registration)][adapter.round_id(block)] = (
            adapter.session_id(session)
        )
        ranks[rank] += 1
        taken[session] += 1
        mix[session][organisation] += 1
        if rank == 1:
            first_choice.add(registration)

    all_rounds = [r.id for r in problem.rounds]
    attending: Counter[str] = Counter()
    needing: Counter[str] = Counter()
    without: dict[str, list[int]] = defaultdict(list)
    without_any = 0
    for participant in problem.participants:
        seats = assignment.get(participant.id, {})
        attends = all_rounds if participant.rounds is None else participant.rounds
        without_any += bool(attends) and not seats
        for rid in attends:
            attending[rid] += 1
            if participant.needs_accessible:
                needing[rid] += 1
            if rid not in seats:
                without[rid].append(adapter.pk_of(participant.id))
    names = dict(
        Registration.objects.filter(
            pk__in=[pk for pks in without.values() for pk in pks]
        ).values_list("pk", "name")
    )
    capacity: Counter[str] = Counter()
    step_free: Counter[str] = Counter()
    for s in problem.sessions:
        capacity[s.round] += s.capacity
        if s.accessible:
            step_free[s.round] += s.capacity
    round_reports = [
        RoundReport(
            label=r.label or r.id,
            attending=attending[r.id],
            capacity=capacity[r.id],
            short=max(0, attending[r.id] - capacity[r.id]),
            step_free_short=max(0, needing[r.id] - step_free[r.id]),
            without_session=sorted(
                (names.get(pk, str(pk)) for pk in without[r.id]), key=str.casefold
            ),
        )
        for r in problem.rounds
    ]

    participant_rounds = sum(attending.values())
    seats_given = len(rows)
    worst = max((rank for rank in ranks if rank is not None), default=None)
    rank_rows = [
        RankRow(
            label=_("choice %(rank)s") % {"rank": rank},
            count=ranks[rank],
            percent=_percent(ranks[rank], participant_rounds),
        )
        for rank in range(1, (worst or 0) + 1)
    ]
    rank_rows.append(
        RankRow(
            label=_("not chosen"),
            count=ranks[None],
            percent=_percent(ranks[None], participant_rounds),
        )
    )
    rank_rows.append(
        RankRow(
            label=_("no session"),
            count=participant_rounds - seats_given,
            percent=_percent(participant_rounds - seats_given, participant_rounds),
        )
    )

    organisation_names = {
        org.pk: str(org)
        for org in Organisation.objects.filter(
            pk__in={org for counter in mix.values() for org in counter}
        )
    }
    snapshot = {adapter.pk_of(s.id): s for s in problem.sessions}
    session_reports = []
    for row in (
        SessionRow.objects.filter(pk__in=list(snapshot))
        .select_related("topic", "room", "block")
        .order_by("block__start", "block_id", "room__name", "pk")
    ):
        engine_session = snapshot[row.pk]
        top = mix[row.pk].most_common()
        session_reports.append(
            SessionReport(
                session=row,
                capacity=engine_session.capacity,
                taken=taken[row.pk],
                accessible=engine_session.accessible,
                organisations=[
                    (organisation_names.get(org, str(org)), n) for org, n in top[:TOP_ORGANISATIONS]
                ],
                # Of the seats, as the rule (max_organisation_share) counts it: not of those
                # seated, which shows 27 % in a session a 25 % rule holds.
                largest_share=_percent(top[0][1], engine_session.capacity) if top else 0.0,
            )
        )

    result: dict[str, Any] = run.result or {}
    metrics: dict[str, Any] = result.get("metrics", {})
    value = run.objective
    if run.changed_by_hand and run.status == RunStatus.DONE:
        value = objective(problem, assignment)
    return RunReport(
        participants=len(problem.participants),
        participant_rounds=participant_rounds,
        seats_given=seats_given,
        ranks=rank_rows,
        first_choice=len(first_choice),
        with_preferences=sum(1 for p in problem.participants if p.preferences),
        worst_rank=worst,
        objective=value,
        lower_bound=run.lower_bound,
        status=str(result.get("status", "")),
        method=str(metrics.get("method", "")),
        seconds=metrics.get("seconds"),
        moved=metrics.get("moved"),
        lost_published=metrics.get("lost_published"),
        without_any_session=without_any,
        rounds=round_reports,
        sessions=session_reports,
    )


# Participants and their seats ---------------------------------------------------------------


@dataclass
class SeatRow:
    block_id: int
    assignment: Assignment | None
    locked: bool


@dataclass
class ParticipantRow:
    registration: Registration
    seats: list[SeatRow]


def run_participants(
    *, run: AssignmentRun, query: str = "", page: int | str = 1
) -> tuple[Page[Registration], list[ParticipantRow], list[Block]]:
    """One page of the run's participants (search on name, email or organisation), with seats.

    The rounds are the run's, in time order. Five queries, whatever the page holds.
    """
    problem = Problem.from_dict(run.problem)
    round_pks = [adapter.pk_of(r.id) for r in problem.rounds]
    blocks = {b.pk: b for b in Block.objects.filter(pk__in=round_pks)}
    rounds = [blocks[pk] for pk in round_pks if pk in blocks]
    registrations = (
        Registration.objects.filter(
            edition_id=run.edition_id, pk__in=[adapter.pk_of(p.id) for p in problem.participants]
        )
        .select_related("organisation")
        .order_by("name", "pk")
    )
    query = query.strip()
    if query:
        registrations = registrations.filter(
            Q(name__icontains=query)
            | Q(email__icontains=query)
            | Q(organisation__name__icontains=query)
            | Q(organisation__short_name__icontains=query)
        )
    current = Paginator(registrations, PARTICIPANTS_PER_PAGE).get_page(page)
    on_page = [r.pk for r in current.object_list]
    seats: dict[tuple[int, int], Assignment] = {
        (row.registration_id, row.block_id): row
        for row in Assignment.objects.filter(run=run, registration__in=on_page).select_related(
            "session__topic", "session__room"
        )
    }
    locked = set(
        AssignmentLock.objects.filter(registration__in=on_page).values_list(
            "registration_id", "session_id"
        )
    )
    rows = []
    for registration in current.object_list:
        seat_rows = []
        for block in rounds:
            seat = seats.get((registration.pk, block.pk))
            seat_rows.append(
                SeatRow(
                    block_id=block.pk,
                    assignment=seat,
                    locked=seat is not None and (registration.pk, seat.session_id) in locked,
                )
            )
        rows.append(ParticipantRow(registration=registration, seats=seat_rows))
    return current, rows, rounds


@dataclass
class RoundChoice:
    block: Block
    current: int | None
    locked_session: int | None
    sessions: list[tuple[int, str]]


def participant_round_choices(
    *, run: AssignmentRun, registration: Registration
) -> list[RoundChoice]:
    """For the move form: per round of the run, its sessions with seats left, and the seat held."""
    problem = Problem.from_dict(run.problem)
    participant = next(
        (p for p in problem.participants if p.id == adapter.participant_id(registration.pk)), None
    )
    attended = None if participant is None or participant.rounds is None else participant.rounds
    ranks = (
        {topic: rank for rank, topic in enumerate(participant.preferences, start=1)}
        if participant
        else {}
    )
    capacity = {adapter.pk_of(s.id): s.capacity for s in problem.sessions}
    taken = Counter(
        Assignment.objects.filter(run=run).values_list("session_id", flat=True).iterator()
    )
    current = dict(
        Assignment.objects.filter(run=run, registration=registration).values_list(
            "block_id", "session_id"
        )
    )
    locks = dict(
        AssignmentLock.objects.filter(registration=registration).values_list(
            "block_id", "session_id"
        )
    )
    by_round: dict[int, list[SessionRow]] = defaultdict(list)
    for row in (
        SessionRow.objects.filter(pk__in=list(capacity))
        .select_related("topic", "room", "block")
        .order_by("block__start", "topic__title", "pk")
    ):
        by_round[row.block_id].append(row)
    choices = []
    for rnd in problem.rounds:
        if attended is not None and rnd.id not in attended:
            continue
        block_pk = adapter.pk_of(rnd.id)
        rows = by_round.get(block_pk, [])
        if not rows:
            continue
        options = []
        for row in rows:
            rank = ranks.get(adapter.topic_id(row.topic_id))
            choice = _("choice %(rank)s") % {"rank": rank} if rank is not None else _("not chosen")
            options.append(
                (
                    row.pk,
                    _("%(topic)s, %(room)s (%(choice)s; %(left)s of %(capacity)s seats left)")
                    % {
                        "topic": row.topic.title,
                        "room": row.room.name,
                        "choice": choice,
                        "left": capacity[row.pk] - taken[row.pk],
                        "capacity": capacity[row.pk],
                    },
                )
            )
        choices.append(
            RoundChoice(
                block=rows[0].block,
                current=current.get(block_pk),
                locked_session=locks.get(block_pk),
                sessions=options,
            )
        )
    return choices


def registration_in_run(*, run: AssignmentRun, pk: int) -> Registration | None:
    problem = Problem.from_dict(run.problem)
    if adapter.participant_id(pk) not in {p.id for p in problem.participants}:
        return None
    return (
        Registration.objects.filter(edition_id=run.edition_id, pk=pk)
        .select_related("organisation")
        .first()
    )


@dataclass(frozen=True)
class PublishPreview:
    to_mail: int
    unchanged: int
    registered_since: int
    no_session: int


def publish_preview(*, run: AssignmentRun) -> PublishPreview:
    """What publishing this run would do: who is mailed, who has no seat in it."""
    current = published_run(edition=run.edition)
    before = adapter.seats_of_run(run=current) if current is not None else {}
    after = adapter.seats_of_run(run=run)
    registered = set(
        Registration.objects.filter(edition=run.edition, status="registered").values_list(
            "pk", flat=True
        )
    )
    in_run = {adapter.pk_of(p) for p in after}
    to_mail = sum(
        1
        for pid, seats in after.items()
        if adapter.pk_of(pid) in registered and before.get(pid) != seats
    )
    unchanged = sum(
        1
        for pid, seats in after.items()
        if adapter.pk_of(pid) in registered and before.get(pid) == seats
    )
    problem = Problem.from_dict(run.problem)
    return PublishPreview(
        to_mail=to_mail,
        unchanged=unchanged,
        registered_since=len(registered - {adapter.pk_of(p.id) for p in problem.participants}),
        no_session=len({adapter.pk_of(p.id) for p in problem.participants} - in_run),
    )


# The day: re-offers ---------------------------------------------------------------------------


@dataclass(frozen=True)
class OpenSeats:
    """A session of a round that has not started, with the seats its room has left."""

    block: Block
    session: SessionRow
    left: int


def seats_left_later(*, edition: Edition, now: datetime | None = None) -> list[OpenSeats]:
    """The sessions of the workshop rounds that have not started, with seats left under the
    published seats, in time order. Two queries."""
    now = now or timezone.now()
    run_id = published_run_id(edition_id=edition.pk)
    taken: Counter[int] = Counter()
    if run_id is not None:
        taken.update(
            Assignment.objects.filter(run_id=run_id, block__start__gt=now).values_list(
                "session_id", flat=True
            )
        )
    return [
        OpenSeats(block=row.block, session=row, left=row.effective_capacity - taken[row.pk])
        for row in adapter.round_sessions(edition=edition)
        if row.block.start > now and row.effective_capacity > taken[row.pk]
    ]


def seats_given_away(*, registration: Registration) -> bool:
    """Whether a published re-offer gave away seats of this participant (not there then)."""
    reoffers = Reoffer.objects.filter(
        edition_id=registration.edition_id, status=ReofferStatus.PUBLISHED
    ).values_list("present", "run_id", "base_run_id")
    for present, run_id, base_run_id in reoffers:
        if registration.pk in present:
            continue
        before = Assignment.objects.filter(run_id=base_run_id, registration=registration).count()
        after = Assignment.objects.filter(run_id=run_id, registration=registration).count()
        if after < before:
            return True
    return False


def reoffers_published(*, edition: Edition) -> bool:
    return Reoffer.objects.filter(edition=edition, status=ReofferStatus.PUBLISHED).exists()


def reoffers_for_edition(*, edition: Edition) -> QuerySet[Reoffer]:
    return (
        Reoffer.objects.filter(edition=edition)
        .select_related("before_block", "created_by", "confirmed_by")
        .order_by("-created_at", "-pk")
    )


def reoffer_get(*, edition: Edition, pk: int) -> Reoffer | None:
    return Reoffer.objects.filter(edition=edition, pk=pk).select_related("before_block").first()


@dataclass(frozen=True)
class DayRound:
    """One workshop round on the day's page: what the published re-offers did to it together,
    and its empty seats now."""

    number: int
    block: Block
    started: bool
    freed: int
    refilled: int
    upgrades: int
    ranks_gained: int
    walk_ins: int
    empty: int
    capacity: int
    #: When the latest published re-offer of this round was previewed (None: none yet).
    reoffered_at: datetime | None = None
    #: How many published re-offers re-offered this round.
    reoffers: int = 0


def day_rounds(*, edition: Edition, now: datetime | None = None) -> list[DayRound]:
    """Per workshop round, over the published re-offers together: seats freed, re-filled and
    walk-ins seated (added up: a re-offer starts from the seats the one before published, so
    a seat freed, re-filled or given to a walk-in once is not counted again), upgrades as the
    participants whose seat in the round ended better than before the first re-offer (one
    moved up twice is one upgrade, with the ranks of both moves) and the ranks they gained;
    and the seats left empty under the published seats now. Three queries."""
    now = now or timezone.now()
    sums: dict[int, Counter[str]] = defaultdict(Counter)
    when: dict[int, datetime] = {}
    count: Counter[int] = Counter()
    gains: dict[int, Counter[int]] = defaultdict(Counter)  # round → registration → ranks
    for created_at, figures, moves in (
        Reoffer.objects.filter(edition=edition, status=ReofferStatus.PUBLISHED)
        .order_by("created_at", "pk")
        .values_list("created_at", "figures", "moves")
    ):
        for row in figures.get("rounds", []):
            block = adapter.pk_of(row["round"])
            for key in ("freed", "refilled", "walk_ins"):
                sums[block][key] += row.get(key, 0)
            when[block] = created_at
            count[block] += 1
        for move in moves:
            if move.get("gain") is not None:
                gains[move["round"]][move["registration"]] += move["gain"]
    for block, per_person in gains.items():
        sums[block]["upgrades"] = sum(1 for gain in per_person.values() if gain > 0)
        sums[block]["ranks_gained"] = sum(gain for gain in per_person.values() if gain > 0)
    run_id = published_run_id(edition_id=edition.pk)
    taken: Counter[int] = Counter()
    if run_id is not None:
        taken.update(Assignment.objects.filter(run_id=run_id).values_list("block_id", flat=True))
    capacity: Counter[int] = Counter()
    blocks: dict[int, Block] = {}
    for row in adapter.round_sessions(edition=edition):
        blocks.setdefault(row.block_id, row.block)
        capacity[row.block_id] += row.effective_capacity
    return [
        DayRound(
            number=number,
            block=block,
            started=block.start <= now,
            freed=sums[pk]["freed"],
            refilled=sums[pk]["refilled"],
            upgrades=sums[pk]["upgrades"],
            ranks_gained=sums[pk]["ranks_gained"],
            walk_ins=sums[pk]["walk_ins"],
            empty=max(0, capacity[pk] - taken[pk]),
            capacity=capacity[pk],
            reoffered_at=when.get(pk),
            reoffers=count[pk],
        )
        for number, (pk, block) in enumerate(blocks.items(), start=1)
    ]
