"""The frab schedule XML and JSON as conference apps read them, the addresses of the exports,
and what they cost in queries."""

from __future__ import annotations

import uuid

import pytest
from django.test import Client
from lxml import etree

from ketenconf.events.models import EditionStatus
from ketenconf.programme import services as programme_services
from ketenconf.programme.models import Host, Room, Session
from tests.factories import (
    BlockFactory,
    EditionFactory,
    HostFactory,
    RoomFactory,
    SessionFactory,
    TopicFactory,
)

pytestmark = pytest.mark.django_db

EXPORTS = ["schedule.ics", "schedule.xml", "schedule.json"]


def guid(kind: str, pk: int) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"https://ketenconf.example/{kind}/{pk}"))


def test_schedule_xml_for_conference_apps(client: Client, programme_edition) -> None:
    response = client.get("/ketenconferentie-2027/schedule.xml")
    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        'inline; filename="ketenconferentie-2027-schedule.xml"'
    )
    assert response["Access-Control-Allow-Origin"] == "*"
    root = etree.fromstring(response.content)
    assert root.findtext("url") == "https://ketenconf.example/ketenconferentie-2027/schedule.xml"
    assert root.findtext("conference/acronym") == "ketenconferentie2027"
    assert root.findtext("conference/title") == "Ketenconferentie 2027"
    assert root.findtext("conference/start") == "2027-04-15"
    assert root.findtext("conference/days") == "1"
    assert root.findtext("conference/time_zone_name") == "Europe/Amsterdam"
    (day,) = root.findall("day")
    # EventFahrplan needs the day's end; Giggity needs the offset.
    assert dict(day.attrib) == {
        "index": "1",
        "date": "2027-04-15",
        "start": "2027-04-15T09:30:00+02:00",
        "end": "2027-04-15T17:00:00+02:00",
    }
    assert [room.get("name") for room in day.findall("room")] == [
        "Grote zaal",
        "Zaal A",
        "Zaal B",
        "Zaal C",
    ]
    housing = Session.objects.get(topic__title_nl="Huisvesting")
    host = Host.objects.get(topic=housing.topic)
    (event,) = day.findall(f"room/event[@id='{housing.pk}']")
    assert event.get("guid") == guid("session", housing.pk)
    assert {child.tag: child.text for child in event if len(child) == 0} == {
        "date": "2027-04-15T10:30:00+02:00",
        "start": "10:30",
        "duration": "01:00",
        "room": "Zaal B",
        "slug": f"ketenconferentie2027-{housing.pk}-huisvesting",
        "url": f"https://ketenconf.example/ketenconferentie-2027/sessions/{housing.pk}/",
        "title": "Huisvesting",
        "subtitle": None,
        "track": None,
        "type": "workshop",
        "language": "nl",
        "abstract": "Over huisvesting.",
        "description": None,
        "links": None,
        "attachments": None,
    }
    (person,) = event.findall("persons/person")
    assert (person.text, person.get("id"), person.get("guid")) == (
        "Host Huisvesting",
        str(host.pk),
        guid("host", host.pk),
    )
    # ConfClerk reads integer ids.
    ids = [e.get("id") for e in root.iter("event")]
    assert ids == [str(int(i)) for i in ids]
    assert len(ids) == 4


def test_schedule_json_in_english(client: Client, programme_edition) -> None:
    response = client.get("/en/ketenconferentie-2027/schedule.json")
    assert response.status_code == 200
    data = response.json()
    assert data["$schema"] == "https://c3voc.de/schedule/schema.json"
    schedule = data["schedule"]
    assert schedule["url"] == "https://ketenconf.example/en/ketenconferentie-2027/schedule.json"
    conference = schedule["conference"]
    assert conference["acronym"] == "ketenconferentie2027"
    assert conference["daysCount"] == 1
    assert conference["url"] == "https://ketenconf.example/en/ketenconferentie-2027/programme/"
    rooms = {room.name: room.pk for room in Room.objects.filter(edition=programme_edition)}
    assert conference["rooms"] == [
        {"name": name, "guid": guid("room", rooms[name]), "capacity": capacity}
        for name, capacity in [("Grote zaal", 600), ("Zaal A", 60), ("Zaal B", 40), ("Zaal C", 25)]
    ]
    (day,) = conference["days"]
    assert (day["index"], day["date"], day["day_start"], day["day_end"]) == (
        1,
        "2027-04-15",
        "2027-04-15T09:30:00+02:00",
        "2027-04-15T17:00:00+02:00",
    )
    assert list(day["rooms"]) == ["Grote zaal", "Zaal A", "Zaal B", "Zaal C"]
    (welcome,) = day["rooms"]["Grote zaal"]
    session = Session.objects.get(topic__title_nl="Welkom")
    host = Host.objects.get(topic=session.topic)
    assert welcome == {
        "guid": guid("session", session.pk),
        "id": session.pk,
        "date": "2027-04-15T09:30:00+02:00",
        "start": "09:30",
        "end": "2027-04-15T10:15:00+02:00",
        "duration": "00:45",
        "room": "Grote zaal",
        "slug": f"ketenconferentie2027-{session.pk}-welcome",
        "url": f"https://ketenconf.example/en/ketenconferentie-2027/sessions/{session.pk}/",
        "title": "Welcome",
        "subtitle": None,
        "track": None,
        "type": "keynote",
        "language": "nl",
        "abstract": "Over samenwerking.",  # the Dutch text where no English is given
        "persons": [
            {"guid": guid("host", host.pk), "name": "Dagvoorzitter", "public_name": "Dagvoorzitter"}
        ],
        "links": [],
    }


def test_the_version_changes_when_the_programme_changes(client: Client, programme_edition) -> None:
    before = client.get("/ketenconferentie-2027/schedule.json").json()["schedule"]["version"]
    again = client.get("/ketenconferentie-2027/schedule.json").json()["schedule"]["version"]
    session = Session.objects.get(topic__title_nl="Huisvesting")
    session.room = Room.objects.get(name="Grote zaal")
    programme_services.session_save(session=session)
    after = client.get("/ketenconferentie-2027/schedule.json").json()["schedule"]["version"]
    assert before == again
    assert after != before


@pytest.mark.parametrize("identifier", EXPORTS)
def test_a_draft_edition_has_no_exports(client: Client, identifier: str) -> None:
    EditionFactory(slug="concept", status=EditionStatus.DRAFT)
    assert client.get(f"/concept/{identifier}").status_code == 404
    assert client.get(f"/en/concept/{identifier}").status_code == 404


def test_only_registered_exports_have_an_address(client: Client, programme_edition) -> None:
    assert client.get("/ketenconferentie-2027/schedule.pdf").status_code == 404
    assert client.post("/ketenconferentie-2027/schedule.ics").status_code == 405


def test_the_programme_page_links_to_the_exports(client: Client, programme_edition) -> None:
    html = client.get("/ketenconferentie-2027/programme/").content.decode()
    links = [
        f'<li><a class="utrecht-link" href="/ketenconferentie-2027/{identifier}" type="{media}">'
        for identifier, media in [
            ("schedule.ics", "text/calendar"),
            ("schedule.xml", "application/xml"),
            ("schedule.json", "application/json"),
        ]
    ]
    assert [html.find(link) > 0 for link in links] == [True, True, True]
    english = client.get("/en/ketenconferentie-2027/programme/").content.decode()
    assert 'href="/en/ketenconferentie-2027/schedule.ics"' in english


def edition_with_sessions(count: int) -> str:
    edition = EditionFactory(slug=f"editie-{count}")
    block = BlockFactory(edition=edition)
    BlockFactory(edition=edition, kind="drinks", start=block.end, end=block.end.replace(hour=17))
    for n in range(count):
        topic = TopicFactory(edition=edition)
        HostFactory(topic=topic)
        HostFactory(topic=topic)
        SessionFactory(
            edition=edition,
            topic=topic,
            block=block,
            room=RoomFactory(edition=edition, name=f"Z{n}"),
        )
    return edition.slug


@pytest.mark.parametrize("identifier", EXPORTS)
@pytest.mark.parametrize("count", [1, 3])
def test_queries_do_not_grow_with_the_sessions(
    client: Client, django_assert_num_queries, identifier: str, count: int
) -> None:
    slug = edition_with_sessions(count)
    # The edition with its venue; the blocks; the sessions with topic, room and block;
    # the hosts with their organisations.
    with django_assert_num_queries(4):
        response = client.get(f"/{slug}/{identifier}")
    assert response.status_code == 200
