"""A participant's own programme at a secret calendar address: what it shows, how it stops."""

from __future__ import annotations

import icalendar
import pytest
from django.test import Client

from ketenconf.allocation import services as allocation
from ketenconf.exports import services
from ketenconf.exports.models import CalendarFeed
from ketenconf.exports.selectors import calendar_feed_token, calendar_feed_url
from ketenconf.registration import services as registration_services
from ketenconf.registration.models import Registration
from tests.allocation.test_adapter import Small, make_edition
from tests.factories import BlockFactory, EditionFactory, RegistrationFactory, at
from tests.registration.test_pages import logged_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def small() -> Small:
    small = make_edition()
    small.edition.slug = "keten-2027"
    small.edition.save()
    return small


def publish(small: Small) -> None:
    run = allocation.assignment_run_start(edition=small.edition, by=small.organiser)
    allocation.assignment_run_publish(run=run, by=small.organiser)


def feed_path(registration: Registration) -> str:
    url = calendar_feed_url(registration=registration)
    assert url is not None
    return url.removeprefix("https://ketenconf.example")


def summaries(client: Client, path: str) -> list[tuple[str, str]]:
    response = client.get(path)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Cache-Control"] == "private, no-cache"
    calendar = icalendar.Calendar.from_ical(response.content)
    return [(str(e["UID"]), str(e["SUMMARY"])) for e in calendar.walk("VEVENT")]


def uid(kind: str, pk: int) -> str:
    return f"{kind}-{pk}@ketenconf.example"


def test_the_feed_shows_the_plenary_parts_and_then_the_published_workshops(
    client: Client, small: Small
) -> None:
    bram = small.people["Bram"]
    drinks = BlockFactory(
        edition=small.edition,
        kind="drinks",
        title_nl="Borrel",
        title_en="Drinks",
        start=at(small.edition.start_date, 16),
        end=at(small.edition.start_date, 17),
    )
    services.calendar_feed_renew(registration=bram)
    path = feed_path(bram)
    assert path == f"/keten-2027/calendar/{calendar_feed_token(feed=bram.calendar_feed)}.ics"
    keynote = small.topics["K"].sessions.get()
    before = [(uid("session", keynote.pk), "Welkom"), (uid("block", drinks.pk), "Borrel")]
    assert summaries(client, path) == before

    publish(small)
    # The unique optimum puts Bram in Zaal A twice: Terugkeer, then Arbeidsmigratie.
    s = small.sessions
    assert summaries(client, path) == [
        (uid("session", keynote.pk), "Welkom"),
        (uid("session", s["1T"].pk), "Terugkeer"),
        (uid("session", s["2A"].pk), "Arbeidsmigratie"),
        (uid("block", drinks.pk), "Borrel"),
    ]
    # The same UIDs as the whole programme, so an app that has both shows each event once.
    whole = icalendar.Calendar.from_ical(client.get("/keten-2027/schedule.ics").content)
    assert {u for u, _title in summaries(client, path)} <= {
        str(e["UID"]) for e in whole.walk("VEVENT")
    }


def test_an_english_participant_gets_an_english_address_and_calendar(
    client: Client, small: Small
) -> None:
    anna = small.people["Anna"]
    services.calendar_feed_renew(registration=anna)
    path = feed_path(anna)
    assert path.startswith("/en/keten-2027/calendar/")
    keynote = small.topics["K"].sessions.get()
    assert summaries(client, path) == [(uid("session", keynote.pk), "Welcome")]
    calendar = icalendar.Calendar.from_ical(client.get(path).content)
    assert str(calendar["X-WR-CALNAME"]) == "Chain Conference 2027: my programme"


def test_without_a_seat_the_calendar_is_empty(client: Client, small: Small) -> None:
    dirk = small.people["Dirk"]
    services.calendar_feed_renew(registration=dirk)
    path = feed_path(dirk)
    registration_services.registration_set_status(
        registration=dirk, status="waitlisted", by="organiser"
    )
    assert summaries(client, path) == []


def test_a_new_address_stops_the_old_one_and_unknown_addresses_say_nothing(
    client: Client, small: Small
) -> None:
    bram = small.people["Bram"]
    services.calendar_feed_renew(registration=bram)
    old = feed_path(bram)
    services.calendar_feed_renew(registration=bram)
    new = feed_path(bram)
    assert new != old
    assert client.get(new).status_code == 200
    token = new.rsplit("/", 1)[1].removesuffix(".ics")
    refusals = [
        old,
        "/keten-2027/calendar/nothing.ics",
        f"/keten-2027/calendar/{token[:20]}{'A' * 27}.ics",  # the right key, a forged hash
        f"/keten-2027/calendar/{token[:-1]}.ics",
        f"/{EditionFactory(slug='andere').slug}/calendar/{token}.ics",
    ]
    bodies = set()
    for path in refusals:
        response = client.get(path)
        assert response.status_code == 404, path
        bodies.add(response.content)
    assert len(bodies) == 1  # the same answer whatever the reason

    services.calendar_feed_revoke(registration=bram)
    assert client.get(new).status_code == 404
    assert calendar_feed_url(registration=bram) is None


def test_a_copy_of_the_database_gives_no_working_address(client: Client, small: Small) -> None:
    bram = small.people["Bram"]
    feed = services.calendar_feed_renew(registration=bram)
    assert client.get(f"/keten-2027/calendar/{feed.key}.ics").status_code == 404


def test_an_anonymised_registration_has_no_calendar(client: Client, small: Small) -> None:
    bram = small.people["Bram"]
    services.calendar_feed_renew(registration=bram)
    path = feed_path(bram)
    registration_services.edition_anonymise(edition=small.edition)
    assert client.get(path).status_code == 404


def test_the_personal_page_shows_the_address_and_makes_a_new_one(small: Small) -> None:
    bram = small.people["Bram"]
    browser = logged_in(bram)
    page = browser.get("/keten-2027/me/").content.decode()
    assert '<button type="submit" name="action" value="renew"' in page
    assert 'id="calendar-url"' not in page
    assert CalendarFeed.objects.count() == 0  # showing the page makes nothing

    response = browser.post("/keten-2027/me/calendar/", {"action": "renew"})
    assert (response.status_code, response["Location"]) == (302, "/keten-2027/me/#calendar-heading")
    first = feed_path(Registration.objects.get(pk=bram.pk))
    page = browser.get("/keten-2027/me/").content.decode()
    assert f'<code id="calendar-url">https://ketenconf.example{first}</code>' in page
    assert f'href="webcal://ketenconf.example{first}"' in page

    browser.post("/keten-2027/me/calendar/", {"action": "renew"})
    second = feed_path(Registration.objects.get(pk=bram.pk))
    assert second != first
    assert browser.get(first).status_code == 404

    browser.post("/keten-2027/me/calendar/", {"action": "stop"})
    assert browser.get(second).status_code == 404
    assert CalendarFeed.objects.count() == 0


def test_without_a_personal_link_nobody_makes_an_address(client: Client, small: Small) -> None:
    response = client.post("/keten-2027/me/calendar/", {"action": "renew"})
    assert (response.status_code, response["Location"]) == (302, "/keten-2027/me/new-link/")
    assert CalendarFeed.objects.count() == 0


def test_someone_elses_registration_cannot_be_reached(small: Small) -> None:
    other = RegistrationFactory(edition=small.edition, email="x@example.org", name="X")
    browser = logged_in(other)
    browser.post("/keten-2027/me/calendar/", {"action": "renew"})
    assert list(CalendarFeed.objects.values_list("registration_id", flat=True)) == [other.pk]
