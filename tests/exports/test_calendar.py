"""The iCalendar export, parsed back the way a calendar app reads it."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import icalendar
import pytest
from django.test import Client
from django.utils import translation

from ketenconf.demo.load import demo_load
from ketenconf.events.models import Edition
from ketenconf.exports.ical import ICalExporter
from ketenconf.exports.selectors import sessions_with_details
from ketenconf.programme.models import Block, Session
from tests.factories import BlockFactory, EditionFactory, SessionFactory, at

pytestmark = pytest.mark.django_db

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
UTC = dt.UTC


def calendar_at(client: Client, url: str) -> icalendar.Calendar:
    response = client.get(url)
    assert response.status_code == 200
    return icalendar.Calendar.from_ical(response.content)


def events_by_uid(calendar: icalendar.Calendar) -> dict[str, icalendar.Event]:
    return {str(event["UID"]): event for event in calendar.events}


def test_the_2018_calendar_has_every_session_and_the_open_blocks_in_dutch_time(
    client: Client,
) -> None:
    demo_load()
    edition = Edition.objects.get(slug="ketenconferentie-2018")
    calendar = calendar_at(client, "/ketenconferentie-2018/schedule.ics")
    events = events_by_uid(calendar)

    sessions = list(Session.objects.filter(edition=edition))
    open_blocks = list(Block.objects.filter(edition=edition, sessions__isnull=True))
    assert (len(sessions), len(open_blocks)) == (20, 5)
    assert len(calendar.walk("VEVENT")) == 25
    assert set(events) == {f"session-{s.pk}@ketenconf.example" for s in sessions} | {
        f"block-{b.pk}@ketenconf.example" for b in open_blocks
    }
    assert str(calendar["X-WR-CALNAME"]) == "Ketenconferentie 2018"

    opening = Session.objects.get(edition=edition, block__title_nl="Plenaire opening")
    event = events[f"session-{opening.pk}@ketenconf.example"]
    start, end = event.decoded("DTSTART"), event.decoded("DTEND")
    assert start == dt.datetime(2018, 4, 12, 9, 45, tzinfo=AMSTERDAM)
    assert start.tzinfo.key == "Europe/Amsterdam"
    assert event["DTSTART"].params["TZID"] == "Europe/Amsterdam"
    assert start.astimezone(UTC) == dt.datetime(2018, 4, 12, 7, 45, tzinfo=UTC)
    assert end.astimezone(UTC) == dt.datetime(2018, 4, 12, 8, 30, tzinfo=UTC)
    assert str(event["SUMMARY"]) == "Opening door de staatssecretaris"
    assert str(event["LOCATION"]) == "Plenaire zaal, Congrescentrum, 's-Hertogenbosch"
    url = f"https://ketenconf.example/ketenconferentie-2018/sessions/{opening.pk}/"
    assert str(event["URL"]) == url
    assert str(event["DESCRIPTION"]) == (
        "De staatssecretaris opent de dag. Migratie hoort bij elke tijd, ook bij de toekomst; "
        "na jaren met een zeer hoge asielinstroom is de vraag hoe de keten samen een instroom "
        "opvangt die op en neer gaat.\n\nHosts: Mark Harbers (J&V)\n\n" + url
    )
    assert event.decoded("DTSTAMP").utcoffset() == dt.timedelta(0)
    assert (
        event["DTSTAMP"].to_ical() == event.decoded("DTSTAMP").strftime("%Y%m%dT%H%M%SZ").encode()
    )

    drinks = Block.objects.get(edition=edition, title_nl="Netwerkborrel")
    event = events[f"block-{drinks.pk}@ketenconf.example"]
    assert str(event["SUMMARY"]) == "Netwerkborrel"
    assert str(event["LOCATION"]) == "Congrescentrum, 's-Hertogenbosch"
    assert event.decoded("DTSTART").astimezone(UTC) == dt.datetime(2018, 4, 12, 14, 30, tzinfo=UTC)
    assert str(event["URL"]) == (
        f"https://ketenconf.example/ketenconferentie-2018/programme/#block-{drinks.pk}"
    )

    # In time order, as the day runs.
    starts = [e.decoded("DTSTART") for e in calendar.walk("VEVENT")]
    assert starts == sorted(starts)


def test_uids_stay_the_same_across_renders_and_languages(client: Client, programme_edition) -> None:
    first = calendar_at(client, "/ketenconferentie-2027/schedule.ics")
    second = calendar_at(client, "/ketenconferentie-2027/schedule.ics")
    english = calendar_at(client, "/en/ketenconferentie-2027/schedule.ics")
    uids = list(events_by_uid(first))
    assert len(uids) == 5  # four sessions and the drinks
    assert list(events_by_uid(second)) == uids
    assert list(events_by_uid(english)) == uids
    assert [str(e["SUMMARY"]) for e in first.walk("VEVENT")] == [
        "Welkom",
        "Terugkeer",
        "Huisvesting",
        "Arbeidsmigratie",
        "Netwerkborrel",
    ]
    assert [str(e["SUMMARY"]) for e in english.walk("VEVENT")] == [
        "Welcome",
        "Return",
        "Housing",
        "Labour migration",
        "Networking drinks",
    ]
    housing = events_by_uid(english)[uids[2]]
    assert str(housing["URL"]).startswith("https://ketenconf.example/en/ketenconferentie-2027/")
    # Markdown becomes plain text.
    assert str(housing["DESCRIPTION"]).startswith("Over huisvesting.\n\nHosts: Host Huisvesting")


def test_a_winter_edition_is_on_central_european_time(client: Client) -> None:
    edition = EditionFactory(slug="winter", start_date=dt.date(2026, 2, 12))
    SessionFactory(
        edition=edition,
        block=BlockFactory(edition=edition, start=at(edition.start_date, 9, 45)),
    )
    (event,) = calendar_at(client, "/winter/schedule.ics").walk("VEVENT")
    assert event.decoded("DTSTART").astimezone(UTC) == dt.datetime(2026, 2, 12, 8, 45, tzinfo=UTC)
    (zone,) = calendar_at(client, "/winter/schedule.ics").walk("VTIMEZONE")
    assert [part["TZOFFSETTO"].to_ical() for part in zone.subcomponents] == [
        "+0100",
        "+0200",
        "+0100",
    ]


def test_render_takes_a_chosen_set_of_sessions_for_a_personal_calendar(programme_edition) -> None:
    housing = sessions_with_details(edition=programme_edition).filter(topic__title_nl="Huisvesting")
    with translation.override("nl"):
        content = ICalExporter().render(programme_edition, sessions=housing)
    events = icalendar.Calendar.from_ical(content).walk("VEVENT")
    assert [str(e["SUMMARY"]) for e in events] == ["Huisvesting", "Netwerkborrel"]


def test_render_refuses_sessions_of_another_edition(programme_edition) -> None:
    SessionFactory(edition=EditionFactory(slug="other"))
    stranger = Session.objects.get(edition__slug="other")
    with pytest.raises(ValueError, match="are not of edition 'ketenconferentie-2027'"):
        ICalExporter().render(programme_edition, sessions=[stranger])
