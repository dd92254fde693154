from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest
from django.utils import timezone

from ketenconf.proposals.models import Call, RoomEquipment
from tests.factories import (
    BlockFactory,
    EditionFactory,
    OrganisationFactory,
    RoomFactory,
    SeriesPartnerFactory,
    UserFactory,
    at,
)


@dataclass
class CallEdition:
    edition: Any
    call: Call
    rounds: list[Any]
    rooms: list[Any]
    lead_reviewer: Any
    partner_reviewer: Any
    partner_colleague: Any
    outsider: Any


@pytest.fixture
def call_edition(db: None) -> CallEdition:
    """An edition led by the IND with the COA as partner, two rounds, three rooms, an open call."""
    lead = OrganisationFactory(name="Immigratie- en Naturalisatiedienst", short_name="IND")
    partner = OrganisationFactory(name="Centraal Orgaan opvang asielzoekers", short_name="COA")
    other = OrganisationFactory(name="Gemeente Utrecht", short_name="Utrecht")
    edition = EditionFactory(
        slug="ketenconferentie-2027",
        title_nl="Ketenconferentie 2027",
        title_en="Chain Conference 2027",
        lead_organisation=lead,
    )
    SeriesPartnerFactory(series=edition.series, organisation=lead, position=1)
    SeriesPartnerFactory(series=edition.series, organisation=partner, position=2)
    day = edition.start_date
    rounds = [
        BlockFactory(
            edition=edition,
            title_nl="Ronde 1",
            title_en="Round 1",
            start=at(day, 10, 30),
            end=at(day, 11, 30),
        ),
        BlockFactory(
            edition=edition,
            title_nl="Ronde 2",
            title_en="Round 2",
            start=at(day, 13, 0),
            end=at(day, 14, 0),
        ),
    ]
    rooms = [
        RoomFactory(edition=edition, name="Zaal A", capacity=60),
        RoomFactory(edition=edition, name="Zaal B", capacity=30, step_free=False),
        RoomFactory(edition=edition, name="Zaal C", capacity=20),
    ]
    RoomEquipment.objects.create(room=rooms[2], projector=False)
    call = Call.objects.create(edition=edition, deadline=timezone.now() + dt.timedelta(days=30))
    return CallEdition(
        edition=edition,
        call=call,
        rounds=rounds,
        rooms=rooms,
        # No password (hashing one takes long): tests log them in with force_login.
        lead_reviewer=UserFactory(
            username="ind-reviewer", first_name="Ingrid", organisation=lead, password=None
        ),
        partner_reviewer=UserFactory(
            username="coa-reviewer", first_name="Cor", organisation=partner, password=None
        ),
        partner_colleague=UserFactory(
            username="coa-colleague", first_name="Carla", organisation=partner, password=None
        ),
        outsider=UserFactory(username="utrecht-staff", organisation=other, password=None),
    )
