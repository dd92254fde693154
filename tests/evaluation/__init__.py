"""Tests of surveys and the report. ``make_survey_world`` builds an edition that is over, with
people who came and went to sessions, and a survey of every kind of question."""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from ketenconf.checkin.models import CheckIn, CheckInKind
from ketenconf.events.models import EditionStatus, OrganisationKind
from tests.factories import (
    BlockFactory,
    EditionFactory,
    OrganisationFactory,
    QuestionFactory,
    RegistrationFactory,
    RoomFactory,
    SeriesPartnerFactory,
    SessionFactory,
    SurveyFactory,
    TopicFactory,
    UserFactory,
    at,
)

_nonces = itertools.count()


def check_in(registration: Any, session: Any = None) -> None:
    CheckIn.objects.create(
        edition=registration.edition,
        registration=registration,
        kind=CheckInKind.ROOM if session else CheckInKind.ENTRY,
        session=session,
        door="1",
        at=timezone.now(),
        nonce=f"test-{next(_nonces)}",
    )


@dataclass
class SurveyWorld:
    edition: Any
    survey: Any
    questions: dict[str, Any]
    sessions: dict[str, Any]
    people: dict[str, Any]
    users: dict[str, Any]


def make_survey_world(
    *, days_ago: int = 7, slug: str = "keten-2026", prefix: str = ""
) -> SurveyWorld:
    """An edition that ended ``days_ago`` days ago (0: today).

    anna (Dutch, DT&V) and bram (English, Utrecht) came in at the entrance; anna sat in
    Terugkeer and Arbeidsmigratie, bram in Huisvesting. cor is registered but never came in;
    dina stayed on the waiting list; eva cancelled. The survey has one question of each kind
    and an optional, not quotable text; invitations have not gone out.
    """
    lead = OrganisationFactory(
        name=f"{prefix}Dienst Terugkeer en Vertrek",
        short_name=f"{prefix}DT&V",
        kind=OrganisationKind.NATIONAL_AGENCY,
    )
    partner = OrganisationFactory(
        name=f"{prefix}Gemeente Utrecht",
        short_name=f"{prefix}Utrecht",
        kind=OrganisationKind.MUNICIPALITY,
    )
    outsider = OrganisationFactory(
        name=f"{prefix}VluchtelingenWerk", short_name=f"{prefix}VWN", kind=OrganisationKind.NGO
    )
    day = timezone.localdate() - dt.timedelta(days=days_ago)
    edition = EditionFactory(
        slug=slug,
        start_date=day,
        lead_organisation=lead,
        status=EditionStatus.FINISHED,
        title_nl="Ketenconferentie 2026",
        title_en="Chain Conference 2026",
    )
    SeriesPartnerFactory(series=edition.series, organisation=lead, position=0)
    SeriesPartnerFactory(series=edition.series, organisation=partner, position=1)
    round_1 = BlockFactory(
        edition=edition, title_nl="Ronde 1", title_en="Round 1", start=at(day, 10), end=at(day, 11)
    )
    round_2 = BlockFactory(
        edition=edition, title_nl="Ronde 2", title_en="Round 2", start=at(day, 13), end=at(day, 14)
    )
    sessions = {}
    for key, block, room, nl, en in [
        ("terugkeer", round_1, "Zaal A", "Terugkeer", "Return"),
        ("huisvesting", round_1, "Zaal B", "Huisvesting", "Housing"),
        ("arbeid", round_2, "Zaal C", "Arbeidsmigratie", "Labour migration"),
    ]:
        sessions[key] = SessionFactory(
            edition=edition,
            block=block,
            room=RoomFactory(edition=edition, name=room),
            topic=TopicFactory(edition=edition, title_nl=nl, title_en=en),
        )
    people = {
        "anna": RegistrationFactory(
            edition=edition, name="Anna Jansen", email="anna@example.org", organisation=lead
        ),
        "bram": RegistrationFactory(
            edition=edition,
            name="Bram Bakker",
            email="bram@example.org",
            organisation=partner,
            language="en",
        ),
        "cor": RegistrationFactory(
            edition=edition, name="Cor de Wit", email="cor@example.org", organisation=lead
        ),
        "dina": RegistrationFactory(
            edition=edition,
            name="Dina Smit",
            email="dina@example.org",
            organisation=outsider,
            status="waitlisted",
        ),
        "eva": RegistrationFactory(
            edition=edition,
            name="Eva Visser",
            email="eva@example.org",
            organisation=outsider,
            status="cancelled",
        ),
    }
    check_in(people["anna"])
    check_in(people["bram"])
    check_in(people["anna"], sessions["terugkeer"])
    check_in(people["anna"], sessions["arbeid"])
    check_in(people["bram"], sessions["huisvesting"])
    survey = SurveyFactory(edition=edition, introduction_nl="Vertel ons hoe het was.")
    questions = {
        "day": QuestionFactory(
            survey=survey,
            position=1,
            kind="rating",
            text_nl="Hoe was de dag?",
            text_en="How was the day?",
            required=True,
        ),
        "heard": QuestionFactory(
            survey=survey,
            position=2,
            kind="choice",
            text_nl="Hoe hoorde u van de conferentie?",
            text_en="How did you hear of the conference?",
            choices_nl="Via collega's\nPer mail\nAnders",
            choices_en="From colleagues\nBy mail\nOther",
        ),
        "sessions": QuestionFactory(
            survey=survey,
            position=3,
            kind="session_rating",
            text_nl="Hoe waren de sessies?",
            text_en="How were the sessions?",
        ),
        "takeaway": QuestionFactory(
            survey=survey,
            position=4,
            kind="text",
            text_nl="Wat neemt u mee?",
            text_en="What do you take home?",
            quotable=True,
        ),
        "remarks": QuestionFactory(
            survey=survey,
            position=5,
            kind="text",
            text_nl="Verder nog iets?",
            text_en="Anything else?",
        ),
    }
    users = {
        "lead": UserFactory(organisation=lead),
        "partner": UserFactory(organisation=partner),
        "outsider": UserFactory(organisation=outsider),
    }
    return SurveyWorld(edition, survey, questions, sessions, people, users)
