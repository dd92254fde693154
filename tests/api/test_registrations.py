"""POST /api/v1/editions/{slug}/registrations: register without a browser."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client
from django.utils import translation

from ketenconf.events.models import Edition, EditionStatus, Organisation
from ketenconf.mail.models import OutboxMessage
from ketenconf.questions.selectors import answers_api
from ketenconf.questions.services import questions_add_defaults
from ketenconf.registration.forms import RegistrationForm
from ketenconf.registration.models import Registration
from tests.factories import EditionFactory, OrganisationFactory, RegistrationFactory

from .conftest import URL

pytestmark = pytest.mark.django_db

PERSON = {"name": "Anna de Vries", "email": "anna@example.org", "organisation": "IND"}


@pytest.fixture
def edition() -> Edition:
    return EditionFactory(
        slug="open", status=EditionStatus.REGISTRATION_OPEN, capacity=1, title_nl="Keten 2027"
    )


def nothing_written() -> bool:
    return not Registration.objects.exists() and not OutboxMessage.objects.exists()


def test_a_new_registration_gets_a_seat_and_its_mail(post, edition: Edition) -> None:
    OrganisationFactory(name="Immigratie- en Naturalisatiedienst", short_name="IND")
    questions_add_defaults(edition=edition)  # the old fields are taken as their answers
    response = post(
        "open",
        {
            **PERSON,
            "job_title": "Beleidsmedewerker",
            "dietary_needs": "vegetarisch",
            "accessibility_needs": "rolstoel",
            "needs_step_free": True,
            "networking_consent": True,
        },
    )
    registration = Registration.objects.get()
    assert response.status_code == 201
    assert response.json() == {
        "id": registration.pk,
        "status": "registered",
        "waitlist_position": None,
    }
    assert response["Content-Language"] == "nl"
    assert (
        registration.name,
        registration.email,
        registration.organisation.short_name,
        registration.job_title,
        answers_api(registration=registration),
        registration.needs_step_free,
        registration.networking_consent,
        registration.language,
    ) == (
        "Anna de Vries",
        "anna@example.org",
        "IND",
        "Beleidsmedewerker",
        {"dietary_needs": "vegetarisch", "accessibility_needs": "rolstoel"},
        True,
        True,
        "nl",
    )
    assert list(OutboxMessage.objects.values_list("to", "subject")) == [
        ("anna@example.org", "U bent aangemeld voor Keten 2027: bevestig uw e-mailadres")
    ]


def test_when_the_seats_are_gone_the_next_joins_the_waiting_list(post, edition: Edition) -> None:
    post("open", PERSON)
    second = post("open", {**PERSON, "email": "bram@example.org"})
    third = post("open", {**PERSON, "email": "cor@example.org"})
    ids = list(Registration.objects.order_by("pk").values_list("pk", flat=True))
    assert (second.status_code, second.json()) == (
        201,
        {"id": ids[1], "status": "waitlisted", "waitlist_position": 1},
    )
    assert (third.status_code, third.json()) == (
        201,
        {"id": ids[2], "status": "waitlisted", "waitlist_position": 2},
    )


def test_the_same_address_again_is_200_already_registered_and_tells_nothing_more(
    post, edition: Edition
) -> None:
    first = post("open", PERSON)
    again = post("open", {**PERSON, "name": "Iemand Anders", "email": " ANNA@example.org "})
    assert first.status_code == 201
    # Not the id, status or place of someone else's registration: the address's owner gets
    # the link by mail.
    assert (again.status_code, again.json()) == (200, {"status": "already_registered"})
    assert Registration.objects.get().name == "Anna de Vries"
    assert list(OutboxMessage.objects.values_list("subject", flat=True).order_by("pk")) == [
        "U bent aangemeld voor Keten 2027: bevestig uw e-mailadres",
        "Uw persoonlijke link voor Keten 2027",
    ]


def test_english_from_accept_language_for_messages_and_mails(post, edition: Edition) -> None:
    EditionFactory(slug="dicht", status=EditionStatus.REGISTRATION_CLOSED, title_en="Shut")
    created = post("open", PERSON, accept_language="en-GB,en;q=0.9,nl;q=0.5")
    assert created["Content-Language"] == "en"
    assert Registration.objects.get().language == "en"
    closed = post("dicht", PERSON, accept_language="en")
    assert (closed.status_code, closed.json()) == (
        409,
        {"message": "Registration for Shut is not open."},
    )
    # A language asked for in the body wins over the header.
    post("open", {**PERSON, "email": "b@example.org", "language": "nl"}, accept_language="en")
    assert Registration.objects.get(email="b@example.org").language == "nl"


def form_errors(data: dict[str, Any], language: str) -> dict[str, list[str]]:
    with translation.override(language):
        form = RegistrationForm({"language": "nl", **data})
        return {field: list(messages) for field, messages in form.errors.items()}


def test_missing_fields_get_the_forms_messages_in_dutch_by_default(post, edition: Edition) -> None:
    response = post("open", {})
    assert response.status_code == 422
    assert response.json() == {
        "errors": {
            "name": ["Dit veld is verplicht."],
            "email": ["Dit veld is verplicht."],
            "organisation": ["Dit veld is verplicht."],
        }
    }
    assert response.json()["errors"] == form_errors({}, "nl")
    assert nothing_written()


def test_bad_values_get_the_forms_messages_in_english(post, edition: Edition) -> None:
    body = {
        "name": "<script>alert(1)</script>",
        "email": "not-an-address",
        "organisation": "IND\u202e",
        "job_title": "Boss\x07",
        "language": "de",
    }
    response = post("open", body, accept_language="en")
    assert response.status_code == 422
    assert response.json() == {
        "errors": {
            "name": ["Angle brackets (< and >) are not allowed here."],
            "email": ["Enter a valid email address."],
            "organisation": ["Remove the invisible control characters from this text."],
            "job_title": ["Remove the invisible control characters from this text."],
            "language": ["Select a valid choice. de is not one of the available choices."],
        }
    }
    assert response.json()["errors"] == form_errors(body, "en")
    assert nothing_written()


@pytest.mark.parametrize(
    "name",
    ["Anna\x00de Vries", "Anna\tde Vries", "Anna\u200bde Vries", "Anna\x1b[31m"],
    ids=["nul", "tab", "zero-width-space", "escape"],
)
def test_control_characters_in_names_are_refused(post, edition: Edition, name: str) -> None:
    response = post("open", {**PERSON, "name": name}, accept_language="en")
    messages = ["Remove the invisible control characters from this text."]
    if "\x00" in name:
        messages.append("Null characters are not allowed.")
    assert (response.status_code, response.json()) == (422, {"errors": {"name": messages}})
    assert nothing_written()


def test_html_in_names_and_organisations_is_refused(post, edition: Edition) -> None:
    organisations = Organisation.objects.count()
    response = post(
        "open", {**PERSON, "name": "<b>Anna</b>", "organisation": "<img src=x onerror=alert(1)>"}
    )
    assert (response.status_code, response.json()) == (
        422,
        {
            "errors": {
                "name": ["Punthaken (< en >) zijn hier niet toegestaan."],
                "organisation": ["Punthaken (< en >) zijn hier niet toegestaan."],
            }
        },
    )
    assert Organisation.objects.count() == organisations
    assert nothing_written()


def test_absurdly_long_values_are_refused_with_the_limit(post, edition: Edition) -> None:
    response = post(
        "open",
        {
            **PERSON,
            "name": "A" * 151,
            "email": "a" * 100_000 + "@example.org",
        },
        accept_language="en",
    )
    assert (response.status_code, response.json()) == (
        422,
        {
            "errors": {
                "name": ["Ensure this value has at most 150 characters (it has 151)."],
                "email": [
                    "Enter a valid email address.",
                    "Ensure this value has at most 254 characters (it has 100012).",
                ],
            }
        },
    )
    assert nothing_written()


def test_a_body_larger_than_django_accepts_is_413(post, edition: Edition, settings) -> None:
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1_000
    response = post("open", {**PERSON, "job_title": "x" * 2_000}, accept_language="en")
    assert (response.status_code, response.json()) == (
        413,
        {"message": "The request is too large."},
    )
    assert nothing_written()


@pytest.mark.parametrize(
    ("body", "errors"),
    [
        ("{", {"__all__": ["Send a JSON object with the fields of the registration."]}),
        ("[1, 2]", {"__all__": ["Send a JSON object with the fields of the registration."]}),
        ('"Anna"', {"__all__": ["Send a JSON object with the fields of the registration."]}),
        (
            json.dumps({**PERSON, "name": 12, "needs_step_free": "yes", "organisation": ["IND"]}),
            {
                "name": ["Give this as text."],
                "organisation": ["Give this as text."],
                "needs_step_free": ["Give this as true or false."],
            },
        ),
    ],
    ids=["broken-json", "array", "string", "wrong-types"],
)
def test_bodies_of_the_wrong_shape_are_refused(post, edition, body: str, errors) -> None:
    response = post("open", body, raw=True, accept_language="en")
    assert (response.status_code, response.json()) == (422, {"errors": errors})
    assert nothing_written()


def test_null_for_an_optional_field_means_left_out(post, edition: Edition) -> None:
    response = post("open", {**PERSON, "job_title": None, "networking_consent": None})
    assert response.status_code == 201
    assert Registration.objects.values_list("job_title", "networking_consent").get() == ("", False)


def test_unknown_and_draft_editions_are_404(post) -> None:
    EditionFactory(slug="concept", status=EditionStatus.DRAFT)
    for slug in ("bestaat-niet", "concept"):
        response = post(slug, PERSON, accept_language="en")
        assert (response.status_code, response.json()) == (
            404,
            {"message": f"There is no public edition {slug}."},
        )
    assert nothing_written()


@pytest.mark.parametrize(
    "status",
    [
        EditionStatus.PUBLISHED,
        EditionStatus.REGISTRATION_CLOSED,
        EditionStatus.FINISHED,
        EditionStatus.ARCHIVED,
    ],
)
def test_an_edition_not_open_for_registration_is_409(post, status: str) -> None:
    EditionFactory(slug="later", status=status, title_nl="Keten 2028")
    response = post("later", {"name": "<bad>"})
    assert (response.status_code, response.json()) == (
        409,
        {"message": "De aanmelding voor Keten 2028 is niet open."},
    )
    assert nothing_written()


def test_no_csrf_token_or_cookie_is_needed(edition: Edition) -> None:
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        URL.format(slug="open"), json.dumps(PERSON), content_type="application/json"
    )
    assert response.status_code == 201
    assert response.cookies == {}


def test_each_address_is_limited_and_told_when_to_retry(
    post, edition: Edition, settings, client: Client
) -> None:
    settings.RATELIMIT = "3/d"
    statuses = [
        post("open", {**PERSON, "email": f"p{n}@example.org"}, accept_language="en").status_code
        for n in range(4)
    ]
    assert statuses == [201, 201, 201, 429]
    refused = post("open", {**PERSON, "email": "p9@example.org"}, accept_language="en")
    seconds = int(refused["Retry-After"])
    assert 1 <= seconds <= 86_400 + 5
    assert (refused.status_code, refused.json()) == (
        429,
        {"message": f"Too many requests from your address. Try again in {seconds} seconds."},
    )
    assert not Registration.objects.filter(email__in=["p3@example.org", "p9@example.org"]).exists()
    # Another address has its own count.
    other = client.post(
        URL.format(slug="open"),
        json.dumps({**PERSON, "email": "p10@example.org"}),
        content_type="application/json",
        REMOTE_ADDR="192.0.2.7",
    )
    assert other.status_code == 201


def test_the_limit_can_be_turned_off(post, edition: Edition, settings) -> None:
    settings.RATELIMIT = None
    statuses = {
        post("open", {**PERSON, "email": f"p{n}@example.org"}).status_code for n in range(70)
    }
    assert statuses == {201}


def test_a_repeated_registration_of_an_existing_participant_keeps_the_seat(
    post, edition: Edition
) -> None:
    existing = RegistrationFactory(edition=edition, email="anna@example.org")
    response = post("open", PERSON)
    assert (response.status_code, response.json()) == (200, {"status": "already_registered"})
    existing.refresh_from_db()
    assert existing.status == "registered"
