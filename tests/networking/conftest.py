"""A networking edition: three 15-minute slots during the market, numbered tables, people."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client

from ketenconf.events.models import Edition, Organisation, OrganisationKind
from ketenconf.networking import services
from ketenconf.networking.models import NetworkingSlot, NetworkingTable
from ketenconf.registration import links
from ketenconf.registration.models import Registration
from tests.factories import (
    BlockFactory,
    EditionFactory,
    OrganisationFactory,
    RegistrationFactory,
    at,
)


def logged_in(registration: Registration) -> Client:
    """A browser that has opened a fresh personal link of ``registration``."""
    client = Client()
    token = links.access_token_create(registration=registration)
    response = client.post(f"/{registration.edition.slug}/me/link/{token}/")
    assert response.status_code == 302
    return client


@pytest.fixture
def edition(db: None) -> Edition:
    edition = EditionFactory(
        slug="ketenconferentie-2027",
        title_nl="Ketenconferentie 2027",
        title_en="Chain Conference 2027",
    )
    market = BlockFactory(
        edition=edition,
        kind="market",
        title_nl="Informatiemarkt",
        title_en="Information market",
        start=at(edition.start_date, 11),
        end=at(edition.start_date, 12),
    )
    for n in range(3):
        start = at(edition.start_date, 11) + dt.timedelta(minutes=15 * n)
        NetworkingSlot.objects.create(
            edition=edition, block=market, start=start, end=start + dt.timedelta(minutes=15)
        )
    return edition


def add_tables(edition: Edition, count: int, seats: int = 2) -> list[NetworkingTable]:
    return services.networking_tables_create(edition=edition, count=count, seats=seats)


def organisation(
    short: str, kind: str = OrganisationKind.NATIONAL_AGENCY, links: tuple[str, ...] = ()
) -> Organisation:
    return OrganisationFactory(
        name=f"Organisatie {short}", short_name=short, kind=kind, chain_links=list(links)
    )


def person(
    edition: Edition,
    name: str,
    org: Organisation,
    *interests: str,
    consent: bool = True,
    wanted: tuple[str, ...] = (),
    **extra: Any,
) -> Registration:
    registration = RegistrationFactory(
        edition=edition,
        name=name,
        email=f"{name.split()[0].lower()}@example.org",
        organisation=org,
        networking_consent=consent,
        job_title="adviseur",
        **extra,
    )
    services.networking_set_profile(
        registration=registration, interests=list(interests), wanted_kinds=list(wanted)
    )
    return registration
