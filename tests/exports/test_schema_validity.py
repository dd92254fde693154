"""Every export of every public demo edition, in both languages, as real clients get it:
valid against the frab XSD and the c3voc JSON schema (copies in docs/formats, with their
licence and source), and readable by icalendar."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import icalendar
import jsonschema
import pytest
from django.test import Client
from lxml import etree

from ketenconf.demo.load import demo_load
from ketenconf.events.models import Edition, EditionStatus

pytestmark = pytest.mark.django_db

PUBLIC_DEMO_SLUGS = [
    "ketenconferentie-2027",
    "van-migratie-tot-participatie-2024",
    "ketenconferentie-2018",
]


FORMATS = Path(__file__).resolve().parents[2] / "docs" / "formats"


@pytest.fixture
def xml_schema() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(FORMATS / "xsd" / "schedule.xml.xsd")))


@pytest.fixture
def json_validator() -> jsonschema.Draft6Validator:
    schema = json.loads((FORMATS / "json" / "schema.json").read_text())
    jsonschema.Draft6Validator.check_schema(schema)
    return jsonschema.Draft6Validator(
        schema, format_checker=jsonschema.Draft6Validator.FORMAT_CHECKER
    )


def has_offset(value: str) -> bool:
    return datetime.fromisoformat(value).utcoffset() is not None


@pytest.mark.parametrize("prefix", ["", "/en"])
def test_every_export_of_every_public_demo_edition_is_valid(
    client: Client,
    xml_schema: etree.XMLSchema,
    json_validator: jsonschema.Draft6Validator,
    prefix: str,
) -> None:
    demo_load()
    public = list(
        Edition.objects.exclude(status=EditionStatus.DRAFT)
        .order_by("-start_date")
        .values_list("slug", flat=True)
    )
    assert public == PUBLIC_DEMO_SLUGS
    for slug in public:
        xml = client.get(f"{prefix}/{slug}/schedule.xml")
        assert (xml.status_code, xml["Content-Type"]) == (200, "application/xml; charset=utf-8")
        document = etree.fromstring(xml.content)
        assert xml_schema.validate(document), (slug, [str(e) for e in xml_schema.error_log])

        response = client.get(f"{prefix}/{slug}/schedule.json")
        assert (response.status_code, response["Content-Type"]) == (200, "application/json")
        data = response.json()
        errors = [f"{list(e.absolute_path)}: {e.message}" for e in json_validator.iter_errors(data)]
        assert errors == [], slug
        # The checks the schemas leave to clients (SOURCES.md), on every event.
        days = data["schedule"]["conference"]["days"]
        events = [event for day in days for room in day["rooms"].values() for event in room]
        assert all(has_offset(d["day_start"]) and has_offset(d["day_end"]) for d in days)
        assert all(type(e["id"]) is int and has_offset(e["date"]) for e in events)
        assert len(events) == len(document.findall("day/room/event"))

        ics = client.get(f"{prefix}/{slug}/schedule.ics")
        assert (ics.status_code, ics["Content-Type"]) == (200, "text/calendar; charset=utf-8")
        calendar = icalendar.Calendar.from_ical(ics.content)
        assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == ["Europe/Amsterdam"]
        # Every session once, plus the blocks no session runs in.
        sessions = [e for e in calendar.walk("VEVENT") if str(e["UID"]).startswith("session-")]
        assert len(sessions) == len(events)
