"""The questions' pages: the workspace's list, add, change and delete (with its own confirm
page), the registration page and the personal page's answers."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from ketenconf.questions import selectors, services
from ketenconf.questions.models import Answer, Question
from ketenconf.registration import links
from ketenconf.registration import services as registration_services
from ketenconf.registration.models import Registration
from ketenconf.team.models import EditionRole, Role
from tests.factories import OrganisationFactory, UserFactory

from .conftest import World

pytestmark = pytest.mark.django_db

BASE = "/organise/keten-2027/questions/"


def text(response) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


@pytest.fixture
def organiser(client: Client, world: World) -> Client:
    client.force_login(world.organiser)
    return client


def test_the_list_in_the_navigation(organiser: Client, world: World) -> None:
    page = organiser.get(BASE)
    assert page.status_code == 200
    assert (
        f'href="{BASE}" aria-current="page"' in page.content.decode()
        or BASE in page.content.decode()
    )
    shown = text(page)
    assert "Aanmeldvragen van Ketenconferentie 2027" in shown
    assert "1 Dieetwensen korte tekst nee 0" in shown
    assert "3 Welke lunch wilt u? één keuze ja 0" in shown


@pytest.mark.parametrize("extra", [0, 2])
def test_the_list_takes_a_fixed_number_of_queries(
    organiser: Client, world: World, extra: int
) -> None:
    for n in range(extra):
        services.question_create(
            edition=world.edition, kind="number", text_nl=f"V{n}", text_en=f"Q{n}"
        )
    organiser.get(BASE)
    with CaptureQueriesContext(connection) as queries:
        assert organiser.get(BASE).status_code == 200
    assert len(queries) == QUERIES


QUERIES = 4  # session, user, edition with the access rule, questions


def test_add_a_question(organiser: Client, world: World) -> None:
    refused = organiser.post(
        BASE + "new/",
        {
            "text_nl": "Welke dagdelen?",
            "text_en": "Which parts?",
            "kind": "choices",
            "options": "Ochtend | Morning\nMiddag",
        },
    )
    assert refused.status_code == 422
    assert "Regel 2 heeft geen | tussen de Nederlandse en de Engelse tekst." in text(refused)
    added = organiser.post(
        BASE + "new/",
        {
            "text_nl": "Welke dagdelen?",
            "text_en": "Which parts?",
            "kind": "choices",
            "options": "Ochtend | Morning\nMiddag | Afternoon",
            "organisation_kinds": ["municipality"],
            "required": "on",
        },
    )
    assert added["Location"] == BASE
    question = Question.objects.get(key="which-parts")
    assert (
        question.options,
        question.organisation_kinds,
        question.required,
        question.position,
    ) == (
        [
            {"key": "ochtend", "nl": "Ochtend", "en": "Morning"},
            {"key": "middag", "nl": "Middag", "en": "Afternoon"},
        ],
        ["municipality"],
        True,
        4,
    )


def test_change_keeps_the_kind_and_the_chosen_options(organiser: Client, world: World) -> None:
    registration_services.registration_create(
        edition=world.edition,
        name="Anna",
        email="anna@example.org",
        organisation=world.ngo,
        answers={world.lunch.key: "vlees"},
    )
    url = f"{BASE}{world.lunch.pk}/"
    form = organiser.get(url)
    assert "Deze vraag heeft 1 antwoord: het soort antwoord kan niet meer veranderen" in text(form)
    data = {
        "text_nl": "Welke lunch?",
        "text_en": "Which lunch?",
        "kind": "choice",
        "required": "on",
        "options": "Vegetarisch | Vegetarian\nVlees of vis | Meat or fish\nGeen lunch | No lunch",
        "position": "3",
    }
    assert organiser.post(url, {**data, "kind": "short_text"}).status_code == 422
    # The second option's text changed in its place: its key and the answer stay.
    assert organiser.post(url, data)["Location"] == BASE
    world.lunch.refresh_from_db()
    assert [o["key"] for o in world.lunch.options] == ["vegetarisch", "vlees", "geen-lunch"]
    assert selectors.answer_count(question=world.lunch) == 1


def test_delete_asks_on_its_own_page_and_says_how_many_answers_go(
    organiser: Client, world: World
) -> None:
    for email in ("a@example.org", "b@example.org"):
        registration_services.registration_create(
            edition=world.edition,
            name="A",
            email=email,
            organisation=world.ngo,
            answers={world.lunch.key: "vlees"},
        )
    url = f"{BASE}{world.lunch.pk}/delete/"
    asked = organiser.get(url)
    assert "De 2 antwoorden worden mee verwijderd. Dit kan niet ongedaan worden gemaakt." in text(
        asked
    )
    assert "Verwijder de vraag en 2 antwoorden" in text(asked)
    assert Question.objects.filter(pk=world.lunch.pk).exists()
    done = organiser.post(url)
    assert done["Location"] == BASE
    assert "De vraag is verwijderd, met 2 antwoorden." in text(organiser.get(BASE))
    assert not Answer.objects.exists()


def test_only_organisers_of_the_edition(client: Client, world: World) -> None:
    assert client.get(BASE)["Location"].startswith("/organise/login/")
    client.force_login(UserFactory(organisation=OrganisationFactory()))
    assert client.get(BASE).status_code == 404
    door = UserFactory(organisation=OrganisationFactory())
    EditionRole.objects.create(edition=world.edition, user=door, role=Role.DOOR)
    client.force_login(door)
    assert client.get(BASE).status_code == 403


def test_register_with_the_questions(client: Client, world: World) -> None:
    url = "/keten-2027/register/"
    form = client.get(url).content.decode()
    assert (
        '<legend class="utrecht-form-fieldset__legend utrecht-form-fieldset__legend--html-legend">Welke lunch wilt u?</legend>'
        in form
    )
    assert 'name="q-dietary_needs"' in form
    person = {
        "name": "Anna de Vries",
        "email": "anna@example.org",
        "organisation": "Gemeente Utrecht",
        "language": "nl",
        "day-wants_better_seat": "on",
    }
    missing = client.post(url, person)
    assert missing.status_code == 422
    assert "Welke lunch wilt u?: Beantwoord deze vraag." in text(missing)
    assert not Registration.objects.exists()
    done = client.post(url, {**person, f"q-{world.lunch.key}": "vlees", "q-dietary_needs": "halal"})
    assert done.status_code == 200
    registration = Registration.objects.get()
    assert selectors.answers_api(registration=registration) == {
        "dietary_needs": "halal",
        world.lunch.key: "vlees",
    }


def test_the_personal_page_shows_and_changes_the_answers(client: Client, world: World) -> None:
    registration = registration_services.registration_create(
        edition=world.edition,
        name="Anna",
        email="anna@example.org",
        organisation=world.ngo,
        answers={world.lunch.key: "vlees"},
    ).registration
    link = links.access_link_url(registration=registration)
    client.post(link)
    me = text(client.get("/keten-2027/me/"))
    assert "Uw antwoorden Welke lunch wilt u? Vlees Wijzig uw antwoorden" in me
    wrong = client.post("/keten-2027/me/answers/", {f"q-{world.lunch.key}": "vis"})
    assert wrong.status_code == 422
    assert "Kies een van: Vegetarisch, Vlees, Geen lunch." in text(wrong)
    saved = client.post(
        "/keten-2027/me/answers/",
        {f"q-{world.lunch.key}": "geen-lunch", "q-accessibility_needs": "ringleiding"},
    )
    assert saved["Location"] == "/keten-2027/me/"
    assert selectors.answers_api(registration=registration) == {
        "accessibility_needs": "ringleiding",
        world.lunch.key: "geen-lunch",
    }
