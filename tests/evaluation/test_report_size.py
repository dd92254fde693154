"""The report on an edition of the size it is made for: 600 participants, 60 workshop sessions
(six rounds of ten rooms), room check-ins, a published run, meetings and a survey. The number of
queries does not grow with the edition, and who met whom is counted from the sessions'
attendance sets, not over pairs of people."""

from __future__ import annotations

import datetime as dt
import random
import time
from typing import Any

import pytest
from django.utils import timezone, translation

from ketenconf.allocation.adapter import problem_build
from ketenconf.allocation.models import Assignment, AssignmentRun, RunStatus
from ketenconf.checkin.models import CheckIn, CheckInKind
from ketenconf.evaluation.models import Answer, Question, QuestionKind, Response, Survey
from ketenconf.evaluation.report import edition_report
from ketenconf.evaluation.report_files import report_context, report_xlsx
from ketenconf.events.models import OrganisationKind
from ketenconf.networking.models import Meeting, MeetingStatus, NetworkingSlot, NetworkingTable
from ketenconf.programme.models import Session
from ketenconf.registration.models import Preference, Registration
from tests.factories import (
    BlockFactory,
    EditionFactory,
    OrganisationFactory,
    RoomFactory,
    TopicFactory,
    at,
)

pytestmark = pytest.mark.django_db

ROUNDS, ROOMS = 6, 10


def big_edition(people: int, *, seed: int = 7) -> Any:
    rng = random.Random(seed)
    kinds = list(OrganisationKind.values)
    organisations = [
        OrganisationFactory(name=f"Organisatie {n:03}", kind=kinds[n % len(kinds)])
        for n in range(80)
    ]
    edition = EditionFactory(lead_organisation=organisations[0], start_date=dt.date(2027, 4, 15))
    day = edition.start_date
    rooms = [RoomFactory(edition=edition, name=f"Zaal {n}", capacity=70) for n in range(ROOMS)]
    topics = [TopicFactory(edition=edition) for _n in range(ROOMS * 2)]
    sessions: list[list[Session]] = []
    for r in range(ROUNDS):
        block = BlockFactory(
            edition=edition, start=at(day, 9 + r), end=at(day, 9 + r, 50), title_en=f"Round {r}"
        )
        sessions.append(
            Session.objects.bulk_create(
                Session(
                    edition=edition, topic=topics[(r * 3 + n) % len(topics)], block=block, room=room
                )
                for n, room in enumerate(rooms)
            )
        )
    registrations = Registration.objects.bulk_create(
        Registration(
            edition=edition,
            email=f"p{n}@example.org",
            name=f"P {n}",
            organisation=rng.choice(organisations),
            status="registered",
        )
        for n in range(people)
    )
    Preference.objects.bulk_create(
        Preference(registration=person, topic=topic, rank=rank)
        for person in registrations
        for rank, topic in enumerate(rng.sample(topics, 5), start=1)
    )
    run = AssignmentRun.objects.create(
        edition=edition,
        number=1,
        status=RunStatus.DONE,
        problem=problem_build(edition=edition).problem.to_dict(),
        published_at=timezone.now(),
    )
    seats = [(person, rng.choice(row)) for person in registrations for row in sessions]
    Assignment.objects.bulk_create(
        Assignment(
            run=run,
            registration=person,
            block_id=s.block_id,
            session=s,
            rank=rng.choice([1, 2, 3, None]),
        )
        for person, s in seats
    )
    now = timezone.now()
    came = registrations[: int(people * 0.95)]
    CheckIn.objects.bulk_create(
        [
            CheckIn(
                edition=edition, registration=p, kind=CheckInKind.ENTRY, at=now, nonce=f"e{p.pk}"
            )
            for p in came
        ]
        + [
            CheckIn(
                edition=edition,
                registration=p,
                kind=CheckInKind.ROOM,
                session=s,
                at=now,
                nonce=f"r{p.pk}-{s.pk}",
            )
            for p, s in seats
            if p in set(came)
        ]
    )
    networking = BlockFactory(
        edition=edition, kind="networking", start=at(day, 17), end=at(day, 18)
    )
    slot = NetworkingSlot.objects.create(
        edition=edition, block=networking, start=at(day, 17), end=at(day, 17, 15)
    )
    table = NetworkingTable.objects.create(edition=edition, number=1)
    # One slot: everyone meets one other person, at most.
    order = rng.sample(range(people), people)
    pairs = [tuple(sorted(order[n : n + 2])) for n in range(0, people - 1, 2)]
    Meeting.objects.bulk_create(
        Meeting(
            edition=edition,
            slot=slot,
            table=table,
            first=registrations[a],
            second=registrations[b],
            status=MeetingStatus.ACCEPTED,
        )
        for a, b in pairs
    )
    survey = Survey.objects.create(edition=edition)
    overall = Question.objects.create(
        survey=survey, position=1, kind=QuestionKind.RATING, text_en="Overall"
    )
    rated = Question.objects.create(
        survey=survey, position=2, kind=QuestionKind.SESSION_RATING, text_en="Sessions"
    )
    responses = Response.objects.bulk_create(
        Response(survey=survey, submitted_on=dt.date(2027, 4, 16)) for _n in range(people * 2 // 3)
    )
    everything = [s for row in sessions for s in row]
    Answer.objects.bulk_create(
        [Answer(response=r, question=overall, rating=rng.randint(1, 5)) for r in responses]
        + [
            Answer(response=r, question=rated, session=s, rating=rng.randint(1, 5))
            for r in responses
            for s in rng.sample(everything, 3)
        ]
    )
    return edition


@pytest.mark.parametrize("people", [150, 600])
def test_queries_do_not_grow_with_the_edition(
    people: int, django_assert_max_num_queries: Any
) -> None:
    edition = big_edition(people)
    with django_assert_max_num_queries(25) as queries, translation.override("en"):
        report = edition_report(edition=edition)
    print(f"report of {people} participants: {len(queries.captured_queries)} queries")
    assert report.participation.registered == people
    assert len(report.workshops.fill) == ROUNDS * ROOMS


def test_600_participants_and_60_sessions_in_well_under_a_second_or_two() -> None:
    edition = big_edition(600)
    with translation.override("en"):
        started = time.perf_counter()
        report = edition_report(edition=edition)
        computed = time.perf_counter() - started
        context = report_context(report)
        report_xlsx(report)
        drawn = time.perf_counter() - started
    assert report.encounters.pairs > 2000
    assert len(context["charts"].fill) == 4  # sixty sessions, eighteen to a chart of a page
    print(
        f"report of 600 participants: computed in {computed:.2f}s, charts and workbook {drawn:.2f}s"
    )
    assert computed < 3.0
