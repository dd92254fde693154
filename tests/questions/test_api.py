"""The questions in the API: the organisers' list, add, change and delete with the workspace's
rules, and the public registration's ``answers`` with a 422 per wrong answer."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from ketenconf.api import services as api_services
from ketenconf.questions.models import Answer, Question
from ketenconf.registration.models import Registration
from ketenconf.team.models import EditionRole, Role
from tests.factories import OrganisationFactory, UserFactory

from .conftest import World

pytestmark = pytest.mark.django_db

URL = "/api/v1/organiser/editions/keten-2027/questions"
PUBLIC = "/api/v1/editions/keten-2027/registrations"
PERSON = {"name": "Anna de Vries", "email": "anna@example.org", "organisation": "Gemeente Utrecht"}


def headers(user: Any, language: str = "en") -> dict[str, str]:
    token = api_services.api_token_create(user=user, name="test")[1]
    return {"Authorization": f"Bearer {token}", "Accept-Language": language}


def send(client: Client, method: str, url: str, body: Any, auth: dict[str, str]) -> Any:
    return getattr(client, method)(
        url, json.dumps(body), content_type="application/json", headers=auth
    )


def test_list_add_change_and_delete(client: Client, world: World) -> None:
    auth = headers(world.organiser)
    listed = client.get(URL, headers=auth).json()
    assert [(q["key"], q["kind"], q["required"], q["answers"]) for q in listed] == [
        ("dietary_needs", "short_text", False, 0),
        ("accessibility_needs", "short_text", False, 0),
        (world.lunch.key, "choice", True, 0),
    ]
    added = send(
        client,
        "post",
        URL,
        {
            "kind": "choices",
            "text_nl": "Welke dagdelen?",
            "text_en": "Which parts of the day?",
            "options": [{"nl": "Ochtend", "en": "Morning"}, {"nl": "Middag", "en": "Afternoon"}],
            "organisation_kinds": ["municipality"],
            "key": "dagdelen",
        },
        auth,
    )
    assert added.status_code == 201
    assert {k: added.json()[k] for k in ("key", "options", "organisation_kinds", "position")} == {
        "key": "dagdelen",
        "options": [
            {"key": "ochtend", "nl": "Ochtend", "en": "Morning"},
            {"key": "middag", "nl": "Middag", "en": "Afternoon"},
        ],
        "organisation_kinds": ["municipality"],
        "position": 4,
    }
    changed = send(
        client, "patch", f"{URL}/dagdelen", {"required": True, "help_en": "Tick all"}, auth
    )
    assert (changed.status_code, changed.json()["required"], changed.json()["help_en"]) == (
        200,
        True,
        "Tick all",
    )
    by_id = send(client, "patch", f"{URL}/{world.lunch.pk}", {"text_en": "Lunch?"}, auth)
    assert by_id.json()["text_en"] == "Lunch?"
    deleted = client.delete(f"{URL}/dagdelen", headers=auth)
    assert (deleted.status_code, deleted.json()) == (200, {"answers_deleted": 0})
    assert not Question.objects.filter(key="dagdelen").exists()
    missing = client.delete(f"{URL}/dagdelen", headers=auth)
    assert (missing.status_code, missing.json()) == (
        404,
        {"message": "This edition has no question dagdelen."},
    )


def test_the_same_rules_as_the_pages(client: Client, world: World) -> None:
    auth = headers(world.organiser, "nl")
    send(client, "post", PUBLIC, {**PERSON, "answers": {world.lunch.key: "vlees"}}, {})
    refused = send(client, "patch", f"{URL}/{world.lunch.key}", {"kind": "short_text"}, auth)
    assert (refused.status_code, refused.json()) == (
        422,
        {
            "errors": {
                "kind": [
                    "Deze vraag heeft 1 antwoord: het soort antwoord kan niet veranderen. "
                    "Voeg in plaats daarvan een nieuwe vraag toe."
                ]
            }
        },
    )
    wrong = send(
        client,
        "post",
        URL,
        {"kind": "choice", "text_nl": "A", "text_en": "A", "organisation_kinds": ["bakery"]},
        auth,
    )
    assert wrong.status_code == 422
    assert list(wrong.json()["errors"]) == ["organisation_kinds"]
    deleted = client.delete(f"{URL}/{world.lunch.key}", headers=auth)
    assert deleted.json() == {"answers_deleted": 1}
    assert not Answer.objects.exists()


def test_only_the_editions_organisers(client: Client, world: World) -> None:
    stranger = UserFactory(organisation=OrganisationFactory())
    assert client.get(URL, headers=headers(stranger)).status_code == 404
    door = UserFactory(organisation=OrganisationFactory())
    EditionRole.objects.create(edition=world.edition, user=door, role=Role.DOOR)
    assert client.get(URL, headers=headers(door)).status_code == 404
    assert client.get(URL).status_code == 401


def test_public_registration_takes_answers_by_key_or_id(client: Client, world: World) -> None:
    created = send(
        client,
        "post",
        PUBLIC,
        {
            **PERSON,
            "answers": {str(world.lunch.pk): "vegetarisch", "dietary_needs": "noten"},
        },
        {},
    )
    assert created.status_code == 201
    registration = Registration.objects.get()
    auth = headers(world.organiser)
    shown = client.get(
        f"/api/v1/organiser/editions/keten-2027/registrations/{registration.pk}", headers=auth
    ).json()
    assert shown["answers"] == {"dietary_needs": "noten", world.lunch.key: "vegetarisch"}


def test_public_registration_says_per_question_what_is_wrong(client: Client, world: World) -> None:
    wrong = send(
        client,
        "post",
        PUBLIC,
        {
            **PERSON,
            "answers": {world.lunch.key: "vis", "kleur": "blauw", "dietary_needs": 3},
        },
        {"Accept-Language": "en"},
    )
    assert (wrong.status_code, wrong.json()) == (
        422,
        {
            "errors": {
                f"answers.{world.lunch.key}": ["Choose one of: Vegetarian, Meat, No lunch."],
                "answers.kleur": ["This edition has no question kleur."],
                "answers.dietary_needs": ["Give this answer as text."],
            }
        },
    )
    missing = send(client, "post", PUBLIC, PERSON, {"Accept-Language": "nl"})
    assert (missing.status_code, missing.json()) == (
        422,
        {"errors": {f"answers.{world.lunch.key}": ["Beantwoord deze vraag."]}},
    )
    not_an_object = send(
        client, "post", PUBLIC, {**PERSON, "answers": ["vlees"]}, {"Accept-Language": "en"}
    )
    assert not_an_object.json() == {
        "errors": {"answers": ["Give the answers as an object, by question key or id."]}
    }
    assert not Registration.objects.exists()
