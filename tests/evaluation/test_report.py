"""The conference report computed on an edition the test builds, each figure checked against
what the test put in (the pairs of organisations that met counted again, by brute force over
pairs of people)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from itertools import combinations
from typing import Any

import pytest
from django.utils import timezone, translation

from ketenconf.allocation.adapter import problem_build
from ketenconf.allocation.models import Assignment, AssignmentRun, RunStatus
from ketenconf.checkin.models import CheckIn, CheckInKind
from ketenconf.evaluation.models import (
    Answer,
    Question,
    QuestionKind,
    Quote,
    Response,
    Survey,
)
from ketenconf.evaluation.report import edition_report
from ketenconf.networking.models import Meeting, MeetingStatus, NetworkingSlot, NetworkingTable
from ketenconf.programme.models import Session
from ketenconf.registration.models import Preference, Registration
from tests.factories import (
    BlockFactory,
    EditionFactory,
    OrganisationFactory,
    RegistrationFactory,
    RoomFactory,
    SeriesPartnerFactory,
    SessionFactory,
    TopicFactory,
    UserFactory,
    at,
)

pytestmark = pytest.mark.django_db


@dataclass
class Built:
    edition: Any
    earlier: Any
    organiser: Any
    organisations: dict[str, Any]
    people: dict[str, Registration]
    sessions: dict[str, Session]
    run: AssignmentRun
    survey: Survey
    questions: dict[str, Question]


_counter = iter(range(1_000_000))


def check_in(person: Registration, session: Session | None = None) -> CheckIn:
    return CheckIn.objects.create(
        edition_id=person.edition_id,
        registration=person,
        kind=CheckInKind.ROOM if session else CheckInKind.ENTRY,
        session=session,
        at=timezone.now(),
        nonce=f"n{next(_counter)}",
    )


def answer_survey(survey: Survey, kind: str, answers: dict[Any, Any]) -> Response:
    """One response: {question: value} and {(question, session): rating}."""
    response = Response.objects.create(
        survey=survey, organisation_kind=kind, submitted_on=dt.date(2027, 4, 16)
    )
    for key, value in answers.items():
        question, session = key if isinstance(key, tuple) else (key, None)
        fields: dict[str, Any] = {"session": session}
        if question.kind in (QuestionKind.RATING, QuestionKind.SESSION_RATING):
            fields["rating"] = value
        elif question.kind == QuestionKind.CHOICE:
            fields["choice"] = value
        else:
            fields["text"] = value
        Answer.objects.create(response=response, question=question, **fields)
    return response


#: Who has which preferences and seats: person → (organisation, [topics ranked], [seats]).
PEOPLE = {
    "ind1": ("IND", "TAH", ["S1", "S3"]),
    "ind2": ("IND", "HA", ["S2", "S3"]),
    "coa1": ("COA", "HT", ["S1", "S4"]),
    "gem1": ("GEM", "TH", ["S1", "S4"]),
    "gem2": ("GEM", "TAH", ["S2", "S3"]),
    "vwn1": ("VWN", "", ["S2", "S3"]),
    "pol1": ("POL", "T", ["S1", "S4"]),
    "coa2": ("COA", "TA", ["S2", "S3"]),
}
#: Who came in at the entrance (pol1 and coa2 did not), and who was checked in at which room.
ENTERED = ["ind1", "ind2", "coa1", "gem1", "gem2", "vwn1"]
ROOMS = {
    "S1": ["ind1", "coa1", "gem1"],
    "S2": ["ind2", "gem2", "vwn1"],
    "S3": ["ind1", "ind2", "vwn1"],
    "S4": ["coa1", "gem1"],
    "K": ENTERED,
}
#: Networking meetings: (first, second, status).
MEETINGS = [
    ("coa1", "vwn1", MeetingStatus.ACCEPTED),
    ("ind1", "ind2", MeetingStatus.ACCEPTED),
    ("gem2", "pol1", MeetingStatus.ACCEPTED),
    ("ind1", "coa2", MeetingStatus.DECLINED),
]


def build(*, room_check_ins: bool = True) -> Built:
    organisations = {
        "IND": OrganisationFactory(
            name="Immigratie- en Naturalisatiedienst",
            short_name="IND",
            kind="national_agency",
            chain_links=["asylum_procedure", "return"],
        ),
        "COA": OrganisationFactory(
            name="Centraal Orgaan opvang asielzoekers",
            short_name="COA",
            kind="national_agency",
            chain_links=["reception", "housing"],
        ),
        "GEM": OrganisationFactory(
            name="Gemeente Utrecht",
            short_name="",
            kind="municipality",
            chain_links=["housing", "integration"],
        ),
        "VWN": OrganisationFactory(
            name="VluchtelingenWerk", short_name="", kind="ngo", chain_links=["integration"]
        ),
        "POL": OrganisationFactory(name="Politie", short_name="", kind="police", chain_links=[]),
    }
    lead = organisations["IND"]
    edition = EditionFactory(
        slug="ketenconferentie-2027",
        lead_organisation=lead,
        title_nl="Ketenconferentie 2027",
        title_en="Chain Conference 2027",
        start_date=dt.date(2027, 4, 15),
    )
    series = edition.series
    SeriesPartnerFactory(series=series, organisation=lead, position=1)
    organiser = UserFactory(organisation=lead, username="organisator")
    day = edition.start_date
    room_a = RoomFactory(edition=edition, name="Zaal A", capacity=5)
    room_b = RoomFactory(edition=edition, name="Zaal B", capacity=4)
    hall = RoomFactory(edition=edition, name="Grote zaal", capacity=600)
    plenary = BlockFactory(
        edition=edition, kind="plenary", title_en="Opening", start=at(day, 9), end=at(day, 10)
    )
    round_1 = BlockFactory(
        edition=edition, title_en="Round 1", start=at(day, 10, 30), end=at(day, 11, 30)
    )
    round_2 = BlockFactory(edition=edition, title_en="Round 2", start=at(day, 13), end=at(day, 14))
    topics = {
        "T": TopicFactory(edition=edition, title_nl="Terugkeer", title_en="Return"),
        "H": TopicFactory(edition=edition, title_nl="Huisvesting", title_en="Housing"),
        "A": TopicFactory(edition=edition, title_nl="Arbeidsmigratie", title_en="Labour migration"),
        "K": TopicFactory(edition=edition, kind="keynote", title_nl="Welkom", title_en="Welcome"),
    }
    sessions = {
        "K": SessionFactory(edition=edition, topic=topics["K"], block=plenary, room=hall),
        "S1": SessionFactory(edition=edition, topic=topics["T"], block=round_1, room=room_a),
        "S2": SessionFactory(edition=edition, topic=topics["H"], block=round_1, room=room_b),
        "S3": SessionFactory(edition=edition, topic=topics["A"], block=round_2, room=room_a),
        "S4": SessionFactory(edition=edition, topic=topics["H"], block=round_2, room=room_b),
    }
    people = {}
    for name, (organisation, ranked, _seats) in PEOPLE.items():
        person = RegistrationFactory(
            edition=edition, name=name.upper(), organisation=organisations[organisation]
        )
        for rank, key in enumerate(ranked, start=1):
            Preference.objects.create(registration=person, topic=topics[key], rank=rank)
        people[name] = person
    RegistrationFactory(edition=edition, organisation=organisations["POL"], status="waitlisted")
    RegistrationFactory(edition=edition, organisation=organisations["GEM"], status="cancelled")

    run = AssignmentRun.objects.create(
        edition=edition,
        number=1,
        status=RunStatus.DONE,
        problem=problem_build(edition=edition).problem.to_dict(),
        published_at=timezone.now(),
    )
    for name, (_organisation, ranked, seats) in PEOPLE.items():
        for key in seats:
            session = sessions[key]
            letter = next(k for k, t in topics.items() if t.pk == session.topic_id)
            Assignment.objects.create(
                run=run,
                registration=people[name],
                block=session.block,
                session=session,
                rank=ranked.index(letter) + 1 if letter in ranked else None,
            )
    for name in ENTERED:
        check_in(people[name])
    if room_check_ins:
        for key, names in ROOMS.items():
            for name in names:
                check_in(people[name], sessions[key])

    networking = BlockFactory(
        edition=edition,
        kind="networking",
        title_en="Networking",
        start=at(day, 15),
        end=at(day, 16),
    )
    slot = NetworkingSlot.objects.create(
        edition=edition, block=networking, start=at(day, 15), end=at(day, 15, 15)
    )
    table = NetworkingTable.objects.create(edition=edition, number=1)
    for first, second, status in MEETINGS:
        a, b = sorted([people[first], people[second]], key=lambda r: r.pk)
        Meeting.objects.create(
            edition=edition, slot=slot, table=table, first=a, second=b, status=status
        )

    survey = Survey.objects.create(edition=edition)
    questions = {
        "overall": Question.objects.create(
            survey=survey, position=1, kind=QuestionKind.RATING, text_en="The day overall"
        ),
        "again": Question.objects.create(
            survey=survey,
            position=2,
            kind=QuestionKind.CHOICE,
            text_en="Would you come again?",
            # Answers keep the Dutch wording; the report labels them in its own language.
            choices_nl="Ja\nNee\nMisschien",
            choices_en="Yes\nNo\nMaybe",
        ),
        "words": Question.objects.create(
            survey=survey,
            position=3,
            kind=QuestionKind.TEXT,
            text_en="What did you take home?",
            quotable=True,
        ),
        "sessions": Question.objects.create(
            survey=survey, position=4, kind=QuestionKind.SESSION_RATING, text_en="The sessions"
        ),
        "venue": Question.objects.create(
            survey=survey, position=5, kind=QuestionKind.RATING, text_en="The venue"
        ),
    }
    q, s = questions, sessions
    answer_survey(
        survey,
        "national_agency",
        {
            q["overall"]: 5,
            q["again"]: "Ja",
            q["words"]: "Great network, thanks Jan from room B",
            (q["sessions"], s["S1"]): 4,
            (q["sessions"], s["S2"]): 5,
            q["venue"]: 3,
        },
    )
    answer_survey(
        survey,
        "municipality",
        {
            q["overall"]: 4,
            q["again"]: "Ja",
            q["words"]: "",
            (q["sessions"], s["S1"]): 5,
            (q["sessions"], s["S2"]): 4,
            q["venue"]: 4,
        },
    )
    answer_survey(
        survey,
        "ngo",
        {
            q["overall"]: 4,
            q["again"]: "Misschien",
            q["words"]: "Met the municipality people",
            (q["sessions"], s["S1"]): 3,
            (q["sessions"], s["S3"]): 2,
        },
    )
    answer_survey(
        survey, "municipality", {q["overall"]: 3, q["again"]: "Nee", (q["sessions"], s["S1"]): 2}
    )
    answer_survey(survey, "", {q["overall"]: 5})
    Quote.objects.create(
        survey=survey, question=q["words"], registration=people["ind1"], text="Best edition so far"
    )
    Quote.objects.create(
        survey=survey,
        question=q["words"],
        registration=people["gem1"],
        text="Words the organisers left out",
        shown=False,
    )
    Quote.objects.create(
        survey=survey,
        question=q["words"],
        registration=people["coa1"],
        text="The chain in one room",
    )
    Registration.objects.filter(pk=people["coa1"].pk).update(name="—", anonymised_at=timezone.now())

    earlier = make_earlier(series=series, organisations=organisations)
    # Neither a later edition of the series nor an edition of another series is compared.
    EditionFactory(
        series=series,
        slug="ketenconferentie-2029",
        start_date=dt.date(2029, 4, 1),
        lead_organisation=lead,
    )
    EditionFactory(
        slug="ander-congres-2020", start_date=dt.date(2020, 1, 1), lead_organisation=lead
    )
    return Built(
        edition=edition,
        earlier=earlier,
        organiser=organiser,
        organisations=organisations,
        people=people,
        sessions=sessions,
        run=run,
        survey=survey,
        questions=questions,
    )


def make_earlier(*, series: Any, organisations: dict[str, Any]) -> Any:
    """The 2024 edition: three registered, two came in; a survey rated 3, 4 and 5 overall."""
    earlier = EditionFactory(
        series=series,
        slug="ketenconferentie-2024",
        title_en="Chain Conference 2024",
        start_date=dt.date(2024, 5, 30),
        lead_organisation=organisations["COA"],
    )
    came = [
        RegistrationFactory(edition=earlier, organisation=organisations["COA"]),
        RegistrationFactory(edition=earlier, organisation=organisations["GEM"]),
    ]
    RegistrationFactory(edition=earlier, organisation=organisations["POL"])
    for person in came:
        check_in(person)
    survey = Survey.objects.create(edition=earlier)
    overall = Question.objects.create(
        survey=survey, position=1, kind=QuestionKind.RATING, text_en="The day overall"
    )
    for rating in (3, 4, 5):
        answer_survey(survey, "", {overall: rating})
    return earlier


def pairs_met_by_brute_force(built: Built) -> set[frozenset[str]]:
    """Organisation pairs, counted over every pair of people: workshop rooms and meetings."""
    organisation = {name: PEOPLE[name][0] for name in PEOPLE}
    met: set[frozenset[str]] = set()
    for first, second in combinations(PEOPLE, 2):
        if organisation[first] == organisation[second]:
            continue
        together = any(
            first in names and second in names for key, names in ROOMS.items() if key != "K"
        )
        meeting = any(
            {first, second} == {a, b} and status == MeetingStatus.ACCEPTED
            for a, b, status in MEETINGS
        )
        if together or meeting:
            met.add(frozenset({organisation[first], organisation[second]}))
    return met


@pytest.fixture
def built() -> Built:
    return build()


def report_of(edition: Any) -> Any:
    with translation.override("en"):
        return edition_report(edition=edition)


def test_registrations_attendance_and_no_shows_by_kind_and_link(built: Built) -> None:
    report = report_of(built.edition)
    p = report.participation
    assert (p.checked_in, p.registered, p.attended, p.no_shows) == (True, 8, 6, 2)
    assert (p.waitlisted, p.cancelled, p.no_show_percent) == (1, 1, 25.0)
    assert [(r.label, r.registered, r.attended, r.no_shows) for r in p.by_kind] == [
        ("national agency", 4, 3, 1),  # IND 2 came; COA: coa1 came, coa2 did not
        ("municipality", 2, 2, 0),
        ("police", 1, 0, 1),
        ("NGO", 1, 1, 0),
    ]
    # Every link of the organisation counts: COA and the municipality both work on housing.
    assert [(r.label, r.registered, r.attended, r.no_shows) for r in p.by_link] == [
        ("reception", 2, 1, 1),
        ("asylum procedure", 2, 2, 0),
        ("housing", 4, 3, 1),
        ("integration and participation", 3, 3, 0),
        ("return", 2, 2, 0),
        ("no link given", 1, 0, 1),
    ]


def test_no_shows_wait_for_the_first_check_in(built: Built) -> None:
    CheckIn.objects.filter(edition=built.edition).delete()
    p = report_of(built.edition).participation
    assert (p.checked_in, p.registered, p.attended, p.no_shows) == (False, 8, 0, None)
    assert {row.no_shows for row in p.by_kind} == {None}


def test_workshop_fill_from_the_room_doors_and_preferences_from_the_published_run(
    built: Built,
) -> None:
    w = report_of(built.edition).workshops
    assert w.source == "rooms"
    # The keynote is not a workshop; present from the room doors, assigned from the run.
    assert [
        (f.session.title, f.session.capacity, f.assigned, f.present, f.percent) for f in w.fill
    ] == [
        ("Return", 5, 4, 3, 60.0),
        ("Housing", 4, 4, 3, 75.0),
        ("Labour migration", 5, 5, 3, 60.0),
        ("Housing", 4, 3, 2, 50.0),
    ]
    ranks = Counter(Assignment.objects.filter(run=built.run).values_list("rank", flat=True))
    first = set(
        Assignment.objects.filter(run=built.run, rank=1).values_list("registration", flat=True)
    )
    wanting = {name for name, (_o, ranked, _s) in PEOPLE.items() if ranked}
    s = w.satisfaction
    assert s is not None
    assert (s.first_choice, s.with_preferences) == (len(first), len(wanting)) == (5, 7)
    assert s.first_choice_percent == 71.4
    assert s.worst_rank == 3
    assert (
        [(row.label, row.count) for row in s.ranks]
        == [
            ("choice 1", ranks[1]),
            ("choice 2", ranks[2]),
            ("choice 3", ranks[3]),
            ("not chosen", ranks[None]),
            ("no session", 0),
        ]
        == [("choice 1", 5), ("choice 2", 6), ("choice 3", 1), ("not chosen", 4), ("no session", 0)]
    )


def test_without_room_check_ins_the_published_seats_of_those_who_came_in_count() -> None:
    built = build(room_check_ins=False)
    w = report_of(built.edition).workshops
    assert w.source == "assignment"
    # pol1 and coa2 did not come in: their seats do not count as present.
    assert [(f.assigned, f.present) for f in w.fill] == [(4, 3), (4, 3), (5, 4), (3, 2)]


def test_ratings_hide_what_fewer_than_three_gave(built: Built) -> None:
    survey = report_of(built.edition).survey
    assert survey is not None
    assert survey.responses == 5
    by_session = {r.session.pk: r.summary for r in survey.sessions}
    s = built.sessions
    assert (by_session[s["S1"].pk].count, by_session[s["S1"].pk].mean) == (4, 3.5)
    assert by_session[s["S1"].pk].distribution == [("1", 0), ("2", 1), ("3", 1), ("4", 1), ("5", 1)]
    # Two ratings of S2 and one of S3: only the count.
    assert (by_session[s["S2"].pk].count, by_session[s["S2"].pk].mean) == (2, None)
    assert by_session[s["S2"].pk].distribution is None
    assert (by_session[s["S3"].pk].count, by_session[s["S3"].pk].mean) == (1, None)
    assert s["S4"].pk not in by_session
    questions = {q.pk: q for q in survey.questions}
    overall = questions[built.questions["overall"].pk]
    assert overall.summary is not None
    assert (overall.summary.count, overall.summary.mean) == (5, 4.2)
    assert overall.summary.distribution == [("1", 0), ("2", 0), ("3", 1), ("4", 2), ("5", 2)]
    again = questions[built.questions["again"].pk].summary
    assert again is not None and again.distribution == [("Yes", 2), ("No", 1), ("Maybe", 1)]
    with translation.override("nl"):
        dutch = {q.pk: q for q in edition_report(edition=built.edition).survey.questions}
    assert dutch[built.questions["again"].pk].summary.distribution == [
        ("Ja", 2),
        ("Nee", 1),
        ("Misschien", 1),
    ]
    venue = questions[built.questions["venue"].pk].summary
    assert venue is not None and (venue.count, venue.mean, venue.distribution) == (2, None, None)
    # Two free-text answers with words in them (one was left empty): counted, not kept.
    words = questions[built.questions["words"].pk]
    assert (words.summary, words.texts) == (None, 2)


def test_quotes_only_shown_ones_by_name_or_organisation_after_anonymising(built: Built) -> None:
    survey = report_of(built.edition).survey
    assert survey is not None
    assert [(q.text, q.byline) for q in survey.quotes] == [
        ("Best edition so far", "IND1, IND"),
        ("The chain in one room", "a participant of COA"),
    ]


def test_who_met_whom(built: Built) -> None:
    e = report_of(built.edition).encounters
    met = pairs_met_by_brute_force(built)
    kind = {key: org.kind for key, org in built.organisations.items()}
    assert e.pairs == len(met) == 7
    assert e.cross_kind_pairs == sum(1 for pair in met if len({kind[o] for o in pair}) == 2) == 6
    assert (e.workshop_pairs, e.meeting_pairs, e.organisations) == (5, 2, 5)
    assert e.kinds == [
        ("national_agency", "national agency"),
        ("municipality", "municipality"),
        ("police", "police"),
        ("ngo", "NGO"),
    ]
    expected: Counter[tuple[str, str]] = Counter()
    for pair in met:
        a, b = sorted(pair)
        expected[(kind[a], kind[b])] += 1
        if kind[a] != kind[b]:
            expected[(kind[b], kind[a])] += 1
    assert e.matrix == [[expected[(k1, k2)] for k2, _l in e.kinds] for k1, _l in e.kinds]
    assert e.matrix == [[1, 2, 0, 2], [2, 0, 1, 1], [0, 1, 0, 0], [2, 1, 0, 0]]
    assert sum(e.matrix[i][j] for i in range(4) for j in range(i, 4)) == e.pairs
    # The municipality met COA (S1, S4) and IND (S1, S2) in two workshops each.
    assert [(r.first.name, r.second.name, r.workshops, r.meetings) for r in e.top[:2]] == [
        ("COA", "Gemeente Utrecht", 2, 0),
        ("Gemeente Utrecht", "IND", 2, 0),
    ]
    assert len(e.top) == 7


def test_comparison_with_earlier_editions_of_the_series(built: Built) -> None:
    rows = report_of(built.edition).comparison
    assert [
        (
            r.title,
            r.registered,
            r.attended,
            r.no_show_percent,
            r.first_choice_percent,
            r.pairs,
            r.overall_rating,
            r.current,
        )
        for r in rows
    ] == [
        ("Chain Conference 2024", 3, 2, 33.3, None, 0, 4.0, False),
        ("Chain Conference 2027", 8, 6, 25.0, 71.4, 7, 4.2, True),
    ]
