"""A small day for the re-offer, checked by hand (see :func:`make_day`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from ketenconf.allocation.models import Assignment, AssignmentRun, RunStatus
from ketenconf.checkin.services import checkin_registration
from ketenconf.registration.models import Preference
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
    rounds: list[Any]
    sessions: dict[str, Any]
    people: dict[str, Any]
    base: AssignmentRun

    def arrive(self, *names: str) -> None:
        for name in names:
            result = checkin_registration(
                edition=self.edition,
                registration=self.people[name],
                door="1",
                nonce=f"door-{name.lower()}-{self.edition.pk}",
                by=None,
            )
            assert result.ok, result.message


#: Who sits where in the published run before the day: round 1, round 2 ("" none).
BASE = {
    "Xander": ("1A", "2C"),
    "Yara": ("1A", "2D"),
    "Zeno": ("1B", "2E"),
    "Olga": ("1B", "2E"),
    "Lena": ("", "2D"),
}


def make_day(*, prefix: str = "") -> Day:
    """Two rounds. Round 1 (10:00): A and B, 2 seats each. Round 2 (11:30): C (1 seat),
    D (2), E (2) and F (5, which nobody ranks), in rooms of their own letter.

    - Xander holds C in round 2 and does not come: his seat is freed.
    - Yara (C, D, E) holds D, her second choice, and wants better: she gets C.
    - Zeno (D, E) holds E, his second choice: he gets D, the seat Yara leaves.
    - Walter, a walk-in at the desk, ranks E only: he gets E, the seat Zeno leaves.
      A chain of three moves, from one freed seat.
    - Olga ranked only C and holds E (not ranked), but said no to moving: she stays in E,
      although C would gain her the most.
    - Lena comes later, from round 2, and has not checked in: she keeps D.
    - Vera, a walk-in, ranks only B, which ran in round 1: she gets nothing (F has seats, but
      she did not rank it).
    """
    lead = OrganisationFactory(
        name=f"{prefix}Dienst Terugkeer en Vertrek", short_name=f"{prefix}DTV"
    )
    edition = EditionFactory(
        lead_organisation=lead, title_nl="Ketenconferentie 2027", title_en="Chain Conference 2027"
    )
    SeriesPartnerFactory(series=edition.series, organisation=lead, position=1)
    organiser = UserFactory(organisation=lead, username=f"{prefix}organisator")
    day = edition.start_date
    rounds = [
        BlockFactory(edition=edition, title_nl="Ronde 1", title_en="Round 1", start=at(day, 10)),
        BlockFactory(
            edition=edition, title_nl="Ronde 2", title_en="Round 2", start=at(day, 11, 30)
        ),
    ]
    capacities = {"1A": 2, "1B": 2, "2C": 1, "2D": 2, "2E": 2, "2F": 5}
    topics = {
        letter: TopicFactory(
            edition=edition, title_nl=f"Workshop {letter}", title_en=f"Workshop {letter}"
        )
        for letter in "ABCDEF"
    }
    sessions = {
        key: SessionFactory(
            edition=edition,
            topic=topics[key[1]],
            block=rounds[int(key[0]) - 1],
            room=RoomFactory(edition=edition, name=f"Zaal {key[1]}", capacity=capacity),
        )
        for key, capacity in capacities.items()
    }
    ranked = {
        "Xander": "ABC",
        "Yara": "ACDE",
        "Zeno": "BDE",
        "Olga": "BC",
        "Lena": "D",
        "Walter": "E",
        "Vera": "B",
    }
    people = {}
    for name, letters in ranked.items():
        people[name] = RegistrationFactory(
            edition=edition,
            name=name,
            email=f"{prefix}{name.lower()}@example.org",
            organisation=OrganisationFactory(),
            language="en" if name == "Yara" else "nl",
            wants_better_seat=name != "Olga",
            arrives_from=rounds[1] if name == "Lena" else None,
        )
        Preference.objects.bulk_create(
            Preference(registration=people[name], topic=topics[letter], rank=rank)
            for rank, letter in enumerate(letters, start=1)
        )
    base = AssignmentRun.objects.create(
        edition=edition, status=RunStatus.DONE, published_at=timezone.now()
    )
    for name, keys in BASE.items():
        for key in keys:
            if key:
                Assignment.objects.create(
                    run=base,
                    registration=people[name],
                    block=rounds[int(key[0]) - 1],
                    session=sessions[key],
                    rank=ranked[name].index(key[1]) + 1 if key[1] in ranked[name] else None,
                )
    return Day(edition, organiser, rounds, sessions, people, base)


def seats(run: AssignmentRun) -> dict[str, tuple[str, ...]]:
    """Name → the sessions' keys ("1A", "2C"), in time order."""
    found: dict[str, list[str]] = {}
    for row in (
        Assignment.objects.filter(run=run)
        .select_related("registration", "block", "session__topic")
        .order_by("registration__name", "block__start")
    ):
        number = "1" if row.block.title_nl == "Ronde 1" else "2"
        found.setdefault(row.registration.name, []).append(number + row.session.topic.title_nl[-1])
    return {name: tuple(keys) for name, keys in sorted(found.items())}
