"""The schedule JSON of pretalx, valid against the c3voc schedule v1 JSON schema."""

from __future__ import annotations

import json
from typing import Any

from django.utils.translation import gettext_lazy as _

from .base import BaseExporter
from .frab import TIMESLOT_DURATION, FrabEvent, FrabSchedule, frab_schedule, generator_version
from .selectors import ScheduleData

SCHEMA_URL = "https://c3voc.de/schedule/schema.json"


def _event(event: FrabEvent) -> dict[str, Any]:
    return {
        "guid": str(event.guid),
        "id": event.id,
        "date": event.start.isoformat(),
        "start": event.start.strftime("%H:%M"),
        "end": event.end.isoformat(),
        "duration": event.duration,
        "room": event.room,
        "slug": event.slug,
        "url": event.url,
        "title": event.title,
        "subtitle": None,
        "track": event.track or None,
        "type": event.type,
        "language": event.language,
        "abstract": event.abstract,
        # A person object may match the schema's frab shape (id and public_name) or its
        # pretalx shape (name), not both: we give the pretalx shape, which current apps read.
        "persons": [
            {"guid": str(person.guid), "name": person.name, "public_name": person.name}
            for person in event.persons
        ],
        "links": [],
    }


def schedule_dict(schedule: FrabSchedule, *, url: str) -> dict[str, Any]:
    return {
        "$schema": SCHEMA_URL,
        "generator": {"name": "ketenconf", "version": generator_version()},
        "schedule": {
            "url": url,
            "version": schedule.version,
            "base_url": schedule.base_url,
            "conference": {
                "acronym": schedule.acronym,
                "title": schedule.title,
                "description": schedule.description,
                "start": schedule.start.isoformat(),
                "end": schedule.end.isoformat(),
                "daysCount": len(schedule.days),
                "timeslot_duration": TIMESLOT_DURATION,
                "time_zone_name": schedule.time_zone_name,
                "url": schedule.conference_url,
                "tracks": [{"name": track} for track in schedule.tracks],
                "rooms": [
                    {"name": room.name, "guid": str(room.guid), "capacity": room.capacity}
                    for room in schedule.rooms
                ],
                "days": [
                    {
                        "index": day.index,
                        "date": day.date.isoformat(),
                        "day_start": day.start.isoformat(),
                        "day_end": day.end.isoformat(),
                        "rooms": {
                            room.name: [_event(event) for event in room.events]
                            for room in day.rooms
                        },
                    }
                    for day in schedule.days
                ],
            },
        },
    }


class FrabJsonExporter(BaseExporter):
    identifier = "schedule.json"
    verbose_name = _("Schedule for conference apps (JSON)")
    content_type = "application/json"

    def render_schedule(self, schedule: ScheduleData) -> str:
        data = schedule_dict(frab_schedule(schedule), url=self.url(schedule.edition))
        return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
