"""The parts of an edition an organiser used the admin for, as workspace pages: registrations,
settings (with the ranking window), the next edition, API tokens and sending the survey. Each
change goes through its app's service; the pages are tested through the client."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from ketenconf.api.models import ApiToken
from ketenconf.events.models import Edition, EditionStatus
from ketenconf.mail.models import OutboxMessage
from ketenconf.registration import services as registration
from ketenconf.registration.models import Registration, RegistrationStatus
from tests.factories import (
    BlockFactory,
    EditionFactory,
    OrganisationFactory,
    QuestionFactory,
    RoomFactory,
    SeriesPartnerFactory,
    SessionFactory,
    SurveyFactory,
    TopicFactory,
    UserFactory,
)
from tests.registration.test_pages import logged_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def edition():
    return EditionFactory(
        slug="ketenconferentie-2027", status=EditionStatus.REGISTRATION_OPEN, capacity=2
    )


@pytest.fixture
def organiser(client, edition):
    user = UserFactory(organisation=edition.lead_organisation)
    client.force_login(user)
    return user


def _register(edition: Edition, *names: str) -> list[Registration]:
    return [
        registration.registration_create(
            edition=edition,
            name=name,
            email=f"{name.lower()}@example.org",
            organisation_name="Gemeente Utrecht",
        ).registration
        for name in names
    ]


URL = "/organise/ketenconferentie-2027"


# --- Registrations ---------------------------------------------------------------------------


def test_the_list_searches_filters_and_shows_the_waiting_list_in_order(client, edition, organiser):
    _register(edition, "Anna", "Bram", "Cees", "Dewi")  # two seats: Cees and Dewi wait

    names = lambda page: [r.name for r in page.context["page"].object_list]  # noqa: E731
    assert names(client.get(f"{URL}/registrations/")) == ["Anna", "Bram", "Cees", "Dewi"]
    assert names(client.get(f"{URL}/registrations/?q=dew")) == ["Dewi"]
    assert names(client.get(f"{URL}/registrations/?q=utrecht+bram")) == ["Bram"]
    waiting = client.get(f"{URL}/registrations/?listed=waitlisted")
    assert names(waiting) == ["Cees", "Dewi"]
    assert '<ol class="kc-rows" id="registrations" aria-labelledby="found" start="1">' in (
        waiting.content.decode()
    )
    assert names(client.get(f"{URL}/registrations/?listed=unconfirmed")) == ["Anna", "Bram"]
    assert names(client.get(f"{URL}/registrations/?listed=ended")) == []


def _list_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(f"{URL}/registrations/").status_code == 200
    return len(queries)


def test_the_list_costs_the_same_queries_for_1_and_3(client, edition, organiser):
    _register(edition, "Anna")
    one = _list_queries(client)
    _register(edition, "Bram", "Cees")
    assert (one, _list_queries(client)) == (5, 5)  # session, user, access, count, page


def test_the_list_pages_by_fifty(client, edition, organiser):
    edition.capacity = 60
    edition.save()
    organisation = OrganisationFactory()
    Registration.objects.bulk_create(
        Registration(
            edition=edition,
            name=f"Deelnemer {n:02}",
            email=f"d{n}@example.org",
            organisation=organisation,
            status="registered",
        )
        for n in range(55)
    )
    second = client.get(f"{URL}/registrations/?listed=registered&page=2")
    assert [r.name for r in second.context["page"].object_list] == [
        f"Deelnemer {n}" for n in range(50, 55)
    ]
    assert 'href="?listed=registered&amp;page=1"' in second.content.decode()


def test_an_organiser_adds_a_participant_who_is_mailed(client, edition, organiser):
    edition.status = EditionStatus.REGISTRATION_CLOSED
    edition.save()
    response = client.post(
        f"{URL}/registrations/add/",
        {
            "name": "Fleur de Vries",
            "email": "fleur@example.org",
            "organisation": "COA",
            "language": "nl",
        },
    )
    fleur = Registration.objects.get(email="fleur@example.org")
    assert (response.status_code, response["Location"]) == (302, f"{URL}/registrations/{fleur.pk}/")
    assert (fleur.status, fleur.organisation.name) == (RegistrationStatus.REGISTERED, "COA")
    assert OutboxMessage.objects.filter(to="fleur@example.org").count() == 1


def test_adding_without_a_name_shows_the_form_again(client, edition, organiser):
    response = client.post(f"{URL}/registrations/add/", {"email": "x@example.org"})
    assert response.status_code == 422
    assert set(response.context["form"].errors) == {"name", "organisation", "language"}
    assert not Registration.objects.exists()


def test_cancelling_asks_first_then_gives_the_seat_to_the_waiting_list(client, edition, organiser):
    anna, _bram, cees = _register(edition, "Anna", "Bram", "Cees")
    status_url = f"{URL}/registrations/{anna.pk}/cancelled/"

    question = client.get(status_url)
    assert question.status_code == 200
    assert "De aanmelding van Anna annuleren?" in question.content.decode()
    anna.refresh_from_db()
    assert anna.status == RegistrationStatus.REGISTERED

    done = client.post(status_url, follow=True)
    anna.refresh_from_db()
    cees.refresh_from_db()
    assert (anna.status, cees.status) == (
        RegistrationStatus.CANCELLED,
        RegistrationStatus.REGISTERED,
    )
    assert [str(m) for m in done.context["messages"]] == [
        "Anna: geannuleerd.",
        "Plaatsen gingen naar de wachtlijst: Cees.",
    ]


def test_a_seat_when_none_is_left_is_refused_on_the_page(client, edition, organiser):
    *_seated, cees = _register(edition, "Anna", "Bram", "Cees")
    response = client.post(f"{URL}/registrations/{cees.pk}/registered/")
    assert response.status_code == 422
    assert "Er is geen plaats meer vrij in deze editie." in response.content.decode()


def test_a_registration_of_another_edition_is_not_found(client, edition, organiser):
    other = EditionFactory(status=EditionStatus.REGISTRATION_OPEN)
    (stranger,) = _register(other, "Eva")
    assert client.get(f"{URL}/registrations/{stranger.pk}/").status_code == 404
    assert client.post(f"{URL}/registrations/{stranger.pk}/cancelled/").status_code == 404


# --- Settings, ranking and the next edition -----------------------------------------------


def _settings(edition: Edition, **changes: object) -> dict[str, object]:
    data: dict[str, object] = {
        "title_nl": edition.title_nl,
        "title_en": edition.title_en,
        "theme_nl": edition.theme_nl,
        "theme_en": edition.theme_en,
        "description_nl": edition.description_nl or "",
        "description_en": edition.description_en or "",
        "start_date": edition.start_date.isoformat(),
        "end_date": edition.end_date.isoformat(),
        "venue": edition.venue_id,
        "lead_organisation": edition.lead_organisation_id,
        "capacity": edition.capacity,
        "status": edition.status,
        "ranking_opens_at": "",
        "ranking_closes_at": "",
        "confirmation_hours": edition.confirmation_hours,
        "retention_days": edition.retention_days,
    }
    return data | changes


def test_a_larger_capacity_seats_the_waiting_list(client, edition, organiser):
    SeriesPartnerFactory(series=edition.series, organisation=edition.lead_organisation)
    *_seated, cees = _register(edition, "Anna", "Bram", "Cees")
    response = client.post(f"{URL}/settings/", _settings(edition, capacity=3), follow=True)
    assert [str(m) for m in response.context["messages"]] == [
        "De instellingen zijn opgeslagen.",
        "Plaatsen gingen naar de wachtlijst: Cees.",
    ]
    cees.refresh_from_db()
    edition.refresh_from_db()
    assert (edition.capacity, edition.seats_taken, cees.status) == (3, 3, "registered")


def test_the_description_is_set_on_the_settings_page(client, edition, organiser):
    SeriesPartnerFactory(series=edition.series, organisation=edition.lead_organisation)
    page = client.get(f"{URL}/settings/")
    assert [name for name in page.context["form"].fields if name.startswith("description")] == [
        "description_nl",
        "description_en",
    ]
    response = client.post(
        f"{URL}/settings/",
        _settings(
            edition,
            description_nl="Een dag over **samenwerken** in de keten.",
            description_en="A day about **working together** along the chain.",
        ),
    )
    assert response.status_code == 302
    edition.refresh_from_db()
    assert edition.description_en == "A day about **working together** along the chain."
    public = client.get(f"/en/{edition.slug}/").content.decode()
    assert "A day about <strong>working together</strong> along the chain." in public


def test_ranking_must_close_after_it_opens(client, edition, organiser):
    SeriesPartnerFactory(series=edition.series, organisation=edition.lead_organisation)
    response = client.post(
        f"{URL}/settings/",
        _settings(
            edition, ranking_opens_at="2027-03-10T09:00", ranking_closes_at="2027-03-01T17:00"
        ),
    )
    assert response.status_code == 422
    assert response.context["form"].errors == {
        "ranking_closes_at": ["Rangschikken moet sluiten nadat het opent."]
    }


def test_closing_ranking_keeps_the_choices_as_they_are(client, edition, organiser):
    (anna,) = _register(edition, "Anna")
    BlockFactory(edition=edition)
    response = client.post(f"{URL}/settings/ranking/close/")
    assert (response.status_code, response["Location"]) == (302, f"{URL}/")
    edition.refresh_from_db()
    assert edition.ranking_closes_at is not None
    assert not edition.ranking_is_open(timezone.now())
    anna.refresh_from_db()
    with pytest.raises(Exception, match="gesloten"):
        registration.registration_set_preferences(registration=anna, topic_ids=[])

    # The participant reads that the ranking is closed; saving changes nothing.
    session = SessionFactory(edition=edition)
    participant = logged_in(anna)
    closed = participant.get("/ketenconferentie-2027/me/workshops/")
    assert 'id="ranking-closed"' in closed.content.decode()
    refused = participant.post(
        "/ketenconferentie-2027/me/workshops/", {"round1-1": str(session.topic_id)}
    )
    assert refused.status_code == 422
    assert "Het rangschikken van de workshops is gesloten voor deze editie." in refused.text
    assert not anna.preferences.exists()

    client.post(f"{URL}/settings/ranking/open/", {"back": "settings"})
    edition.refresh_from_db()
    assert edition.ranking_is_open(timezone.now())
    assert edition.ranking_closes_at is None


def test_the_next_edition_is_a_draft_led_by_the_next_partner(client, edition, organiser):
    RoomFactory(edition=edition, name="Zaal A")
    SeriesPartnerFactory(series=edition.series, organisation=edition.lead_organisation, position=1)
    next_lead = OrganisationFactory(name="Gemeente Den Haag")
    SeriesPartnerFactory(series=edition.series, organisation=next_lead, position=2)

    response = client.post(f"{URL}/settings/next/", {"slug": "ketenconferentie-2028"})

    created = Edition.objects.get(slug="ketenconferentie-2028")
    assert (response.status_code, response["Location"]) == (
        302,
        "/organise/ketenconferentie-2028/settings/",
    )
    assert (created.status, created.lead_organisation, created.start_date) == (
        EditionStatus.DRAFT,
        next_lead,
        edition.start_date + dt.timedelta(weeks=52),
    )
    assert list(created.rooms.values_list("name", flat=True)) == ["Zaal A"]
    # The organiser who made it leads it with the next lead's staff: the draft is theirs to edit.
    assert client.get("/organise/ketenconferentie-2028/settings/").status_code == 200


@pytest.mark.parametrize(
    ("slug", "error"),
    [
        ("ketenconferentie-2027", "Er is al een editie met deze slug."),
        ("organise", "organise is gereserveerd voor de site zelf; kies een andere adresnaam."),
    ],
)
def test_a_taken_or_reserved_slug_is_refused(client, edition, organiser, slug, error):
    SeriesPartnerFactory(series=edition.series, organisation=edition.lead_organisation)
    response = client.post(f"{URL}/settings/next/", {"slug": slug})
    assert response.status_code == 422
    assert response.context["form"].errors == {"slug": [error]}
    assert Edition.objects.count() == 1


# --- API tokens ------------------------------------------------------------------------------


def test_a_token_is_shown_once_and_works_until_revoked(client, edition, organiser):
    made = client.post(f"{URL}/api/", {"name": "website"})
    text = made.context["made"]
    assert made.status_code == 200 and text.startswith("kc_")
    assert client.get(f"{URL}/api/").context["made"] == ""
    api = "/api/v1/organiser/editions"
    assert client.get(api, headers={"Authorization": f"Bearer {text}"}).status_code == 200

    token = ApiToken.objects.get()
    assert client.get(f"{URL}/api/{token.pk}/revoke/").status_code == 200
    assert client.post(f"{URL}/api/{token.pk}/revoke/").status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert client.get(api, headers={"Authorization": f"Bearer {text}"}).status_code == 401


def test_another_users_token_is_not_found(client, edition, organiser):
    other = ApiToken.objects.create(user=UserFactory(), name="x", prefix="abc", secret_hash="0")
    assert client.post(f"{URL}/api/{other.pk}/revoke/").status_code == 404


# --- The survey ------------------------------------------------------------------------------


def test_the_survey_waits_for_the_end_of_the_edition(client, edition, organiser):
    QuestionFactory(survey=SurveyFactory(edition=edition))
    page = client.get(f"{URL}/report/survey/")
    assert "Uitnodigingen gaan uit na de laatste dag van de editie" in page.content.decode()
    refused = client.post(f"{URL}/report/survey/")
    assert refused.status_code == 422
    assert "Uitnodigingen kunnen na de laatste dag van de editie worden verstuurd" in (
        refused.content.decode()
    )


def test_an_edition_without_a_survey_says_so(client, edition, organiser):
    page = client.get(f"{URL}/report/survey/")
    assert "Deze editie heeft geen enquête." in page.content.decode()


# --- Programme and rooms ---------------------------------------------------------------------


def test_an_organiser_builds_the_day_and_the_public_programme_shows_it(client, edition, organiser):
    from ketenconf.programme.models import Block, Session

    topic = TopicFactory(edition=edition, title_nl="Samen werken aan terugkeer")
    added = client.post(
        f"{URL}/programme/rooms/add/", {"name": "Zaal A", "kind": "workshop", "capacity": 30}
    )
    assert (added.status_code, added["Location"]) == (302, f"{URL}/programme/")
    client.post(
        f"{URL}/programme/blocks/add/",
        {
            "kind": "round",
            "title_nl": "Ronde 1",
            "title_en": "Round 1",
            "start": "2027-04-15T11:00",
            "end": "2027-04-15T12:00",
        },
    )
    block = Block.objects.get(edition=edition)
    room = edition.rooms.get()
    client.post(
        f"{URL}/programme/sessions/add/",
        {"topic": topic.pk, "block": block.pk, "room": room.pk, "capacity": ""},
    )
    session = Session.objects.get(edition=edition)
    assert (session.topic, session.block, session.room) == (topic, block, room)
    page = client.get(f"{URL}/programme/")
    assert [row.sessions for row in page.context["blocks"]] == [[session]]

    edition.status = EditionStatus.PUBLISHED
    edition.save()
    assert "Samen werken aan terugkeer" in client.get("/ketenconferentie-2027/programme/").text

    question = client.get(f"{URL}/programme/blocks/{block.pk}/remove/")
    assert "Ronde 1" in question.text and Block.objects.exists()
    client.post(f"{URL}/programme/blocks/{block.pk}/remove/")
    assert not Session.objects.exists()
    assert "Samen werken aan terugkeer" not in client.get("/ketenconferentie-2027/programme/").text


def test_a_block_outside_the_edition_and_too_many_seats_are_refused(client, edition, organiser):
    room = RoomFactory(edition=edition, capacity=20)
    response = client.post(
        f"{URL}/programme/blocks/add/",
        {"kind": "plenary", "start": "2027-05-01T09:00", "end": "2027-05-01T10:00"},
    )
    assert response.status_code == 422
    assert list(response.context["form"].errors) == ["start"]
    block = BlockFactory(edition=edition)

    response = client.post(
        f"{URL}/programme/sessions/add/",
        {
            "topic": TopicFactory(edition=edition).pk,
            "block": block.pk,
            "room": room.pk,
            "capacity": 25,
        },
    )
    assert response.status_code == 422
    assert list(response.context["form"].errors) == ["capacity"]


def test_rows_of_another_edition_are_not_found(client, edition, organiser):
    other = BlockFactory(edition=EditionFactory())
    assert client.get(f"{URL}/programme/blocks/{other.pk}/").status_code == 404
    assert client.post(f"{URL}/programme/blocks/{other.pk}/remove/").status_code == 404
    assert client.get(f"{URL}/programme/things/{other.pk}/remove/").status_code == 404
