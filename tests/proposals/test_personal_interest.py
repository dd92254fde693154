"""Participants find the interest vote on their personal page once sessions are accepted."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from ketenconf.proposals import services
from ketenconf.registration.links import access_token_create
from tests.factories import RegistrationFactory
from tests.proposals.conftest import CallEdition
from tests.proposals.helpers import propose

pytestmark = pytest.mark.django_db


def test_the_personal_page_links_to_the_interest_vote_once_a_session_is_accepted(
    call_edition: CallEdition,
) -> None:
    edition = call_edition.edition
    registration = RegistrationFactory(edition=edition)
    client = Client()
    token = access_token_create(registration=registration)
    client.post(reverse("registration:link", kwargs={"slug": edition.slug, "token": token}))
    me = reverse("registration:me", kwargs={"slug": edition.slug})
    link = f'href="/{edition.slug}/call/interest/"'

    proposal = propose(call_edition.call)
    assert link not in client.get(me).content.decode()
    services.proposal_decide(proposal=proposal, by=call_edition.lead_reviewer, accept=True)
    assert link in client.get(me).content.decode()
