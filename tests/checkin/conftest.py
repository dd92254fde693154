"""A day to check people in at: an edition with a plenary, one round of two workshops with a
published assignment, an organiser, door staff, and participants in every status."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from django.utils import timezone

from ketenconf.allocation.models import Assignment, AssignmentRun
from ketenconf.events.models import OrganisationKind
from ketenconf.team.models import EditionRole, Role
from tests.factories import (
    BlockFactory,
    EditionFactory,
    OrganisationFactory,
    RegistrationFactory,
    RoomFactory,
    SeriesPartnerFactory,
    SessionFactory,
    TopicFactory,
    UserFactory,
    at,
)


@dataclass
class Day:
    edition: Any
    organiser: Any
    door_staff: Any
    plenary: Any
    terugkeer: Any  # session in Zaal A, 2 seats
    huisvesting: Any  # session in Zaal B, 30 seats
    people: dict[str, Any]
    organisations: dict[str, Any]


def make_day(*, prefix: str = "", capacity: int = 600) -> Day:
    ind = OrganisationFactory(
        name=f"{prefix}Immigratie- en Naturalisatiedienst",
        short_name=f"{prefix}IND",
        kind=OrganisationKind.NATIONAL_AGENCY,
    )
    utrecht = OrganisationFactory(
        name=f"{prefix}Gemeente Utrecht", short_name="", kind=OrganisationKind.MUNICIPALITY
    )
    vwn = OrganisationFactory(
        name=f"{prefix}VluchtelingenWerk Nederland",
        short_name=f"{prefix}VWN",
        kind=OrganisationKind.NGO,
    )
    edition = EditionFactory(
        slug=f"{prefix.lower()}ketenconferentie-2027",
        lead_organisation=ind,
        title_nl="Ketenconferentie 2027",
        title_en="Chain Conference 2027",
        capacity=capacity,
    )
    SeriesPartnerFactory(series=edition.series, organisation=ind, position=1)
    organiser = UserFactory(organisation=ind, username=f"{prefix}organisator")
    door = UserFactory(organisation=None, username=f"{prefix}deur")
    EditionRole.objects.create(edition=edition, user=door, role=Role.DOOR)
    day = edition.start_date
    hall = RoomFactory(edition=edition, name="Grote zaal", capacity=3)
    room_a = RoomFactory(edition=edition, name="Zaal A", capacity=2)
    room_b = RoomFactory(edition=edition, name="Zaal B", capacity=30)
    opening = BlockFactory(
        edition=edition,
        kind="plenary",
        title_nl="Opening",
        title_en="Opening",
        start=at(day, 9, 30),
        end=at(day, 10, 15),
    )
    round_1 = BlockFactory(
        edition=edition,
        title_nl="Workshopronde 1",
        title_en="Workshop round 1",
        start=at(day, 10, 30),
        end=at(day, 11, 30),
    )
    keynote = TopicFactory(edition=edition, kind="keynote", title_nl="Welkom", title_en="Welcome")
    terugkeer = TopicFactory(edition=edition, title_nl="Terugkeer", title_en="Return")
    huisvesting = TopicFactory(edition=edition, title_nl="Huisvesting", title_en="Housing")
    plenary = SessionFactory(edition=edition, topic=keynote, block=opening, room=hall)
    s_a = SessionFactory(edition=edition, topic=terugkeer, block=round_1, room=room_a)
    s_b = SessionFactory(edition=edition, topic=huisvesting, block=round_1, room=room_b)
    people = {
        "anna": RegistrationFactory(
            edition=edition, name="Anna de Vries", email="anna@example.org", organisation=ind
        ),
        "bram": RegistrationFactory(
            edition=edition, name="Bram Jansen", email="bram@example.org", organisation=utrecht
        ),
        "chris": RegistrationFactory(
            edition=edition, name="Chris Bakker", email="chris@example.org", organisation=vwn
        ),
        "dirk": RegistrationFactory(
            edition=edition, name="Dirk Smit", email="dirk@example.org", organisation=utrecht
        ),
        "eva": RegistrationFactory(
            edition=edition,
            name="Eva Visser",
            email="eva@example.org",
            organisation=ind,
            status="cancelled",
        ),
        "fleur": RegistrationFactory(
            edition=edition,
            name="Fleur Mulder",
            email="fleur@example.org",
            organisation=vwn,
            status="waitlisted",
            waitlisted_at=timezone.now(),
        ),
        "gert": RegistrationFactory(
            edition=edition,
            name="Gert de Boer",
            email="gert@example.org",
            organisation=utrecht,
            status="released",
        ),
    }
    edition.__class__.objects.filter(pk=edition.pk).update(seats_taken=4)
    run = AssignmentRun.objects.create(
        edition=edition, number=1, status="done", published_at=timezone.now()
    )
    seats = {"anna": s_a, "bram": s_a, "chris": s_b, "dirk": s_b}
    for key, session in seats.items():
        Assignment.objects.create(
            run=run, registration=people[key], block=round_1, session=session, rank=1
        )
    return Day(
        edition=edition,
        organiser=organiser,
        door_staff=door,
        plenary=plenary,
        terugkeer=s_a,
        huisvesting=s_b,
        people=people,
        organisations={"ind": ind, "utrecht": utrecht, "vwn": vwn},
    )


@pytest.fixture
def checkin_day(db: None) -> Day:
    return make_day()
