"""Organisers compose surveys in the back-office: who may, what a question must be, what may not
change once answered, sending the invitations, counts, and the quotes' "shown" toggle."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.utils import translation

from ketenconf.evaluation import services
from ketenconf.evaluation.models import Question, Quote, Survey, SurveyInvitation
from ketenconf.evaluation.selectors import choice_values
from ketenconf.mail.models import OutboxMessage
from ketenconf.team.services import edition_roles_from_organisations
from tests.evaluation import SurveyWorld, make_survey_world
from tests.factories import EditionFactory, SeriesPartnerFactory

pytestmark = pytest.mark.django_db

SURVEYS = "/admin/evaluation/survey/"


@pytest.fixture
def world() -> SurveyWorld:
    return make_survey_world()


def login(user: Any) -> Client:
    """The back-office as a Dutch browser asks for it (it follows the browser's language)."""
    client = Client(headers={"accept-language": "nl"})
    client.force_login(user)
    return client


def change_data(world: SurveyWorld, **per_question: dict[str, str]) -> dict[str, str]:
    """The survey's change form as the admin sends it, with changes per question key."""
    questions = list(world.survey.questions.order_by("position", "pk"))
    data = {
        "introduction_nl": "Vertel ons hoe het was.",
        "introduction_en": "",
        "closes_on": "",
        "questions-TOTAL_FORMS": str(len(questions) + 1),
        "questions-INITIAL_FORMS": str(len(questions)),
        "questions-MIN_NUM_FORMS": "0",
        "questions-MAX_NUM_FORMS": "1000",
    }
    keys = {question.pk: key for key, question in world.questions.items()}
    for n, question in enumerate(questions):
        row = {
            "id": str(question.pk),
            "survey": str(world.survey.pk),
            "position": str(question.position),
            "kind": question.kind,
            "text_nl": question.text_nl,  # type: ignore[attr-defined]
            "text_en": question.text_en or "",  # type: ignore[attr-defined]
            "choices_nl": question.choices_nl or "",  # type: ignore[attr-defined]
            "choices_en": question.choices_en or "",  # type: ignore[attr-defined]
        }
        if question.required:
            row["required"] = "on"
        if question.quotable:
            row["quotable"] = "on"
        row.update(per_question.get(keys.get(question.pk, ""), {}))
        data.update({f"questions-{n}-{name}": value for name, value in row.items() if value})
    # The empty extra row as the admin renders it (position 0); filled in by "new".
    extra = {"position": "0", **per_question.get("new", {})}
    data.update({f"questions-{len(questions)}-{name}": value for name, value in extra.items()})
    data[f"questions-{len(questions)}-survey"] = str(world.survey.pk)
    return data


def nl(message: str, **params: Any) -> str:
    """A message as the back office shows it: in the site's language, Dutch."""
    with translation.override("nl"):
        text = translation.gettext(message)
    return text % params if params else text


def nl_count(singular: str, plural: str, count: int, key: str = "count", **params: Any) -> str:
    with translation.override("nl"):
        text = translation.ngettext(singular, plural, count)
    return text % {key: count, **params}


def errors_of(response: Any) -> list[str]:
    page = response.content.decode()
    found = re.findall(r'<ul class="errorlist[^"]*"[^>]*>(.*?)</ul>', page, re.S)
    return [
        " ".join(re.sub(r"<[^>]+>", "", item).split())
        for block in found
        for item in re.findall(r"<li>(.*?)</li>", block, re.S)
    ]


def test_partner_organisers_see_and_change_the_survey_outsiders_do_not(
    world: SurveyWorld,
) -> None:
    for who in ("lead", "partner"):
        client = login(world.users[who])
        assert client.get(SURVEYS).context["cl"].result_count == 1
        assert client.get(f"{SURVEYS}{world.survey.pk}/change/").status_code == 200
    outsider = login(world.users["outsider"])
    assert outsider.get(SURVEYS).context["cl"].result_count == 0
    # Someone else's survey by its id: not shown (the admin goes back to its index).
    assert outsider.get(f"{SURVEYS}{world.survey.pk}/change/").status_code == 302
    assert outsider.get(f"{SURVEYS}{world.survey.pk}/invitations/").status_code == 404
    assert outsider.post(f"{SURVEYS}{world.survey.pk}/invitations/").status_code == 404
    assert outsider.post(f"{SURVEYS}{world.survey.pk}/change/", change_data(world)).status_code == (
        302
    )
    assert SurveyInvitation.objects.count() == 0
    # An outsider cannot add a survey to an edition of others either.
    page = outsider.get(f"{SURVEYS}add/").content.decode()
    assert world.edition.title not in page


def test_a_survey_is_composed_with_its_questions(world: SurveyWorld) -> None:
    edition = EditionFactory(slug="volgende", lead_organisation=world.edition.lead_organisation)
    SeriesPartnerFactory(series=edition.series, organisation=world.edition.lead_organisation)
    edition_roles_from_organisations(edition=edition)  # made after the accounts: no roles yet
    client = login(world.users["lead"])
    response = client.post(
        f"{SURVEYS}add/",
        {
            "edition": str(edition.pk),
            "introduction_nl": "Hoe was het?",
            "closes_on": "",
            "questions-TOTAL_FORMS": "2",
            "questions-INITIAL_FORMS": "0",
            "questions-MIN_NUM_FORMS": "0",
            "questions-MAX_NUM_FORMS": "1000",
            "questions-0-position": "1",
            "questions-0-kind": "choice",
            "questions-0-text_nl": "Komt u volgend jaar?",
            "questions-0-text_en": "Will you come next year?",
            "questions-0-choices_nl": "Ja\nNee\nMisschien",
            "questions-0-choices_en": "Yes\nNo\nMaybe",
            "questions-0-required": "on",
            "questions-1-position": "2",
            "questions-1-kind": "text",
            "questions-1-text_nl": "Wat neemt u mee?",
            "questions-1-quotable": "on",
        },
    )
    assert response.status_code == 302, errors_of(response)
    survey = Survey.objects.get(edition=edition)
    assert [
        (q.kind, q.text_nl, choice_values(q), q.required, q.quotable)  # type: ignore[attr-defined]
        for q in survey.questions.all()
    ] == [
        ("choice", "Komt u volgend jaar?", ["Ja", "Nee", "Misschien"], True, False),
        ("text", "Wat neemt u mee?", [], False, True),
    ]


def test_question_rules_with_clear_messages(world: SurveyWorld) -> None:
    client = login(world.users["partner"])
    response = client.post(
        f"{SURVEYS}{world.survey.pk}/change/",
        change_data(
            world,
            heard={"choices_nl": "Alleen deze", "choices_en": ""},
            day={"choices_nl": "Goed\nSlecht", "quotable": "on"},
            takeaway={"choices_en": "One\nTwo"},
            new={"position": "9", "kind": "choice", "text_nl": "Nieuw", "choices_nl": "A\nB\nA"},
        ),
    )
    assert response.status_code == 200
    assert errors_of(response) == [
        nl("Only a choice question has choices: empty this field or make it a choice question."),
        nl("Only a free-text question can be quoted."),
        nl("A choice question needs at least two choices, one per line."),
        nl("Only a choice question has choices: empty this field or make it a choice question."),
        nl("Each choice may appear only once."),
    ]
    assert world.survey.questions.count() == 5


def test_questions_with_answers_keep_their_kind_choices_and_existence(world: SurveyWorld) -> None:
    services.survey_send_invitations(survey=world.survey)
    q = world.questions
    services.survey_submit(
        survey=world.survey,
        registration=world.people["anna"],
        answers={q["day"].pk: 4, q["heard"].pk: "Per mail"},
        quote_consent=False,
    )
    client = login(world.users["lead"])
    url = f"{SURVEYS}{world.survey.pk}/change/"
    response = client.post(
        url,
        change_data(
            world,
            day={"kind": "text"},
            heard={"choices_nl": "Per post\nVia collega's\nAnders"},
        ),
    )
    assert response.status_code == 200
    assert errors_of(response) == [
        nl_count(
            "This question has %(count)s answer; its kind cannot change. Add a new question "
            "instead.",
            "This question has %(count)s answers; its kind cannot change. Add a new question "
            "instead.",
            1,
        ),
        nl(
            "This question has answers: keep its choices as they are (you may add choices at "
            "the end), or the answers given would no longer match."
        ),
    ]
    data = change_data(world)
    index = next(n for n in range(10) if data.get(f"questions-{n}-id") == str(q["day"].pk))
    data[f"questions-{index}-DELETE"] = "on"
    response = client.post(url, data)
    assert response.status_code == 200
    assert errors_of(response) == [
        nl_count(
            "“%(question)s” has %(count)s answer and cannot be deleted.",
            "“%(question)s” has %(count)s answers and cannot be deleted.",
            1,
            question="Hoe was de dag?",
        )
    ]
    assert Question.objects.filter(pk=q["day"].pk, kind="rating").exists()
    # Adding a choice at the end, fixing a typo, deleting an unanswered question: fine.
    data = change_data(
        world,
        heard={"choices_nl": "Via collega's\nPer mail\nAnders\nVia de radio", "choices_en": ""},
        day={"text_nl": "Hoe was de dag als geheel?"},
    )
    index = next(n for n in range(10) if data.get(f"questions-{n}-id") == str(q["remarks"].pk))
    data[f"questions-{index}-DELETE"] = "on"
    response = client.post(url, data)
    assert response.status_code == 302, errors_of(response)
    assert world.survey.questions.count() == 4
    # A survey with answers cannot be deleted from the admin.
    assert client.get(f"{SURVEYS}{world.survey.pk}/delete/").status_code == 403


def test_send_invitations_after_the_edition_with_counts(world: SurveyWorld) -> None:
    client = login(world.users["partner"])
    page = client.get(f"{SURVEYS}{world.survey.pk}/invitations/").content.decode()
    invitees = nl_count(
        "%(counter)s participant who attended will get a mail with a personal link to the "
        "survey, in their own language.",
        "%(counter)s participants who attended will get a mail with a personal link to the "
        "survey, in their own language.",
        2,
        key="counter",
    )
    assert f'<p id="invitees">{invitees}</p>' in page
    response = client.post(f"{SURVEYS}{world.survey.pk}/invitations/")
    assert response["Location"] == f"{SURVEYS}{world.survey.pk}/change/"
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        nl_count("%(count)s participant invited.", "%(count)s participants invited.", 2)
    ]
    assert OutboxMessage.objects.count() == 2
    # Pressing again mails nobody twice.
    page = client.get(f"{SURVEYS}{world.survey.pk}/invitations/").content.decode()
    assert nl("Everyone who attended has been invited; nobody is left to invite.") in page
    client.post(f"{SURVEYS}{world.survey.pk}/invitations/")
    assert OutboxMessage.objects.count() == 2
    q = world.questions
    services.survey_submit(
        survey=world.survey,
        registration=world.people["bram"],
        answers={q["day"].pk: 5},
        quote_consent=False,
    )
    change = client.get(f"{SURVEYS}{world.survey.pk}/change/").content.decode()
    assert (
        nl(
            "%(invited)s invited, %(answered)s answered (%(rate)s of those invited)",
            invited=2,
            answered=1,
            rate="50%",
        )
        in change
    )
    listing = client.get(SURVEYS).content.decode()
    rows = re.findall(r'<td class="field-(invited|answered|response_rate)">([^<]*)</td>', listing)
    assert rows == [("invited", "2"), ("answered", "1"), ("response_rate", "50%")]


def test_no_invitations_before_the_last_day_is_over() -> None:
    world = make_survey_world(days_ago=0)
    client = login(world.users["lead"])
    page = client.get(f"{SURVEYS}{world.survey.pk}/invitations/").content.decode()
    assert 'id="invitations-not-yet"' in page
    assert f'value="{nl("Send invitations")}"' not in page
    response = client.post(f"{SURVEYS}{world.survey.pk}/invitations/")
    [message] = [str(m) for m in get_messages(response.wsgi_request)]
    before_date = nl(
        "Invitations can go out after the last day of the edition, from %(date)s.", date="|"
    ).split("|")[0]
    assert message.startswith(before_date)
    assert OutboxMessage.objects.count() == 0


def test_quotes_are_listed_for_the_organisers_and_can_be_left_out(world: SurveyWorld) -> None:
    services.survey_send_invitations(survey=world.survey)
    q = world.questions
    services.survey_submit(
        survey=world.survey,
        registration=world.people["anna"],
        answers={q["day"].pk: 4, q["takeaway"].pk: "Samen sterker."},
        quote_consent=True,
    )
    quote = Quote.objects.get()
    client = login(world.users["partner"])
    listing = client.get("/admin/evaluation/quote/")
    assert listing.context["cl"].result_count == 1
    assert "Anna Jansen" in listing.content.decode()
    response = client.post(f"/admin/evaluation/quote/{quote.pk}/change/", {})
    assert response.status_code == 302
    quote.refresh_from_db()
    assert (quote.shown, quote.text) == (False, "Samen sterker.")
    assert (
        login(world.users["outsider"]).get("/admin/evaluation/quote/").context["cl"].result_count
        == 0
    )
    assert (
        login(world.users["outsider"])
        .get(f"/admin/evaluation/quote/{quote.pk}/change/")
        .status_code
        == 302
    )
