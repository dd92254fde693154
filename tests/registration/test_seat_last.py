"""The seat is taken last: a registration is written for the outcome the edition as read
suggests, and when the seat goes the other way it is written again, once, with its mail."""

from __future__ import annotations

import pytest
from django.db.models import F

from ketenconf.events.models import Edition, EditionStatus
from ketenconf.mail.models import OutboxMessage
from ketenconf.registration import services
from ketenconf.registration.models import AccessToken, Registration
from tests.factories import EditionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def edition() -> Edition:
    return EditionFactory(status=EditionStatus.REGISTRATION_OPEN, capacity=1, slug="open")


def register(edition: Edition, n: int) -> services.RegistrationOutcome:
    return services.registration_create(
        edition=edition, name=f"Deelnemer {n}", email=f"d{n}@example.org", organisation_name="IND"
    )


def topics() -> list[tuple[str, str]]:
    return list(OutboxMessage.objects.order_by("pk").values_list("to", "topic"))


def test_the_last_seat_gone_meanwhile_means_the_waiting_list_and_one_mail(
    edition: Edition,
) -> None:
    stale = Edition.objects.get(pk=edition.pk)  # read while the seat was free
    register(edition, 1)
    outcome = register(stale, 2)
    assert (outcome.registration.status, outcome.waitlist_position) == ("waitlisted", 1)
    assert topics() == [
        ("d1@example.org", "registration/mail/registered"),
        ("d2@example.org", "registration/mail/waitlisted"),
    ]
    assert Registration.objects.filter(email="d2@example.org").count() == 1
    assert AccessToken.objects.filter(registration=outcome.registration).count() == 1
    edition.refresh_from_db()
    assert edition.seats_taken == 1


def test_a_seat_freed_meanwhile_is_taken_with_the_seat_mail(edition: Edition) -> None:
    register(edition, 1)
    full = Edition.objects.get(pk=edition.pk)  # read while no seat was left
    Edition.objects.filter(pk=edition.pk).update(capacity=F("capacity") + 1)
    outcome = register(full, 2)
    assert (outcome.registration.status, outcome.waitlist_position) == ("registered", None)
    assert topics()[-1] == ("d2@example.org", "registration/mail/registered")
    assert OutboxMessage.objects.filter(to="d2@example.org").count() == 1
    edition.refresh_from_db()
    assert edition.seats_taken == 2


def test_the_same_address_again_gets_its_place_and_its_link(edition: Edition) -> None:
    register(edition, 1)
    first = register(edition, 2)
    again = register(edition, 2)
    assert (again.created, again.registration.pk) == (False, first.registration.pk)
    assert (again.registration.status, again.waitlist_position) == ("waitlisted", 1)
    assert topics()[-2:] == [
        ("d2@example.org", "registration/mail/waitlisted"),
        ("d2@example.org", "registration/mail/link"),
    ]
    assert Registration.objects.filter(email="d2@example.org").count() == 1
