"""Between the database and the programme scheduler (the engine itself knows no database).

:func:`problem_build` makes the scheduler's problem of an edition:

- rounds: the edition's round blocks; rooms: its rooms, with ``step_free`` and ``projector``
  (a room without ``RoomEquipment`` has one);
- topics: those of accepted proposals, with hosts (by email), needs, the rounds the hosts
  can come, the wanted size and whether they may run twice; and every other topic that has
  sessions in a round already, pinned where it is, so its rooms and hosts stay taken;
- demand: the organisers' estimate; else the interest votes, scaled up from those who voted
  to all registered participants; else the wanted size;
- together: per pair of topics, the participants who voted for both, scaled the same way;
- pins: the organisers' pinned sessions.

:func:`result_apply` writes a run's schedule as the programme's sessions, through the
programme's services (which clear the public page cache).
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from itertools import combinations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from ketenconf.events.models import Edition, Room, RoomKind
from ketenconf.programme import services as programme_services
from ketenconf.programme.models import Block, BlockKind, Host, Session, Topic
from ketenconf.registration.models import Registration, RegistrationStatus

from . import scheduler
from .models import InterestVote, Proposal, ProposalStatus, SchedulePin


def topic_key(pk: int) -> str:
    return f"topic-{pk}"


def topic_pk(key: str) -> int:
    return int(key.removeprefix("topic-"))


@dataclass(frozen=True)
class Demand:
    votes: int
    estimate: int | None
    demand: int
    source: str  # "estimate", "votes" or "size"


@dataclass
class Built:
    problem: scheduler.Problem
    labels: dict[str, str] = field(default_factory=dict)
    demand: dict[int, Demand] = field(default_factory=dict)


def _vote_scale(edition: Edition, votes: list[tuple[int, int]]) -> float:
    voters = len({registration for registration, _ in votes})
    registered = Registration.objects.filter(
        edition=edition, status=RegistrationStatus.REGISTERED
    ).count()
    return max(1.0, registered / voters) if voters else 1.0


def demand_for_edition(*, edition: Edition) -> tuple[dict[int, Demand], dict[tuple[int, int], int]]:
    """Per accepted topic its demand and where it comes from; per pair, people wanting both."""
    proposals = list(
        Proposal.objects.filter(call__edition=edition, status=ProposalStatus.ACCEPTED)
        .exclude(topic=None)
        .only("topic_id", "demand_estimate", "wanted_size")
    )
    votes = list(
        InterestVote.objects.filter(topic__edition=edition).values_list(
            "registration_id", "topic_id"
        )
    )
    scale = _vote_scale(edition, votes)
    counted = Counter(topic for _, topic in votes)
    demand: dict[int, Demand] = {}
    for proposal in proposals:
        assert proposal.topic_id is not None
        count = counted[proposal.topic_id]
        if proposal.demand_estimate is not None:
            value, source = proposal.demand_estimate, "estimate"
        elif count:
            value, source = round(count * scale), "votes"
        else:
            value, source = proposal.wanted_size, "size"
        demand[proposal.topic_id] = Demand(count, proposal.demand_estimate, value, source)
    per_person: dict[int, list[int]] = defaultdict(list)
    for registration, topic in votes:
        per_person[registration].append(topic)
    pairs: Counter[tuple[int, int]] = Counter()
    for topics in per_person.values():
        for pair in combinations(sorted(topics), 2):
            pairs[pair] += 1
    together = {pair: round(count * scale) for pair, count in pairs.items()}
    return demand, together


def room_feature(kind: str) -> str:
    """A room's kind as the scheduler's feature: a session needs its kind of room."""
    return f"kind:{kind}"


def problem_build(*, edition: Edition) -> Built:
    blocks = list(Block.objects.filter(edition=edition, kind=BlockKind.ROUND).order_by("start"))
    rooms = list(Room.objects.filter(edition=edition).select_related("equipment"))
    built = Built(problem=scheduler.Problem((), (), ()))
    labels = built.labels
    rounds = []
    for block in blocks:
        labels[f"round-{block.pk}"] = str(block)
        rounds.append(scheduler.Round(f"round-{block.pk}", str(block)))
    scheduler_rooms = []
    for room in rooms:
        labels[f"room-{room.pk}"] = room.name
        features = [room_feature(room.kind)]
        if room.step_free:
            features.append("step_free")
        equipment = getattr(room, "equipment", None)
        if equipment is None or equipment.projector:
            features.append("projector")
        scheduler_rooms.append(scheduler.Room(f"room-{room.pk}", room.capacity, tuple(features)))

    demand, together = demand_for_edition(edition=edition)
    built.demand = demand
    proposals = list(
        Proposal.objects.filter(call__edition=edition, status=ProposalStatus.ACCEPTED)
        .exclude(topic=None)
        .select_related("topic")
        .prefetch_related("hosts", "available_rounds")
        .order_by("topic__title", "pk")
    )
    topics = []
    for proposal in proposals:
        topic = proposal.topic
        assert topic is not None
        key = topic_key(topic.pk)
        labels[key] = topic.title
        available = [f"round-{b.pk}" for b in proposal.available_rounds.all()]
        # Every kind of session a call takes runs in a workshop room, never in the plenary
        # hall or on the market floor.
        needs = [room_feature(RoomKind.WORKSHOP)]
        if proposal.needs_step_free:
            needs.append("step_free")
        if proposal.needs_projector:
            needs.append("projector")
        topics.append(
            scheduler.Topic(
                id=key,
                demand=demand[topic.pk].demand,
                hosts=tuple(sorted({f"email:{h.email}" for h in proposal.hosts.all()})),
                needs=tuple(needs),
                rounds=tuple(available) if available else None,
                size=proposal.wanted_size,
                max_runs=2 if proposal.may_run_twice else 1,
            )
        )
    ours = {proposal.topic_id for proposal in proposals if proposal.topic_id is not None}

    # Sessions of other topics in the rounds stay where they are.
    pins: list[scheduler.Placement] = []
    others: dict[int, list[Session]] = defaultdict(list)
    for session in Session.objects.filter(edition=edition, block__kind=BlockKind.ROUND).exclude(
        topic_id__in=ours
    ):
        others[session.topic_id].append(session)
    other_hosts: dict[int, set[str]] = defaultdict(set)
    for host in Host.objects.filter(topic_id__in=others):
        other_hosts[host.topic_id].add(f"host:{host.name.casefold()}|{host.organisation_id}")
    for topic in Topic.objects.filter(pk__in=others).order_by("title", "pk"):
        key = topic_key(topic.pk)
        labels[key] = topic.title
        sessions = others[topic.pk]
        topics.append(
            scheduler.Topic(
                id=key,
                demand=0,
                hosts=tuple(sorted(other_hosts[topic.pk])),
                max_runs=len(sessions),
            )
        )
        pins.extend(
            scheduler.Placement(key, f"round-{s.block_id}", f"room-{s.room_id}") for s in sessions
        )
    for pin in SchedulePin.objects.filter(edition=edition).order_by("block__start", "pk"):
        placement = scheduler.Placement(
            topic_key(pin.topic_id), f"round-{pin.block_id}", f"room-{pin.room_id}"
        )
        if placement not in pins:
            pins.append(placement)
    known = {t.id for t in topics}
    built.problem = scheduler.Problem(
        rounds=tuple(rounds),
        rooms=tuple(scheduler_rooms),
        topics=tuple(topics),
        together=tuple(
            scheduler.Together((topic_key(a), topic_key(b)), people)
            for (a, b), people in sorted(together.items())
            if topic_key(a) in known and topic_key(b) in known and people > 0
        ),
        pins=tuple(pins),
    )
    return built


_ID = re.compile(r'"((?:topic|round|room)-\d+)"')


def describe_error(built: Built, error: scheduler.ProblemError) -> str:
    """The engine's message with titles and names in place of ids, for the organisers."""
    return _ID.sub(lambda m: f"“{built.labels.get(m.group(1), m.group(1))}”", error.message)


def result_apply(
    *, edition: Edition, problem: scheduler.Problem, schedule: scheduler.Schedule
) -> int:
    """Make a schedule the programme: the sessions of its topics in rounds are replaced.

    Topics that did not come from the call are left where they are. Raises
    ``ValidationError`` when the programme changed since the run or when a session it would
    remove has seats assigned. Returns the number of sessions written. The caller holds the
    edition's row locked.
    """
    # Topics that did not come from the call are pinned where they are: left alone.
    topic_ids = list(
        Topic.objects.filter(
            edition=edition,
            pk__in=[topic_pk(t.id) for t in problem.topics],
            proposal__status=ProposalStatus.ACCEPTED,
        ).values_list("pk", flat=True)
    )
    rounds = {
        f"round-{b.pk}": b for b in Block.objects.filter(edition=edition, kind=BlockKind.ROUND)
    }
    rooms = {f"room-{r.pk}": r for r in Room.objects.filter(edition=edition)}
    topics_by_pk = {t.pk: t for t in Topic.objects.filter(pk__in=topic_ids)}
    placements = [p for p in schedule.placements if topic_pk(p.topic) in topics_by_pk]
    missing = [p for p in placements if p.round not in rounds or p.room not in rooms]
    if missing:
        raise ValidationError(
            _("The programme changed since this run (rounds, rooms or topics): run again.")
        )
    old = Session.objects.filter(
        edition=edition, topic_id__in=topic_ids, block__kind=BlockKind.ROUND
    )
    if old.filter(assignments__isnull=False).exists():
        raise ValidationError(
            _("Participants have seats in these sessions already: the schedule cannot be replaced.")
        )
    by_topic = {t.id: t for t in problem.topics}
    sessions = []
    for placement in placements:
        room = rooms[placement.room]
        size = by_topic[placement.topic].size
        sessions.append(
            Session(
                edition=edition,
                topic=topics_by_pk[topic_pk(placement.topic)],
                block=rounds[placement.round],
                room=room,
                capacity=size if size is not None and size < room.capacity else None,
            )
        )
    programme_services.sessions_replace(edition_id=edition.pk, old=old, new=sessions)
    return len(sessions)
