"""API tokens in the admin: made with the secret shown once, stored hashed, revoked."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from ketenconf.api.models import ApiToken
from ketenconf.api.services import secret_hash
from tests.factories import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def organiser(client: Client) -> Client:
    client.force_login(UserFactory(username="jenv", organisation=OrganisationFactory()))
    return client


def test_an_organiser_makes_a_token_sees_it_once_and_revokes_it(organiser: Client) -> None:
    response = organiser.post(
        "/admin/api/apitoken/add/",
        {"name": "Aanmeldformulier"},
        follow=True,
        headers={"Accept-Language": "en"},
    )
    assert response.status_code == 200
    page = response.content.decode()
    found = re.search(r"(kc_[0-9a-f]{12}_[A-Za-z0-9_-]{43})", page)
    assert found is not None, page
    token = ApiToken.objects.get()
    assert (token.user.username, token.name) == ("jenv", "Aanmeldformulier")
    assert token.secret_hash == secret_hash(found.group(1).split("_", 2)[2])
    assert (
        found.group(1)
        not in organiser.get(f"/admin/api/apitoken/{token.pk}/change/").content.decode()
    )

    api = Client()
    headers = {"Authorization": f"Bearer {found.group(1)}"}
    assert api.get("/api/v1/organiser/editions", headers=headers).status_code == 200
    organiser.post(
        "/admin/api/apitoken/",
        {"action": "revoke", "_selected_action": [token.pk]},
    )
    assert ApiToken.objects.get().revoked_at is not None
    assert api.get("/api/v1/organiser/editions", headers=headers).status_code == 401


def test_organisers_see_only_their_own_tokens(client: Client) -> None:
    from ketenconf.api.services import api_token_create

    mine = UserFactory(organisation=OrganisationFactory())
    theirs, _text = api_token_create(user=UserFactory(organisation=OrganisationFactory()), name="x")
    client.force_login(mine)
    assert client.get(f"/admin/api/apitoken/{theirs.pk}/change/").status_code == 302
    assert "x (" not in client.get("/admin/api/apitoken/").content.decode()
    client.post("/admin/api/apitoken/", {"action": "revoke", "_selected_action": [theirs.pk]})
    assert ApiToken.objects.get(pk=theirs.pk).revoked_at is None
