"""An edition's settings change through one service, whoever changes them."""

from __future__ import annotations

import pytest

from ketenconf.events.models import Edition, EditionStatus
from ketenconf.events.services import edition_save
from ketenconf.registration.models import Registration
from ketenconf.registration.services import registration_create
from tests.factories import EditionFactory

pytestmark = pytest.mark.django_db


def full_edition(waiting: int) -> Edition:
    edition = EditionFactory(capacity=2, status=EditionStatus.REGISTRATION_OPEN)
    for n in range(2 + waiting):
        registration_create(
            edition=edition,
            name=f"Deelnemer {n}",
            email=f"d{n}@example.org",
            organisation_name="IND",
        )
    return edition


def statuses(edition: Edition) -> list[str]:
    return list(
        Registration.objects.filter(edition=edition)
        .order_by("email")
        .values_list("status", flat=True)
    )


def test_more_capacity_seats_the_waiting_list_in_order() -> None:
    edition = full_edition(waiting=3)
    edition.capacity = 4
    promoted = edition_save(edition=edition, changed=["capacity"])
    assert [r.email for r in promoted] == ["d2@example.org", "d3@example.org"]
    assert statuses(edition) == ["registered"] * 4 + ["waitlisted"]
    edition.title_nl = "Ketendag"  # type: ignore[attr-defined]
    assert edition_save(edition=edition, changed=["title_nl"]) == []
