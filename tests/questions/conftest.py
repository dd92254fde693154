"""An edition open for registration with an organiser, a choice question and the defaults."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from ketenconf.events.models import Edition, EditionStatus, Organisation, OrganisationKind
from ketenconf.questions import services
from ketenconf.questions.models import Question
from tests.factories import EditionFactory, OrganisationFactory, UserFactory

LUNCH = [
    {"nl": "Vegetarisch", "en": "Vegetarian"},
    {"nl": "Vlees", "en": "Meat"},
    {"nl": "Geen lunch", "en": "No lunch"},
]


@dataclass
class World:
    edition: Edition
    organiser: Any
    lunch: Question
    municipality: Organisation
    ngo: Organisation


@pytest.fixture
def world(db: None) -> World:
    edition = EditionFactory(
        slug="keten-2027", title_nl="Ketenconferentie 2027", status=EditionStatus.REGISTRATION_OPEN
    )
    services.questions_add_defaults(edition=edition)
    lunch = services.question_create(
        edition=edition,
        kind="choice",
        text_nl="Welke lunch wilt u?",
        text_en="Which lunch would you like?",
        required=True,
        options=LUNCH,
    )
    return World(
        edition=edition,
        organiser=UserFactory(organisation=edition.lead_organisation),
        lunch=lunch,
        municipality=OrganisationFactory(
            name="Gemeente Utrecht", kind=OrganisationKind.MUNICIPALITY
        ),
        ngo=OrganisationFactory(name="VluchtelingenWerk", kind=OrganisationKind.NGO),
    )
