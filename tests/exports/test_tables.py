"""The organisers' spreadsheets: programme, participants and assignment, as CSV and Excel."""

from __future__ import annotations

import csv
import io
from datetime import datetime

import pytest
from django.test import Client
from django.utils import translation
from openpyxl import load_workbook

from ketenconf.allocation import services as allocation
from ketenconf.events.models import Edition
from ketenconf.exports.registry import table_exporter_get, table_exporters
from ketenconf.exports.tables import NothingToExport
from tests.allocation.test_adapter import Small, make_edition
from tests.factories import OrganisationFactory, RegistrationFactory, UserFactory

pytestmark = pytest.mark.django_db


def csv_rows(content: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode("utf-8"))))


def xlsx_rows(content: bytes) -> list[list[object]]:
    sheet = load_workbook(io.BytesIO(content), read_only=True).worksheets[0]
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def render(identifier: str, edition: Edition, **kwargs: object) -> bytes:
    exporter = table_exporter_get(identifier)
    assert exporter is not None
    with translation.override("en"):
        return exporter.render(edition, **kwargs)  # type: ignore[arg-type]


def test_the_registry_has_three_tables_in_three_formats_excel_first() -> None:
    assert [e.identifier for e in table_exporters()] == [
        "programme.xlsx",
        "programme.excel.csv",
        "programme.csv",
        "participants.xlsx",
        "participants.excel.csv",
        "participants.csv",
        "assignments.xlsx",
        "assignments.excel.csv",
        "assignments.csv",
    ]


def test_csv_for_excel_has_semicolons_and_a_byte_order_mark() -> None:
    """Dutch Excel reads a comma-separated file as one column and UTF-8 without a BOM as
    Windows-1252 ("CoÃ¶rdinator"); the Excel dialect opens as columns with its accents."""
    small = make_edition()
    RegistrationFactory(
        edition=small.edition,
        name="Zoë Coördinator; de Vries",
        email="zoe@example.org",
        organisation=small.organisations["IND"],
    )
    content = render("participants.excel.csv", small.edition)
    assert content.startswith("\ufeff".encode())
    text = content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    name, email = rows[0].index("Name"), rows[0].index("Email address")
    assert ["Zoë Coördinator; de Vries", "zoe@example.org"] in [[r[name], r[email]] for r in rows]
    assert "," not in text.splitlines()[0]
    plain = render("participants.csv", small.edition)
    assert not plain.startswith("\ufeff".encode())
    assert content.decode("utf-8-sig").replace(";", ",") != plain.decode()


def test_the_programme_has_times_rooms_capacity_and_hosts(programme_edition: Edition) -> None:
    rows = csv_rows(render("programme.csv", programme_edition))
    sessions = list(programme_edition.sessions.order_by("block__start", "-room__capacity"))
    assert rows == [
        [
            "Session number",
            "Start",
            "End",
            "Block",
            "Kind of block",
            "Room",
            "Capacity",
            "Step-free access",
            "Title",
            "Kind",
            "Theme",
            "Language",
            "Hosts",
        ],
        [str(sessions[0].pk), "2027-04-15 09:30", "2027-04-15 10:15", "Opening", "plenary",
         "Grote zaal", "600", "yes", "Welcome", "keynote", "", "nl",
         "Dagvoorzitter (Dienst Terugkeer en Vertrek)"],
        [str(sessions[1].pk), "2027-04-15 10:30", "2027-04-15 11:30", "Workshop round 1",
         "workshop round", "Zaal A", "60", "yes", "Return", "workshop", "", "nl",
         "Host Terugkeer (Dienst Terugkeer en Vertrek)"],
        [str(sessions[2].pk), "2027-04-15 10:30", "2027-04-15 11:30", "Workshop round 1",
         "workshop round", "Zaal B", "40", "no", "Housing", "workshop", "", "nl",
         "Host Huisvesting (Dienst Terugkeer en Vertrek)"],
        [str(sessions[3].pk), "2027-04-15 10:30", "2027-04-15 11:30", "Workshop round 1",
         "workshop round", "Zaal C", "25", "yes", "Labour migration", "workshop", "", "nl",
         "Host Arbeidsmigratie (Dienst Terugkeer en Vertrek)"],
    ]  # fmt: skip
    sheet = xlsx_rows(render("programme.xlsx", programme_edition))
    assert sheet[1][:3] == [
        sessions[0].pk,
        datetime(2027, 4, 15, 9, 30),
        datetime(2027, 4, 15, 10, 15),
    ]
    assert sheet[1][6] == 600


def test_the_participants_are_the_back_offices_export(programme_edition: Edition) -> None:
    from ketenconf.registration import exports

    RegistrationFactory(edition=programme_edition, name="=HYPERLINK(1)", email="a@example.org")
    RegistrationFactory(edition=programme_edition, name="Bram", email="b@example.org")
    with translation.override("en"):
        expected_headers = exports.headers()
    rows = csv_rows(render("participants.csv", programme_edition))
    assert rows[0] == expected_headers
    assert [(row[2], row[3]) for row in rows[1:]] == [
        ("'=HYPERLINK(1)", "a@example.org"),
        ("Bram", "b@example.org"),
    ]
    sheet = xlsx_rows(render("participants.xlsx", programme_edition))
    assert [row[2] for row in sheet[1:]] == ["=HYPERLINK(1)", "Bram"]


def test_the_assignment_of_the_published_run_or_of_a_chosen_one() -> None:
    small = make_edition()
    with pytest.raises(NothingToExport) as nothing:
        render("assignments.csv", small.edition)
    assert str(nothing.value) == (
        "No assignment of Chain Conference 2027 is published yet; choose a run."
    )
    run = allocation.assignment_run_start(edition=small.edition, by=small.organiser)
    chosen = csv_rows(render("assignments.csv", small.edition, run=run))
    allocation.assignment_run_publish(run=run, by=small.organiser)
    rows = csv_rows(render("assignments.csv", small.edition))
    assert rows == chosen
    p = small.people
    assert rows == [
        ["Participant number", "Name", "Email address", "Organisation", "Round", "Start",
         "Session", "Room", "Rank of the choice"],
        [str(p["Anna"].pk), "Anna", "anna@example.org", "Immigratie- en Naturalisatiedienst",
         "Round 1", "2027-04-15 10:30", "Housing", "Zaal B", "2"],
        [str(p["Anna"].pk), "Anna", "anna@example.org", "Immigratie- en Naturalisatiedienst",
         "Round 2", "2027-04-15 13:00", "Return", "Zaal B", "1"],
        [str(p["Bram"].pk), "Bram", "bram@example.org", "Immigratie- en Naturalisatiedienst",
         "Round 1", "2027-04-15 10:30", "Return", "Zaal A", "1"],
        [str(p["Bram"].pk), "Bram", "bram@example.org", "Immigratie- en Naturalisatiedienst",
         "Round 2", "2027-04-15 13:00", "Labour migration", "Zaal A", "2"],
        [str(p["Chris"].pk), "Chris", "chris@example.org", "Centraal Orgaan opvang asielzoekers",
         "Round 1", "2027-04-15 10:30", "Return", "Zaal A", "1"],
        [str(p["Chris"].pk), "Chris", "chris@example.org", "Centraal Orgaan opvang asielzoekers",
         "Round 2", "2027-04-15 13:00", "Labour migration", "Zaal A", "2"],
        [str(p["Dirk"].pk), "Dirk", "dirk@example.org", "Vereniging van Nederlandse Gemeenten",
         "Round 1", "2027-04-15 10:30", "Housing", "Zaal B", "1"],
        [str(p["Dirk"].pk), "Dirk", "dirk@example.org", "Vereniging van Nederlandse Gemeenten",
         "Round 2", "2027-04-15 13:00", "Return", "Zaal B", "not chosen"],
    ]  # fmt: skip


@pytest.fixture
def small() -> Small:
    return make_edition()


def test_organisers_download_from_their_pages(client: Client, small: Small) -> None:
    # Another edition's run first, so that this edition's run 1 is not the database's row 1.
    other = make_edition(prefix="x")
    allocation.assignment_run_start(edition=other.edition, by=other.organiser)
    run = allocation.assignment_run_start(edition=small.edition, by=small.organiser)
    assert (run.number, run.pk != run.number) == (1, True)
    client.force_login(small.organiser)
    slug = small.edition.slug
    page = client.get(f"/organise/{small.edition.slug}/assignment/runs/{run.pk}/").content.decode()
    # Links and file names carry the run's number in its edition, as the pages call it.
    assert f'href="/organise/{slug}/exports/assignments.xlsx?run=1"' in page
    assert f'<a class="utrecht-link" href="/organise/{slug}/exports/">' in page

    response = client.get(f"/organise/{slug}/exports/assignments.csv?run=1")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == (
        f'attachment; filename="{small.edition.slug}-assignments-run-1.csv"'
    )
    assert client.get(f"/organise/{slug}/exports/assignments.csv?run={run.pk}").status_code == 404
    assert len(csv_rows(response.content)) == 9
    # Nothing published, no run chosen: not found, with the reason.
    assert client.get(f"/organise/{slug}/exports/assignments.csv").status_code == 404
    assert client.get(f"/organise/{slug}/exports/assignments.csv?run=x").status_code == 404
    assert client.get(f"/organise/{slug}/exports/nothing.csv").status_code == 404

    tables = client.get(f"/organise/{slug}/exports/")
    assert tables.status_code == 200
    for identifier in ("programme.xlsx", "programme.csv", "participants.xlsx", "participants.csv"):
        assert f'href="/organise/{slug}/exports/{identifier}"' in tables.content.decode()
        assert client.get(f"/organise/{slug}/exports/{identifier}").status_code == 200


def test_another_organisations_staff_get_404_and_strangers_the_login(
    client: Client, small: Small
) -> None:
    run = allocation.assignment_run_start(edition=small.edition, by=small.organiser)
    slug = small.edition.slug
    urls = [
        f"/organise/{slug}/exports/",
        f"/organise/{slug}/exports/programme.csv",
        f"/organise/{slug}/exports/participants.xlsx",
        f"/organise/{slug}/exports/assignments.csv?run={run.number}",
    ]
    for url in urls:
        response = client.get(url)
        assert (response.status_code, response["Location"].split("?")[0]) == (
            302,
            "/organise/login/",
        ), url
    client.force_login(UserFactory(organisation=OrganisationFactory(name="Politie")))
    for url in urls:
        assert client.get(url).status_code == 404, url


def test_excel_sheets_keep_the_header_in_view_and_filter_every_column(
    programme_edition: Edition,
) -> None:
    exporter = table_exporter_get("programme.xlsx")
    assert exporter is not None
    sheet = load_workbook(io.BytesIO(exporter.render(programme_edition))).worksheets[0]
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == f"A1:{sheet.cell(1, sheet.max_column).column_letter}" + str(
        sheet.max_row
    )
    assert sheet.max_row > 1


def test_the_export_page_names_the_published_run_as_the_runs_list_does(
    client: Client, small: Small
) -> None:
    """In Dutch a run is an "indeling"; a "ronde" is a round of the day."""
    run = allocation.assignment_run_start(edition=small.edition, by=small.organiser)
    allocation.assignment_run_publish(run=run, by=small.organiser)
    client.force_login(small.organiser)
    with translation.override("nl"):
        page = client.get(
            f"/organise/{small.edition.slug}/exports/", headers={"Accept-Language": "nl"}
        ).content.decode()
    assert f"De gepubliceerde indeling (indeling {run.number})" in page
    assert f"ronde {run.number}" not in page
