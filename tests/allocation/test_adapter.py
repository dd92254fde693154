"""The adapter builds the engine's input from an edition exactly as docs/allocation-contract.md defines it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from ketenconf.allocation.adapter import problem_build
from ketenconf.allocation.engine import Participant, Problem, Round, Rules, Session
from ketenconf.allocation.models import AssignmentLock
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

pytestmark = pytest.mark.django_db


@dataclass
class Small:
    """Two rounds, three workshops, four participants: the optimum is known by hand.

    Round 1: Terugkeer in Zaal A (2 seats), Huisvesting in Zaal B (2, not step-free).
    Round 2: Arbeidsmigratie in Zaal A (2), Terugkeer in Zaal B (2, not step-free).
    Every seat is needed. Whoever gets Terugkeer in round 1 must take Arbeidsmigratie in
    round 2; the other two take Huisvesting, then Terugkeer. With the preferences below the
    unique optimum (objective 32) puts Bram and Chris in Zaal A twice, Anna and Dirk in Zaal B.
    """

    edition: Any
    organiser: Any
    rounds: list[Any]
    topics: dict[str, Any]
    sessions: dict[str, Any]
    people: dict[str, Any]
    organisations: dict[str, Any]


def make_edition(*, prefix: str = "") -> Small:
    lead = OrganisationFactory(
        name=f"{prefix}Immigratie- en Naturalisatiedienst", short_name=f"{prefix}IND"
    )
    coa = OrganisationFactory(
        name=f"{prefix}Centraal Orgaan opvang asielzoekers", short_name=f"{prefix}COA"
    )
    vng = OrganisationFactory(
        name=f"{prefix}Vereniging van Nederlandse Gemeenten", short_name=f"{prefix}VNG"
    )
    edition = EditionFactory(
        lead_organisation=lead, title_nl="Ketenconferentie 2027", title_en="Chain Conference 2027"
    )
    SeriesPartnerFactory(series=edition.series, organisation=lead, position=1)
    organiser = UserFactory(organisation=lead, username=f"{prefix}organisator")
    day = edition.start_date
    room_a = RoomFactory(edition=edition, name="Zaal A", capacity=2)
    room_b = RoomFactory(edition=edition, name="Zaal B", capacity=30, step_free=False)
    round_1 = BlockFactory(
        edition=edition,
        title_nl="Ronde 1",
        title_en="Round 1",
        start=at(day, 10, 30),
        end=at(day, 11, 30),
    )
    round_2 = BlockFactory(
        edition=edition,
        title_nl="Ronde 2",
        title_en="Round 2",
        start=at(day, 13, 0),
        end=at(day, 14, 0),
    )
    plenary = BlockFactory(
        edition=edition,
        kind="plenary",
        title_nl="Opening",
        title_en="Opening",
        start=at(day, 9, 0),
        end=at(day, 10, 0),
    )
    topics = {
        "T": TopicFactory(edition=edition, title_nl="Terugkeer", title_en="Return"),
        "H": TopicFactory(edition=edition, title_nl="Huisvesting", title_en="Housing"),
        "A": TopicFactory(edition=edition, title_nl="Arbeidsmigratie", title_en="Labour migration"),
        "K": TopicFactory(edition=edition, kind="keynote", title_nl="Welkom", title_en="Welcome"),
    }
    hall = RoomFactory(edition=edition, name="Grote zaal", capacity=600)
    SessionFactory(edition=edition, topic=topics["K"], block=plenary, room=hall)
    sessions = {
        "1T": SessionFactory(edition=edition, topic=topics["T"], block=round_1, room=room_a),
        "1H": SessionFactory(
            edition=edition, topic=topics["H"], block=round_1, room=room_b, capacity=2
        ),
        "2A": SessionFactory(edition=edition, topic=topics["A"], block=round_2, room=room_a),
        "2T": SessionFactory(
            edition=edition, topic=topics["T"], block=round_2, room=room_b, capacity=2
        ),
    }
    wanted = {
        "Anna": (lead, "THA", "en"),
        "Bram": (lead, "TAH", "nl"),
        "Chris": (coa, "TA", "nl"),
        "Dirk": (vng, "HA", "nl"),
    }
    people = {}
    for name, (organisation, ranked, language) in wanted.items():
        registration = RegistrationFactory(
            edition=edition,
            name=name,
            email=f"{prefix}{name.lower()}@example.org",
            organisation=organisation,
            language=language,
        )
        for rank, key in enumerate(ranked, start=1):
            Preference.objects.create(registration=registration, topic=topics[key], rank=rank)
        people[name] = registration
    return Small(
        edition=edition,
        organiser=organiser,
        rounds=[round_1, round_2],
        topics=topics,
        sessions=sessions,
        people=people,
        organisations={"IND": lead, "COA": coa, "VNG": vng},
    )


def test_problem_of_a_small_edition() -> None:
    small = make_edition()
    s, t, p, b, o = small.sessions, small.topics, small.people, small.rounds, small.organisations
    # Left out: a registration on the waiting list, a ranked keynote; Dirk skips round 2,
    # needs step-free rooms and has a locked seat; Chris ranks the keynote.
    RegistrationFactory(edition=small.edition, name="Eva", status="waitlisted")
    Preference.objects.create(registration=p["Chris"], topic=t["K"], rank=3)
    dirk = p["Dirk"]
    dirk.needs_step_free = True
    dirk.save()
    dirk.absent_rounds.add(b[1])
    AssignmentLock.objects.create(
        edition=small.edition, registration=dirk, block=b[0], session=s["1T"]
    )

    built = problem_build(edition=small.edition, max_organisation_share=0.5)

    assert built.dropped_previous == 0
    assert built.problem == Problem(
        rounds=(
            Round(id=f"b{b[0].pk}", label="Ronde 1 10:30–11:30"),
            Round(id=f"b{b[1].pk}", label="Ronde 2 13:00–14:00"),
        ),
        sessions=(
            Session(f"s{s['1T'].pk}", f"t{t['T'].pk}", f"b{b[0].pk}", 2, True),
            Session(f"s{s['1H'].pk}", f"t{t['H'].pk}", f"b{b[0].pk}", 2, False),
            Session(f"s{s['2A'].pk}", f"t{t['A'].pk}", f"b{b[1].pk}", 2, True),
            Session(f"s{s['2T'].pk}", f"t{t['T'].pk}", f"b{b[1].pk}", 2, False),
        ),
        participants=(
            Participant(
                f"r{p['Anna'].pk}",
                f"o{o['IND'].pk}",
                (f"t{t['T'].pk}", f"t{t['H'].pk}", f"t{t['A'].pk}"),
            ),
            Participant(
                f"r{p['Bram'].pk}",
                f"o{o['IND'].pk}",
                (f"t{t['T'].pk}", f"t{t['A'].pk}", f"t{t['H'].pk}"),
            ),
            Participant(f"r{p['Chris'].pk}", f"o{o['COA'].pk}", (f"t{t['T'].pk}", f"t{t['A'].pk}")),
            Participant(
                f"r{dirk.pk}",
                f"o{o['VNG'].pk}",
                (f"t{t['H'].pk}", f"t{t['A'].pk}"),
                rounds=(f"b{b[0].pk}",),
                fixed={f"b{b[0].pk}": f"s{s['1T'].pk}"},
                needs_accessible=True,
            ),
        ),
        rules=Rules(max_organisation_share=0.5),
    )


def test_previous_seats_are_kept_only_where_they_still_exist() -> None:
    small = make_edition()
    s, p, b = small.sessions, small.people, small.rounds
    previous = {
        f"r{p['Anna'].pk}": {f"b{b[0].pk}": f"s{s['1H'].pk}", f"b{b[1].pk}": f"s{s['2T'].pk}"},
        # No longer a participant, and a session given in the wrong round: both dropped.
        "r999999": {f"b{b[0].pk}": f"s{s['1T'].pk}"},
        f"r{p['Bram'].pk}": {f"b{b[0].pk}": f"s{s['2A'].pk}"},
    }

    built = problem_build(edition=small.edition, previous=previous)

    assert built.problem.previous == {
        f"r{p['Anna'].pk}": {f"b{b[0].pk}": f"s{s['1H'].pk}", f"b{b[1].pk}": f"s{s['2T'].pk}"}
    }
    assert built.dropped_previous == 2
