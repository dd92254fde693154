"""The import pages: upload, map the columns, check, import; only for the edition's organisers."""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client

from ketenconf.events.models import Edition
from ketenconf.imports import selectors, services
from ketenconf.imports.models import ImportJob
from ketenconf.imports.progress import ProgressReporter
from ketenconf.registration.models import Registration
from tests.factories import EditionFactory, OrganisationFactory, UserFactory

from .helpers import csv_file

pytestmark = pytest.mark.django_db

FILE = csv_file(
    [
        ["Naam", "E-mail", "Werkgever", "Opmerking"],
        ["Anna de Vries", "anna@example.org", "IND", "x"],
        ["Bram Jansen", "bram@example.org", "COA", ""],
    ]
)


@pytest.fixture
def edition() -> Edition:
    return EditionFactory(slug="keten", capacity=10)


@pytest.fixture
def organiser(client: Client, edition: Edition) -> Client:
    client.force_login(UserFactory(organisation=edition.lead_organisation))
    return client


def selected(page: str) -> dict[str, str]:
    """Each column's select and the option chosen."""
    found = {}
    for name, body in re.findall(r'<select name="(column_\d+)"[^>]*>(.*?)</select>', page, re.S):
        chosen = re.search(r'<option value="([^"]*)" selected>', body)
        found[name] = chosen.group(1) if chosen else ""
    return found


def test_upload_map_check_and_import(organiser: Client, edition: Edition) -> None:
    start = organiser.get(f"/organise/{edition.slug}/imports/")
    assert start.status_code == 200
    response = organiser.post(
        f"/organise/{edition.slug}/imports/",
        {"kind": "participants", "file": SimpleUploadedFile("lijst.csv", FILE)},
    )
    job = ImportJob.objects.get()
    assert (response.status_code, response["Location"]) == (
        302,
        f"/organise/{edition.slug}/imports/{job.pk}/",
    )
    page = organiser.get(response["Location"]).content.decode()
    # Guessed from the headers; the remark is left out.
    assert selected(page) == {
        "column_0": "name",
        "column_1": "email",
        "column_2": "organisation",
        "column_3": "",
    }
    assert "Anna de Vries, Bram Jansen" in page  # the first values of each column

    # A mapping without the email: said so, nothing runs.
    bad = organiser.post(response["Location"], {"column_0": "name", "column_2": "organisation"})
    assert bad.status_code == 422
    assert ImportJob.objects.get().status == "uploaded"

    checked = organiser.post(
        response["Location"],
        {"column_0": "name", "column_1": "email", "column_2": "organisation", "column_3": ""},
    )
    assert checked.status_code == 302
    job.refresh_from_db()
    assert (job.status, job.result["counts"]["created"]) == ("checked", 2)
    assert not Registration.objects.exists()
    page = organiser.get(response["Location"]).content.decode()
    assert f'action="/organise/{edition.slug}/imports/{job.pk}/import/"' in page

    organiser.post(f"/organise/{edition.slug}/imports/{job.pk}/import/")
    job.refresh_from_db()
    assert job.status == "done"
    assert sorted(Registration.objects.values_list("email", flat=True)) == [
        "anna@example.org",
        "bram@example.org",
    ]
    # Imported once: the button is gone and posting again changes nothing.
    page = organiser.get(response["Location"]).content.decode()
    assert "/import/" not in page.split("<main", 1)[1]
    organiser.post(f"/organise/{edition.slug}/imports/{job.pk}/import/")
    assert Registration.objects.count() == 2


def test_an_unreadable_file_is_refused_on_the_upload_page(
    organiser: Client, edition: Edition
) -> None:
    response = organiser.post(
        f"/organise/{edition.slug}/imports/",
        {"kind": "participants", "file": SimpleUploadedFile("leeg.csv", b"\r\n")},
    )
    assert response.status_code == 422
    assert not ImportJob.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_the_status_fragment_for_htmx_shows_the_progress(
    organiser: Client, edition: Edition
) -> None:
    job = services.import_job_create(
        edition=edition, kind="participants", filename="l.csv", content=FILE, by=None
    )
    ImportJob.objects.filter(pk=job.pk).update(status="running", commit=True)
    reporter = ProgressReporter(job_id=job.pk)
    try:
        reporter.report(1, force=True)
        response = organiser.get(
            f"/organise/{edition.slug}/imports/{job.pk}/", headers={"HX-Request": "true"}
        )
    finally:
        reporter.close()
    fragment = response.content.decode()
    assert fragment.startswith('<div id="import-status" role="status" hx-get=')
    assert '<progress class="kc-progress" max="2" value="1">50%</progress>' in fragment


@pytest.mark.django_db(transaction=True)
def test_progress_is_readable_while_the_import_transaction_is_open(edition: Edition) -> None:
    job = services.import_job_create(
        edition=edition, kind="participants", filename="l.csv", content=FILE, by=None
    )
    reporter = ProgressReporter(job_id=job.pk)
    try:
        with transaction.atomic():
            Registration.objects.filter(edition=edition).exists()  # the import's own transaction
            reporter.report(2, force=True)
            assert selectors.import_progress(job=ImportJob.objects.get(pk=job.pk)).done == 2
    finally:
        reporter.close()


def test_another_organisations_staff_get_404_and_strangers_the_login(
    client: Client, edition: Edition
) -> None:
    job = services.import_job_create(
        edition=edition, kind="participants", filename="l.csv", content=FILE, by=None
    )
    urls = [f"/organise/{edition.slug}/imports/", f"/organise/{edition.slug}/imports/{job.pk}/"]
    for url in urls:
        assert client.get(url)["Location"].startswith("/organise/login/")
    client.force_login(UserFactory(organisation=OrganisationFactory(name="Politie")))
    for url in urls:
        assert client.get(url).status_code == 404
    assert client.post(f"/organise/{edition.slug}/imports/{job.pk}/import/").status_code == 404
    assert ImportJob.objects.get().status == "uploaded"
