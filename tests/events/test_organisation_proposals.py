"""Organisation names typed by visitors are proposals: nobody else is offered them until an
organiser of the edition accepts them or merges them into a known organisation."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from ketenconf.events.models import EditionStatus, Organisation
from ketenconf.registration.models import Registration
from ketenconf.registration.services import registration_create
from tests.factories import EditionFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


def register_form(email: str, organisation: str) -> dict[str, str]:
    return {
        "name": "Fatima el Amrani",
        "email": email,
        "organisation": organisation,
        "job_title": "Beleidsadviseur",
        "dietary_needs": "",
        "accessibility_needs": "",
        "language": "nl",
    }


def suggestions(client: Client, slug: str) -> list[str]:
    html = client.get(f"/{slug}/register/").content.decode()
    datalist = re.search(r'<datalist id="organisations">(.*?)</datalist>', html, re.S)
    assert datalist is not None
    return re.findall(r'<option value="([^"]*)">', datalist.group(1))


@pytest.fixture
def edition():
    return EditionFactory(
        status=EditionStatus.REGISTRATION_OPEN,
        lead_organisation=OrganisationFactory(name="Dienst Terugkeer en Vertrek"),
    )


@pytest.fixture
def organiser(edition) -> Client:
    client = Client()
    client.force_login(UserFactory(organisation=edition.lead_organisation))
    return client


def test_a_typed_name_is_not_offered_to_the_next_visitor(client, edition):
    response = client.post(
        f"/{edition.slug}/register/", register_form("a@example.org", "=cmd|' /C calc'!A0")
    )
    assert response.status_code == 200
    typed = Organisation.objects.get(name="=cmd|' /C calc'!A0")
    assert (typed.accepted, typed.proposed_in) == (False, edition)
    assert "=cmd|' /C calc'!A0" not in suggestions(client, edition.slug)
    assert "Dienst Terugkeer en Vertrek" in suggestions(client, edition.slug)


def test_an_organisers_name_is_accepted_at_once(edition):
    registration = registration_create(
        edition=edition,
        name="Jan de Vries",
        email="jan@example.org",
        organisation_name="Gemeente Tilburg",
        even_if_closed=True,
    ).registration
    assert registration.organisation.accepted is True


def test_the_organiser_accepts_a_typed_name(client, edition, organiser):
    client.post(f"/{edition.slug}/register/", register_form("a@example.org", "Gemeente Ede"))
    typed = Organisation.objects.get(name="Gemeente Ede")
    page = organiser.get(f"/organise/{edition.slug}/organisations/")
    assert page.status_code == 200
    assert "Gemeente Ede" in page.content.decode()

    response = organiser.post(f"/organise/{edition.slug}/organisations/{typed.pk}/accept/")

    assert response.status_code == 302
    assert "Gemeente Ede" in suggestions(client, edition.slug)
    followed = organiser.get(f"/organise/{edition.slug}/organisations/")
    assert 'id="proposed-none"' in followed.content.decode()


def test_merging_a_typo_moves_every_registration(client, edition, organiser):
    known = edition.lead_organisation
    for email in ("a@example.org", "b@example.org"):
        client.post(f"/{edition.slug}/register/", register_form(email, "Dienst Ter"))
    typo = Organisation.objects.get(name="Dienst Ter")
    assert typo.registrations.count() == 2

    response = organiser.post(
        f"/organise/{edition.slug}/organisations/{typo.pk}/merge/", {"into": known.pk}
    )

    assert response.status_code == 302
    assert not Organisation.objects.filter(name="Dienst Ter").exists()
    assert sorted(
        Registration.objects.filter(edition=edition).values_list("email", "organisation__name")
    ) == [
        ("a@example.org", "Dienst Terugkeer en Vertrek"),
        ("b@example.org", "Dienst Terugkeer en Vertrek"),
    ]
    assert "Dienst Ter" not in suggestions(client, edition.slug)


def test_organisers_of_another_edition_cannot_decide(client, edition):
    client.post(f"/{edition.slug}/register/", register_form("a@example.org", "Gemeente Ede"))
    typed = Organisation.objects.get(name="Gemeente Ede")
    other = EditionFactory()
    stranger = Client()
    stranger.force_login(UserFactory(organisation=other.lead_organisation))

    refused = stranger.post(f"/organise/{edition.slug}/organisations/{typed.pk}/accept/")
    own_page = stranger.post(f"/organise/{other.slug}/organisations/{typed.pk}/accept/")

    assert refused.status_code == 404
    assert own_page.status_code == 302
    assert Organisation.objects.get(pk=typed.pk).accepted is False
