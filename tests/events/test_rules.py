from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from ketenconf.programme.models import Session
from tests.factories import (
    BlockFactory,
    EditionFactory,
    OrganisationFactory,
    RoomFactory,
    SeriesPartnerFactory,
    SessionFactory,
    TopicFactory,
    at,
)

pytestmark = pytest.mark.django_db


def errors_of(instance: object) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as caught:
        instance.full_clean()  # type: ignore[attr-defined]
    return caught.value.message_dict


def test_session_with_block_and_room_of_another_edition_is_refused() -> None:
    session = SessionFactory()
    elsewhere = EditionFactory()
    session.block = BlockFactory(edition=elsewhere)
    session.room = RoomFactory(edition=elsewhere)
    assert errors_of(session) == {
        "block": ["Het blok hoort bij een andere editie."],
        "room": ["De zaal hoort niet bij de zalen van deze editie op haar locatie."],
    }


def test_session_capacity_above_the_room_is_refused() -> None:
    session = SessionFactory(room__capacity=30)
    session.capacity = 31
    assert errors_of(session) == {
        "capacity": ["De capaciteit (31) kan niet groter zijn dan wat de zaal bevat (30)."]
    }
    session.capacity = 30
    session.full_clean()
    assert session.effective_capacity == 30


def test_two_sessions_never_share_a_room_in_one_block() -> None:
    first = SessionFactory()
    second = Session(
        edition=first.edition,
        topic=TopicFactory(edition=first.edition),
        block=first.block,
        room=first.room,
    )
    assert errors_of(second) == {"__all__": ["Deze zaal heeft in dit blok al een sessie."]}


def test_a_block_on_a_day_outside_the_edition_is_refused() -> None:
    edition = EditionFactory(start_date=dt.date(2027, 4, 15))
    block = BlockFactory.build(
        edition=edition, start=at(dt.date(2027, 4, 16), 9), end=at(dt.date(2027, 4, 16), 10)
    )
    assert errors_of(block) == {
        "start": [
            "Het blok moet op een dag van de editie liggen (2027-04-15 tot en met 2027-04-15)."
        ]
    }


def test_the_lead_must_be_a_partner_of_the_series() -> None:
    partner = SeriesPartnerFactory()
    edition = EditionFactory.build(
        series=partner.series, lead_organisation=OrganisationFactory(), venue=EditionFactory().venue
    )
    edition.slug = "nieuw"
    assert errors_of(edition) == {
        "lead_organisation": [
            f"De organisatie in de lead moet partner zijn van de reeks {partner.series.name}."
        ]
    }


def test_a_reserved_slug_is_refused() -> None:
    edition = EditionFactory()
    edition.slug = "admin"
    assert errors_of(edition) == {
        "slug": ["admin is gereserveerd voor de site zelf; kies een andere adresnaam."]
    }


def test_the_capacity_cannot_drop_below_the_seats_taken() -> None:
    edition = EditionFactory(capacity=10)
    type(edition).objects.filter(pk=edition.pk).update(seats_taken=8)
    edition.capacity = 7
    assert errors_of(edition) == {
        "capacity": ["8 plaatsen zijn al bezet: de capaciteit kan niet lager."]
    }


def test_saving_an_edition_read_earlier_keeps_the_seats_taken_since() -> None:
    edition = EditionFactory(capacity=10)
    stale = type(edition).objects.get(pk=edition.pk)
    type(edition).objects.filter(pk=edition.pk).update(seats_taken=4)
    stale.title_nl = "Nieuwe titel"
    stale.save()
    edition.refresh_from_db()
    assert (edition.title_nl, edition.seats_taken) == ("Nieuwe titel", 4)


def test_organisation_names_are_unique_whatever_their_case() -> None:
    OrganisationFactory(name="Gemeente Oss")
    duplicate = OrganisationFactory.build(name="gemeente oss", short_name="Oss")
    assert errors_of(duplicate) == {"__all__": ["Er bestaat al een organisatie met deze naam."]}
