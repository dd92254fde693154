"""Single sign-on against a real OpenID Connect provider (oidc-provider-mock) in its own
process on loopback: the whole flow, with the provider's real keys and tokens."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from urllib.parse import parse_qs, urlencode, urlsplit, urlunsplit

import httpx
import pytest
from django.test import Client

from ketenconf.accounts import oidc
from ketenconf.accounts.models import SingleSignOnIdentity, User
from ketenconf.audit.models import AuditEntry
from tests.factories import OrganisationFactory

pytestmark = [pytest.mark.django_db, pytest.mark.two_factor]

CLIENT_ID = "ketenconf-test"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def provider() -> Iterator[str]:
    """The provider, started as its own process and stopped after the module."""
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "oidc_provider_mock", "--port", str(port), "--require-nonce"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                if httpx.get(f"{url}/.well-known/openid-configuration").status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.1)
        else:
            pytest.fail("the OpenID Connect provider did not start")
        yield url
    finally:
        process.terminate()
        process.wait(10)


@pytest.fixture
def sso(provider: str, settings: object) -> str:
    settings.OIDC_ISSUER = provider  # type: ignore[attr-defined]
    settings.OIDC_CLIENT_ID = CLIENT_ID  # type: ignore[attr-defined]
    settings.OIDC_CLIENT_SECRET = "secret"  # type: ignore[attr-defined]
    settings.OIDC_SCOPES = "openid email profile"  # type: ignore[attr-defined]
    settings.OIDC_TRUST_2FA = True  # type: ignore[attr-defined]
    oidc._client.cache_clear()
    return provider


def person(provider: str, sub: str, **claims: object) -> None:
    assert httpx.put(f"{provider}/users/{sub}", json=claims).status_code == 204


def authorize(client: Client, *, change: dict[str, str] | None = None) -> str:
    """Press the sign-in button and pass the provider's page; the address of our callback."""
    start = client.get("/organise/account/sso/?next=/organise/")
    assert start.status_code == 302
    location = start["Location"]
    if change:
        parts = urlsplit(location)
        query = {k: v[0] for k, v in parse_qs(parts.query).items()} | change
        location = urlunsplit(parts._replace(query=urlencode(query)))
    return location


def sign_in_at_provider(authorize_url: str, sub: str) -> str:
    answer = httpx.post(authorize_url, data={"sub": sub})
    assert answer.status_code == 302, answer.text
    callback = urlsplit(answer.headers["location"])
    return f"{callback.path}?{callback.query}"


def test_first_sign_in_makes_a_staff_account_of_the_claimed_organisation(sso: str) -> None:
    organisation = OrganisationFactory(name="Immigratie- en Naturalisatiedienst", short_name="IND")
    person(
        sso,
        "anna",
        email="anna@ind.example",
        given_name="Anna",
        family_name="Jansen",
        organisation="IND",
        groups=["lead organiser"],
        is_superuser=True,
    )
    client = Client(headers={"accept-language": "en"})
    response = client.get(sign_in_at_provider(authorize(client), "anna"))
    assert response.status_code == 302
    assert response["Location"] == "/organise/"
    assert client.get("/organise/").status_code == 200
    user = User.objects.get(sso_identities__subject="anna")
    assert (user.organisation, user.email, user.first_name, user.last_name) == (
        organisation,
        "anna@ind.example",
        "Anna",
        "Jansen",
    )
    assert (user.is_staff, user.is_superuser, user.has_usable_password()) == (True, False, False)
    assert AuditEntry.objects.filter(action="sign_in", user=user).count() == 1
    # The second time the same account, not a new one.
    again = Client(headers={"accept-language": "en"})
    again.get(sign_in_at_provider(authorize(again), "anna"))
    assert SingleSignOnIdentity.objects.filter(subject="anna").count() == 1
    assert User.objects.count() == 1


def test_a_person_of_an_unknown_organisation_is_refused_with_a_clear_page(sso: str) -> None:
    person(sso, "bob", email="bob@elders.example", organisation="Elders BV")
    client = Client(headers={"accept-language": "en"})
    response = client.get(sign_in_at_provider(authorize(client), "bob"))
    assert response.status_code == 403
    assert (
        "Your organisation, Elders BV, does not organise conferences on this site"
        in response.content.decode()
    )
    assert not User.objects.exists()
    assert client.get("/organise/")["Location"].startswith("/organise/login/")


def test_without_the_providers_second_factor_ours_is_asked(sso: str, settings: object) -> None:
    settings.OIDC_TRUST_2FA = False  # type: ignore[attr-defined]
    OrganisationFactory(name="Centraal Orgaan opvang asielzoekers", short_name="COA")
    person(sso, "carla", email="carla@coa.example", organisation="COA")
    client = Client(headers={"accept-language": "en"})
    client.get(sign_in_at_provider(authorize(client), "carla"))
    assert client.get("/organise/")["Location"].startswith("/organise/account/two-factor/setup/")
    # With "amr" saying the provider asked for one, it counts.
    person(sso, "dirk", email="dirk@coa.example", organisation="COA", amr=["pwd", "otp"])
    other = Client(headers={"accept-language": "en"})
    other.get(sign_in_at_provider(authorize(other), "dirk"))
    assert other.get("/organise/").status_code == 200


def test_a_wrong_state_is_refused(sso: str) -> None:
    OrganisationFactory(short_name="IND")
    person(sso, "eva", organisation="IND")
    client = Client(headers={"accept-language": "en"})
    callback = sign_in_at_provider(authorize(client), "eva")
    forged = callback.replace("state=", "state=x")
    response = client.get(forged)
    assert response.status_code == 400
    assert "could not be checked" in response.content.decode()
    assert not User.objects.exists()


def test_a_wrong_nonce_is_refused(sso: str) -> None:
    OrganisationFactory(short_name="IND")
    person(sso, "fenna", organisation="IND")
    client = Client(headers={"accept-language": "en"})
    response = client.get(
        sign_in_at_provider(authorize(client, change={"nonce": "replayed"}), "fenna")
    )
    assert response.status_code == 400
    assert not User.objects.exists()


def test_a_code_for_another_client_is_refused(sso: str) -> None:
    OrganisationFactory(short_name="IND")
    person(sso, "gijs", organisation="IND")
    client = Client(headers={"accept-language": "en"})
    response = client.get(
        sign_in_at_provider(authorize(client, change={"client_id": "other"}), "gijs")
    )
    assert response.status_code == 400
    assert not User.objects.exists()


def _real_token(provider: str, *, client_id: str, nonce: str) -> dict[str, str]:
    """A token the provider issues for ``client_id``, through its own endpoints."""
    metadata = httpx.get(f"{provider}/.well-known/openid-configuration").json()
    query = urlencode(
        {
            "client_id": client_id,
            "response_type": "code",
            "scope": "openid email",
            "redirect_uri": "http://localhost/cb",
            "nonce": nonce,
            "state": "s",
        }
    )
    answer = httpx.post(f"{metadata['authorization_endpoint']}?{query}", data={"sub": "hanna"})
    code = parse_qs(urlsplit(answer.headers["location"]).query)["code"][0]
    return httpx.post(
        metadata["token_endpoint"],
        data={
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": "http://localhost/cb",
            "client_id": client_id,
            "client_secret": "secret",
        },
    ).json()


def test_tokens_for_another_audience_or_tampered_are_refused(sso: str) -> None:
    from joserfc.errors import JoseError

    app = oidc.client()
    good = _real_token(sso, client_id=CLIENT_ID, nonce="n1")
    assert app.parse_id_token(good, nonce="n1")["sub"] == "hanna"
    with pytest.raises(JoseError):  # the nonce of another sign-in
        app.parse_id_token(good, nonce="n2")
    with pytest.raises(JoseError):  # issued to another client: the audience is wrong
        app.parse_id_token(_real_token(sso, client_id="other", nonce="n1"), nonce="n1")
    header, payload, signature = good["id_token"].split(".")
    flipped = signature[:-2] + ("AA" if signature[-2:] != "AA" else "BB")
    with pytest.raises(JoseError):  # the signature does not match
        app.parse_id_token({**good, "id_token": f"{header}.{payload}.{flipped}"}, nonce="n1")
    import base64
    import json

    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    claims["sub"] = "someone-else"
    forged = base64.urlsafe_b64encode(json.dumps(claims).encode()).decode().rstrip("=")
    with pytest.raises(JoseError):  # the claims were changed after signing
        app.parse_id_token({**good, "id_token": f"{header}.{forged}.{signature}"}, nonce="n1")


def test_with_password_sign_in_off_organisers_must_use_the_provider(
    sso: str, settings: object
) -> None:
    from tests.factories import UserFactory

    from .conftest import PASSWORD

    settings.OIDC_PASSWORD_LOGIN = False  # type: ignore[attr-defined]
    organiser = UserFactory()
    superuser = UserFactory(username="root", is_superuser=True)
    refused = Client(headers={"accept-language": "en"}).post(
        "/organise/login/", {"username": organiser.username, "password": PASSWORD}
    )
    assert refused.status_code == 200
    page = Client(headers={"accept-language": "en"}).get("/organise/login/").content.decode()
    assert "/organise/account/sso/" in page
    assert (
        Client(headers={"accept-language": "en"})
        .post("/organise/login/", {"username": superuser.username, "password": PASSWORD})
        .status_code
        == 302
    )
