"""Hundreds register at once for the last seats: nobody is overbooked, nothing is lost.

Each thread has its own database connection, as each request of a real server would.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection, connections, transaction

from ketenconf.core.tenancy import edition_scope
from ketenconf.events.models import Edition, EditionStatus, Organisation
from ketenconf.mail.models import OutboxMessage
from ketenconf.registration import services
from ketenconf.registration.models import Registration, RegistrationStatus
from ketenconf.registration.selectors import waitlist_position
from tests.factories import EditionFactory, OrganisationFactory, RegistrationFactory

pytestmark = pytest.mark.django_db(transaction=True)

RUSH = 200
SEATS_LEFT = 10


def rush(edition: Edition, register: Callable[[Edition, int], None], people: int = RUSH) -> None:
    barrier = threading.Barrier(min(people, 50))

    def one(n: int) -> None:
        try:
            with contextlib.suppress(threading.BrokenBarrierError):
                barrier.wait(timeout=10)
            # Each thread registers as a request for the edition does: in its scope.
            with edition_scope(edition):
                register(Edition.objects.get(pk=edition.pk), n)
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=50) as pool:
        list(pool.map(one, range(people)))


def register_properly(edition: Edition, n: int) -> None:
    services.registration_create(
        edition=edition,
        name=f"Deelnemer {n}",
        email=f"rush{n}@example.org",
        organisation_name="IND",
    )


def register_naively(edition: Edition, n: int) -> None:
    """The control: count the seats taken, then insert. What a first attempt often does."""
    with transaction.atomic():
        taken = Registration.objects.filter(
            edition=edition, status=RegistrationStatus.REGISTERED
        ).count()
        time.sleep(0.01)  # the time a real request spends between the two statements
        Registration.objects.create(
            edition=edition,
            email=f"rush{n}@example.org",
            name=f"Deelnemer {n}",
            organisation_id=edition.lead_organisation_id,
            status=RegistrationStatus.REGISTERED
            if taken < edition.capacity
            else RegistrationStatus.WAITLISTED,
        )


def nearly_full_edition() -> Edition:
    edition = EditionFactory(status=EditionStatus.REGISTRATION_OPEN, capacity=50, slug="rush")
    OrganisationFactory(name="IND")
    for _ in range(edition.capacity - SEATS_LEFT):
        RegistrationFactory(edition=edition)
    Edition.objects.filter(pk=edition.pk).update(seats_taken=edition.capacity - SEATS_LEFT)
    return edition


def test_rush_for_the_last_seats_seats_exactly_those_and_queues_the_rest_in_order() -> None:
    edition = nearly_full_edition()
    rush(edition, register_properly)

    rushed = Registration.objects.filter(edition=edition, email__startswith="rush")
    assert rushed.count() == RUSH
    assert rushed.filter(status=RegistrationStatus.REGISTERED).count() == SEATS_LEFT
    edition.refresh_from_db()
    assert edition.seats_taken == edition.capacity
    assert (
        Registration.objects.filter(edition=edition, status="registered").count()
        == edition.capacity
    )
    waiting = rushed.filter(status=RegistrationStatus.WAITLISTED)
    positions = sorted(waitlist_position(registration=r) for r in waiting)
    assert positions == list(range(1, RUSH - SEATS_LEFT + 1))
    # One mail per registration: a seat or a place on the list, never lost, never doubled.
    mails = OutboxMessage.objects.filter(to__startswith="rush")
    assert mails.count() == RUSH
    assert mails.values("to").distinct().count() == RUSH
    assert mails.filter(subject__startswith="U bent aangemeld").count() == SEATS_LEFT


def test_rush_with_every_address_twice_makes_one_registration_each() -> None:
    edition = nearly_full_edition()
    rush(edition, lambda e, n: register_properly(e, n // 2))
    rushed = Registration.objects.filter(edition=edition, email__startswith="rush")
    assert rushed.count() == RUSH // 2
    assert rushed.filter(status=RegistrationStatus.REGISTERED).count() == SEATS_LEFT
    # The second of each pair gets the personal link again rather than a second registration.
    assert OutboxMessage.objects.filter(to__startswith="rush").count() == RUSH


@pytest.mark.postgres
def test_control_the_naive_count_then_insert_overbooks_on_postgresql() -> None:
    """Shows the rush test can fail: the same rush against the naive check overbooks."""
    edition = nearly_full_edition()
    rush(edition, register_naively)
    seated = Registration.objects.filter(
        edition=edition, status=RegistrationStatus.REGISTERED
    ).count()
    assert seated > edition.capacity


def test_on_sqlite_even_the_naive_check_is_serialised() -> None:
    """The behaviour chosen for SQLite: IMMEDIATE transactions let one writer in at a time."""
    if connection.vendor != "sqlite":
        pytest.skip("SQLite behaviour; PostgreSQL has its own control test")
    edition = nearly_full_edition()
    rush(edition, register_naively, people=60)
    seated = Registration.objects.filter(
        edition=edition, status=RegistrationStatus.REGISTERED
    ).count()
    assert seated == edition.capacity


def test_a_new_organisation_typed_by_many_at_once_is_created_once() -> None:
    edition = nearly_full_edition()

    def register_with_new_organisation(e: Edition, n: int) -> None:
        services.registration_create(
            edition=e,
            name=f"Deelnemer {n}",
            email=f"rush{n}@example.org",
            organisation_name="gemeente oss" if n % 2 else "Gemeente Oss",
        )

    rush(edition, register_with_new_organisation, people=50)
    assert Registration.objects.filter(edition=edition, email__startswith="rush").count() == 50
    assert list(
        Organisation.objects.filter(name__iexact="gemeente oss")
        .values_list("registrations__edition", flat=True)
        .distinct()
    ) == [edition.pk]
    assert Organisation.objects.filter(name__iexact="gemeente oss").count() == 1
