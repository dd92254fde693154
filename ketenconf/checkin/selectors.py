"""Reads of the day itself: who may check in, search at the desk, rooms and the live counts."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from ketenconf.allocation.models import Assignment
from ketenconf.allocation.selectors import published_run_id
from ketenconf.core.personal_data import when
from ketenconf.events.models import Edition, OrganisationKind
from ketenconf.programme.models import Session
from ketenconf.registration.models import Registration, RegistrationStatus

from .models import BadgeBatch, CheckIn, CheckInKind

SEARCH_LIMIT = 20
#: Arrivals are counted per this many minutes in the chart.
BUCKET_MINUTES = 15


def registrations_search(*, edition: Edition, query: str) -> list[Registration]:
    """Registrations whose name, email or organisation holds every word typed; with entry."""
    words = query.split()
    if not words:
        return []
    rows = Registration.objects.filter(edition=edition, anonymised_at__isnull=True)
    for word in words[:5]:
        rows = rows.filter(
            Q(name__icontains=word)
            | Q(email__icontains=word)
            | Q(organisation__name__icontains=word)
            | Q(organisation__short_name__iexact=word)
        )
    entry = CheckIn.objects.filter(registration=OuterRef("pk"), kind=CheckInKind.ENTRY)
    return list(
        rows.select_related("organisation")
        .annotate(checked_in=Exists(entry))
        .order_by("name", "pk")[:SEARCH_LIMIT]
    )


def registration_checked_in(*, registration: Registration) -> bool:
    """Whether this registration has come in at the entrance."""
    return CheckIn.objects.filter(registration=registration, kind=CheckInKind.ENTRY).exists()


def sessions_for_rooms(*, edition: Edition) -> QuerySet[Session]:
    return (
        Session.objects.filter(edition=edition)
        .select_related("block", "room", "topic")
        .order_by("block__start", "room__name")
    )


@dataclass(frozen=True)
class Occupancy:
    session: Session
    capacity: int
    assigned: int
    in_room: int

    @property
    def percent(self) -> int:
        return round(100 * self.in_room / self.capacity) if self.capacity else 0

    @property
    def left(self) -> int:
        return max(0, self.capacity - self.in_room)


def edition_occupancy(*, edition: Edition) -> list[Occupancy]:
    """Every session: its capacity, the seats assigned in the published run, who is in. Two
    queries."""
    run_id = published_run_id(edition_id=edition.pk)
    assigned = Count("assignments", filter=Q(assignments__run_id=run_id), distinct=True)
    in_room = Count("check_ins", filter=Q(check_ins__kind=CheckInKind.ROOM), distinct=True)
    rows = sessions_for_rooms(edition=edition).annotate(assigned=assigned, in_room=in_room)
    return [
        Occupancy(
            session=row,
            capacity=row.effective_capacity,
            assigned=row.assigned if run_id is not None else 0,
            in_room=row.in_room,
        )
        for row in rows
    ]


def session_occupancy(*, session: Session) -> Occupancy:
    run_id = published_run_id(edition_id=session.edition_id)
    assigned = Assignment.objects.filter(run_id=run_id, session=session).count() if run_id else 0
    in_room = CheckIn.objects.filter(session=session, kind=CheckInKind.ROOM).count()
    return Occupancy(
        session=session, capacity=session.effective_capacity, assigned=assigned, in_room=in_room
    )


@dataclass(frozen=True)
class KindCount:
    kind: str
    label: str
    registered: int
    checked_in: int

    @property
    def percent(self) -> float:
        return 100 * self.checked_in / self.registered if self.registered else 0.0


@dataclass(frozen=True)
class Bucket:
    start: datetime
    arrivals: int
    total: int  # arrived by the end of this bucket


@dataclass(frozen=True)
class Dashboard:
    registered: int
    checked_in: int
    walk_ins: int
    by_kind: list[KindCount]
    buckets: list[Bucket]
    no_shows: list[Registration]
    rooms: list[Occupancy]
    at: datetime

    @property
    def no_show_count(self) -> int:
        return len(self.no_shows)

    @property
    def percent(self) -> float:
        return 100 * self.checked_in / self.registered if self.registered else 0.0


def _bucket_start(at: datetime) -> datetime:
    local = timezone.localtime(at)
    return local.replace(
        minute=local.minute - local.minute % BUCKET_MINUTES, second=0, microsecond=0
    )


def checkin_arrivals(*, edition: Edition) -> list[Bucket]:
    """Entry check-ins per quarter of an hour, from the first to the last, gaps as zero."""
    times = list(
        CheckIn.objects.filter(edition=edition, kind=CheckInKind.ENTRY)
        .order_by("at")
        .values_list("at", flat=True)
    )
    if not times:
        return []
    counts: dict[datetime, int] = defaultdict(int)
    for at in times:
        counts[_bucket_start(at)] += 1
    first, last = min(counts), max(counts)
    buckets = []
    total = 0
    current = first
    while current <= last:
        total += counts.get(current, 0)
        buckets.append(Bucket(start=current, arrivals=counts.get(current, 0), total=total))
        current = timezone.localtime(current + timedelta(minutes=BUCKET_MINUTES))
    return buckets


def checkin_dashboard(*, edition: Edition) -> Dashboard:
    """The live counts of the day. A fixed number of queries, whatever the size."""
    seated = Registration.objects.filter(edition=edition, status=RegistrationStatus.REGISTERED)
    entry = CheckIn.objects.filter(
        registration=OuterRef("pk"), kind=CheckInKind.ENTRY, edition=edition
    )
    per_kind = (
        seated.values("organisation__kind")
        .annotate(
            registered=Count("pk"),
            checked_in=Count("pk", filter=Q(Exists(entry))),
        )
        .order_by()
    )
    counted = {row["organisation__kind"]: row for row in per_kind}
    labels = dict(OrganisationKind.choices)
    by_kind = [
        KindCount(
            kind=kind,
            label=str(labels[kind]),
            registered=counted[kind]["registered"],
            checked_in=counted[kind]["checked_in"],
        )
        for kind in OrganisationKind.values
        if kind in counted
    ]
    no_shows = list(
        seated.filter(~Exists(entry)).select_related("organisation").order_by("name", "pk")
    )
    registered = sum(row.registered for row in by_kind)
    checked_in = sum(row.checked_in for row in by_kind)
    walk_ins = CheckIn.objects.filter(
        edition=edition,
        kind=CheckInKind.ENTRY,
        registration__created_at__date__range=(edition.start_date, edition.end_date),
    ).count()
    return Dashboard(
        registered=registered,
        checked_in=checked_in,
        walk_ins=walk_ins,
        by_kind=by_kind,
        buckets=checkin_arrivals(edition=edition),
        no_shows=no_shows,
        rooms=edition_occupancy(edition=edition),
        at=timezone.now(),
    )


def latest_batches(*, edition: Edition) -> QuerySet[BadgeBatch]:
    return BadgeBatch.objects.filter(edition=edition).order_by("-created_at", "-pk")[:5]


def personal_data(*, registration: Registration) -> list[dict[str, Any]] | None:
    """The participant's check-ins at the entrance and the room doors, for their own download."""
    rows = (
        CheckIn.objects.filter(registration=registration)
        .select_related("session__topic")
        .order_by("at", "pk")
    )
    found = [
        {
            "kind": row.kind,
            "session": row.session.topic.title if row.session is not None else None,
            "door": row.door,
            "at": when(row.at),
        }
        for row in rows
    ]
    return found or None
