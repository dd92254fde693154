"""The day's page in the workspace: per-round figures, a preview, a confirm; the participant's
side (the choices for the day, the new seat on the personal page); and the doors."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone, translation

from ketenconf.allocation import selectors, services
from ketenconf.allocation.models import Reoffer, ReofferStatus
from ketenconf.checkin.services import Outcome, checkin_registration
from ketenconf.exports.selectors import calendar_feed_url
from ketenconf.exports.services import calendar_feed_renew
from ketenconf.registration.models import Registration
from tests.allocation.reoffer_day import Day, make_day
from tests.factories import OrganisationFactory, UserFactory
from tests.registration.test_pages import logged_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def day() -> Day:
    d = make_day()
    d.arrive("Yara", "Zeno", "Olga", "Walter", "Vera")
    return d


def test_the_organiser_previews_and_confirms_on_the_days_page(client: Client, day: Day) -> None:
    client.force_login(day.organiser)
    url = f"/organise/{day.edition.slug}/day/"
    with translation.override("en"):
        page = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200
    assert [(r.number, r.freed, r.empty) for r in page.context["rounds"]] == [(1, 0, 0), (2, 0, 5)]

    response = client.post(url, {"before_round": "2"})
    found = Reoffer.objects.get()
    assert response["Location"] == f"/organise/{day.edition.slug}/day/reoffers/{found.pk}/"
    preview = client.get(response["Location"])
    assert preview.status_code == 200
    assert [row["name"] for row in preview.context["rows"]] == ["Yara", "Zeno", "Walter"]
    assert preview.context["worse_off"] == 0
    assert 'id="confirm"' in preview.content.decode()

    confirmed = client.post(response["Location"])
    assert confirmed.status_code == 302
    found.refresh_from_db()
    assert found.status == ReofferStatus.PUBLISHED
    after = client.get(url)
    assert [
        (r.number, r.freed, r.refilled, r.upgrades, r.walk_ins, r.empty)
        for r in after.context["rounds"]
    ] == [(1, 0, 0, 0, 0, 0), (2, 1, 1, 2, 1, 5)]
    # Confirming again changes nothing.
    client.post(response["Location"])
    assert selectors.published_run(edition=day.edition) == found.run


def test_a_round_that_has_no_number_is_refused_on_the_page(client: Client, day: Day) -> None:
    client.force_login(day.organiser)
    response = client.post(f"/organise/{day.edition.slug}/day/", {"before_round": "7"})
    assert response.status_code == 422
    assert Reoffer.objects.count() == 0


def test_staff_of_another_organisation_do_not_find_the_day(client: Client, day: Day) -> None:
    client.force_login(UserFactory(organisation=OrganisationFactory(name="Politie")))
    assert client.get(f"/organise/{day.edition.slug}/day/").status_code == 404
    assert (
        client.post(f"/organise/{day.edition.slug}/day/", {"before_round": "2"}).status_code == 404
    )
    assert Reoffer.objects.count() == 0


def test_a_moved_participant_sees_the_new_seat_on_the_personal_page(day: Day) -> None:
    found = services.reoffer_preview(edition=day.edition, before_round=2, by=day.organiser)
    services.reoffer_confirm(preview=found, by=day.organiser)
    browser = logged_in(day.people["Zeno"])
    page = browser.get(f"/{day.edition.slug}/me/").content.decode()
    programme = page.split('id="personal-programme"')[1].split("</ul>")[0]
    assert re.findall(r">(Workshop \w)</a>, (Zaal \w)", programme) == [
        ("Workshop B", "Zaal B"),
        ("Workshop D", "Zaal D"),
    ]
    calendar_feed_renew(registration=day.people["Zeno"])
    url = calendar_feed_url(registration=day.people["Zeno"])
    assert url is not None
    feed = Client().get(url).content.decode()
    assert "SUMMARY:Workshop D" in feed
    assert "Workshop E" not in feed


def test_the_participant_says_what_they_want_for_the_day_until_the_doors_open(day: Day) -> None:
    browser = logged_in(day.people["Yara"])
    url = f"/{day.edition.slug}/me/day/"
    assert browser.get(url).status_code == 200
    response = browser.post(url, {"arrives_from": str(day.rounds[1].pk)})
    assert response.status_code == 302
    yara = Registration.objects.get(pk=day.people["Yara"].pk)
    assert (yara.wants_better_seat, yara.arrives_from_id) == (False, day.rounds[1].pk)

    day.edition.doors_open_at = timezone.now() - timedelta(minutes=1)
    day.edition.save()
    page = browser.get(url).content.decode()
    assert "De deuren zijn open: uw keuzes voor de dag zelf kunt u niet meer wijzigen." in page
    browser.post(url, {"wants_better_seat": "on"})
    yara.refresh_from_db()
    assert yara.wants_better_seat is False


def test_the_room_tells_someone_moved_where_to_go_and_seats_a_late_arrival(day: Day) -> None:
    found = services.reoffer_preview(edition=day.edition, before_round=2, by=day.organiser)
    services.reoffer_confirm(preview=found, by=day.organiser)
    with translation.override("en"):
        at_old_room = checkin_registration(
            edition=day.edition,
            registration=day.people["Yara"],
            door="Zaal D",
            nonce="room-yara-d-1",
            by=None,
            session=day.sessions["2D"],
        )
        assert at_old_room.outcome == Outcome.MOVED
        assert at_old_room.message == (
            "Moved: Yara now has Workshop C in Zaal C, from 11:30. Please go there."
        )
        late = checkin_registration(
            edition=day.edition,
            registration=day.people["Xander"],
            door="1",
            nonce="door-xander-late",
            by=None,
        )
        assert late.outcome == Outcome.WELCOME
        assert late.note == (
            "Your seats were given to others while you were not here. Seats are left in: "
            "Round 2: Workshop F in Zaal F (5 left). Go to one of these rooms."
        )
        seated = checkin_registration(
            edition=day.edition,
            registration=day.people["Xander"],
            door="Zaal F",
            nonce="room-xander-f-1",
            by=None,
            session=day.sessions["2F"],
        )
    assert seated.outcome == Outcome.WELCOME


def _ranking_closed(day: Day) -> None:
    day.edition.ranking_closes_at = timezone.now() - timedelta(days=1)
    day.edition.save(update_fields=["ranking_closes_at"])


def test_a_walk_in_ranks_at_the_desk_and_the_re_offer_seats_them(client: Client, day: Day) -> None:
    _ranking_closed(day)
    client.force_login(day.organiser)
    door = f"/organise/{day.edition.slug}/checkin/doors/1/"
    with translation.override("en"):
        answer = client.post(
            f"{door}walk-in/",
            {
                "walk_in-name": "Iris Hoek",
                "walk_in-email": "iris@example.org",
                "walk_in-organisation_name": "Gemeente Utrecht",
                "walk_in-nonce": "walk-in-0001",
            },
            HTTP_ACCEPT_LANGUAGE="en",
        )
    iris = Registration.objects.get(email="iris@example.org")
    desk = f"{door}walk-in/{iris.pk}/workshops/"
    assert f'href="{desk}"' in answer.content.decode()
    assert "Rank the workshops with Iris Hoek" in answer.content.decode()

    page = client.get(desk, HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200
    assert [field.name for field in page.context["form"]] == [
        "round1-1",
        "round1-2",
        "round2-1",
        "round2-2",
        "round2-3",
    ]
    f_topic = day.sessions["2F"].topic_id
    saved = client.post(desk, {"round2-1": str(f_topic)}, HTTP_ACCEPT_LANGUAGE="en")
    assert saved.status_code == 302
    assert saved["Location"] == door
    assert list(iris.preferences.values_list("topic_id", flat=True)) == [f_topic]

    preview = services.reoffer_preview(edition=day.edition, before_round=2, by=None)
    iris_moves = [m for m in preview.moves if m["registration"] == iris.pk]
    assert [(m["to"], m["walk_in"], m["rank"]) for m in iris_moves] == [
        (day.sessions["2F"].pk, True, 1)
    ]


def test_only_someone_without_a_seat_ranks_after_the_ranking_closed(
    client: Client, day: Day
) -> None:
    _ranking_closed(day)
    client.force_login(day.organiser)
    door = f"/organise/{day.edition.slug}/checkin/doors/1/"
    # Yara has seats: the desk does not rank for her, nor may she herself.
    yara = day.people["Yara"]
    assert client.get(f"{door}walk-in/{yara.pk}/workshops/").status_code == 404
    mine = logged_in(yara)
    with translation.override("en"):
        page = mine.get(f"/en/{day.edition.slug}/me/workshops/")
    assert 'id="ranking-closed"' in page.content.decode()
    refused = mine.post(f"/en/{day.edition.slug}/me/workshops/", {"round2-1": ""})
    assert refused.status_code == 422
    assert "Ranking the workshops is closed for this edition." in refused.content.decode()

    # Walter walked in without a seat: from his personal link he ranks for the day.
    walter = day.people["Walter"]
    own = logged_in(walter)
    with translation.override("en"):
        page = own.get(f"/en/{day.edition.slug}/me/workshops/")
    assert 'id="ranking-for-the-day"' in page.content.decode()
    d_topic = day.sessions["2D"].topic_id
    assert (
        own.post(f"/en/{day.edition.slug}/me/workshops/", {"round2-1": str(d_topic)}).status_code
        == 302
    )
    assert list(walter.preferences.values_list("topic_id", flat=True)) == [d_topic]


def test_a_round_re_offered_twice_is_not_counted_double(day: Day) -> None:
    first = services.reoffer_preview(edition=day.edition, before_round=2, by=None)
    assert services.reoffer_confirm(preview=first, by=None).published
    first.refresh_from_db()
    # A second re-offer starts from the seats the first published: nothing more to free.
    second = services.reoffer_preview(edition=day.edition, before_round=2, by=None)
    outcome = services.reoffer_confirm(preview=second, by=None)
    assert outcome.published, outcome.message
    second.refresh_from_db()
    once, again = first.figures["rounds"][0], second.figures["rounds"][0]
    assert (once["freed"], once["refilled"], once["upgrades"], once["walk_ins"]) == (1, 1, 2, 1)
    assert (again["freed"], again["upgrades"]) == (0, 0)
    row = selectors.day_rounds(edition=day.edition)[1]
    assert (
        row.freed,
        row.refilled,
        row.upgrades,
        row.ranks_gained,
        row.walk_ins,
        row.empty,
        row.reoffers,
    ) == (1, 1, 2, 2, 1, 5, 2)
    assert row.reoffered_at == second.created_at


def test_someone_moved_up_in_two_re_offers_is_one_upgrade_with_both_moves_ranks(
    day: Day,
) -> None:
    first = services.reoffer_preview(edition=day.edition, before_round=2, by=None)
    assert services.reoffer_confirm(preview=first, by=None).published
    # A later published re-offer that moved Zeno up once more in round 2, as it is stored.
    zeno = day.people["Zeno"].pk
    block = day.rounds[1].pk
    copy = Reoffer.objects.get(pk=first.pk)
    copy.pk = None
    copy.moves = [{"registration": zeno, "round": block, "from": 1, "to": 2, "gain": 1}]
    copy.figures = {"rounds": [{"round": f"b{block}", "freed": 0, "refilled": 0, "walk_ins": 0}]}
    copy.run = None
    copy.save()
    row = selectors.day_rounds(edition=day.edition)[1]
    gained = {m["registration"]: m["gain"] for m in first.moves if m["gain"]}
    assert (row.upgrades, row.ranks_gained, row.reoffers) == (2, sum(gained.values()) + 1, 2)
