"""The download of one's own data holds what every part of ketenconf keeps about the person:
seats, networking, check-ins and survey quotes, never another participant's details, and no
survey answer (those are kept without the person)."""

from __future__ import annotations

import json

import pytest
from django.utils import timezone, translation

from ketenconf.allocation.models import Assignment, AssignmentRun, RunStatus
from ketenconf.evaluation import services as survey_services
from ketenconf.networking.models import NetworkingProfile
from tests.evaluation import make_survey_world
from tests.evaluation.test_survey_pages import personal_client

pytestmark = pytest.mark.django_db


def download(registration) -> dict:
    client = personal_client(registration)
    response = client.get(f"/en/{registration.edition.slug}/me/data.json")
    assert response.status_code == 200
    return json.loads(response.content)


def test_the_download_holds_every_part_and_only_the_persons_own() -> None:
    world = make_survey_world()
    anna, bram = world.people["anna"], world.people["bram"]
    q = world.questions
    survey_services.survey_send_invitations(survey=world.survey)
    with translation.override("en"):
        survey_services.survey_submit(
            survey=world.survey,
            registration=anna,
            answers={q["day"].pk: 4, q["takeaway"].pk: "Eerder bellen met de gemeente."},
            quote_consent=True,
        )
    NetworkingProfile.objects.create(registration=anna, interests=["return"], wanted_kinds=[])
    run = AssignmentRun.objects.create(
        edition=anna.edition, number=1, status=RunStatus.DONE, published_at=timezone.now()
    )
    for session in (world.sessions["terugkeer"], world.sessions["arbeid"]):
        Assignment.objects.create(run=run, registration=anna, block=session.block, session=session)

    data = download(anna)
    assert data["registration"]["email"] == "anna@example.org"
    assert [(s["round"], s["session"], s["room"]) for s in data["workshop_seats"]] == [
        ("Round 1", "Return", "Zaal A"),
        ("Round 2", "Labour migration", "Zaal C"),
    ]
    assert [(c["kind"], c["session"]) for c in data["check_ins"]] == [
        ("entry", None),
        ("room", "Return"),
        ("room", "Labour migration"),
    ]
    assert data["networking"]["profile"] == {"interests": ["return"], "wanted_kinds": []}
    survey = data["survey"]
    assert survey["invited_at"] and survey["answered_on"]
    assert survey["quotes"] == [
        {
            "question": "What do you take home?",
            "text": "Eerder bellen met de gemeente.",
            "shown": True,
        }
    ]
    text = json.dumps(data)
    assert "bram@example.org" not in text and "Bram" not in text
    # The anonymous answer (the rating 4) is not linked to her, so it is not in her download.
    assert '"rating"' not in text

    # Bram has check-ins and an invitation, no networking profile and no quote.
    other = download(bram)
    assert "networking" not in other and "workshop_seats" not in other
    assert other["survey"]["quotes"] == [] and other["survey"]["answered_on"] is None
    assert [c["session"] for c in other["check_ins"]] == [None, "Housing"]
    assert "anna" not in json.dumps(other).lower()


def test_someone_the_other_parts_know_nothing_about_gets_only_the_registration() -> None:
    world = make_survey_world()
    data = download(world.people["cor"])
    assert set(data) == {
        "edition",
        "registration",
        "preferences",
        "rounds_not_attended",
        "personal_links",
        "mails",
    }
