"""The check-in pages over HTTP: who may see them, a scan without and with htmx, search,
walk-ins, a room door, the live counts and the badges."""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import lxml.html
import pytest
from django.test import Client, override_settings

from ketenconf.checkin.models import BadgeBatch, CheckIn, CheckInSettings
from ketenconf.checkin.tokens import badge_token
from ketenconf.mail.models import OutboxMessage
from ketenconf.registration.models import Registration
from tests.checkin.conftest import make_day
from tests.factories import RegistrationFactory, UserFactory

pytestmark = pytest.mark.django_db

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture(autouse=True)
def english(settings):
    """Pages outside the language prefixes speak the default language: English here, so the
    assertions hold whether or not the Dutch of these pages is compiled."""
    settings.LANGUAGE_CODE = "en"


def text(html: bytes, element_id: str) -> str:
    """The text inside the element with this id, white space collapsed."""
    found = lxml.html.fromstring(html).get_element_by_id(element_id)
    return " ".join(" ".join(found.itertext()).split())


def nonce_of(html: bytes) -> str:
    match = re.search(
        r'name="nonce" [^>]*value="([^"]+)"|value="([^"]+)"[^>]*name="nonce"', html.decode()
    )
    assert match
    return match.group(1) or match.group(2)


def door_url(day, door: str = "2") -> str:
    return f"/organise/{day.edition.slug}/checkin/doors/{door}/"


def test_others_do_not_find_the_edition(checkin_day):
    stranger = UserFactory(username="vreemde")  # staff of another organisation
    response = client_for(stranger).get(door_url(checkin_day))
    assert response.status_code == 404
    anonymous = Client().get(door_url(checkin_day))
    assert (anonymous.status_code, anonymous["Location"]) == (
        302,
        f"/organise/login/?next={door_url(checkin_day)}",
    )


def test_door_staff_scan_without_javascript(checkin_day):
    client = client_for(checkin_day.door_staff)
    page = client.get(door_url(checkin_day))
    assert page.status_code == 200
    assert b'autofocus="autofocus"' in page.content
    nonce = nonce_of(page.content)
    token = badge_token(registration=checkin_day.people["anna"])
    answer = client.post(door_url(checkin_day), {"token": token, "nonce": nonce})
    assert answer.status_code == 200
    assert text(answer.content, "scan-result") == (
        "✓ Let in Welcome, Anna de Vries — IND Print the badge of Anna de Vries"
    )
    assert nonce_of(answer.content) != nonce  # a fresh number for the next scan
    # The browser sends the form again (back, reload): it counts once.
    again = client.post(door_url(checkin_day), {"token": token, "nonce": nonce})
    assert text(again.content, "scan-result").startswith("✓ Let in Welcome, Anna de Vries — IND.")
    row = CheckIn.objects.get()
    assert (row.door, row.by) == ("2", checkin_day.door_staff)


def test_with_htmx_only_the_answer_and_a_new_scan_number_come_back(checkin_day):
    client = client_for(checkin_day.organiser)
    CheckIn.objects.create(
        edition=checkin_day.edition,
        registration=checkin_day.people["bram"],
        kind="entry",
        door="1",
        at=datetime(2027, 4, 15, 9, 42, tzinfo=AMSTERDAM),
        nonce="earlier-scan",
    )
    answer = client.post(
        door_url(checkin_day),
        {"token": badge_token(registration=checkin_day.people["bram"]), "nonce": "htmx-scan-1"},
        HTTP_HX_REQUEST="true",
    )
    body = answer.content.decode()
    assert "<html" not in body
    assert 'hx-swap-oob="true"' in body
    assert " ".join(lxml.html.fromstring(f"<div>{body}</div>").text_content().split()) == (
        "✗ Do not let in Already checked in at 09:42 at door 1: Bram Jansen — Gemeente Utrecht. "
        "Print the badge of Bram Jansen"
    )


def test_a_scan_with_htmx_reads_only_what_its_answer_needs(checkin_day, django_assert_num_queries):
    """The door staff wait for this answer: the session and user, the edition, then in one
    transaction the locked registration, this scan's earlier rows in one query, the insert,
    and whether a re-offer gave the newcomer's seats away (to tell them where seats are left)."""
    client = client_for(checkin_day.door_staff)
    client.get(door_url(checkin_day))
    tokens = {who: badge_token(registration=checkin_day.people[who]) for who in ("anna", "bram")}
    for n, who in enumerate(["anna", "bram"]):
        with django_assert_num_queries(9) as captured:  # with the test's savepoint and release
            answer = client.post(
                door_url(checkin_day),
                {"token": tokens[who], "nonce": f"fast-{n:04d}"},
                HTTP_HX_REQUEST="true",
            )
        assert 'data-outcome="welcome"' in answer.content.decode()
        assert not any("checkinsettings" in query["sql"] for query in captured.captured_queries)
    with django_assert_num_queries(7):  # the same badge again: nothing to insert
        answer = client.post(
            door_url(checkin_day),
            {"token": tokens["anna"], "nonce": "fast-0009"},
            HTTP_HX_REQUEST="true",
        )
    assert 'data-outcome="already"' in answer.content.decode()


def test_a_damaged_form_is_refused_with_a_reason(checkin_day):
    answer = client_for(checkin_day.door_staff).post(
        door_url(checkin_day), {"token": "", "nonce": "x"}
    )
    assert text(answer.content, "scan-result") == (
        "✗ Not checked in This field is required. This scan form is damaged; reload the page."
    )
    assert CheckIn.objects.count() == 0


def test_search_by_name_and_check_in_found(checkin_day):
    client = client_for(checkin_day.door_staff)
    found = client.get(f"{door_url(checkin_day)}search/", {"q": "jansen utrecht"})
    assert text(found.content, "found").startswith("1 registration found")
    url = f"{door_url(checkin_day)}registrations/{checkin_day.people['bram'].pk}/"
    assert url in found.content.decode()
    answer = client.post(url, {"nonce": "desk-click-1"})
    assert text(answer.content, "scan-result").startswith(
        "✓ Let in Welcome, Bram Jansen — Gemeente Utrecht"
    )
    again = client.get(f"{door_url(checkin_day)}search/", {"q": "bram"})
    assert "checked in" in text(again.content, "found")


def test_after_a_check_in_from_the_search_its_row_says_so_without_the_button(checkin_day):
    """The door staff check someone in from the search result (htmx): the answer also swaps
    that row's status and action, so the list no longer offers to check them in."""
    client = client_for(checkin_day.door_staff)
    bram = checkin_day.people["bram"]
    found = client.get(f"{door_url(checkin_day)}search/", {"q": "bram"}, HTTP_HX_REQUEST="true")
    assert f"Check in {bram.name}" in text(found.content, f"found-action-{bram.pk}")
    answer = client.post(
        f"{door_url(checkin_day)}registrations/{bram.pk}/",
        {"nonce": "desk-click-7"},
        HTTP_HX_REQUEST="true",
    )
    page = lxml.html.fromstring(answer.content)
    [status] = page.xpath(f'//*[@id="found-status-{bram.pk}"]')
    [action] = page.xpath(f'//*[@id="found-action-{bram.pk}"]')
    assert (status.get("hx-swap-oob"), status.text_content().strip()) == ("true", "checked in")
    assert (action.get("hx-swap-oob"), action.text_content().strip()) == ("true", "")
    # And a new search shows the same.
    again = client.get(f"{door_url(checkin_day)}search/", {"q": "bram"}, HTTP_HX_REQUEST="true")
    assert text(again.content, f"found-status-{bram.pk}") == "checked in"
    assert text(again.content, f"found-action-{bram.pk}") == ""


def test_search_takes_a_fixed_number_of_queries(checkin_day, django_assert_num_queries):
    client = client_for(checkin_day.door_staff)
    url = f"{door_url(checkin_day)}search/"
    client.get(url, {"q": "de"})  # warm the session
    with django_assert_num_queries(5):
        client.get(url, {"q": "Anna"}, HTTP_HX_REQUEST="true")
    with django_assert_num_queries(5):
        client.get(url, {"q": "e"}, HTTP_HX_REQUEST="true")


def test_a_walk_in_is_registered_checked_in_and_mailed(checkin_day):
    client = client_for(checkin_day.door_staff)
    answer = client.post(
        f"{door_url(checkin_day)}walk-in/",
        {
            "walk_in-name": "Iris Hoek",
            "walk_in-email": "iris@example.org",
            "walk_in-organisation_name": "Gemeente Utrecht",
            "walk_in-nonce": "walk-in-0001",
        },
    )
    assert answer.status_code == 200
    assert text(answer.content, "scan-result").startswith(
        "✓ Let in Welcome, Iris Hoek — Gemeente Utrecht"
    )
    iris = Registration.objects.get(email="iris@example.org")
    assert (iris.status, iris.organisation, iris.confirmed_at is not None) == (
        "registered",
        checkin_day.organisations["utrecht"],
        True,
    )
    assert CheckIn.objects.get().registration == iris
    assert OutboxMessage.objects.filter(to="iris@example.org").count() == 1


def test_no_walk_ins_when_no_seats_are_left(db):
    day = make_day(capacity=4)
    answer = client_for(day.door_staff).post(
        f"{door_url(day)}walk-in/",
        {
            "walk_in-name": "Iris Hoek",
            "walk_in-email": "iris@example.org",
            "walk_in-organisation_name": "Gemeente Utrecht",
            "walk_in-nonce": "walk-in-0001",
        },
    )
    assert text(answer.content, "form-errors").startswith(
        "Please correct what is marked below. No seats are left: walk-ins cannot be registered."
    )
    assert Registration.objects.filter(email="iris@example.org").count() == 0


def test_a_room_door_counts_who_is_in(checkin_day):
    session = checkin_day.terugkeer
    url = f"/organise/{checkin_day.edition.slug}/checkin/sessions/{session.pk}/"
    client = client_for(checkin_day.door_staff)
    page = client.get(url)
    assert text(page.content, "occupancy") == "0 of 2 seats taken; 2 assigned here."
    answer = client.post(
        url,
        {"token": badge_token(registration=checkin_day.people["chris"]), "nonce": "room-0001"},
    )
    assert text(answer.content, "scan-result").startswith(
        "✗ Do not let in Not assigned here: Chris Bakker — VWN. Their session: Housing in Zaal B."
    )
    answer = client.post(
        url,
        {"token": badge_token(registration=checkin_day.people["anna"]), "nonce": "room-0002"},
        HTTP_HX_REQUEST="true",
    )
    assert 'id="occupancy" hx-swap-oob="true">1 of 2 seats taken; 2 assigned here.' in (
        answer.content.decode()
    )


def test_organisers_set_the_rules_door_staff_cannot(checkin_day):
    url = f"/organise/{checkin_day.edition.slug}/checkin/"
    assert (
        client_for(checkin_day.door_staff).post(url, {"allow_switching": "on"}).status_code == 403
    )
    response = client_for(checkin_day.organiser).post(url, {"allow_switching": "on"})
    assert response.status_code == 302
    rules = CheckInSettings.objects.get(edition=checkin_day.edition)
    assert (rules.allow_switching, rules.walk_ins) == (True, False)


def test_the_dashboard_counts(checkin_day):
    people = checkin_day.people
    for n, (who, hour, minute) in enumerate([("anna", 9, 2), ("bram", 9, 10), ("chris", 9, 50)]):
        CheckIn.objects.create(
            edition=checkin_day.edition,
            registration=people[who],
            kind="entry",
            door="1",
            at=datetime(2027, 4, 15, hour, minute, tzinfo=AMSTERDAM),
            nonce=f"dash-{n:04d}",
        )
    CheckIn.objects.create(
        edition=checkin_day.edition,
        registration=people["anna"],
        kind="room",
        session=checkin_day.terugkeer,
        at=datetime(2027, 4, 15, 10, 31, tzinfo=AMSTERDAM),
        nonce="dash-room",
    )
    url = f"/organise/{checkin_day.edition.slug}/checkin/dashboard/"
    assert client_for(checkin_day.door_staff).get(url).status_code == 403
    page = client_for(checkin_day.organiser).get(url)
    assert 'hx-trigger="every 5s"' in page.content.decode()
    assert text(page.content, "checked-in") == "3 of 4 registered (75%)"
    assert text(page.content, "no-shows") == "1"
    assert text(page.content, "kinds") == (
        "Checked in against registered, by kind of organisation "
        "Kind Registered Checked in Share "
        "National agency 1 1 100% Municipality 2 1 50% NGO 1 1 100%"
    )
    assert text(page.content, "arrivals") == (
        "Arrivals per quarter of an hour From Arrivals In total "
        "09:00 2 2 09:15 0 2 09:30 0 2 09:45 1 3"
    )
    assert text(page.content, "arrivals-desc") == (
        "3 arrivals from 09:00 to 09:45; the busiest quarter of an hour began at 09:00 with 2 "
        "arrivals."
    )
    assert text(page.content, "absent") == "Dirk Smit (Gemeente Utrecht)"
    rooms = text(page.content, "rooms")
    assert "Return, Zaal A 10:30 2 1 2 50%" in rooms
    assert "Welcome, Grote zaal 09:30 0 0 3 0%" in rooms


def test_the_dashboard_takes_a_fixed_number_of_queries(checkin_day, django_assert_num_queries):
    client = client_for(checkin_day.organiser)
    url = f"/organise/{checkin_day.edition.slug}/checkin/dashboard/"
    client.get(url)
    with django_assert_num_queries(9):
        client.get(url, HTTP_HX_REQUEST="true")
    for n in range(3):
        person = RegistrationFactory(edition=checkin_day.edition)
        CheckIn.objects.create(
            edition=checkin_day.edition,
            registration=person,
            kind="entry",
            at=datetime(2027, 4, 15, 9, n, tzinfo=AMSTERDAM),
            nonce=f"more-{n:04d}",
        )
    with django_assert_num_queries(9):
        client.get(url, HTTP_HX_REQUEST="true")


def test_one_badge_as_pdf_for_door_staff(checkin_day):
    url = f"/organise/{checkin_day.edition.slug}/checkin/badges/{checkin_day.people['anna'].pk}.pdf"
    response = client_for(checkin_day.door_staff).get(url)
    assert (response.status_code, response["Content-Type"]) == (200, "application/pdf")
    assert response.content.startswith(b"%PDF-")
    assert client_for(checkin_day.door_staff).get(url + "?format=poster").status_code == 404


def test_organisers_make_all_badges_and_download_them(checkin_day, tmp_path: Path):
    client = client_for(checkin_day.organiser)
    url = f"/organise/{checkin_day.edition.slug}/checkin/badges/"
    assert client_for(checkin_day.door_staff).get(url).status_code == 403
    with override_settings(VAR_DIR=tmp_path):
        response = client.post(url, {"format": "labels"})
    batch = BadgeBatch.objects.get()
    assert response["Location"] == f"{url}batches/{batch.pk}/"
    assert (batch.status, batch.done, batch.total) == ("done", 4, 4)  # small: made at once
    status = client.get(response["Location"], HTTP_HX_REQUEST="true")
    assert "hx-trigger" not in status.content.decode()
    download = client.get(f"{url}batches/{batch.pk}.pdf")
    assert (download.status_code, download["Content-Type"]) == (200, "application/pdf")
    assert b"".join(download.streaming_content).startswith(b"%PDF-")


def test_a_running_batch_is_polled(checkin_day):
    batch = BadgeBatch.objects.create(
        edition=checkin_day.edition, format="a6", status="running", total=600, done=120
    )
    response = client_for(checkin_day.organiser).get(
        f"/organise/{checkin_day.edition.slug}/checkin/badges/batches/{batch.pk}/",
        HTTP_HX_REQUEST="true",
    )
    body = response.content.decode()
    assert 'hx-trigger="every 2s"' in body
    assert text(response.content, "batch-status").startswith("120 of 600 badges made.")


def test_a_lost_badge_is_replaced(checkin_day):
    anna = checkin_day.people["anna"]
    old = badge_token(registration=anna)
    response = client_for(checkin_day.organiser).post(
        f"/organise/{checkin_day.edition.slug}/checkin/badges/{anna.pk}/replace/"
    )
    assert (
        response["Location"] == f"/organise/{checkin_day.edition.slug}/checkin/badges/{anna.pk}.pdf"
    )
    assert badge_token(registration=Registration.objects.get(pk=anna.pk)) != old
