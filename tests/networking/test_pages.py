"""The participants' networking pages and the organisers' page, through the test client."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client

from ketenconf.events.models import Edition
from ketenconf.networking import services
from ketenconf.networking.models import Meeting, MeetingRequest, MeetingStatus, NetworkingProfile
from ketenconf.registration.models import Registration
from tests.factories import UserFactory

from .conftest import add_tables, logged_in, organisation, person

pytestmark = pytest.mark.django_db

BASE = "/en/ketenconferentie-2027/me/networking/"


def texts(response: Any, element_id: str) -> list[str]:
    """The text of each <li> (or the element itself) inside the element with this id."""
    html = response.content.decode()
    match = re.search(rf'<(\w+)[^>]*id="{element_id}"[^>]*>(.*?)</\1>', html, re.S)
    assert match is not None, element_id
    inner = match.group(2)
    items = re.findall(r"<li[^>]*>(.*?)</li>", inner, re.S) or [inner]
    return [" ".join(re.sub(r"<[^>]+>", " ", item).split()) for item in items]


@pytest.fixture
def two(edition: Edition) -> tuple[Registration, Registration]:
    anna = person(edition, "Anna Jansen", organisation("IND"), "return", "housing")
    bas = person(edition, "Bas de Vries", organisation("COA"), "return")
    add_tables(edition, 2)
    services.meetings_propose(edition=edition)
    return anna, bas


def test_without_a_personal_link_the_pages_send_you_to_ask_for_one(edition: Edition) -> None:
    response = Client().get(BASE)
    assert response.status_code == 302
    assert response["Location"] == "/en/ketenconferentie-2027/me/new-link/"


def test_the_meeting_shows_who_where_and_when_and_can_be_accepted(
    edition: Edition, two: tuple[Registration, Registration]
) -> None:
    anna, bas = two
    meeting = Meeting.objects.get()
    client = logged_in(anna)
    response = client.get(BASE)
    assert response.status_code == 200
    assert texts(response, f"meeting-{meeting.pk}") == [
        "Bas de Vries Organisation Organisatie COA Job title adviseur When 11:00–11:15 "
        "Where Table 1 You share return Status proposed: please accept or decline "
        "Accept the meeting with Bas de Vries Decline"
    ]
    response = client.post(f"{BASE}meetings/{meeting.pk}/", {"answer": "accept"})
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert (meeting.first_answer, meeting.status) == ("accepted", MeetingStatus.PROPOSED)
    me = client.get("/en/ketenconferentie-2027/me/")
    assert texts(me, "my-meetings") == [
        "11:00–11:15, table 1: Bas de Vries (Organisatie COA) — awaiting answers"
    ]
    logged_in(bas).post(f"{BASE}meetings/{meeting.pk}/", {"answer": "accept"})
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.ACCEPTED


def test_someone_else_cannot_answer_your_meeting(
    edition: Edition, two: tuple[Registration, Registration]
) -> None:
    carla = person(edition, "Carla Smit", organisation("VNG"), "minors")
    meeting = Meeting.objects.get()
    response = logged_in(carla).post(f"{BASE}meetings/{meeting.pk}/", {"answer": "decline"})
    assert response.status_code == 404
    assert Meeting.objects.get().status == MeetingStatus.PROPOSED


def test_choose_interests(edition: Edition) -> None:
    anna = person(edition, "Anna Jansen", organisation("IND"))
    client = logged_in(anna)
    response = client.post(
        f"{BASE}interests/",
        {"links": ["return", "housing"], "themes": ["minors"], "wanted_kinds": ["ngo"]},
    )
    assert response.status_code == 302
    profile = NetworkingProfile.objects.get(registration=anna)
    assert (profile.interests, profile.wanted_kinds) == (["housing", "return", "minors"], ["ngo"])
    assert texts(client.get(BASE), "interests") == ["housing, return, unaccompanied minors"]


def test_search_finds_only_people_who_consented_of_other_organisations(edition: Edition) -> None:
    ind = organisation("IND")
    anna = person(edition, "Anna Jansen", ind)
    person(edition, "Bas Jansen", ind)
    person(edition, "Carla Jansen", organisation("COA"))
    person(edition, "Daan Jansen", organisation("VNG"), consent=False)
    response = logged_in(anna).get(f"{BASE}people/", {"q": "jansen"})
    assert texts(response, "found") == [
        "Carla Jansen (Organisatie COA, adviseur) Ask Carla Jansen for a meeting"
    ]


def test_ask_and_answer_a_request(edition: Edition) -> None:
    anna = person(edition, "Anna Jansen", organisation("IND"))
    carla = person(edition, "Carla Smit", organisation("COA"))
    daan = person(edition, "Daan Bos", organisation("VNG"), consent=False)
    client = logged_in(anna)
    assert client.post(f"{BASE}ask/", {"target": daan.pk}).status_code == 404
    assert client.post(f"{BASE}ask/", {"target": carla.pk}).status_code == 302
    assert texts(client.get(BASE), "requests-made") == [
        "Carla Smit (Organisatie COA): awaiting an answer"
    ]
    other = logged_in(carla)
    request = MeetingRequest.objects.get()
    assert texts(other.get(BASE), "requests-received") == [
        "Anna Jansen (Organisatie IND, adviseur) Meet Anna Jansen Decline"
    ]
    other.post(f"{BASE}requests/{request.pk}/", {"answer": "accept"})
    assert MeetingRequest.objects.get().status == "accepted"


@pytest.mark.parametrize("count", [1, 3])
def test_the_overview_queries_do_not_grow_with_the_meetings(
    edition: Edition, count: int, django_assert_num_queries: Any
) -> None:
    anna = person(edition, "Anna Jansen", organisation("IND"), "return")
    for n in range(count):
        person(edition, f"P{n} X", organisation(f"O{n}"), "return")
    add_tables(edition, 10)
    services.meetings_propose(edition=edition, max_meetings=count)
    client = logged_in(anna)
    cache.clear()  # sessions are cached_db: count the session's read every time
    with django_assert_num_queries(7):
        response = client.get(BASE)
    assert len(re.findall(r'id="meeting-\d+"', response.content.decode())) == count


def test_organisers_propose_meetings_and_see_the_metrics(edition: Edition, client: Client) -> None:
    person(edition, "Anna Jansen", organisation("IND"), "return")
    person(edition, "Bas de Vries", organisation("COA"), "return")
    add_tables(edition, 1)
    organiser = UserFactory(organisation=edition.lead_organisation)
    client.force_login(organiser)
    url = f"/admin/networking/matchrun/editions/{edition.pk}/"
    response = client.post(url, {"max_meetings": 3, "seed": 0})
    assert response.status_code == 302
    page = client.get(url)
    assert texts(page, "count-proposed") == ["1"]
    assert texts(page, "per-person") == ["1,00"]
    assert texts(page, "organisation-pairs") == ["1"]
    outsider = UserFactory()
    client.force_login(outsider)
    assert client.get(url).status_code == 404


def test_a_large_edition_shows_its_run_under_way_then_done(
    edition: Edition, client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    from django.utils import translation

    from ketenconf.networking.models import MatchRunStatus
    from ketenconf.networking.tasks import execute_match_run

    # Two people count as "large" here, so the page hands the run to the worker.
    monkeypatch.setattr(services, "INLINE_PEOPLE_LIMIT", 1)
    person(edition, "Anna Jansen", organisation("IND"), "return")
    person(edition, "Bas de Vries", organisation("COA"), "return")
    add_tables(edition, 1)
    client.force_login(UserFactory(organisation=edition.lead_organisation))
    url = f"/admin/networking/matchrun/editions/{edition.pk}/"
    with translation.override("nl"):  # the back office speaks the site's language
        under_way = translation.gettext(
            "The worker is proposing the meetings; reload this page to see the run when it "
            "has finished."
        )
        queued, done = str(MatchRunStatus.QUEUED.label), str(MatchRunStatus.DONE.label)
    page = client.post(url, {"max_meetings": 3, "seed": 0}, follow=True).content.decode()
    assert under_way in page
    assert f"<td>{queued}</td>" in page
    assert not Meeting.objects.filter(edition=edition).exists()

    execute_match_run.call(edition.match_runs.get().pk)
    response = client.get(url)
    assert f"<td>{done}</td>" in response.content.decode()
    assert texts(response, "count-proposed") == ["1"]


def test_the_organisers_page_says_what_is_missing_when_nothing_can_be_proposed(
    edition: Edition, client: Client
) -> None:
    """'0 meetings proposed' left organisers guessing; the page names each thing missing, and
    a run that proposes nothing says why."""
    from ketenconf.networking.models import NetworkingSlot

    client.force_login(UserFactory(organisation=edition.lead_organisation))
    client.cookies["django_language"] = "en"
    url = f"/admin/networking/matchrun/editions/{edition.pk}/"

    def missing() -> list[str]:
        page = client.get(url).content.decode()
        block = re.search(r'<div id="networking-missing".*?</div>', page, re.S)
        return re.findall(r"<li>(.*?)</li>", block.group(0)) if block else []

    slots = list(NetworkingSlot.objects.filter(edition=edition))
    NetworkingSlot.objects.filter(edition=edition).delete()
    assert missing() == [
        "There are no networking slots: add slots in a networking block.",
        "There are no networking tables: add tables.",
        "Nobody takes part: no participant with a seat has agreed to networking.",
    ]
    NetworkingSlot.objects.bulk_create(slots)
    add_tables(edition, 2)
    anna = person(edition, "Anna Jansen", organisation("IND"))
    person(edition, "Daan Smit", organisation("VWN"), "return", consent=False)
    assert missing() == ["Only one participant takes part in networking; a meeting needs two."]
    person(edition, "Bas de Vries", organisation("COA"))
    reason = (
        "Nobody who takes part has chosen what they want to talk about or whom they want to "
        "meet, and no request was accepted: meetings are proposed to people with something in "
        "common."
    )
    assert missing() == [reason]
    answer = client.post(url, {"max_meetings": 3, "seed": 0}, follow=True).content.decode()
    assert f"No new meeting proposed. {reason}" in answer
    services.networking_set_profile(registration=anna, interests=["return"], wanted_kinds=[])
    assert missing() == []
