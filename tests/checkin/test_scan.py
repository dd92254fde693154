"""Every answer a scan can get, at the door and at a room, with exact messages; a scan counts
once however often it is sent."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation

from ketenconf.checkin.models import CheckIn, CheckInSettings
from ketenconf.checkin.services import (
    Outcome,
    badge_replace,
    checkin_registration,
    checkin_scan,
)
from ketenconf.checkin.tokens import badge_token
from ketenconf.registration.services import edition_anonymise
from tests.factories import EditionFactory, RegistrationFactory

pytestmark = pytest.mark.django_db

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def scan(day, who, *, nonce="nonce-0001", door="1", session=None, token=None):
    return checkin_scan(
        edition=day.edition,
        token=token if token is not None else badge_token(registration=day.people[who]),
        door=door,
        nonce=nonce,
        by=day.door_staff,
        session=session,
    )


def test_a_badge_with_a_seat_is_welcomed_and_recorded(checkin_day):
    result = scan(checkin_day, "anna", door="2")
    assert (result.outcome, result.ok) == (Outcome.WELCOME, True)
    assert result.message == "Welcome, Anna de Vries — IND"
    row = CheckIn.objects.get()
    assert (row.registration, row.kind, row.door, row.nonce, row.by, row.session) == (
        checkin_day.people["anna"],
        "entry",
        "2",
        "nonce-0001",
        checkin_day.door_staff,
        None,
    )


def test_the_same_badge_again_says_when_and_at_which_door(checkin_day):
    first = scan(checkin_day, "anna", door="2")
    CheckIn.objects.filter(pk=first.check_in.pk).update(
        at=datetime(2027, 4, 15, 9, 42, tzinfo=AMSTERDAM)
    )
    again = scan(checkin_day, "anna", door="4", nonce="nonce-0002")
    assert (again.outcome, again.ok) == (Outcome.ALREADY, False)
    assert again.message == "Already checked in at 09:42 at door 2: Anna de Vries — IND."
    assert CheckIn.objects.count() == 1


def test_the_same_scan_sent_twice_counts_once_and_is_still_a_welcome(checkin_day):
    first = scan(checkin_day, "anna", door="2")
    CheckIn.objects.filter(pk=first.check_in.pk).update(
        at=datetime(2027, 4, 15, 9, 42, tzinfo=AMSTERDAM)
    )
    again = scan(checkin_day, "anna", door="2")
    assert (again.outcome, again.ok) == (Outcome.REPEATED, True)
    assert again.message == (
        "Welcome, Anna de Vries — IND. Already checked in at 09:42 at door 2 by this same scan."
    )
    assert CheckIn.objects.count() == 1


@pytest.mark.parametrize(
    ("who", "outcome", "message"),
    [
        (
            "eva",
            Outcome.CANCELLED,
            "Cancelled: Eva Visser — IND cancelled this registration.",
        ),
        (
            "fleur",
            Outcome.WAITLISTED,
            "On the waiting list: Fleur Mulder — VWN has no seat.",
        ),
        (
            "gert",
            Outcome.RELEASED,
            "Released: the registration of Gert de Boer — Gemeente Utrecht was released because "
            "the email address was never confirmed.",
        ),
    ],
)
def test_no_seat_no_entry(checkin_day, who, outcome, message):
    result = scan(checkin_day, who)
    assert (result.outcome, result.ok, result.message) == (outcome, False, message)
    assert CheckIn.objects.count() == 0


@pytest.mark.parametrize(
    "token", ["", "hello", "WzEsMiwwLDBd:forged-signature", "https://example.org/"]
)
def test_what_is_not_our_badge_is_unknown(checkin_day, token):
    result = checkin_scan(
        edition=checkin_day.edition, token=token, door="1", nonce="nonce-0001", by=None
    )
    assert (result.outcome, result.ok, result.message) == (
        Outcome.UNKNOWN,
        False,
        "Unknown badge: this code is not a badge of ketenconf.",
    )
    assert CheckIn.objects.count() == 0


def test_a_deleted_registration_is_unknown(checkin_day):
    token = badge_token(registration=checkin_day.people["anna"])
    checkin_day.people["anna"].delete()
    result = scan(checkin_day, "anna", token=token)
    assert (result.outcome, result.message) == (
        Outcome.UNKNOWN,
        "Unknown badge: no registration of this conference.",
    )


def test_a_badge_of_another_edition_says_which(checkin_day):
    other = EditionFactory(title_nl="Ketenconferentie 2026", title_en="Chain Conference 2026")
    stranger = RegistrationFactory(edition=other)
    result = checkin_scan(
        edition=checkin_day.edition,
        token=badge_token(registration=stranger),
        door="1",
        nonce="nonce-0001",
        by=None,
    )
    assert (result.outcome, result.ok, result.message) == (
        Outcome.OTHER_EDITION,
        False,
        "This badge is for another conference: Chain Conference 2026.",
    )


def test_a_lost_badge_is_stopped_and_the_new_one_works(checkin_day):
    anna = checkin_day.people["anna"]
    old = badge_token(registration=anna)
    assert badge_replace(registration=anna) == 1
    result = scan(checkin_day, "anna", token=old)
    assert (result.outcome, result.message) == (
        Outcome.REVOKED,
        "This badge is no longer valid: a newer badge was printed for Anna de Vries.",
    )
    new = badge_token(registration=anna)
    assert new != old
    assert scan(checkin_day, "anna", token=new, nonce="nonce-0002").outcome == Outcome.WELCOME


def test_anonymised_registrations_badges_are_stopped(checkin_day):
    token = badge_token(registration=checkin_day.people["anna"])
    edition_anonymise(edition=checkin_day.edition)
    assert scan(checkin_day, "anna", token=token).outcome == Outcome.REVOKED


def test_a_scan_number_used_for_another_badge_is_refused(checkin_day):
    scan(checkin_day, "anna")
    result = scan(checkin_day, "bram")
    assert (result.outcome, result.ok, result.message) == (
        Outcome.NONCE_REUSED,
        False,
        "Scan again: this scan's number was used for another check-in.",
    )
    assert CheckIn.objects.count() == 1


def test_a_malformed_scan_number_changes_nothing(checkin_day):
    with pytest.raises(ValidationError) as raised:
        scan(checkin_day, "anna", nonce="x")
    assert raised.value.message_dict == {
        "nonce": ["The scan number must be 8 to 64 letters, digits, dashes or underscores."]
    }
    assert CheckIn.objects.count() == 0


def test_found_by_name_follows_the_same_rules(checkin_day):
    welcome = checkin_registration(
        edition=checkin_day.edition,
        registration=checkin_day.people["bram"],
        door="desk",
        nonce="nonce-0001",
        by=checkin_day.organiser,
    )
    assert welcome.message == "Welcome, Bram Jansen — Gemeente Utrecht"
    refused = checkin_registration(
        edition=checkin_day.edition,
        registration=checkin_day.people["eva"],
        door="desk",
        nonce="nonce-0002",
        by=checkin_day.organiser,
    )
    assert refused.outcome == Outcome.CANCELLED


def test_the_database_refuses_a_second_entry_and_a_second_room_check_in(checkin_day):
    anna = checkin_day.people["anna"]
    now = timezone.now()
    CheckIn.objects.create(
        edition=checkin_day.edition, registration=anna, kind="entry", at=now, nonce="a" * 8
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        CheckIn.objects.create(
            edition=checkin_day.edition, registration=anna, kind="entry", at=now, nonce="b" * 8
        )
    session = checkin_day.terugkeer
    CheckIn.objects.create(
        edition=checkin_day.edition,
        registration=anna,
        kind="room",
        session=session,
        at=now,
        nonce="c" * 8,
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        CheckIn.objects.create(
            edition=checkin_day.edition,
            registration=anna,
            kind="room",
            session=session,
            at=now,
            nonce="d" * 8,
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        CheckIn.objects.create(
            edition=checkin_day.edition, registration=anna, kind="room", at=now, nonce="e" * 8
        )
    assert CheckIn.objects.count() == 2


# Rooms -----------------------------------------------------------------------------------


def test_assigned_here_comes_in_and_again_later(checkin_day):
    room = checkin_day.terugkeer
    result = scan(checkin_day, "anna", session=room)
    assert (result.outcome, result.ok, result.message) == (
        Outcome.WELCOME,
        True,
        "Welcome, Anna de Vries — IND",
    )
    CheckIn.objects.filter(pk=result.check_in.pk).update(
        at=datetime(2027, 4, 15, 10, 31, tzinfo=AMSTERDAM)
    )
    again = scan(checkin_day, "anna", session=room, nonce="nonce-0002")
    assert (again.outcome, again.ok, again.message) == (
        Outcome.ALREADY,
        True,
        "Already in this session since 10:31: Anna de Vries — IND.",
    )
    assert CheckIn.objects.get().door == "Zaal A"


def test_assigned_elsewhere_stays_out_unless_switching_is_allowed(checkin_day):
    result = scan(checkin_day, "chris", session=checkin_day.terugkeer)
    assert (result.outcome, result.ok, result.message) == (
        Outcome.NOT_ASSIGNED,
        False,
        "Not assigned here: Chris Bakker — VWN. Their session: Housing in Zaal B.",
    )
    assert CheckIn.objects.count() == 0


def test_with_switching_others_come_in_while_seats_are_left(checkin_day):
    CheckInSettings.objects.create(edition=checkin_day.edition, allow_switching=True)
    room = checkin_day.huisvesting  # Zaal B: 30 seats, Chris and Dirk assigned
    result = scan(checkin_day, "anna", session=room)
    assert (result.outcome, result.ok, result.note) == (
        Outcome.WELCOME,
        True,
        "Not assigned here, let in: 29 seats left.",
    )


def test_with_switching_seats_of_arrived_assignees_are_kept(checkin_day):
    CheckInSettings.objects.create(edition=checkin_day.edition, allow_switching=True)
    room = checkin_day.terugkeer  # Zaal A: 2 seats, Anna and Bram assigned
    # Anna is in the building, not yet in the room: her seat is kept; Bram is not here yet.
    scan(checkin_day, "anna", nonce="entry-anna")
    result = scan(checkin_day, "chris", session=room, nonce="nonce-0002")
    assert (result.outcome, result.note) == (
        Outcome.WELCOME,
        "Not assigned here, let in: 0 seats left.",
    )
    full = scan(checkin_day, "dirk", session=room, nonce="nonce-0003")
    assert (full.outcome, full.ok, full.message) == (
        Outcome.ROOM_FULL,
        False,
        "The room is full: 2 of 2 seats are taken or kept for participants assigned here. "
        "Dirk Smit is not assigned here.",
    )
    # An assignee always has a seat.
    assert scan(checkin_day, "anna", session=room, nonce="nonce-0004").outcome == Outcome.WELCOME


def test_a_plenary_room_lets_in_everyone_with_a_seat_up_to_its_capacity(checkin_day):
    hall = checkin_day.plenary  # Grote zaal: 3 seats
    for n, who in enumerate(["anna", "bram", "chris"]):
        assert scan(checkin_day, who, session=hall, nonce=f"nonce-000{n}").ok
    full = scan(checkin_day, "dirk", session=hall, nonce="nonce-0009")
    assert (full.outcome, full.message) == (
        Outcome.ROOM_FULL,
        "The room is full: 3 of 3 seats are taken.",
    )
    assert scan(checkin_day, "eva", session=hall, nonce="nonce-0010").outcome == (Outcome.CANCELLED)
