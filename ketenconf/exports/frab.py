"""The frab schedule (as pentabarf, frab and pretalx publish it), built once and written out as
XML by :mod:`.frab_xml` and as JSON by :mod:`.frab_json`.

What real clients need beyond the schemas: an acronym without inner hyphens (the c3voc JSON
schema), ``start`` and ``end`` on every day (EventFahrplan), integer event ids (ConfClerk) and
date-times with their UTC offset (Giggity).
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import asdict, dataclass
from datetime import date, datetime, time, timedelta
from importlib.metadata import PackageNotFoundError, version
from uuid import UUID

from django.urls import reverse
from django.utils.text import slugify

from ketenconf.events.models import Edition, Room
from ketenconf.programme.models import Session

from .base import TIME_ZONE, absolute_url, local, plain_text, stable_uuid
from .selectors import ScheduleData

TIMESLOT_DURATION = "00:05"


def generator_version() -> str:
    try:
        return version("ketenconf")
    except PackageNotFoundError:  # pragma: no cover - running from a bare checkout
        return "0"


def edition_acronym(edition: Edition) -> str:
    """The slug without hyphens: ``ketenconferentie-2018`` -> ``ketenconferentie2018``; the
    schema allows no hyphen inside and wants four characters at least."""
    return re.sub(r"[^a-z0-9_]", "", edition.slug.lower()).ljust(4, "_")


def hh_mm(length: timedelta) -> str:
    minutes = int(length.total_seconds()) // 60
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


@dataclass(frozen=True)
class FrabPerson:
    id: int
    guid: UUID
    name: str


@dataclass(frozen=True)
class FrabEvent:
    id: int
    guid: UUID
    start: datetime  # on the Dutch clock, with its offset
    end: datetime
    room: str
    slug: str
    url: str
    title: str
    track: str
    type: str
    language: str
    abstract: str
    persons: list[FrabPerson]

    @property
    def duration(self) -> str:
        return hh_mm(self.end - self.start)


@dataclass(frozen=True)
class FrabRoom:
    name: str
    guid: UUID
    capacity: int
    events: list[FrabEvent]


@dataclass(frozen=True)
class FrabDay:
    index: int  # 1 for the first day
    date: date
    start: datetime  # the first block of the day begins
    end: datetime  # the last block of the day ends
    rooms: list[FrabRoom]


@dataclass(frozen=True)
class FrabSchedule:
    version: str  # changes whenever anything a client shows changes
    base_url: str
    conference_url: str
    acronym: str
    title: str
    description: str
    start: date
    end: date
    tracks: list[str]
    rooms: list[FrabRoom]  # every room in use, without events
    days: list[FrabDay]

    @property
    def time_zone_name(self) -> str:
        return TIME_ZONE.key


def _event(session: Session, *, edition: Edition, acronym: str) -> FrabEvent:
    topic = session.topic
    title_slug = slugify(topic.title)[:50].strip("-_") or "session"
    return FrabEvent(
        id=session.pk,
        guid=stable_uuid("session", session.pk),
        start=local(session.block.start),
        end=local(session.block.end),
        room=session.room.name,
        slug=f"{acronym}-{session.pk}-{title_slug}",
        url=absolute_url(reverse("session", args=[edition.slug, session.pk])),
        title=topic.title,
        track=topic.theme,
        type=str(topic.get_kind_display()),
        language=topic.language,
        abstract=plain_text(topic.description),
        persons=[
            FrabPerson(id=host.pk, guid=stable_uuid("host", host.pk), name=host.name)
            for host in topic.hosts.all()
        ],
    )


def _rooms(sessions: list[Session], events: dict[int, FrabEvent]) -> list[FrabRoom]:
    """The rooms these sessions use, largest first, each with its sessions in time order."""
    by_room: dict[int, tuple[Room, list[FrabEvent]]] = {}
    for session in sessions:
        by_room.setdefault(session.room_id, (session.room, []))[1].append(events[session.pk])
    ordered = sorted(by_room.values(), key=lambda item: (-item[0].capacity, item[0].name))
    return [
        FrabRoom(
            name=room.name,
            guid=stable_uuid("room", room.pk),
            capacity=room.capacity,
            events=sorted(room_events, key=lambda event: (event.start, event.id)),
        )
        for room, room_events in ordered
    ]


def _version(days: list[FrabDay], title: str) -> str:
    """A short digest of everything a client shows, so apps notice a changed programme."""
    content = json.dumps([title, [asdict(day) for day in days]], default=str, sort_keys=True)
    return hashlib.sha256(content.encode()).hexdigest()[:12]


def frab_schedule(schedule: ScheduleData) -> FrabSchedule:
    edition = schedule.edition
    acronym = edition_acronym(edition)
    events = {s.pk: _event(s, edition=edition, acronym=acronym) for s in schedule.sessions}
    days = []
    for index, day in enumerate(edition.days(), start=1):
        sessions = [s for s in schedule.sessions if local(s.block.start).date() == day]
        blocks = [s.block for s in sessions] + [
            b for b in schedule.open_blocks if local(b.start).date() == day
        ]
        midnight = datetime.combine(day, time(0), tzinfo=TIME_ZONE)
        days.append(
            FrabDay(
                index=index,
                date=day,
                start=min((local(b.start) for b in blocks), default=midnight),
                end=max(
                    (local(b.end) for b in blocks),
                    default=local(midnight + timedelta(days=1)),
                ),
                rooms=_rooms(sessions, events),
            )
        )
    tracks = list(dict.fromkeys(s.topic.theme for s in schedule.sessions if s.topic.theme))
    return FrabSchedule(
        version=_version(days, edition.title),
        base_url=absolute_url("/"),
        conference_url=absolute_url(reverse("programme", args=[edition.slug])),
        acronym=acronym,
        title=edition.title,
        description=edition.theme,
        start=edition.start_date,
        end=edition.end_date,
        tracks=tracks,
        rooms=[
            FrabRoom(name=room.name, guid=room.guid, capacity=room.capacity, events=[])
            for room in _rooms(schedule.sessions, events)
        ],
        days=days,
    )
