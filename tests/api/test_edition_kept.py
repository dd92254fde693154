"""The API keeps the edition and the organisations it reads for a second in each process
(ketenconf.core.process_memo): a change made in the process shows at once, one made by
another process within the second, and an organisation deleted meanwhile costs nothing."""

from __future__ import annotations

import pytest

from ketenconf.core import process_memo
from ketenconf.events.models import Edition, EditionStatus, Organisation
from ketenconf.registration import services
from ketenconf.registration.models import Registration
from tests.factories import EditionFactory, OrganisationFactory

# Outside a transaction, as in a request of an app server: only then is a row kept.
pytestmark = pytest.mark.django_db(transaction=True)


def person(n: int, organisation: str = "IND") -> dict[str, str]:
    return {"name": f"Deelnemer {n}", "email": f"d{n}@example.org", "organisation": organisation}


@pytest.fixture
def edition() -> Edition:
    OrganisationFactory(name="Immigratie- en Naturalisatiedienst", short_name="IND")
    return EditionFactory(slug="kept", status=EditionStatus.REGISTRATION_OPEN, capacity=5)


def test_closing_registration_in_this_process_shows_at_once(post, edition: Edition) -> None:
    assert post("kept", person(1)).status_code == 201
    edition.status = EditionStatus.REGISTRATION_CLOSED
    edition.save()
    assert post("kept", person(2)).status_code == 409


def test_closing_it_in_another_process_shows_here_within_a_second(
    post, edition: Edition, monkeypatch: pytest.MonkeyPatch
) -> None:
    clock = process_memo.time.monotonic()
    monkeypatch.setattr(process_memo.time, "monotonic", lambda: clock)
    assert post("kept", person(1)).status_code == 201
    # Another process closes it: the row changes, no signal reaches this process.
    Edition.objects.filter(pk=edition.pk).update(status=EditionStatus.REGISTRATION_CLOSED)
    monkeypatch.setattr(process_memo.time, "monotonic", lambda: clock + 0.5)
    assert post("kept", person(2)).status_code == 201  # the edition as read half a second ago
    monkeypatch.setattr(process_memo.time, "monotonic", lambda: clock + 1.1)
    assert post("kept", person(3)).status_code == 409
    assert Registration.objects.count() == 2


def test_seats_are_never_oversold_by_a_seat_count_a_second_old(post, edition: Edition) -> None:
    statuses = [post("kept", person(n)).json()["status"] for n in range(8)]
    assert statuses == ["registered"] * 5 + ["waitlisted"] * 3
    assert Edition.objects.get(pk=edition.pk).seats_taken == 5


def test_an_organisation_deleted_elsewhere_while_known_here_is_typed_anew(
    post, edition: Edition
) -> None:
    known = OrganisationFactory(name="Stichting Nieuw Thuis")
    assert (
        services.organisation_for_registration(
            organisation=None, organisation_name="stichting nieuw thuis"
        )
        == known
    )
    # Another process deletes it (no registration refers to it): no signal reaches this one.
    Organisation.objects.filter(pk=known.pk)._raw_delete(using="default")
    response = post("kept", person(1, organisation="Stichting Nieuw Thuis"))
    assert response.status_code == 201
    registration = Registration.objects.get()
    assert registration.organisation.name == "Stichting Nieuw Thuis"
    assert registration.organisation_id != known.pk
