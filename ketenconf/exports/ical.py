"""The programme as an iCalendar file (RFC 5545) that calendar apps import or subscribe to."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _
from icalendar import Calendar, Event

from ketenconf.events.models import Edition
from ketenconf.programme.models import Block, Session

from .base import BaseExporter, absolute_url, local, plain_text, site_host
from .selectors import ScheduleData

# How often a subscribed calendar should fetch the file again (RFC 7986, and Outlook's name).
REFRESH_INTERVAL = timedelta(hours=6)
PUBLISHED_TTL = "PT6H"


def session_uid(session: Session) -> str:
    """Stable across renders and languages, so an import or a subscription replaces the event."""
    return f"session-{session.pk}@{site_host()}"


def block_uid(block: Block) -> str:
    return f"block-{block.pk}@{site_host()}"


def _location(edition: Edition, room: str = "") -> str:
    venue = edition.venue
    return ", ".join(part for part in (room, venue.name, venue.address, venue.city) if part)


def _session_description(session: Session, url: str) -> str:
    hosts = [
        f"{host.name} ({host.organisation})" if host.organisation else host.name
        for host in session.topic.hosts.all()
    ]
    parts = [plain_text(session.topic.description)]
    if hosts:
        parts.append(f"{gettext('Hosts')}: {', '.join(hosts)}")
    parts.append(url)
    return "\n\n".join(part for part in parts if part)


def _event(*, uid: str, stamp: datetime, block: Block, summary: str, location: str) -> Event:
    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", stamp)
    event.add("dtstart", local(block.start))
    event.add("dtend", local(block.end))
    event.add("summary", summary)
    event.add("location", location)
    return event


class ICalExporter(BaseExporter):
    identifier = "schedule.ics"
    verbose_name = _("Calendar (iCalendar)")
    content_type = "text/calendar; charset=utf-8"

    def calendar_name(self, edition: Edition) -> str:
        return edition.title

    def render_schedule(self, schedule: ScheduleData) -> bytes:
        edition = schedule.edition
        stamp = timezone.now().replace(microsecond=0)
        calendar = Calendar()
        calendar.add("prodid", f"-//ketenconf//{site_host()}//{edition.slug}//{get_language()}")
        calendar.add("version", "2.0")
        calendar.add("calscale", "GREGORIAN")
        calendar.add("method", "PUBLISH")
        name = self.calendar_name(edition)
        calendar.add("name", name)
        calendar.add("x-wr-calname", name)
        calendar.add("x-wr-timezone", "Europe/Amsterdam")
        calendar.add("refresh-interval", REFRESH_INTERVAL, parameters={"VALUE": "DURATION"})
        calendar.add("x-published-ttl", PUBLISHED_TTL)

        # In time order; within a block, in the order of the programme page.
        events: list[tuple[datetime, int, Event]] = []
        for session in schedule.sessions:
            url = absolute_url(reverse("session", args=[edition.slug, session.pk]))
            event = _event(
                uid=session_uid(session),
                stamp=stamp,
                block=session.block,
                summary=session.topic.title,
                location=_location(edition, session.room.name),
            )
            event.add("description", _session_description(session, url))
            event.add("url", url)
            events.append((session.block.start, len(events), event))
        programme_url = absolute_url(reverse("programme", args=[edition.slug]))
        for block in schedule.open_blocks:
            event = _event(
                uid=block_uid(block),
                stamp=stamp,
                block=block,
                summary=str(block),
                location=_location(edition),
            )
            event.add("url", f"{programme_url}#block-{block.pk}")
            events.append((block.start, len(events), event))
        for _start, _position, event in sorted(events, key=lambda item: (item[0], item[1])):
            calendar.add_component(event)
        # One VTIMEZONE for Europe/Amsterdam, its transitions in the edition's years only.
        calendar.add_missing_timezones(
            first_date=date(edition.start_date.year, 1, 1),
            last_date=date(edition.end_date.year + 1, 1, 1),
        )
        return calendar.to_ical()


class PersonalICalExporter(ICalExporter):
    """One participant's day: served at a secret address, not listed with the public exports."""

    identifier = "me.ics"
    verbose_name = _("Your programme (iCalendar)")

    def calendar_name(self, edition: Edition) -> str:
        return gettext("%(edition)s: my programme") % {"edition": edition.title}
