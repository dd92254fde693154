"""The participant's survey pages: reached with the personal link, one form, once, and the
invitation mail travelling over a real SMTP server to a link that leads to the survey."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from django.urls import clear_url_caches
from django.utils import timezone

from ketenconf.evaluation import services
from ketenconf.evaluation.models import Answer, Quote, Response, SurveyInvitation
from ketenconf.mail.models import OutboxMessage, OutboxStatus
from ketenconf.mail.services import mail_deliver
from ketenconf.registration import links
from tests.evaluation import SurveyWorld, make_survey_world
from tests.mail.conftest import SMTPServer, smtp_server  # noqa: F401 - a fixture

SURVEY = "/en/keten-2026/survey/"


@pytest.fixture(autouse=True)
def fresh_urls() -> None:
    """A test elsewhere that changed LANGUAGE_CODE leaves language prefixes in the resolver's
    cache; these tests read /en/ addresses."""
    clear_url_caches()


@pytest.fixture
def world(db: None) -> SurveyWorld:
    return make_survey_world()


@pytest.fixture
def opened(world: SurveyWorld) -> SurveyWorld:
    services.survey_send_invitations(survey=world.survey)
    return world


def personal_client(registration: Any) -> Client:
    """A browser that used the participant's personal link."""
    client = Client()
    token = links.access_token_create(registration=registration)
    response = client.post(f"/en/{registration.edition.slug}/me/link/{token}/")
    assert response.status_code == 302
    return client


def h1(response: Any) -> str:
    found = re.search(r"<h1[^>]*>(.*?)</h1>", response.content.decode(), re.S)
    assert found is not None
    return " ".join(found.group(1).split())


def form_post(world: SurveyWorld, **changes: str) -> dict[str, str]:
    q, s = world.questions, world.sessions
    data = {
        f"q{q['day'].pk}": "4",
        f"q{q['heard'].pk}": "Per mail",
        f"q{q['sessions'].pk}-s{s['terugkeer'].pk}": "5",
        f"q{q['sessions'].pk}-s{s['arbeid'].pk}": "2",
        f"q{q['takeaway'].pk}": "Korte lijnen.",
        f"q{q['remarks'].pk}": "",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def test_without_a_personal_link_the_page_says_how_to_get_one(opened: SurveyWorld) -> None:
    response = Client().get(SURVEY)
    assert response.status_code == 200
    assert h1(response) == "Open the survey with your personal link"
    assert 'href="/en/keten-2026/me/new-link/"' in response.content.decode()
    assert Client().post(SURVEY, form_post(opened)).status_code == 200
    assert Response.objects.count() == 0


def test_closed_until_the_invitations_go_out(world: SurveyWorld) -> None:
    client = personal_client(world.people["anna"])
    response = client.get(SURVEY)
    assert h1(response) == "This survey is closed"
    assert "The survey opens after the edition" in response.content.decode()
    assert "Answer the survey" not in client.get("/en/keten-2026/me/").content.decode()


def test_the_form_lists_the_sessions_the_participant_attended(opened: SurveyWorld) -> None:
    client = personal_client(opened.people["anna"])
    me = client.get("/en/keten-2026/me/").content.decode()
    assert (
        '<a class="utrecht-button-link utrecht-button-link--html-a '
        'utrecht-button-link--primary-action" href="/en/keten-2026/survey/">Answer the survey</a>'
        in me
    )
    response = client.get(SURVEY)
    assert response.status_code == 200
    assert response["Cache-Control"].startswith("max-age=0")
    page = response.content.decode()
    assert h1(response) == "Survey: Chain Conference 2026"
    legends = [
        " ".join(text.split()) for text in re.findall(r"<legend[^>]*>(.*?)</legend>", page, re.S)
    ]
    start = timezone.localtime(opened.sessions["terugkeer"].block.start)
    assert start.hour == 10
    assert legends == [
        "How was the day?",
        'How did you hear of the conference? <span class="kc-optional">(optional)</span>',
        'How were the sessions? <span class="kc-optional">(optional)</span>',
        "Return, 10:00–11:00, Zaal A",
        "Labour migration, 13:00–14:00, Zaal C",
    ]
    # The English labels of the choices; the Dutch wording is what is sent.
    heard = opened.questions["heard"].pk
    assert re.findall(rf'value="([^"]+)" id="id_q{heard}-\d"', page) == [
        "Via collega&#x27;s",
        "Per mail",
        "Anders",
    ]
    assert ">By mail</label>" in page
    # The consent box says exactly what is shown, and is described by it.
    assert 'id="id_quote_consent" class="utrecht-checkbox utrecht-checkbox--html-input" ' in page
    assert 'aria-describedby="id_quote_consent-help"' in page
    assert (
        '<div class="utrecht-form-field-description" id="id_quote_consent-help">Without this, your '
        "answers stay anonymous and nobody is quoted by name. With it, the organisers may print "
        "your words from the questions marked “may be quoted” in the report, with your name and "
        "organisation; they may leave a quote out. You can withdraw by deleting your "
        "registration.</div>"
    ) in page


def test_answer_then_thanks_then_already_answered(opened: SurveyWorld) -> None:
    client = personal_client(opened.people["anna"])
    response = client.post(SURVEY, form_post(opened, **{"quote_consent": "on"}))
    assert response.status_code == 302
    assert response["Location"] == "/en/keten-2026/survey/thanks/"
    thanks = client.get(response["Location"])
    assert h1(thanks) == "Thank you for your answers"
    assert Response.objects.count() == 1
    assert Answer.objects.count() == 5
    assert Quote.objects.get().text == "Korte lijnen."
    again = client.get(SURVEY)
    assert h1(again) == "You have answered this survey"
    assert client.post(SURVEY, form_post(opened)).status_code == 200
    assert Response.objects.count() == 1
    me = client.get("/en/keten-2026/me/").content.decode()
    assert '<p class="utrecht-paragraph" id="survey-answered">Thank you for answering' in me


def test_bad_answers_come_back_with_messages_beside_the_fields(opened: SurveyWorld) -> None:
    client = personal_client(opened.people["anna"])
    q, s = opened.questions, opened.sessions
    response = client.post(
        SURVEY,
        form_post(
            opened,
            **{
                f"q{q['day'].pk}": "",
                f"q{q['sessions'].pk}-s{s['arbeid'].pk}": "7",
                f"q{q['heard'].pk}": "Anders",
            },
        ),
    )
    assert response.status_code == 422
    page = response.content.decode()
    errors = re.findall(r'id="(id_q[-\ds]+)-error"><p>([^<]+)</p>', page)
    assert errors == [
        (f"id_q{q['day'].pk}", "Answer this question."),
        (f"id_q{q['sessions'].pk}-s{s['arbeid'].pk}", "Choose a rating from 1 to 5."),
    ]
    # What was typed and chosen stays.
    assert f'value="Anders" id="id_q{q["heard"].pk}-3" class="utrecht-radio-button' in page
    assert "Korte lijnen.</textarea>" in page
    assert Response.objects.count() == 0
    assert not SurveyInvitation.objects.filter(answered_at__isnull=False).exists()


def test_no_ids_reach_another_participants_data(opened: SurveyWorld) -> None:
    """The pages act for the registration of the session only: a session of someone else, or
    a question of another survey, in the form changes nothing for anyone else."""
    client = personal_client(opened.people["bram"])
    q, s = opened.questions, opened.sessions
    other = make_survey_world(slug="elders", prefix="Ander: ")
    services.survey_send_invitations(survey=other.survey)
    response = client.post(
        SURVEY,
        {
            f"q{q['day'].pk}": "3",
            # anna's session, not bram's: there is no such field for bram, so it is not read.
            f"q{q['sessions'].pk}-s{s['terugkeer'].pk}": "1",
            f"q{other.questions['day'].pk}": "1",
        },
    )
    assert response.status_code == 302
    assert list(Answer.objects.values_list("question_id", "session_id", "rating")) == [
        (q["day"].pk, None, 3)
    ]
    # bram's browser cannot answer the other edition's survey for anyone.
    assert h1(client.get("/en/elders/survey/")) == "Open the survey with your personal link"
    assert not SurveyInvitation.objects.filter(
        survey=other.survey, answered_at__isnull=False
    ).exists()


@pytest.mark.django_db(transaction=True)
def test_the_invitation_mail_arrives_and_its_link_leads_to_the_survey(
    smtp_server: SMTPServer,  # noqa: F811 - the fixture imported above
    settings: Any,
) -> None:
    settings.BASE_URL = "http://testserver"
    world = make_survey_world()
    assert services.survey_send_invitations(survey=world.survey) == 2
    for pk in OutboxMessage.objects.filter(status=OutboxStatus.PENDING).values_list(
        "pk", flat=True
    ):
        assert mail_deliver(message_id=pk) == "sent"
    received = {m["To"]: m for m in smtp_server.recorder.received()}
    assert sorted(received) == ["anna@example.org", "bram@example.org"]
    bram = received["bram@example.org"]
    assert bram["Subject"] == "How was Chain Conference 2026? A short survey"
    assert bram["Content-Language"] == "en"
    assert received["anna@example.org"]["Content-Language"] == "nl"
    plain = bram.get_body(preferencelist=("plain",))
    html = bram.get_body(preferencelist=("html",))
    assert plain is not None and html is not None
    text = plain.get_content().replace("\r\n", "\n")
    assert text.startswith("Dear Bram Bakker,\n\nThank you for coming to Chain Conference 2026.")
    found = re.search(r"http://testserver(/en/keten-2026/me/link/\S+/)", text)
    assert found is not None
    assert f'<a href="{found.group(0)}">' in html.get_content()

    client = Client()
    assert client.get(found.group(1)).status_code == 200
    opened = client.post(found.group(1))
    assert opened["Location"] == "/en/keten-2026/me/"
    me = client.get(opened["Location"]).content.decode()
    survey_link = re.search(r'href="(/en/keten-2026/survey/)">Answer the survey</a>', me)
    assert survey_link is not None
    page = client.get(survey_link.group(1))
    assert h1(page) == "Survey: Chain Conference 2026"
    assert "Housing, 10:00–11:00, Zaal B" in page.content.decode()


@pytest.mark.parametrize("sessions", [1, 3])
def test_the_survey_page_queries_do_not_grow_with_the_sessions(
    opened: SurveyWorld, sessions: int, django_assert_num_queries: Any
) -> None:
    from ketenconf.checkin.models import CheckIn

    cor = opened.people["cor"]
    for session in list(opened.sessions.values())[:sessions]:
        CheckIn.objects.create(
            edition=opened.edition,
            registration=cor,
            kind="room",
            session=session,
            at=timezone.now(),
            nonce=f"count-{session.pk}",
        )
    client = personal_client(cor)
    with django_assert_num_queries(QUERIES_FOR_THE_SURVEY_PAGE):
        response = client.get(SURVEY)
    assert response.content.decode().count('type="radio"') == 5 + 3 + 5 * sessions


#: session, edition, survey, registration, invitation, questions, room check-ins, sessions
QUERIES_FOR_THE_SURVEY_PAGE = 8


def test_the_dutch_survey_shows_the_dutch_questions_and_choices(opened: SurveyWorld) -> None:
    client = personal_client(opened.people["anna"])
    response = client.get("/keten-2026/survey/")
    assert response.status_code == 200
    page = response.content.decode()
    assert '<html lang="nl"' in page
    legends = [
        " ".join(re.sub(r"<[^>]+>", "", text).split())
        for text in re.findall(r"<legend[^>]*>(.*?)</legend>", page, re.S)
    ]
    assert [legend.split(" (")[0] for legend in legends] == [
        "Hoe was de dag?",
        "Hoe hoorde u van de conferentie?",
        "Hoe waren de sessies?",
        "Terugkeer, 10:00–11:00, Zaal A",
        "Arbeidsmigratie, 13:00–14:00, Zaal C",
    ]
    heard = opened.questions["heard"].pk
    assert re.findall(rf'for="id_q{heard}-\d">([^<]+)</label>', page) == [
        "Via collega&#x27;s",
        "Per mail",
        "Anders",
    ]
    assert "Vertel ons hoe het was." in page
