from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from ketenconf.events.models import EditionStatus
from ketenconf.events.services import edition_create_next
from tests.factories import (
    BlockFactory,
    EditionFactory,
    OrganisationFactory,
    RoomFactory,
    SeriesPartnerFactory,
    SessionFactory,
    at,
)

pytestmark = pytest.mark.django_db


def rotation(names: list[str]):
    partners = [
        SeriesPartnerFactory(organisation=OrganisationFactory(short_name=n), position=i)
        for i, n in enumerate(names)
    ]
    series = partners[0].series
    for p in partners[1:]:
        p.series = series
        p.save()
    return series, [p.organisation for p in partners]


def test_next_edition_copies_rooms_and_blocks_and_passes_the_lead() -> None:
    series, (ind, _coa, dtv, jenv) = rotation(["IND", "COA", "DT&V", "JenV"])
    # 12 April 2018 was a Thursday; the next edition falls on a Thursday too.
    edition = EditionFactory(
        series=series,
        lead_organisation=dtv,
        start_date=dt.date(2018, 4, 12),
        status=EditionStatus.FINISHED,
    )
    hall = RoomFactory(edition=edition, name="Grote zaal", capacity=600)
    RoomFactory(edition=edition, name="Zaal 1", capacity=40, step_free=False)
    opening = BlockFactory(
        edition=edition,
        kind="plenary",
        start=at(edition.start_date, 9, 30),
        end=at(edition.start_date, 10, 30),
    )
    SessionFactory(edition=edition, block=opening, room=hall)

    following = edition_create_next(series=series, slug="ketenconferentie-2019")

    assert following.status == EditionStatus.DRAFT
    assert following.lead_organisation == jenv
    assert following.start_date == dt.date(2019, 4, 11)  # the same weekday a year on
    assert following.capacity == edition.capacity
    assert sorted(following.rooms.values_list("name", "capacity", "step_free")) == [
        ("Grote zaal", 600, True),
        ("Zaal 1", 40, False),
    ]
    assert [
        (
            b.kind,
            timezone.localtime(b.start).strftime("%Y-%m-%d %H:%M"),
            timezone.localtime(b.end).strftime("%H:%M"),
        )
        for b in following.blocks.all()
    ] == [("plenary", "2019-04-11 09:30", "10:30")]
    assert following.sessions.count() == 0
    # The lead wraps around to the first partner after the last one.
    assert edition_create_next(series=series, slug="ketenconferentie-2020").lead_organisation == ind


def test_blocks_keep_their_wall_clock_time_across_summer_time() -> None:
    series, (first, _second) = rotation(["A", "B"])
    # 20 March 2026 is in winter time, 9 April 2027 in summer time.
    edition = EditionFactory(
        series=series, lead_organisation=first, start_date=dt.date(2026, 3, 20)
    )
    BlockFactory(edition=edition, start=at(edition.start_date, 9), end=at(edition.start_date, 10))
    following = edition_create_next(series=series, slug="volgende", start_date=dt.date(2027, 4, 9))
    block = following.blocks.get()
    assert timezone.localtime(block.start).strftime("%Y-%m-%d %H:%M") == "2027-04-09 09:00"
    assert timezone.localtime(block.end).strftime("%H:%M") == "10:00"


def test_the_next_edition_is_titled_with_its_own_year() -> None:
    series, _ = rotation(["IND", "COA"])
    EditionFactory(
        series=series,
        title_nl="Ketenconferentie 2027",
        title_en="Chain conference 2027",
        start_date=dt.date(2027, 4, 15),
    )
    following = edition_create_next(series=series, slug="ketenconferentie-2028")
    assert (following.title_nl, following.title_en) == (
        "Ketenconferentie 2028",
        "Chain conference 2028",
    )
    EditionFactory(series=series, title_nl="Ketendag", start_date=dt.date(2029, 4, 12))
    assert edition_create_next(series=series, slug="ketendag-2030").title_nl == "Ketendag"
