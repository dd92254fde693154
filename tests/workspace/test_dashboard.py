"""The dashboard of an edition: the figures a lead organiser reads first, what to do next,
and a fixed number of queries however many people registered."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from ketenconf.events.models import EditionStatus, OrganisationKind
from ketenconf.registration.models import Preference, Registration, RegistrationStatus
from tests.factories import (
    BlockFactory,
    EditionFactory,
    OrganisationFactory,
    RoomFactory,
    SessionFactory,
    TopicFactory,
    UserFactory,
    at,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def edition():
    lead = OrganisationFactory(name="Ministerie van Justitie en Veiligheid", short_name="J&V")
    edition = EditionFactory(
        slug="ketenconferentie-2027",
        title_nl="Ketenconferentie 2027",
        lead_organisation=lead,
        status=EditionStatus.REGISTRATION_OPEN,
        capacity=700,
    )
    room = RoomFactory(edition=edition, name="Zaal A", capacity=40)
    block = BlockFactory(
        edition=edition,
        kind="round",
        start=at(edition.start_date, 11),
        end=at(edition.start_date, 12),
    )
    topic = TopicFactory(edition=edition)
    SessionFactory(block=block, topic=topic, room=room)
    return edition


@pytest.fixture
def organiser(edition):
    return UserFactory(organisation=edition.lead_organisation)


def _register(edition, count: int, *, ranked_every: int = 2) -> None:
    """``count`` registered people from three kinds of organisation, every other one ranked."""
    kinds = [OrganisationKind.MUNICIPALITY, OrganisationKind.NGO, OrganisationKind.MINISTRY]
    organisations = [
        OrganisationFactory(name=f"Organisatie {kind} {count}", kind=kind) for kind in kinds
    ]
    rows = Registration.objects.bulk_create(
        Registration(
            edition=edition,
            email=f"deelnemer{n}@example.org",
            name=f"Deelnemer {n}",
            organisation=organisations[n % 3],
            status=RegistrationStatus.REGISTERED,
            confirmed_at=timezone.now(),
        )
        for n in range(count)
    )
    topic = edition.topics.get()
    Preference.objects.bulk_create(
        Preference(registration=row, topic=topic, rank=1) for row in rows[::ranked_every]
    )


def test_the_figures_and_the_weeks(client, edition, organiser):
    _register(edition, 6)
    rows = list(Registration.objects.order_by("pk"))
    # Two in the week of 1 March, four in the week of 8 March.
    for row, day in zip(rows, [1, 3, 8, 9, 9, 12], strict=True):
        Registration.objects.filter(pk=row.pk).update(
            created_at=dt.datetime(2027, 3, day, 10, tzinfo=dt.UTC)
        )
    Registration.objects.filter(pk=rows[0].pk).update(confirmed_at=None)
    Registration.objects.filter(pk=rows[1].pk).update(status=RegistrationStatus.WAITLISTED)
    Registration.objects.filter(pk=rows[2].pk).update(status=RegistrationStatus.CANCELLED)
    client.force_login(organiser)

    page = client.get("/organise/ketenconferentie-2027/")

    assert page.status_code == 200
    figures = page.context["figures"].registrations
    assert (figures.registered, figures.unconfirmed, figures.waitlisted, figures.cancelled) == (
        4,
        1,
        1,
        1,
    )
    assert figures.ranked == 2  # rows 0 and 4 ranked (every other one; 2 is cancelled)
    assert page.context["weeks"] == [(dt.date(2027, 3, 1), 2, 2), (dt.date(2027, 3, 8), 4, 6)]
    assert [(k.kind, k.count) for k in page.context["figures"].kinds] == [
        (OrganisationKind.MUNICIPALITY, 2),
        (OrganisationKind.MINISTRY, 1),
        (OrganisationKind.NGO, 1),
    ]


def test_what_to_do_next_once_registration_has_closed(client, edition, organiser):
    _register(edition, 4)
    edition.status = EditionStatus.REGISTRATION_CLOSED
    edition.save()
    client.force_login(organiser)

    page = client.get("/organise/ketenconferentie-2027/")

    assert [text for text, _url in page.context["steps"]] == [
        "De aanmelding is gesloten: maak de workshopindeling."
    ]
    states = {state.part: state.state for state, _url in page.context["states"]}
    assert states["assignment"] == "Nog niet ingedeeld."
    assert states["settings"] == "Open. 2 van 4 aangemelde deelnemers hebben gerangschikt."


def test_ranking_closed_days_ago_says_run_the_assignment(client, edition, organiser):
    _register(edition, 4)
    # Days are counted by the calendar where the edition is held: noon two days ago is two
    # days ago at any hour of today (now minus 49 hours is three just after midnight).
    two_days_ago = timezone.localdate() - dt.timedelta(days=2)
    edition.ranking_closes_at = timezone.make_aware(
        dt.datetime.combine(two_days_ago, dt.time(12, 0))
    )
    edition.save()
    client.force_login(organiser)

    page = client.get("/organise/ketenconferentie-2027/")

    assert page.context["steps"] == [
        (
            "Het rangschikken is 2 dagen geleden gesloten: maak de indeling.",
            "/organise/ketenconferentie-2027/assignment/",
        )
    ]
    states = {state.part: state.state for state, _url in page.context["states"]}
    closed = edition.ranking_closes_at.astimezone(timezone.get_current_timezone())
    assert states["settings"] == (
        f"Gesloten sinds {closed.day} {MONTHS[closed.month - 1]} {closed.year}. "
        "2 van 4 aangemelde deelnemers hebben gerangschikt."
    )


MONTHS = "januari februari maart april mei juni juli augustus september oktober november december"
MONTHS = MONTHS.split()


def _dashboard_queries(client, edition) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(f"/organise/{edition.slug}/").status_code == 200
    return len(queries)


def test_the_dashboard_costs_the_same_queries_for_60_and_600_registrations(
    client, edition, organiser
):
    client.force_login(organiser)
    _register(edition, 60)
    at_60 = _dashboard_queries(client, edition)
    Registration.objects.filter(edition=edition).delete()
    _register(edition, 600)
    at_600 = _dashboard_queries(client, edition)
    assert (at_60, at_600) == (QUERIES, QUERIES)


#: Session and user (2), the access rule (1), the dashboard's figures (16).
QUERIES = 19
