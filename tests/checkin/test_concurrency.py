"""Two doors scan one badge at the same moment, on PostgreSQL: each door is a thread with its
own connection. Exactly one check-in row; the other door hears when and where."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.utils import translation
from django_scopes import scopes_disabled

from ketenconf.checkin.models import CheckIn
from ketenconf.checkin.services import Outcome, ScanResult, checkin_scan
from ketenconf.checkin.tokens import badge_token
from tests.checkin.conftest import make_day
from tests.factories import RegistrationFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def together(*calls: Callable[[], ScanResult]) -> list[ScanResult]:
    """Run the calls in threads released at once; each thread closes its own connection."""
    results: list[Any] = [None] * len(calls)
    gate = threading.Barrier(len(calls))

    def run(index: int) -> None:
        try:
            # A thread starts without the test's scope: as the test does, it crosses editions.
            with translation.override("en"), scopes_disabled():
                gate.wait()
                results[index] = calls[index]()
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(n,)) for n in range(len(calls))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


@pytest.mark.parametrize("rounds", range(5))
def test_two_doors_different_scans_one_check_in(rounds: int) -> None:
    day = make_day()
    token = badge_token(registration=day.people["anna"])

    def door(number: str) -> Callable[[], ScanResult]:
        return lambda: checkin_scan(
            edition=day.edition, token=token, door=number, nonce=f"scan-door-{number}", by=None
        )

    results = together(door("1"), door("2"))
    row = CheckIn.objects.get()
    outcomes = sorted(r.outcome for r in results)
    assert outcomes == [Outcome.ALREADY, Outcome.WELCOME]
    second = next(r for r in results if r.outcome == Outcome.ALREADY)
    assert second.message == (
        f"Already checked in at {_hhmm(row)} at door {row.door}: Anna de Vries — IND."
    )
    assert second.ok is False
    assert second.check_in.pk == row.pk


@pytest.mark.parametrize("rounds", range(5))
def test_two_doors_same_scan_one_check_in(rounds: int) -> None:
    day = make_day()
    token = badge_token(registration=day.people["anna"])

    def door(number: str) -> Callable[[], ScanResult]:
        return lambda: checkin_scan(
            edition=day.edition, token=token, door="2", nonce="one-scan-sent-twice", by=None
        )

    results = together(door("2"), door("2"))
    row = CheckIn.objects.get()
    assert sorted(r.outcome for r in results) == [Outcome.REPEATED, Outcome.WELCOME]
    second = next(r for r in results if r.outcome == Outcome.REPEATED)
    assert second.message == (
        f"Welcome, Anna de Vries — IND. Already checked in at {_hhmm(row)} at door 2 by this "
        "same scan."
    )
    assert all(r.check_in.pk == row.pk for r in results)


def test_eight_doors_one_badge_one_check_in() -> None:
    day = make_day()
    token = badge_token(registration=day.people["bram"])
    calls = [
        (
            lambda n=n: checkin_scan(
                edition=day.edition, token=token, door=str(n), nonce=f"scan-{n:04d}", by=None
            )
        )
        for n in range(8)
    ]
    results = together(*calls)
    assert CheckIn.objects.count() == 1
    assert sorted(r.outcome for r in results) == [Outcome.ALREADY] * 7 + [Outcome.WELCOME]


def test_switchers_at_once_never_overfill_a_room() -> None:
    from ketenconf.checkin.models import CheckInSettings

    day = make_day()
    CheckInSettings.objects.create(edition=day.edition, allow_switching=True)
    room = day.terugkeer  # 2 seats; Anna and Bram, assigned, are not in the building
    day.people["hans"] = RegistrationFactory(
        edition=day.edition, name="Hans Dekker", organisation=day.organisations["vwn"]
    )
    calls = [
        (
            lambda who=who: checkin_scan(
                edition=day.edition,
                token=badge_token(registration=day.people[who]),
                door="Zaal A",
                nonce=f"room-{who}",
                by=None,
                session=room,
            )
        )
        for who in ["chris", "dirk", "hans"]
    ]
    results = together(*calls)
    assert CheckIn.objects.filter(session=room).count() == 2
    assert sorted(r.outcome for r in results) == [
        Outcome.ROOM_FULL,
        Outcome.WELCOME,
        Outcome.WELCOME,
    ]


def _hhmm(row: CheckIn) -> str:
    from django.utils import timezone

    return timezone.localtime(row.at).strftime("%H:%M")
