"""Check-ins at the doors while a re-offer is confirmed, and two confirms of one preview at the
same moment, on PostgreSQL: each is a thread with its own connection. Whoever checks in during
the confirm keeps their seat or is treated as absent, consistently; no session is over its
capacity; nobody is mailed twice; one preview publishes one run."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.utils import translation
from django_scopes import scopes_disabled

from ketenconf.allocation import selectors, services
from ketenconf.allocation.models import Assignment, AssignmentRun
from ketenconf.checkin.services import checkin_registration
from ketenconf.mail.models import OutboxMessage
from tests.allocation.reoffer_day import BASE, make_day, seats

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def together(*calls: Callable[[], Any]) -> list[Any]:
    """Run the calls in threads released at once; each thread closes its own connection."""
    results: list[Any] = [None] * len(calls)
    gate = threading.Barrier(len(calls))

    def run(index: int) -> None:
        try:
            with translation.override("en"), scopes_disabled():  # the scope is per thread
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


def assert_consistent(run: AssignmentRun) -> None:
    taken = Counter(Assignment.objects.filter(run=run).values_list("session_id", flat=True))
    for row in Assignment.objects.filter(run=run).select_related("session__room"):
        assert taken[row.session_id] <= row.session.effective_capacity
    per_round = Counter(
        Assignment.objects.filter(run=run).values_list("registration_id", "block_id")
    )
    assert max(per_round.values()) == 1
    mails = Counter(
        OutboxMessage.objects.filter(topic="allocation/reoffer").values_list("to", flat=True)
    )
    assert all(count == 1 for count in mails.values())


@pytest.mark.parametrize("rounds", range(4))
def test_a_check_in_during_the_confirm_keeps_the_seat_or_frees_it_consistently(
    rounds: int,
) -> None:
    day = make_day(prefix=f"c{rounds}-")
    day.arrive("Yara", "Zeno", "Olga", "Walter", "Vera")
    preview = services.reoffer_preview(edition=day.edition, before_round=2, by=None)
    xander = day.people["Xander"]

    outcome, scan = together(
        lambda: services.reoffer_confirm(preview=preview, by=None),
        lambda: checkin_registration(
            edition=day.edition, registration=xander, door="1", nonce=f"late-{rounds}-x", by=None
        ),
    )

    assert outcome.published and scan.ok
    run = selectors.published_run(edition=day.edition)
    assert run == outcome.reoffer.run
    assert_consistent(run)
    after = seats(run)
    prefix = f"c{rounds}-"
    if outcome.reoffer.kept_in_place:  # the confirm saw him at the door: nothing moves
        assert after == {name: tuple(k for k in keys if k) for name, keys in BASE.items()}
        assert OutboxMessage.objects.filter(topic="allocation/reoffer").count() == 0
    else:  # he came in after the confirm read the door: absent, his seat went on
        assert after["Xander"] == ("1A",)
        assert after["Yara"] == ("1A", "2C")
        assert sorted(
            OutboxMessage.objects.filter(topic="allocation/reoffer").values_list("to", flat=True)
        ) == [
            f"{prefix}walter@example.org",
            f"{prefix}yara@example.org",
            f"{prefix}zeno@example.org",
        ]


@pytest.mark.parametrize("rounds", range(3))
def test_two_confirms_of_one_preview_publish_one_run(rounds: int) -> None:
    day = make_day(prefix=f"d{rounds}-")
    day.arrive("Yara", "Zeno", "Olga", "Walter", "Vera")
    preview = services.reoffer_preview(edition=day.edition, before_round=2, by=None)
    runs = AssignmentRun.objects.count()

    first, second = together(
        lambda: services.reoffer_confirm(preview=preview, by=None),
        lambda: services.reoffer_confirm(preview=preview, by=None),
    )

    assert sorted([first.published, second.published]) == [False, True]
    assert sorted([first.already, second.already]) == [False, True]
    assert AssignmentRun.objects.count() == runs + 1
    assert OutboxMessage.objects.filter(topic="allocation/reoffer").count() == 3
    assert_consistent(selectors.published_run(edition=day.edition))
