"""Which language a page speaks: public pages by their address, the workspace, the admin and
the API by the visitor's choice or their browser's."""

from __future__ import annotations

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

ENGLISH = "Log in to the organisers' workspace"
DUTCH = "Inloggen in de werkomgeving voor organisatoren"


def test_the_workspace_follows_the_browsers_language(client: Client) -> None:
    english = client.get("/organise/login/", headers={"accept-language": "en-GB,en;q=0.9"})
    assert ENGLISH in english.content.decode()
    assert english.content.decode().count('lang="en"') >= 1
    dutch = client.get("/organise/login/", headers={"accept-language": "nl-NL,nl;q=0.9"})
    assert DUTCH in dutch.content.decode()


def test_without_a_preference_the_workspace_speaks_dutch(client: Client) -> None:
    assert DUTCH in client.get("/organise/login/").content.decode()


def test_the_language_cookie_wins_over_the_browser(client: Client) -> None:
    client.cookies["django_language"] = "en"
    page = client.get("/organise/login/", headers={"accept-language": "nl"})
    assert ENGLISH in page.content.decode()


def test_public_pages_keep_the_language_of_their_address(client: Client) -> None:
    dutch = client.get("/", headers={"accept-language": "en"})
    assert '<html lang="nl"' in dutch.content.decode()
    english = client.get("/en/", headers={"accept-language": "nl"})
    assert '<html lang="en"' in english.content.decode()


def test_the_workspace_switches_language_with_a_button(client: Client) -> None:
    dutch = client.get("/organise/login/?next=/organise/").content.decode()
    assert 'action="/i18n/setlang/"' in dutch
    assert '<input type="hidden" name="language" value="en">' in dutch
    assert '<input type="hidden" name="next" value="/organise/login/?next=/organise/">' in dutch
    switched = client.post(
        "/i18n/setlang/", {"language": "en", "next": "/organise/login/?next=/organise/"}
    )
    assert switched.status_code == 302
    assert switched["Location"] == "/organise/login/?next=/organise/"
    english = client.get(switched["Location"]).content.decode()
    assert ENGLISH in english
    assert '<input type="hidden" name="language" value="nl">' in english


def test_public_pages_keep_a_plain_link(client: Client) -> None:
    page = client.get("/").content.decode()
    assert 'href="/en/"' in page
    assert "/i18n/setlang/" not in page
