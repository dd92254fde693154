"""Organisations and sessions from a file."""

from __future__ import annotations

import pytest
from django.utils import translation

from ketenconf.events.models import Edition, Organisation
from ketenconf.imports import services
from ketenconf.imports.models import ImportJob, ImportStatus
from ketenconf.programme.models import Host, Session, Topic
from tests.factories import BlockFactory, OrganisationFactory, UserFactory, at

from .helpers import csv_file

pytestmark = pytest.mark.django_db


def imported(
    edition: Edition, kind: str, rows: list[list[str]], *, by: object, commit: bool = True
) -> ImportJob:
    job = services.import_job_create(
        edition=edition, kind=kind, filename="f.csv", content=csv_file(rows), by=by
    )
    services.import_job_map(job=job, mapping={int(i): n for i, n in job.mapping.items()})
    with translation.override("en"):
        return services.import_job_start(job=job, commit=commit)


def test_organisations_new_ones_are_added_existing_ones_only_by_administrators(
    programme_edition: Edition,
) -> None:
    OrganisationFactory(
        name="Centraal Orgaan opvang asielzoekers", short_name="COA", kind="national_agency"
    )
    rows = [
        ["Organisatie", "Afkorting", "Soort", "Ketenschakels"],
        ["Gemeente Tilburg", "", "gemeente", "huisvesting; Inburgering en participatie"],
        ["centraal orgaan opvang asielzoekers", "COA", "NGO", ""],
        ["VluchtelingenWerk Nederland", "VWN", "maatschappelijk middenveld", "reception"],
    ]
    organiser = UserFactory(organisation=programme_edition.lead_organisation)
    job = imported(programme_edition, "organisations", rows, by=organiser)
    assert job.result["errors"] == []
    assert job.status == ImportStatus.DONE
    assert job.result["rows"] == [
        {"row": 2, "action": "created", "text": "Gemeente Tilburg"},
        {
            "row": 3,
            "action": "unchanged",
            "text": "Centraal Orgaan opvang asielzoekers: exists already; only administrators change organisations",
        },
        {"row": 4, "action": "created", "text": "VluchtelingenWerk Nederland"},
    ]
    tilburg = Organisation.objects.get(name="Gemeente Tilburg")
    assert (tilburg.kind, tilburg.chain_links) == ("municipality", ["housing", "integration"])
    assert Organisation.objects.get(short_name="VWN").kind == "civil_society"
    assert Organisation.objects.get(short_name="COA").kind == "national_agency"

    admin = UserFactory(is_superuser=True, organisation=None)
    job = imported(programme_edition, "organisations", rows[:1] + rows[2:3], by=admin)
    assert job.result["rows"] == [
        {
            "row": 2,
            "action": "changed",
            "text": "Centraal Orgaan opvang asielzoekers: changed: kind",
        }
    ]
    assert Organisation.objects.get(short_name="COA").kind == "ngo"


def test_an_unknown_kind_is_an_error_with_the_choices(programme_edition: Edition) -> None:
    rows = [["Naam", "Soort"], ["Stichting X", "vereniging"]]
    job = imported(programme_edition, "organisations", rows, by=None)
    assert job.status == ImportStatus.REJECTED
    assert job.result["errors"] == [
        {
            "row": 2,
            "column": "B (Soort)",
            "message": "vereniging is not one of: ministry, national agency, municipality, municipal association, police, NGO, civil society, knowledge institute, business, other.",
        }
    ]
    assert not Organisation.objects.filter(name="Stichting X").exists()


def test_sessions_by_block_title_or_time_with_rooms_capacity_and_hosts(
    programme_edition: Edition,
) -> None:
    day = programme_edition.start_date
    BlockFactory(
        edition=programme_edition,
        kind="round",
        title_nl="Workshopronde 2",
        title_en="Workshop round 2",
        start=at(day, 13),
        end=at(day, 14),
    )
    rows = [
        ["Titel", "Titel Engels", "Ronde", "Zaal", "Capaciteit", "Sprekers"],
        ["Terugkeer", "Return", "13:00", "Zaal A", "30", "Anna de Vries (DT&V); Bram"],
        [
            "Huisvesting",
            "",
            "Workshopronde 1",
            "Grote zaal",
            "200",
            "Host Huisvesting (Dienst Terugkeer en Vertrek)",
        ],
        [
            "Nieuwe workshop",
            "New workshop",
            "workshop round 2",
            "Zaal B",
            "",
            "Cor (Nieuwe Stichting)",
        ],
    ]
    organiser = UserFactory(organisation=programme_edition.lead_organisation)
    check = imported(programme_edition, "sessions", rows, by=organiser, commit=False)
    assert check.result["rows"] == [
        {"row": 2, "action": "created", "text": "Terugkeer — Workshop round 2, Zaal A"},
        {"row": 3, "action": "changed", "text": "Huisvesting — Workshop round 1, Grote zaal"},
        {"row": 4, "action": "created", "text": "Nieuwe workshop — Workshop round 2, Zaal B"},
    ]
    assert Topic.objects.filter(edition=programme_edition).count() == 4
    services.import_job_start(job=check, commit=True)
    housing = Session.objects.get(topic__title_nl="Huisvesting")
    assert (housing.room.name, housing.capacity) == ("Grote zaal", 200)
    assert [h.name for h in Host.objects.filter(topic__title_nl="Huisvesting")] == [
        "Host Huisvesting"
    ]
    terugkeer = Session.objects.filter(topic__title_nl="Terugkeer").order_by("block__start")
    assert [(s.block.title_nl, s.room.name, s.capacity) for s in terugkeer] == [
        ("Workshopronde 1", "Zaal A", None),
        ("Workshopronde 2", "Zaal A", 30),
    ]
    hosts = Host.objects.filter(topic__title_nl="Terugkeer").select_related("organisation")
    assert [(h.name, h.organisation.name if h.organisation else None) for h in hosts] == [
        ("Anna de Vries", "Dienst Terugkeer en Vertrek"),
        ("Bram", None),
    ]
    assert Topic.objects.get(title_nl="Nieuwe workshop").title_en == "New workshop"


def test_session_errors_name_the_blocks_and_rooms_there_are(programme_edition: Edition) -> None:
    rows = [
        ["Titel", "Ronde", "Zaal", "Capaciteit"],
        ["Terugkeer", "Ronde 9", "Kelder", "veel"],
        ["Huisvesting", "Workshopronde 1", "Zaal B", "41"],
        ["Huisvesting", "Workshopronde 1", "Zaal B", ""],
        ["Terugkeer", "10:30", "Zaal C", ""],
    ]
    job = imported(programme_edition, "sessions", rows, by=None)
    assert job.status == ImportStatus.REJECTED
    assert job.result["errors"] == [
        {
            "row": 2,
            "column": "B (Ronde)",
            "message": "There is no block Ronde 9. The blocks are: Opening (09:30), Workshop round 1 (10:30), Networking drinks (16:00).",
        },
        {
            "row": 2,
            "column": "C (Zaal)",
            "message": "There is no room Kelder in this edition. The rooms are: Grote zaal, Zaal A, Zaal B, Zaal C.",
        },
        {"row": 2, "column": "D (Capaciteit)", "message": "Give a whole number, not veel."},
        {
            "row": 3,
            "column": "D (Capaciteit)",
            "message": "The capacity (41) cannot be more than the room holds (40).",
        },
        {"row": 4, "column": "A (Titel)", "message": "This is in row 3 of the file already."},
        {"row": 5, "column": "", "message": "This room already has a session in this block."},
    ]


def test_a_partner_may_not_change_topics_it_does_not_host(programme_edition: Edition) -> None:
    partner = OrganisationFactory(name="Partner")
    programme_edition.series.partnerships.create(organisation=partner, position=2)
    rows = [
        ["Titel", "Ronde", "Zaal", "Capaciteit"],
        ["Huisvesting", "Workshopronde 1", "Zaal B", "10"],
    ]
    job = imported(programme_edition, "sessions", rows, by=UserFactory(organisation=partner))
    assert job.result["errors"] == [
        {"row": 2, "column": "A (Titel)", "message": "You may not change the topic Huisvesting."}
    ]
