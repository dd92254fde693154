"""Surveys in the services: who is invited and how often, what an answer must be, that it is
taken once, and what is (not) kept about the person."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext

from ketenconf.evaluation import services
from ketenconf.evaluation.models import Answer, Quote, Response, SurveyInvitation
from ketenconf.evaluation.selectors import SurveyState, survey_counts, survey_quotes
from ketenconf.mail.models import OutboxMessage
from ketenconf.registration import services as registration_services
from ketenconf.registration.models import AccessToken
from tests.evaluation import SurveyWorld, check_in, make_survey_world
from tests.factories import QuestionFactory, RegistrationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world() -> SurveyWorld:
    return make_survey_world()


@pytest.fixture
def opened(world: SurveyWorld) -> SurveyWorld:
    services.survey_send_invitations(survey=world.survey)
    world.survey.refresh_from_db()
    return world


def good_answers(world: SurveyWorld, **changes: object) -> dict[int, object]:
    """anna's answers, with a question's answer changed or left out (None) by its key."""
    q = world.questions
    s = world.sessions
    answers: dict[str, object] = {
        "day": "4",
        "heard": "Per mail",
        "sessions": {s["terugkeer"].pk: "5", s["arbeid"].pk: 3},
        "takeaway": "Korte lijnen met de gemeente.\nEn koffie.",
        "remarks": "",
    }
    answers.update(changes)
    return {q[key].pk: value for key, value in answers.items() if value is not None}


def submit(world: SurveyWorld, who: str = "anna", consent: bool = False, **changes: object) -> Any:
    return services.survey_submit(
        survey=world.survey,
        registration=world.people[who],
        answers=good_answers(world, **changes),
        quote_consent=consent,
    )


def problems(world: SurveyWorld, **changes: object) -> dict[str, list[str]]:
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        submit(world, **changes)
    assert Response.objects.count() == 0
    assert Answer.objects.count() == 0
    assert SurveyInvitation.objects.filter(answered_at__isnull=False).count() == 0
    return caught.value.message_dict


# --- Invitations ------------------------------------------------------------------------------


def test_invitations_go_to_those_who_came_once_each_in_their_language(world: SurveyWorld) -> None:
    assert services.survey_send_invitations(survey=world.survey) == 2
    invited = SurveyInvitation.objects.filter(survey=world.survey, invited_at__isnull=False)
    assert sorted(i.registration.name for i in invited) == ["Anna Jansen", "Bram Bakker"]
    mails = {m.to: m for m in OutboxMessage.objects.all()}
    assert sorted(mails) == ["anna@example.org", "bram@example.org"]
    with translation.override("nl"):
        dutch_subject = gettext("How was %(edition)s? A short survey") % {
            "edition": "Ketenconferentie 2026"
        }
    assert mails["anna@example.org"].subject == dutch_subject
    assert (mails["anna@example.org"].language, mails["bram@example.org"].language) == ("nl", "en")
    assert mails["bram@example.org"].subject == "How was Chain Conference 2026? A short survey"
    assert "/en/keten-2026/me/link/" in mails["bram@example.org"].body_text
    assert "/keten-2026/me/link/" in mails["anna@example.org"].body_text
    assert "/en/" not in mails["anna@example.org"].body_text
    assert "/en/keten-2026/me/link/" in mails["bram@example.org"].body_html
    assert AccessToken.objects.filter(registration=world.people["anna"]).count() == 1
    world.survey.refresh_from_db()
    assert world.survey.invitations_sent_at is not None

    # Again: nobody is mailed twice; a late check-in is invited, the others are not.
    assert services.survey_send_invitations(survey=world.survey) == 0
    check_in(world.people["cor"])
    assert services.survey_send_invitations(survey=world.survey) == 1
    assert sorted(OutboxMessage.objects.values_list("to", flat=True)) == [
        "anna@example.org",
        "bram@example.org",
        "cor@example.org",
    ]
    assert survey_counts(survey=world.survey).invited == 3


def test_without_entrance_check_in_every_registered_participant_is_invited(
    world: SurveyWorld,
) -> None:
    from ketenconf.checkin.models import CheckIn

    CheckIn.objects.filter(kind="entry").delete()
    assert services.survey_send_invitations(survey=world.survey) == 3
    assert sorted(OutboxMessage.objects.values_list("to", flat=True)) == [
        "anna@example.org",
        "bram@example.org",
        "cor@example.org",
    ]


def test_no_invitations_before_the_edition_is_over_or_without_questions() -> None:
    world = make_survey_world(days_ago=0)
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        services.survey_send_invitations(survey=world.survey)
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    with translation.override("en"):
        shown = date_format(tomorrow)
    assert caught.value.messages == [
        f"Invitations can go out after the last day of the edition, from {shown}."
    ]
    # The day after, it works; a survey without questions still cannot.
    later = timezone.now() + dt.timedelta(days=1)
    world.survey.questions.all().delete()
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        services.survey_send_invitations(survey=world.survey, now=later)
    assert caught.value.messages == ["Add at least one question before inviting anyone."]
    assert OutboxMessage.objects.count() == 0
    assert SurveyInvitation.objects.count() == 0


# --- Answers ----------------------------------------------------------------------------------


def test_an_answer_is_stored_without_the_person(opened: SurveyWorld) -> None:
    world = opened
    response = submit(world)
    assert response.organisation_kind == "national_agency"
    assert response.submitted_on == timezone.localdate()
    # Nothing on the response row points at anna, and nothing finer than the day.
    columns = {f.column for f in Response._meta.concrete_fields}
    assert columns == {"id", "survey_id", "organisation_kind", "submitted_on"}
    answers = {
        (a.question_id, a.session_id): (a.rating, a.choice, a.text)
        for a in Answer.objects.filter(response=response)
    }
    q, s = world.questions, world.sessions
    assert answers == {
        (q["day"].pk, None): (4, "", ""),
        (q["heard"].pk, None): (None, "Per mail", ""),
        (q["sessions"].pk, s["terugkeer"].pk): (5, "", ""),
        (q["sessions"].pk, s["arbeid"].pk): (3, "", ""),
        (q["takeaway"].pk, None): (None, "", "Korte lijnen met de gemeente.\nEn koffie."),
    }
    invitation = SurveyInvitation.objects.get(registration=world.people["anna"])
    # When anna answered is kept to the day: it cannot be matched to the order of responses.
    assert timezone.localtime(invitation.answered_at).time() == dt.time(0, 0)
    assert Quote.objects.count() == 0
    counts = survey_counts(survey=world.survey)
    assert (counts.invited, counts.answered, counts.response_rate) == (2, 1, 0.5)


def test_one_response_per_participant(opened: SurveyWorld) -> None:
    submit(opened)
    with translation.override("en"), pytest.raises(services.SurveyUnavailable) as caught:
        submit(opened, day="1")
    assert caught.value.state == SurveyState.ANSWERED
    assert str(caught.value) == "You have answered this survey already. Thank you!"
    assert Response.objects.count() == 1
    assert list(Answer.objects.filter(question=opened.questions["day"]).values_list("rating")) == [
        (4,)
    ]


def test_a_registered_participant_who_was_not_invited_may_answer_once(
    opened: SurveyWorld,
) -> None:
    cor = opened.people["cor"]
    assert not SurveyInvitation.objects.filter(registration=cor).exists()
    submit(opened, "cor", sessions=None)
    invitation = SurveyInvitation.objects.get(registration=cor)
    assert (invitation.invited_at, invitation.answered_at is not None) == (None, True)
    with pytest.raises(services.SurveyUnavailable):
        submit(opened, "cor", sessions=None)
    # The waiting list and the cancelled did not take part.
    for who in ("dina", "eva"):
        with pytest.raises(services.SurveyUnavailable) as caught:
            submit(opened, who, sessions=None)
        assert caught.value.state == SurveyState.NOT_INVITED
    assert Response.objects.count() == 1


def test_closed_before_the_invitations_and_after_the_closing_day(world: SurveyWorld) -> None:
    with pytest.raises(services.SurveyUnavailable) as caught:
        submit(world)
    assert caught.value.state == SurveyState.CLOSED
    services.survey_send_invitations(survey=world.survey)
    world.survey.refresh_from_db()
    world.survey.closes_on = timezone.localdate() - dt.timedelta(days=1)
    world.survey.save()
    with pytest.raises(services.SurveyUnavailable) as caught:
        submit(world)
    assert caught.value.state == SurveyState.CLOSED
    assert Response.objects.count() == 0


def test_a_required_question_left_empty(opened: SurveyWorld) -> None:
    assert problems(opened, day=None) == {
        f"q{opened.questions['day'].pk}": ["Answer this question."]
    }
    assert problems(opened, day="  ") == {
        f"q{opened.questions['day'].pk}": ["Answer this question."]
    }


@pytest.mark.parametrize("rating", ["0", "6", "vier", 4.5, True, "-1"])
def test_a_rating_runs_from_1_to_5(opened: SurveyWorld, rating: object) -> None:
    assert problems(opened, day=rating) == {
        f"q{opened.questions['day'].pk}": ["Choose a rating from 1 to 5."]
    }


def test_a_choice_must_be_one_of_the_list(opened: SurveyWorld) -> None:
    assert problems(opened, heard="Via de radio") == {
        f"q{opened.questions['heard'].pk}": ["Choose one of the options given."]
    }
    # The English label is shown, the Dutch wording is what is stored and accepted.
    assert problems(opened, heard="By mail") == {
        f"q{opened.questions['heard'].pk}": ["Choose one of the options given."]
    }


def test_free_text_length_and_control_characters(opened: SurveyWorld) -> None:
    field = f"q{opened.questions['takeaway'].pk}"
    assert problems(opened, takeaway="x" * 2001) == {
        field: ["Keep your answer to 2000 characters; it has 2001."]
    }
    assert problems(opened, takeaway="Goed\u202egedaan") == {
        field: ["Remove the invisible control characters from this text."]
    }
    assert problems(opened, takeaway="tab\there") == {
        field: ["Remove the invisible control characters from this text."]
    }
    # Line breaks are text: a Windows line break is kept as one.
    submit(opened, takeaway="een\r\ntwee")
    assert Answer.objects.get(question=opened.questions["takeaway"]).text == "een\ntwee"


def test_only_sessions_the_participant_attended_can_be_rated(opened: SurveyWorld) -> None:
    q, s = opened.questions, opened.sessions
    # huisvesting is bram's session, not anna's.
    assert problems(opened, sessions={s["terugkeer"].pk: "5", s["huisvesting"].pk: "1"}) == {
        f"q{q['sessions'].pk}": ["You can only rate the sessions you attended."]
    }
    assert problems(opened, sessions={s["terugkeer"].pk: "9"}) == {
        f"q{q['sessions'].pk}-s{s['terugkeer'].pk}": ["Choose a rating from 1 to 5."]
    }
    q["sessions"].required = True
    q["sessions"].save()
    assert problems(opened, sessions={s["terugkeer"].pk: "5"}) == {
        f"q{q['sessions'].pk}-s{s['arbeid'].pk}": ["Rate this session."]
    }


def test_every_problem_at_once(opened: SurveyWorld) -> None:
    q = opened.questions
    assert problems(opened, day="8", heard="Nergens", takeaway="\x00") == {
        f"q{q['day'].pk}": ["Choose a rating from 1 to 5."],
        f"q{q['heard'].pk}": ["Choose one of the options given."],
        f"q{q['takeaway'].pk}": ["Remove the invisible control characters from this text."],
    }


def test_an_answer_to_a_question_of_another_survey_is_refused(opened: SurveyWorld) -> None:
    stranger = QuestionFactory(kind="rating")
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        services.survey_submit(
            survey=opened.survey,
            registration=opened.people["anna"],
            answers={**good_answers(opened), stranger.pk: "5"},
            quote_consent=False,
        )
    assert caught.value.message_dict == {
        "__all__": ["An answer was sent for a question not in this survey."]
    }
    assert Response.objects.count() == 0


def test_an_empty_survey_is_not_an_answer(opened: SurveyWorld) -> None:
    opened.questions["day"].required = False
    opened.questions["day"].save()
    assert problems(opened, day="", heard="", sessions={}, takeaway="", remarks="") == {
        "__all__": ["Answer at least one question."]
    }


def test_another_editions_participant_cannot_answer(opened: SurveyWorld) -> None:
    other = make_survey_world(slug="elders", prefix="Ander: ")
    with pytest.raises(services.SurveyUnavailable) as caught:
        services.survey_submit(
            survey=opened.survey,
            registration=other.people["anna"],
            answers=good_answers(opened),
            quote_consent=False,
        )
    assert caught.value.state == SurveyState.NOT_INVITED


# --- Quotes -----------------------------------------------------------------------------------


def test_quotes_only_with_consent_and_only_of_quotable_questions(opened: SurveyWorld) -> None:
    submit(opened, "anna", consent=False)
    submit(opened, "bram", consent=True, sessions={}, remarks="Niet citeren, wel lezen.")
    quote = Quote.objects.get()
    assert (quote.registration, quote.question, quote.text) == (
        opened.people["bram"],
        opened.questions["takeaway"],
        "Korte lijnen met de gemeente.\nEn koffie.",
    )
    lines = survey_quotes(survey=opened.survey)
    assert [(q.name, q.organisation, q.text) for q in lines] == [
        ("Bram Bakker", "Gemeente Utrecht", "Korte lijnen met de gemeente.\nEn koffie.")
    ]
    services.quote_set_shown(quote=quote, shown=False)
    assert survey_quotes(survey=opened.survey) == []
    assert len(survey_quotes(survey=opened.survey, shown_only=False)) == 1


def test_deleting_a_registration_removes_quote_and_invitation_but_keeps_the_answers(
    opened: SurveyWorld,
) -> None:
    submit(opened, "anna", consent=True)
    registration_services.registration_delete(registration=opened.people["anna"])
    assert Quote.objects.count() == 0
    assert not SurveyInvitation.objects.filter(registration_id=opened.people["anna"].pk).exists()
    assert Response.objects.count() == 1
    assert Answer.objects.count() == 5


def test_anonymising_the_edition_leaves_quotes_without_a_name(opened: SurveyWorld) -> None:
    submit(opened, "anna", consent=True)
    registration_services.edition_anonymise(edition=opened.edition)
    [line] = survey_quotes(survey=opened.survey)
    assert (line.name, line.organisation, line.text) == (
        None,
        "Dienst Terugkeer en Vertrek",
        "Korte lijnen met de gemeente.\nEn koffie.",
    )
    assert Answer.objects.count() == 5


def test_a_question_added_later_does_not_matter(opened: SurveyWorld) -> None:
    submit(opened, "anna")
    QuestionFactory(survey=opened.survey, kind="rating", required=True, position=9)
    assert services.survey_send_invitations(survey=opened.survey) == 0
    # bram answers the new question too, or it stops him.
    late = opened.survey.questions.get(position=9)
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        submit(opened, "bram", sessions={})
    assert caught.value.message_dict == {f"q{late.pk}": ["Answer this question."]}
    services.survey_submit(
        survey=opened.survey,
        registration=opened.people["bram"],
        answers={**good_answers(opened, sessions={}), late.pk: 2},
        quote_consent=False,
    )
    assert Response.objects.count() == 2


def test_a_participant_added_after_the_edition_answers_uninvited(opened: SurveyWorld) -> None:
    newcomer = RegistrationFactory(edition=opened.edition, name="Nieuw")
    submit(opened, "anna")
    services.survey_submit(
        survey=opened.survey,
        registration=newcomer,
        answers=good_answers(opened, sessions=None),
        quote_consent=False,
    )
    counts = survey_counts(survey=opened.survey)
    assert (counts.invited, counts.answered, counts.invited_answered) == (2, 2, 1)
