"""The past demo editions have a history a report can show: people came, sat, met and answered.

Each test loads the whole demo once; the invariants are those someone reading the report or
the back-office would notice.
"""

from collections import Counter
from datetime import time, timedelta
from statistics import mean, pstdev

import pytest
from django.utils import timezone

from ketenconf.allocation.models import Assignment, AssignmentRun
from ketenconf.checkin.models import CheckIn
from ketenconf.demo.load import demo_load
from ketenconf.evaluation.models import (
    Answer,
    QuestionKind,
    Quote,
    Response,
    Survey,
    SurveyInvitation,
)
from ketenconf.events.models import Edition
from ketenconf.mail.models import OutboxMessage
from ketenconf.networking.models import Meeting, MeetingStatus
from ketenconf.programme.models import Session
from ketenconf.registration.models import Registration
from ketenconf.registration.services import ANONYMOUS_NAME, editions_anonymise_expired

pytestmark = pytest.mark.django_db

PAST = ("ketenconferentie-2018", "van-migratie-tot-participatie-2024")


def share(part: int, whole: int) -> float:
    return part / whole


@pytest.mark.parametrize("slug", PAST)
def test_people_registered_came_in_the_morning_and_sat_in_their_workshops(loaded, slug):
    edition = Edition.objects.get(slug=slug)
    registrations = Registration.objects.filter(edition=edition)
    registered = registrations.count()
    assert 0.9 <= share(registered, edition.capacity) <= 1.0
    assert registrations.exclude(status="registered").count() == 0
    assert edition.seats_taken == registered

    entries = {
        c.registration_id: c.at for c in CheckIn.objects.filter(edition=edition, kind="entry")
    }
    assert 0.85 <= share(len(entries), registered) <= 0.90
    arrivals = [timezone.localtime(at).time() for at in entries.values()]
    in_the_morning = [t for t in arrivals if time(8, 15) <= t <= time(10, 0)]
    assert share(len(in_the_morning), len(arrivals)) >= 0.9
    quarters = Counter((t.hour, t.minute // 15) for t in in_the_morning)
    (busiest, _count), *_ = quarters.most_common(1)
    assert (9, 0) <= busiest <= (9, 30), "the peak is in the half hour before the opening"

    run = AssignmentRun.objects.get(edition=edition)
    assert run.status == "done" and run.objective == run.lower_bound, "solved, proven optimal"
    assert run.published_at is not None and run.published_at.date() < edition.start_date
    seats_of_comers = Assignment.objects.filter(run=run, registration_id__in=entries).count()

    rooms = list(CheckIn.objects.filter(edition=edition, kind="room"))
    assert 0.85 <= share(len(rooms), seats_of_comers) < 1.0, "most sat, a few skipped"
    for check_in in rooms:
        assert check_in.registration_id in entries, "only someone who came in sits in a room"
        assert check_in.at > entries[check_in.registration_id]
    seated = Counter(c.session_id for c in rooms)
    for session in Session.objects.filter(pk__in=seated).select_related("room"):
        assert seated[session.pk] <= (session.capacity or session.room.capacity)
    assigned = set(Assignment.objects.filter(run=run).values_list("registration_id", "session_id"))
    switched = sum(1 for c in rooms if (c.registration_id, c.session_id) not in assigned)
    assert 0 < switched < 0.1 * len(rooms), "a few sat in another session than assigned"

    accepted = Meeting.objects.filter(edition=edition, status=MeetingStatus.ACCEPTED)
    met = {pk for pair in accepted.values_list("first_id", "second_id") for pk in pair}
    assert met <= set(entries), "accepted meetings are between people who came"
    assert 0.1 <= share(len(met), len(entries)) <= 0.6
    for meeting in accepted.select_related("first", "second"):
        assert meeting.first.organisation_id != meeting.second.organisation_id


@pytest.mark.parametrize("slug", PAST)
def test_those_who_came_were_asked_and_about_forty_percent_answered_anonymously(loaded, slug):
    edition = Edition.objects.get(slug=slug)
    survey = Survey.objects.get(edition=edition)
    came = set(
        CheckIn.objects.filter(edition=edition, kind="entry").values_list(
            "registration_id", flat=True
        )
    )
    invitations = SurveyInvitation.objects.filter(survey=survey)
    assert set(invitations.values_list("registration_id", flat=True)) == came
    answered = invitations.filter(answered_at__isnull=False)
    assert 0.35 <= share(answered.count(), len(came)) <= 0.45
    # Only the day someone answered is kept, as the survey service keeps it.
    assert {
        timezone.localtime(a).time() for a in answered.values_list("answered_at", flat=True)
    } == {time(0, 0)}

    questions = list(survey.questions.all())
    assert all(q.text_nl and q.text_en for q in questions)
    assert {q.kind for q in questions} == set(QuestionKind.values)
    assert "What will you take back to your organisation?" in [
        q.text_en for q in questions if q.quotable
    ]

    # Anonymous: a response says only the kind of organisation and the day.
    responses = Response.objects.filter(survey=survey)
    assert {f.name for f in Response._meta.concrete_fields} == {
        "id",
        "survey",
        "organisation_kind",
        "submitted_on",
    }
    assert Counter(responses.values_list("organisation_kind", flat=True)) == Counter(
        answered.values_list("registration__organisation__kind", flat=True)
    )
    for day in responses.values_list("submitted_on", flat=True):
        assert edition.end_date < day <= survey.closes_on

    overall = [
        a.rating for a in Answer.objects.filter(question__survey=survey, question__position=1)
    ]
    assert len(overall) == responses.count()
    assert 3.3 <= mean(overall) <= 4.5 and pstdev(overall) >= 0.5
    assert set(overall) >= {2, 3, 4, 5}
    ratings = Answer.objects.filter(question__survey=survey, session__isnull=False)
    by_session: dict[int, list[int]] = {}
    for session_id, rating in ratings.values_list("session_id", "rating"):
        by_session.setdefault(session_id, []).append(rating)
    seated = Counter(
        CheckIn.objects.filter(edition=edition, kind="room").values_list("session_id", flat=True)
    )
    for session_id, values in by_session.items():
        assert len(values) <= seated[session_id], "only sessions people sat in are rated"
    means = [mean(values) for values in by_session.values() if len(values) >= 8]
    assert max(means) - min(means) >= 0.6, "some sessions were liked better than others"


def test_quotes_are_a_few_dozen_from_respondents_who_agreed_and_differ_per_edition(loaded):
    texts_by_edition = {}
    languages: Counter[str] = Counter()
    for slug in PAST:
        survey = Survey.objects.get(edition__slug=slug)
        quotes = list(Quote.objects.filter(survey=survey).select_related("registration"))
        assert 12 <= len(quotes) <= 30
        texts = [q.text for q in quotes]
        assert len(set(texts)) == len(texts)
        answered = set(
            SurveyInvitation.objects.filter(survey=survey, answered_at__isnull=False).values_list(
                "registration_id", flat=True
            )
        )
        written = set(
            Answer.objects.filter(question__survey=survey, question__quotable=True).values_list(
                "text", flat=True
            )
        )
        for quote in quotes:
            assert quote.question.quotable
            assert quote.registration_id in answered, "quoted only who answered and agreed"
            assert quote.text in written, "the quote is their own answer"
            organisation = quote.registration.organisation.short_name
            assert organisation not in quote.text, "nobody praises their own organisation"
        languages.update(q.registration.language for q in quotes)
        texts_by_edition[slug] = set(texts)
    assert not set.intersection(*texts_by_edition.values())
    assert languages["nl"] > languages["en"] >= 1, "in Dutch, and a few in English"


def test_past_editions_are_anonymised_as_the_retention_job_would_and_2027_is_untouched(loaded):
    for slug in PAST:
        edition = Edition.objects.get(slug=slug)
        registrations = Registration.objects.filter(edition=edition)
        expected = edition.end_date + timedelta(days=edition.retention_days + 1)
        assert (
            registrations.filter(
                name=ANONYMOUS_NAME, email__endswith="@invalid", networking_consent=False
            ).count()
            == registrations.count()
        )
        days = {timezone.localdate(r.anonymised_at) for r in registrations}
        assert days == {expected}
        # What the report shows survives: who came, where they sat, quotes by organisation.
        assert CheckIn.objects.filter(edition=edition).exists()
        assert Quote.objects.filter(survey__edition=edition).exists()
    # The retention job finds nothing left to do: the demo already did what it would.
    assert editions_anonymise_expired() == {}

    upcoming = Edition.objects.get(slug="ketenconferentie-2027")
    registrations = Registration.objects.filter(edition=upcoming)
    assert registrations.count() == 450
    assert not registrations.filter(anonymised_at__isnull=False).exists()
    assert not registrations.filter(name=ANONYMOUS_NAME).exists()
    assert not CheckIn.objects.filter(edition=upcoming).exists()
    assert not AssignmentRun.objects.filter(edition=upcoming).exists()
    assert not Survey.objects.filter(edition=upcoming).exists()
    assert not Meeting.objects.filter(edition=upcoming).exists()
    assert OutboxMessage.objects.count() == 0, "no mail pending or sent for the history"


HISTORY_MODELS = (
    Registration,
    AssignmentRun,
    Assignment,
    CheckIn,
    Meeting,
    Survey,
    SurveyInvitation,
    Response,
    Answer,
    Quote,
    OutboxMessage,
)


def test_loading_the_demo_again_changes_nothing(loaded):
    before = {model.__name__: model.objects.count() for model in HISTORY_MODELS}
    anonymised = list(Registration.objects.values_list("pk", "anonymised_at", "email"))
    again = demo_load()
    assert not again.changed
    assert {model.__name__: model.objects.count() for model in HISTORY_MODELS} == before
    assert list(Registration.objects.values_list("pk", "anonymised_at", "email")) == anonymised
