"""The schedule XML of frab and pretalx, valid against the c3voc schedule.xml.xsd."""

from __future__ import annotations

from io import BytesIO
from xml.etree.ElementTree import Element, ElementTree, SubElement, indent

from django.utils.translation import gettext_lazy as _

from .base import BaseExporter
from .frab import TIMESLOT_DURATION, FrabEvent, FrabSchedule, frab_schedule, generator_version
from .selectors import ScheduleData


def _text(parent: Element, tag: str, text: str, **attributes: str) -> Element:
    element = SubElement(parent, tag, attributes)
    element.text = text
    return element


def _event(parent: Element, event: FrabEvent) -> None:
    element = SubElement(parent, "event", {"guid": str(event.guid), "id": str(event.id)})
    _text(element, "date", event.start.isoformat())
    _text(element, "start", event.start.strftime("%H:%M"))
    _text(element, "duration", event.duration)
    _text(element, "room", event.room)
    _text(element, "slug", event.slug)
    _text(element, "url", event.url)
    _text(element, "title", event.title)
    _text(element, "subtitle", "")
    _text(element, "track", event.track)
    _text(element, "type", event.type)
    _text(element, "language", event.language)
    _text(element, "abstract", event.abstract)
    _text(element, "description", "")
    persons = SubElement(element, "persons")
    for person in event.persons:
        _text(persons, "person", person.name, id=str(person.id), guid=str(person.guid))
    SubElement(element, "links")
    SubElement(element, "attachments")


def schedule_xml(schedule: FrabSchedule, *, url: str) -> bytes:
    root = Element("schedule")
    SubElement(root, "generator", {"name": "ketenconf", "version": generator_version()})
    _text(root, "url", url)
    _text(root, "version", schedule.version)
    conference = SubElement(root, "conference")
    _text(conference, "acronym", schedule.acronym)
    _text(conference, "title", schedule.title)
    _text(conference, "start", schedule.start.isoformat())
    _text(conference, "end", schedule.end.isoformat())
    _text(conference, "days", str(len(schedule.days)))
    _text(conference, "timeslot_duration", TIMESLOT_DURATION)
    _text(conference, "base_url", schedule.base_url)
    _text(conference, "url", schedule.conference_url)
    _text(conference, "time_zone_name", schedule.time_zone_name)
    for track in schedule.tracks:
        SubElement(conference, "track", {"name": track})
    for day in schedule.days:
        day_element = SubElement(
            root,
            "day",
            {
                "index": str(day.index),
                "date": day.date.isoformat(),
                "start": day.start.isoformat(),
                "end": day.end.isoformat(),
            },
        )
        for room in day.rooms:
            room_element = SubElement(
                day_element, "room", {"name": room.name, "guid": str(room.guid)}
            )
            for event in room.events:
                _event(room_element, event)
    indent(root)
    document = ElementTree(root)

    out = BytesIO()
    document.write(out, encoding="utf-8", xml_declaration=True)
    return out.getvalue() + b"\n"


class FrabXmlExporter(BaseExporter):
    identifier = "schedule.xml"
    verbose_name = _("Schedule for conference apps (frab XML)")
    content_type = "application/xml; charset=utf-8"

    def render_schedule(self, schedule: ScheduleData) -> bytes:
        return schedule_xml(frab_schedule(schedule), url=self.url(schedule.edition))
