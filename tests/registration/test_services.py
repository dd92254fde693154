from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from ketenconf.events.models import Edition, EditionStatus
from ketenconf.mail.models import OutboxMessage
from ketenconf.mail.services import mail_deliver
from ketenconf.registration import services
from ketenconf.registration.models import Registration, RegistrationStatus
from ketenconf.registration.selectors import edition_counts, waitlist_position
from tests.factories import (
    EditionFactory,
    OrganisationFactory,
    RegistrationFactory,
    SessionFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def edition() -> Edition:
    return EditionFactory(status=EditionStatus.REGISTRATION_OPEN, capacity=2, slug="open")


def register(edition: Edition, n: int, **extra) -> services.RegistrationOutcome:
    return services.registration_create(
        edition=edition,
        name=f"Deelnemer {n}",
        email=f"deelnemer{n}@example.org",
        organisation_name="IND",
        **extra,
    )


def mails_to(email: str) -> list[str]:
    return list(
        OutboxMessage.objects.filter(to=email)
        .order_by("created_at", "pk")
        .values_list("subject", flat=True)
    )


def test_seats_then_waiting_list_in_order(edition: Edition) -> None:
    outcomes = [register(edition, n) for n in range(5)]
    assert [o.registration.status for o in outcomes] == [
        "registered",
        "registered",
        "waitlisted",
        "waitlisted",
        "waitlisted",
    ]
    assert [waitlist_position(registration=o.registration) for o in outcomes] == [
        None,
        None,
        1,
        2,
        3,
    ]
    edition.refresh_from_db()
    assert edition.seats_taken == 2
    assert edition_counts(edition=edition)["counts"] == {
        "registered": 2,
        "waitlisted": 3,
        "cancelled": 0,
        "released": 0,
    }
    assert mails_to("deelnemer0@example.org") == [
        f"U bent aangemeld voor {edition.title}: bevestig uw e-mailadres"
    ]
    assert mails_to("deelnemer3@example.org") == [f"U staat op de wachtlijst voor {edition.title}"]


def test_the_waiting_list_orders_by_time_then_key_and_counts_only_its_own(
    edition: Edition,
) -> None:
    at = timezone.now()
    other = EditionFactory(status=EditionStatus.REGISTRATION_OPEN)

    def waiting(when: dt.datetime, **extra) -> Registration:
        return RegistrationFactory(
            status=RegistrationStatus.WAITLISTED,
            waitlisted_at=when,
            **{"edition": edition, **extra},
        )

    later = waiting(at + dt.timedelta(seconds=1))
    same_a = waiting(at)
    same_b = waiting(at)  # the same moment, a higher key: after same_a
    waiting(at - dt.timedelta(days=1), edition=other)  # another edition's list
    RegistrationFactory(edition=edition, status=RegistrationStatus.CANCELLED)
    seated = RegistrationFactory(edition=edition, status=RegistrationStatus.REGISTERED)
    assert same_a.pk < same_b.pk
    assert [waitlist_position(registration=r) for r in (same_a, same_b, later, seated)] == [
        1,
        2,
        3,
        None,
    ]


def test_the_same_address_twice_is_one_registration_and_gets_its_link_again(
    edition: Edition,
) -> None:
    first = register(edition, 1)
    again = services.registration_create(
        edition=edition,
        name="Iemand anders",
        email="  DEELNEMER1@Example.org ",
        organisation_name="COA",
    )
    assert again.created is False
    assert again.registration.pk == first.registration.pk
    assert Registration.objects.filter(edition=edition).count() == 1
    assert mails_to("deelnemer1@example.org") == [
        f"U bent aangemeld voor {edition.title}: bevestig uw e-mailadres",
        f"Uw persoonlijke link voor {edition.title}",
    ]


def test_a_typed_organisation_is_matched_by_name_or_created(edition: Edition) -> None:
    known = OrganisationFactory(name="Centraal Orgaan opvang asielzoekers", short_name="COA")
    assert (
        register(
            edition,
            1,
        ).registration.organisation.name
        == "IND"
    )
    by_short = services.registration_create(
        edition=edition, name="A", email="a@example.org", organisation_name="coa"
    )
    assert by_short.registration.organisation == known
    with pytest.raises(ValidationError) as caught:
        services.registration_create(
            edition=edition, name="B", email="b@example.org", organisation_name="  "
        )
    assert caught.value.message_dict == {"organisation": ["Kies uw organisatie of typ de naam."]}
    assert not Registration.objects.filter(email="b@example.org").exists()


def test_bad_names_are_refused_and_change_nothing(edition: Edition) -> None:
    with pytest.raises(ValidationError) as caught:
        services.registration_create(
            edition=edition,
            name="<script>x</script>\x00",
            email="c@example.org",
            organisation_name="IND",
        )
    assert caught.value.message_dict == {
        "name": [
            "Haal de onzichtbare stuurtekens uit deze tekst.",
            "Punthaken (< en >) zijn hier niet toegestaan.",
        ]
    }
    edition.refresh_from_db()
    assert edition.seats_taken == 0
    assert OutboxMessage.objects.count() == 0


def test_registration_is_refused_when_not_open() -> None:
    closed = EditionFactory(status=EditionStatus.REGISTRATION_CLOSED, title_nl="Dicht")
    with pytest.raises(services.RegistrationClosed) as caught:
        register(closed, 1)
    assert str(caught.value) == "De aanmelding voor Dicht is niet open."


def test_cancelling_gives_the_seat_to_the_first_on_the_waiting_list(edition: Edition) -> None:
    a, _b, c, d = (register(edition, n).registration for n in range(4))
    promoted = services.registration_cancel(registration=a)
    assert [p.pk for p in promoted] == [c.pk]
    c.refresh_from_db()
    d.refresh_from_db()
    assert c.status == RegistrationStatus.REGISTERED
    assert waitlist_position(registration=d) == 1
    assert mails_to(c.email)[-1] == f"Er is een plaats vrijgekomen voor u bij {edition.title}"
    assert mails_to(a.email)[-1] == f"Uw aanmelding voor {edition.title} is geannuleerd"
    edition.refresh_from_db()
    assert edition.seats_taken == 2
    # Cancelling twice changes nothing more.
    assert services.registration_cancel(registration=a) == []
    edition.refresh_from_db()
    assert edition.seats_taken == 2


def test_unconfirmed_registrations_are_released_after_the_window(edition: Edition) -> None:
    a, b, c = (register(edition, n).registration for n in range(3))
    services.registration_confirm_email(registration=b)
    later = timezone.now() + dt.timedelta(hours=edition.confirmation_hours, minutes=1)
    Registration.objects.filter(pk=c.pk).update(created_at=later - dt.timedelta(minutes=2))
    assert services.registrations_release_unconfirmed(now=later) == 1
    a.refresh_from_db()
    c.refresh_from_db()
    assert a.status == RegistrationStatus.RELEASED
    # c registered later: still within its own window, and now has a's seat.
    assert c.status == RegistrationStatus.REGISTERED
    assert mails_to(a.email)[-1] == f"Uw aanmelding voor {edition.title} is vervallen"


def test_registering_a_cancelled_address_waits_for_its_owner(edition: Edition) -> None:
    """Anyone can type anyone's address: the cancelled registration stays cancelled, its seat
    free, until its owner registers again from the page their mailed link opens."""
    a = register(edition, 1).registration
    services.registration_cancel(registration=a)
    again = register(edition, 1)
    assert again.created is False
    a.refresh_from_db()
    assert (a.status, a.confirmed_at) == (RegistrationStatus.CANCELLED, None)
    edition.refresh_from_db()
    assert edition.seats_taken == 0
    assert mails_to(a.email)[-1] == f"Uw persoonlijke link voor {edition.title}"
    resumed = services.registration_resume(registration=a)
    assert resumed.created is True
    a.refresh_from_db()
    assert a.status == RegistrationStatus.REGISTERED and a.confirmed_at is not None
    edition.refresh_from_db()
    assert edition.seats_taken == 1


def test_an_organiser_brings_a_cancelled_registration_back_at_once(edition: Edition) -> None:
    a = register(edition, 1).registration
    services.registration_cancel(registration=a)
    again = services.registration_create(
        edition=edition, name=a.name, email=a.email, organisation_name="COA", even_if_closed=True
    )
    assert again.created is True
    assert again.registration.pk == a.pk
    assert again.registration.status == RegistrationStatus.REGISTERED


def test_a_brought_back_registration_is_confirmed_as_a_new_one_would_be(
    edition: Edition,
) -> None:
    """An organiser's own add must still be confirmed by its owner in time (the public form's
    rule for a new address); a trusted list or a walk-in at the door counts as confirmed, and
    the registration it brings back is not released a day later for want of confirmation."""
    later = timezone.now() + dt.timedelta(hours=edition.confirmation_hours + 1)
    by_hand, from_list = (register(edition, n).registration for n in (1, 2))
    for registration in (by_hand, from_list):
        services.registration_cancel(registration=registration)
    services.registration_create(
        edition=edition,
        name="Een",
        email=by_hand.email,
        organisation_name="COA",
        even_if_closed=True,
    )
    services.registration_create(
        edition=edition,
        name="Twee",
        email=from_list.email,
        organisation_name="COA",
        even_if_closed=True,
        notify=False,
        confirmed=True,
    )
    by_hand.refresh_from_db()
    from_list.refresh_from_db()
    assert by_hand.confirmed_at is None
    assert from_list.confirmed_at is not None

    assert services.registrations_release_unconfirmed(now=later) == 1
    by_hand.refresh_from_db()
    from_list.refresh_from_db()
    assert (by_hand.status, from_list.status) == (
        RegistrationStatus.RELEASED,
        RegistrationStatus.REGISTERED,
    )


def test_organiser_cannot_seat_someone_when_full(edition: Edition) -> None:
    for n in range(3):
        register(edition, n)
    waiting = Registration.objects.get(status="waitlisted")
    with pytest.raises(ValidationError) as caught:
        services.registration_set_status(registration=waiting, status="registered", by="organiser")
    assert caught.value.message_dict == {"status": ["Er is geen plaats meer vrij in deze editie."]}
    edition.capacity = 3
    edition.save()
    assert [r.pk for r in services.edition_fill_from_waitlist(edition=edition)] == [waiting.pk]


def test_preferences_are_workshops_of_the_edition_ranked_once(edition: Edition) -> None:
    registration = register(edition, 1).registration
    workshops = [SessionFactory(edition=edition).topic for _ in range(3)]
    elsewhere = SessionFactory().topic
    services.registration_set_preferences(
        registration=registration, topic_ids=[workshops[2].pk, workshops[0].pk]
    )
    assert list(registration.preferences.values_list("topic_id", "rank")) == [
        (workshops[2].pk, 1),
        (workshops[0].pk, 2),
    ]
    with pytest.raises(ValidationError) as caught:
        services.registration_set_preferences(
            registration=registration, topic_ids=[workshops[1].pk, workshops[1].pk]
        )
    assert caught.value.message_dict == {
        "preferences": ["Elke workshop kan één keer gerangschikt worden."]
    }
    with pytest.raises(ValidationError) as caught:
        services.registration_set_preferences(registration=registration, topic_ids=[elsewhere.pk])
    assert caught.value.message_dict == {
        "preferences": [f"Dit zijn geen workshops van deze editie: {elsewhere.pk}."]
    }
    assert registration.preferences.count() == 2


def test_anonymising_keeps_counts_and_removes_the_person(edition: Edition) -> None:
    for n in range(3):
        register(edition, n, job_title="Adviseur")
    edition.end_date = edition.start_date
    edition.retention_days = 30
    edition.save()
    for message_id in OutboxMessage.objects.values_list("pk", flat=True):
        assert mail_deliver(message_id=message_id) == "sent"
    too_early = timezone.make_aware(
        dt.datetime.combine(edition.end_date + dt.timedelta(days=30), dt.time(12))
    )
    assert services.editions_anonymise_expired(today=too_early) == {}
    after = too_early + dt.timedelta(days=1)
    assert services.editions_anonymise_expired(today=after) == {"open": 3}
    assert edition_counts(edition=edition)["counts"]["registered"] == 2
    assert set(Registration.objects.values_list("name", "job_title")) == {("—", "")}
    assert not Registration.objects.filter(email__endswith="@example.org").exists()
    # Each address is replaced by one of its own, so one registration per address still holds.
    assert sorted(Registration.objects.values_list("email", flat=True)) == sorted(
        f"anonymised-{pk}@invalid" for pk in Registration.objects.values_list("pk", flat=True)
    )
    # The mails that carried names and personal links are emptied too.
    assert set(OutboxMessage.objects.values_list("to", "body_text")) == {("anonymised@invalid", "")}
    assert services.editions_anonymise_expired(today=after) == {}
