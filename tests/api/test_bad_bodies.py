"""Bodies the API refuses: JSON nested too deep (a 500 from ``RecursionError`` before), and any
body that is not ``application/json`` (another site's page can send text/plain or a form from
a visitor's browser without asking, and so register people in their name)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from ketenconf.events.models import EditionStatus
from ketenconf.mail.models import OutboxMessage
from ketenconf.registration.models import Registration
from tests.factories import EditionFactory

from .conftest import URL
from .test_organiser import BASE, Small, token_for
from .test_organiser import small as small

pytestmark = pytest.mark.django_db

PERSON = {"name": "Anna de Vries", "email": "anna@example.org", "organisation": "IND"}
DEEP = "[" * 1500 + "]" * 1500


@pytest.fixture
def edition() -> Any:
    return EditionFactory(slug="open", status=EditionStatus.REGISTRATION_OPEN, capacity=5)


def test_json_nested_1500_deep_is_refused_with_a_message(client: Client, edition: Any) -> None:
    for body in (DEEP, '{"name": ' + DEEP + "}"):
        response = client.post(
            URL.format(slug="open"),
            body,
            content_type="application/json",
            headers={"Accept-Language": "en"},
        )
        assert response.status_code == 422
        assert response.json() == {
            "errors": {"__all__": ["Send a JSON object with the fields of the registration."]}
        }
    assert not Registration.objects.exists()


@pytest.mark.parametrize(
    "content_type", ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data"]
)
def test_a_body_that_is_not_json_is_refused_with_415(
    client: Client, edition: Any, content_type: str
) -> None:
    if content_type == "multipart/form-data":
        response = client.post(URL.format(slug="open"), PERSON, headers={"Accept-Language": "nl"})
    else:
        response = client.post(
            URL.format(slug="open"),
            json.dumps(PERSON),
            content_type=content_type,
            headers={"Accept-Language": "nl"},
        )
    assert response.status_code == 415
    assert response["Accept-Post"] == "application/json"
    assert response.json() == {
        "message": "Stuur de gegevens als JSON, met de kop Content-Type: application/json."
    }
    assert not Registration.objects.exists()
    assert not OutboxMessage.objects.exists()


def test_json_with_a_charset_is_json(client: Client, edition: Any) -> None:
    response = client.post(
        URL.format(slug="open"), json.dumps(PERSON), content_type="application/json; charset=utf-8"
    )
    assert response.status_code == 201


def test_the_organiser_api_refuses_deep_json_and_other_types(client: Client, small: Small) -> None:
    headers = {"Authorization": f"Bearer {token_for(small.organiser)}", "Accept-Language": "en"}
    before = Registration.objects.count()
    for path in ("/editions/keten-2027/registrations", "/editions/keten-2027/runs"):
        deep = client.post(BASE + path, DEEP, content_type="application/json", headers=headers)
        assert deep.status_code in (400, 422), deep.content
        assert deep["Content-Type"] == "application/json; charset=utf-8"
        plain = client.post(
            BASE + path,
            json.dumps({"time_limit": 5, **PERSON}),
            content_type="text/plain",
            headers=headers,
        )
        assert plain.status_code == 415
        assert plain.json() == {
            "message": "Send the body as JSON, with the header Content-Type: application/json."
        }
    assert Registration.objects.count() == before
    # A POST without a body still starts a run with its defaults.
    # A POST without a body (curl -X POST) passes the check.
    empty = client.generic(
        "POST", BASE + "/editions/keten-2027/runs", b"", content_type="", headers=headers
    )
    assert empty.status_code != 415
