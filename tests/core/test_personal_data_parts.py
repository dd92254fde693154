"""The parts of a participant's data that the download once missed (bookmarked stands, interest
votes, a calendar address) are in it, and anonymising the edition leaves no calendar address."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import translation

from ketenconf.exports.models import CalendarFeed
from ketenconf.exports.services import calendar_feed_renew
from ketenconf.market.services import stand_bookmark
from ketenconf.proposals.models import InterestVote
from ketenconf.registration.selectors import registration_personal_data
from ketenconf.registration.services import edition_anonymise, registration_create
from tests.factories import EditionFactory, TopicFactory
from tests.market.conftest import stand

pytestmark = pytest.mark.django_db

AMSTERDAM = dt.timezone(dt.timedelta(hours=1))
MARCH = dt.datetime(2027, 3, 1, 9, 0, tzinfo=AMSTERDAM)


def test_saved_stands_interest_votes_and_the_calendar_address_are_in_the_download() -> None:
    edition = EditionFactory(status="registration_open")
    participant = registration_create(
        edition=edition, name="Zoë", email="zoe@example.org", organisation_name="IND"
    ).registration
    assert "saved_stands" not in registration_personal_data(registration=participant)

    stand_bookmark(registration=participant, stand=stand(edition, "Terugkeerloket"))
    InterestVote.objects.create(
        registration=participant,
        topic=TopicFactory(edition=edition, title_nl="Huisvesting", title_en="Housing"),
    )
    calendar_feed_renew(registration=participant)
    for model in (participant.saved_stands, participant.interest_votes):
        model.update(created_at=MARCH)
    CalendarFeed.objects.filter(registration=participant).update(created_at=MARCH)

    with translation.override("nl"):
        data = registration_personal_data(registration=participant)
    assert (data["saved_stands"], data["interest_votes"], data["calendar_feed"]) == (
        [{"stand": "Terugkeerloket", "saved_at": "2027-03-01T09:00:00+01:00"}],
        [{"topic": "Huisvesting", "voted_at": "2027-03-01T09:00:00+01:00"}],
        {"made_at": "2027-03-01T09:00:00+01:00"},
    )


def test_anonymising_an_edition_deletes_its_calendar_addresses() -> None:
    edition, other = (EditionFactory(status="registration_open") for _ in range(2))
    for n, where in enumerate((edition, edition, other)):
        calendar_feed_renew(
            registration=registration_create(
                edition=where, name=f"D{n}", email=f"d{n}@example.org", organisation_name="IND"
            ).registration
        )
    edition_anonymise(edition=edition)
    assert list(CalendarFeed.objects.values_list("registration__email", flat=True)) == [
        "d2@example.org"
    ]
