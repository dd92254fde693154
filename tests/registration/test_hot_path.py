"""The registration hot path's fixed statements give the rows the ORM gives for the same
question, on SQLite and PostgreSQL: the public edition, the organisation typed, the place on
the waiting list, the seat counter and the inserted registration."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db.models import Model, Q
from django.utils import timezone

from ketenconf.core.process_memo import ProcessMemo
from ketenconf.events.models import PUBLIC_STATUSES, Edition, EditionStatus, Organisation
from ketenconf.registration import hot_path
from ketenconf.registration.models import Registration, RegistrationStatus
from tests.factories import EditionFactory, OrganisationFactory, RegistrationFactory

pytestmark = pytest.mark.django_db


def values(instance: Model | None) -> dict[str, object] | None:
    if instance is None:
        return None
    return {f.attname: getattr(instance, f.attname) for f in type(instance)._meta.concrete_fields}


def test_the_public_edition_is_the_orms() -> None:
    EditionFactory(slug="concept", status=EditionStatus.DRAFT)
    EditionFactory(slug="open", status=EditionStatus.REGISTRATION_OPEN, seats_taken=3)
    for slug in ("concept", "open", "nowhere"):
        ProcessMemo.clear_all()
        orm = Edition.objects.filter(slug=slug, status__in=PUBLIC_STATUSES).first()
        assert values(hot_path.public_edition(slug=slug)) == values(orm)
    assert hot_path.public_edition(slug="open") is not None


def test_the_organisation_typed_is_the_orms() -> None:
    OrganisationFactory(name="Gemeente Utrecht", short_name="Utrecht")
    OrganisationFactory(name="Utrecht", short_name="UTR")  # a name that is another's short name
    OrganisationFactory(name="Dienst Terugkeer en Vertrek", short_name="DT&V")
    for typed in ("utrecht", "GEMEENTE UTRECHT", "dt&v", "Nergens"):
        matches = Organisation.objects.filter(Q(name__iexact=typed) | Q(short_name__iexact=typed))
        orm = next(
            iter(sorted(matches, key=lambda o: (o.name.lower() != typed.lower(), o.pk))), None
        )
        assert values(hot_path.organisation_named(typed)) == values(orm), typed


def test_the_place_on_the_waiting_list_is_the_orms() -> None:
    edition = EditionFactory()
    other = EditionFactory()
    moment = timezone.now() - dt.timedelta(hours=1)
    waiting = [
        RegistrationFactory(
            edition=edition,
            status=RegistrationStatus.WAITLISTED,
            waitlisted_at=moment + dt.timedelta(minutes=minutes),
        )
        for minutes in (5, 0, 0, 9)  # two at the same moment: the lower key is ahead
    ]
    RegistrationFactory(edition=other, status=RegistrationStatus.WAITLISTED, waitlisted_at=moment)
    seated = RegistrationFactory(edition=edition, status=RegistrationStatus.REGISTERED)
    for registration in waiting:
        ahead = Registration.objects.filter(
            Q(waitlisted_at__lt=registration.waitlisted_at)
            | Q(waitlisted_at=registration.waitlisted_at, pk__lt=registration.pk),
            edition=edition,
            status=RegistrationStatus.WAITLISTED,
        ).count()
        assert hot_path.waitlist_position(registration=registration) == ahead + 1
    assert [hot_path.waitlist_position(registration=r) for r in waiting] == [3, 1, 2, 4]
    assert hot_path.waitlist_position(registration=seated) is None


def test_the_seat_counter_moves_as_the_orm_reads_it() -> None:
    edition = EditionFactory(capacity=2, seats_taken=1)
    assert hot_path.seat_take(edition_id=edition.pk) is True
    assert hot_path.seat_take(edition_id=edition.pk) is False  # full: nothing changes
    assert Edition.objects.get(pk=edition.pk).seats_taken == 2
    hot_path.seat_free(edition_id=edition.pk)
    hot_path.seat_free(edition_id=edition.pk)
    hot_path.seat_free(edition_id=edition.pk)  # never below zero
    assert Edition.objects.get(pk=edition.pk).seats_taken == 0


def test_an_inserted_registration_is_the_row_the_orm_reads() -> None:
    edition = EditionFactory(capacity=1, seats_taken=1, status=EditionStatus.REGISTRATION_OPEN)
    registration = Registration(
        edition=edition,
        organisation=OrganisationFactory(),
        email="anna@example.org",
        name="Anna de Vries",
        language="en",
    )
    # Written for a seat that is not there: the seat turns, and it is written again waiting.
    outcome = hot_path.registration_insert(registration, notify=False, seat=True)
    assert (outcome.created, outcome.waitlist_position) == (True, 1)
    orm = Registration.objects.get(pk=outcome.registration.pk)
    assert values(outcome.registration) == values(orm)
    assert (orm.status, Registration.objects.count()) == (RegistrationStatus.WAITLISTED, 1)
    assert Edition.objects.get(pk=edition.pk).seats_taken == 1
