"""The admin login: failed attempts are counted per address and per username, then refused."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from ketenconf.accounts.models import User

PASSWORD = "correct horse battery staple"


@pytest.fixture
def limits(settings: Any) -> None:
    settings.ADMIN_LOGIN_RATELIMIT_ADDRESS = "6/15m"
    settings.ADMIN_LOGIN_RATELIMIT_USERNAME = "3/15m"


@pytest.fixture
def organiser(db: None) -> User:
    return User.objects.create_user(
        username="organisator", password=PASSWORD, is_staff=True, email="o@example.org"
    )


def attempt(client: Client, username: str, password: str, address: str = "192.0.2.1") -> Any:
    return client.post(
        "/admin/login/?next=/admin/",
        {"username": username, "password": password},
        REMOTE_ADDR=address,
    )


def test_a_username_is_locked_after_its_failed_attempts_even_for_the_right_password(
    limits: None, organiser: User
) -> None:
    client = Client()
    for _ in range(3):
        assert attempt(client, "organisator", "wrong").status_code == 200  # the form again
    refused = attempt(client, "organisator", PASSWORD)
    assert refused.status_code == 429
    assert 1 <= int(refused["Retry-After"]) <= 15 * 60
    assert "_auth_user_id" not in client.session
    minutes = (int(refused["Retry-After"]) + 59) // 60
    note = re.search(r'<p class="errornote" role="alert">(.*?)</p>', refused.content.decode())
    assert note is not None
    # The admin speaks Dutch, the site's first language.
    assert note.group(1) == (
        "Te veel mislukte inlogpogingen vanaf uw adres of voor deze gebruikersnaam. "
        + (
            "Probeer het over een minuut opnieuw."
            if minutes == 1
            else f"Probeer het over {minutes} minuten opnieuw."
        )
    )
    # Another address is refused too: the username is what is under attack.
    assert attempt(Client(), "organisator", PASSWORD, address="198.51.100.9").status_code == 429


def test_an_address_is_locked_after_failed_attempts_on_any_usernames(
    limits: None, organiser: User
) -> None:
    client = Client()
    for n in range(6):
        assert attempt(client, f"guess{n}", "wrong").status_code == 200
    assert attempt(client, "organisator", PASSWORD).status_code == 429
    # From elsewhere the organiser gets in.
    other = Client()
    response = attempt(other, "organisator", PASSWORD, address="198.51.100.9")
    assert (response.status_code, response["Location"]) == (302, "/admin/")
    assert other.session["_auth_user_id"] == str(organiser.pk)


def test_successful_logins_are_not_counted(limits: None, organiser: User) -> None:
    for _ in range(5):
        client = Client()
        assert attempt(client, "organisator", PASSWORD).status_code == 302
    assert attempt(Client(), "organisator", "wrong").status_code == 200


def test_the_login_page_itself_is_never_refused(limits: None, organiser: User) -> None:
    client = Client()
    for _ in range(4):
        attempt(client, "organisator", "wrong")
    assert client.get("/admin/login/", REMOTE_ADDR="192.0.2.1").status_code == 200


@pytest.mark.parametrize(
    "next_url", ["https://evil.example/", "//evil.example/admin/", "javascript:alert(1)"]
)
def test_a_login_with_an_unsafe_next_lands_on_the_admin_index(
    organiser: User, next_url: str
) -> None:
    response = Client().post(
        "/admin/login/",
        {"username": "organisator", "password": PASSWORD, "next": next_url},
        REMOTE_ADDR="192.0.2.3",
    )
    assert (response.status_code, response["Location"]) == (302, "/admin/")
