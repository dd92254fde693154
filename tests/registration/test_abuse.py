"""Someone abusing the public forms to flood a mailbox: "mail me a new link" and registering an
address that is registered already mail at most three links an hour to one address, and the
new-link page takes a limited number of requests per client. Past a limit the answer says so,
and says the same whether or not the address is registered."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client

from ketenconf.events.models import Edition, EditionStatus
from ketenconf.mail.models import OutboxMessage
from ketenconf.registration import services
from tests.factories import EditionFactory, OrganisationFactory

pytestmark = pytest.mark.django_db

LIMITED = (
    "Er is te vaak een nieuwe link gevraagd voor dit adres of vanaf uw verbinding. Probeer het "
    "over een uur opnieuw; een eerder gemailde link blijft werken tot hij verloopt."
)


@pytest.fixture(autouse=True)
def _fresh_counts() -> Iterator[None]:
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def edition() -> Edition:
    OrganisationFactory(name="IND")
    return EditionFactory(slug="open", status=EditionStatus.REGISTRATION_OPEN, capacity=10)


def link_mails(to: str) -> int:
    return OutboxMessage.objects.filter(to=to, topic="registration/mail/link").count()


def ask_link(client: Client, email: str, **extra: Any) -> Any:
    return client.post("/open/me/new-link/", {"email": email}, **extra)


@pytest.mark.parametrize("registered", [True, False])
def test_new_link_mails_three_an_hour_and_then_says_so_alike(
    client: Client, edition: Edition, registered: bool
) -> None:
    if registered:
        services.registration_create(
            edition=edition, name="Anna", email="anna@example.org", organisation_name="IND"
        )
    answers = [ask_link(client, "anna@example.org") for _ in range(40)]
    assert [a.status_code for a in answers] == [200] * 3 + [429] * 37
    assert link_mails("anna@example.org") == (3 if registered else 0)
    assert LIMITED in answers[-1].content.decode()
    assert answers[-1]["Retry-After"] == "3600"
    # Another address is not held back by the first one's count.
    assert ask_link(client, "bram@example.org", REMOTE_ADDR="192.0.2.44").status_code == 200


def test_new_link_requests_are_limited_per_client(
    client: Client, edition: Edition, settings: Any
) -> None:
    settings.LINK_REQUESTS_PER_CLIENT = "5/h"
    statuses = [
        ask_link(client, f"p{n}@example.org", REMOTE_ADDR="192.0.2.9").status_code for n in range(8)
    ]
    assert statuses == [200] * 5 + [429] * 3
    assert ask_link(client, "p9@example.org", REMOTE_ADDR="192.0.2.10").status_code == 200


def test_the_api_mails_a_registered_address_its_link_three_times_an_hour(
    client: Client, edition: Edition
) -> None:
    body = json.dumps({"name": "Anna", "email": "anna@example.org", "organisation": "IND"})
    answers = [
        client.post("/api/v1/editions/open/registrations", body, content_type="application/json")
        for _ in range(10)
    ]
    assert [a.status_code for a in answers] == [201] + [200] * 9
    assert {json.dumps(a.json()) for a in answers[1:]} == {'{"status": "already_registered"}'}
    assert link_mails("anna@example.org") == 3
