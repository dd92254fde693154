"""Uploaded files hold personal data: a file nobody imported is deleted after a week, and so are
the rows an outcome quotes; counts stay, and the organiser is told to upload again."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone, translation

from ketenconf.core.periodic import periodic_run_due
from ketenconf.events.models import Edition
from ketenconf.imports import services
from ketenconf.imports.models import ImportJob, ImportStatus
from tests.factories import UserFactory

from .test_participants import ROWS, check, run, upload
from .test_participants import edition as participants_edition

pytestmark = pytest.mark.django_db

# The same edition as the participant-import tests: closed to the public, two seats.
edition = participants_edition


def _age(job: ImportJob, days: int) -> None:
    ImportJob.objects.filter(pk=job.pk).update(created_at=timezone.now() - dt.timedelta(days=days))


def test_a_week_old_unimported_file_is_deleted_and_the_page_says_upload_again(
    edition: Edition, client: Client
) -> None:
    checked = check(upload(edition, ROWS))
    fresh = check(upload(edition, ROWS))
    _age(checked, 8)
    _age(fresh, 6)

    assert services.imports_purge_stale() == 1

    checked.refresh_from_db()
    assert checked.status == ImportStatus.EXPIRED
    assert bytes(checked.content) == b""
    assert checked.headers == [] and checked.mapping == {}
    assert checked.result == {
        "counts": {"created": 3, "changed": 0, "unchanged": 0, "seats": 2, "waitlisted": 1},
        "error_count": 0,
    }
    fresh.refresh_from_db()
    assert fresh.status == ImportStatus.CHECKED and bytes(fresh.content)
    assert "Anna de Vries" in str(fresh.result)

    client.force_login(UserFactory(organisation=edition.lead_organisation))
    page = client.get(f"/organise/{edition.slug}/imports/{checked.pk}/")
    assert page.status_code == 200
    with translation.override("nl"):  # the back office speaks the site's language
        expired = str(ImportStatus.EXPIRED.label)
    assert expired[0].upper() + expired[1:] in page.content.decode()
    assert "Anna" not in page.content.decode()
    # Nothing left to import: the import button leads back with the reason, changing nothing.
    client.post(f"/organise/{edition.slug}/imports/{checked.pk}/import/")
    assert not edition.registrations.exists()


def test_an_imported_file_keeps_its_counts_but_not_the_names_after_a_week(edition: Edition) -> None:
    done = run(check(upload(edition, ROWS)))
    assert done.status == ImportStatus.DONE and "Anna de Vries" in str(done.result)
    _age(done, 8)

    assert services.imports_purge_stale() == 1
    assert services.imports_purge_stale() == 0  # nothing left to purge the second time

    done.refresh_from_db()
    assert done.status == ImportStatus.DONE
    assert done.result == {
        "counts": {"created": 3, "changed": 0, "unchanged": 0, "seats": 2, "waitlisted": 1},
        "error_count": 0,
    }


def test_the_edition_retention_ending_deletes_even_a_fresh_upload(edition: Edition) -> None:
    job = check(upload(edition, ROWS))
    edition.start_date = edition.end_date = timezone.localdate() - dt.timedelta(days=40)
    edition.retention_days = 30
    edition.save()

    assert services.imports_purge_stale() == 1
    job.refresh_from_db()
    assert job.status == ImportStatus.EXPIRED and bytes(job.content) == b""


def test_the_worker_runs_the_purge_on_its_schedule(edition: Edition) -> None:
    job = check(upload(edition, ROWS))
    _age(job, 8)
    assert "imports.purge_stale" in periodic_run_due()
    job.refresh_from_db()
    assert job.status == ImportStatus.EXPIRED
