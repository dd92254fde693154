"""Participants from a file: a dry run that tells exactly what the import will do, then the
import through registration_create, all rows or none."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import translation

from ketenconf.events.models import Edition, EditionStatus, Organisation
from ketenconf.imports import services
from ketenconf.imports.models import ImportJob, ImportStatus
from ketenconf.mail.models import OutboxMessage
from ketenconf.registration import services as registration_services
from ketenconf.registration.models import Registration
from tests.factories import EditionFactory, OrganisationFactory, UserFactory

from .helpers import csv_file, xlsx_file

pytestmark = pytest.mark.django_db

HEADERS = [
    "Voornaam",
    "Tussenvoegsel",
    "Achternaam",
    "E-mailadres",
    "Organisatie",
    "Functie",
    "Rolstoel",
    "Taal",
]
ROWS = [
    ["Anna", "de", "Vries", "Anna@Example.org", "IND", "Beleidsmedewerker", "ja", "NL"],
    ["Bram", "", "Jansen", "bram@example.org", "Gemeente Tilburg", "", "nee", "engels"],
    ["Cor", "", "Bakker", "cor@example.org", "IND", "", "", ""],
]


@pytest.fixture
def edition() -> Edition:
    # Closed for the public: organisers import whatever the edition's status.
    edition = EditionFactory(slug="keten", capacity=2, status=EditionStatus.REGISTRATION_CLOSED)
    OrganisationFactory(name="Immigratie- en Naturalisatiedienst", short_name="IND")
    return edition


def upload(
    edition: Edition, rows: list[list[Any]], *, xlsx: bool = False, notify: bool = False
) -> ImportJob:
    content = xlsx_file([HEADERS, *rows]) if xlsx else csv_file([HEADERS, *rows])
    organiser = UserFactory(organisation=edition.lead_organisation)
    job = services.import_job_create(
        edition=edition,
        kind="participants",
        filename="lijst.xlsx" if xlsx else "lijst.csv",
        content=content,
        by=organiser,
    )
    mapping = {int(index): name for index, name in job.mapping.items()}
    return services.import_job_map(job=job, mapping=mapping, notify=notify)


def check(job: ImportJob) -> ImportJob:
    with translation.override("en"):
        return services.import_job_start(job=job, commit=False)


def run(job: ImportJob) -> ImportJob:
    with translation.override("en"):
        return services.import_job_start(job=job, commit=True)


def registrations(edition: Edition) -> list[tuple[str, str, str, str, bool, str, bool]]:
    return [
        (
            r.name,
            r.email,
            r.organisation.name,
            r.status,
            r.needs_step_free,
            r.language,
            r.confirmed_at is not None,
        )
        for r in Registration.objects.filter(edition=edition)
        .select_related("organisation")
        .order_by("pk")
    ]


@pytest.mark.parametrize("xlsx", [False, True], ids=["csv", "xlsx"])
def test_the_dry_run_says_what_the_import_does_and_changes_nothing(
    edition: Edition, xlsx: bool
) -> None:
    organisations = Organisation.objects.count()
    job = check(upload(edition, ROWS, xlsx=xlsx))
    assert job.status == ImportStatus.CHECKED
    assert job.result == {
        "counts": {"created": 3, "changed": 0, "unchanged": 0, "seats": 2, "waitlisted": 1},
        "rows": [
            {"row": 2, "action": "created", "text": "Anna de Vries: a seat"},
            {"row": 3, "action": "created", "text": "Bram Jansen: a seat"},
            {"row": 4, "action": "created", "text": "Cor Bakker: on the waiting list"},
        ],
        "errors": [],
        "error_count": 0,
    }
    assert registrations(edition) == []
    assert Organisation.objects.count() == organisations
    assert Edition.objects.get(pk=edition.pk).seats_taken == 0

    job = run(job)
    assert job.status == ImportStatus.DONE
    assert job.result["counts"] == {
        "created": 3,
        "changed": 0,
        "unchanged": 0,
        "seats": 2,
        "waitlisted": 1,
    }
    assert registrations(edition) == [
        (
            "Anna de Vries",
            "anna@example.org",
            "Immigratie- en Naturalisatiedienst",
            "registered",
            True,
            "nl",
            True,
        ),
        ("Bram Jansen", "bram@example.org", "Gemeente Tilburg", "registered", False, "en", True),
        (
            "Cor Bakker",
            "cor@example.org",
            "Immigratie- en Naturalisatiedienst",
            "waitlisted",
            False,
            "nl",
            True,
        ),
    ]
    assert Edition.objects.get(pk=edition.pk).seats_taken == 2
    assert not OutboxMessage.objects.exists()  # the organiser chose not to mail
    assert bytes(ImportJob.objects.get(pk=job.pk).content) == b""  # the file is not kept


def test_one_bad_row_changes_nothing_and_every_error_has_its_row_and_column(
    edition: Edition,
) -> None:
    rows = [
        *ROWS,
        ["", "", "", "geen-adres", "", "", "misschien", "fr"],
        ["Anna", "", "Dubbel", "anna@example.org", "IND", "", "", ""],
        ["<b>Eva</b>", "", "", "eva@example.org", "IND", "", "", ""],
    ]
    job = run(upload(edition, rows))
    assert job.status == ImportStatus.REJECTED
    assert job.result["errors"] == [
        {"row": 5, "column": "A (Voornaam)", "message": "The name is empty."},
        {"row": 5, "column": "D (E-mailadres)", "message": "Enter a valid email address."},
        {"row": 5, "column": "E (Organisatie)", "message": "The organisation is empty."},
        {
            "row": 5,
            "column": "G (Rolstoel)",
            "message": "Give yes or no (ja or nee), not misschien.",
        },
        {"row": 5, "column": "H (Taal)", "message": "Give the language as nl or en, not fr."},
        {"row": 6, "column": "D (E-mailadres)", "message": "This is in row 2 of the file already."},
        {
            "row": 7,
            "column": "A (Voornaam)",
            "message": "Angle brackets (< and >) are not allowed here.",
        },
    ]
    assert job.result["error_count"] == 7
    assert registrations(edition) == []
    assert Edition.objects.get(pk=edition.pk).seats_taken == 0
    assert not Organisation.objects.filter(name="Gemeente Tilburg").exists()


def test_participants_registered_already_get_the_files_details(edition: Edition) -> None:
    ind = Organisation.objects.get(short_name="IND")
    for name, email in (("Anna Vries", "anna@example.org"), ("Cor Bakker", "cor@example.org")):
        registration_services.registration_create(
            edition=edition,
            name=name,
            email=email,
            organisation=ind,
            job_title="Beleidsmedewerker" if name == "Anna Vries" else "",
            needs_step_free=name == "Anna Vries",
            even_if_closed=True,
            notify=False,
        )
    job = check(upload(edition, ROWS))
    assert job.result["rows"] == [
        {"row": 2, "action": "changed", "text": "Anna de Vries: registered already; changed: name"},
        {"row": 3, "action": "created", "text": "Bram Jansen: on the waiting list"},
        {"row": 4, "action": "unchanged", "text": "Cor Bakker: registered already"},
    ]
    run(job)
    assert Registration.objects.get(email="anna@example.org").name == "Anna de Vries"


def test_mail_when_the_organiser_asks_for_it(edition: Edition) -> None:
    run(upload(edition, ROWS[:1], notify=True))
    assert list(OutboxMessage.objects.values_list("to", flat=True)) == ["anna@example.org"]


@pytest.mark.django_db(transaction=True)
def test_a_large_file_goes_to_the_worker(edition: Edition) -> None:
    from django.core.management import call_command

    edition.capacity = 600
    edition.save()
    rows = [
        [f"P{n}", "", "Jansen", f"p{n}@example.org", "IND", "", "", ""]
        for n in range(services.INLINE_ROW_LIMIT + 1)
    ]
    job = upload(edition, rows)
    job = check(job)
    assert job.status == ImportStatus.QUEUED
    call_command("worker", "--batch", verbosity=0)
    job.refresh_from_db()
    assert (job.status, job.rows_done, job.result["counts"]["created"]) == ("checked", 501, 501)
    assert job.result["counts"]["seats"] == 501
    assert len(job.result["rows"]) == services.ROWS_SHOWN
    assert not Registration.objects.exists()


def test_a_job_runs_once(edition: Edition) -> None:
    job = check(upload(edition, ROWS))
    assert services.import_job_execute(job_id=job.pk) == "skipped"
    run(job)
    with pytest.raises(Exception) as again:
        run(job)
    assert again.value.messages == [
        "This import is under way or done already; it cannot start again."
    ]
    assert Registration.objects.count() == 3
