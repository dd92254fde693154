"""A worker killed in the middle of a background job: the job does not stay "running" for
ever. Once the worker has been silent for ``STALLED_AFTER``, the next sweep of any worker marks
the job failed with the reason (the organiser starts it again; its one transaction died with
the worker, so nothing is half done), and the uploaded file is purged on schedule whatever
the job's state.

The worker runs as a real process on the test's database and is killed with SIGKILL; the
minutes a real outage lasts are passed by dating its heartbeat and its task back.
"""

from __future__ import annotations

import time
from datetime import timedelta
from pathlib import Path
from typing import IO

import pytest
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from ketenconf.core.models import PeriodicJobRun
from ketenconf.events.models import EditionStatus
from ketenconf.imports import services
from ketenconf.imports.models import ImportJob, ImportStatus
from ketenconf.ops.models import WorkerHeartbeat
from ketenconf.ops.services import STALLED_AFTER, tasks_release_stalled
from ketenconf.registration.models import Registration
from tests.factories import EditionFactory, OrganisationFactory, UserFactory
from tests.imports.helpers import csv_file
from tests.mail.test_worker import start_worker, wait_until

from .conftest import SMTPServer

pytestmark = [pytest.mark.slow, pytest.mark.timeout(180), pytest.mark.django_db(transaction=True)]

ROWS = 3000
REASON = (
    "De worker die dit uitvoerde is gestopt (geen teken van leven in 120 s); er is niets van "
    "bewaard. Start het opnieuw."
)


@pytest.fixture
def log(tmp_path: Path) -> IO[bytes]:
    with (tmp_path / "worker.log").open("wb") as file:
        yield file  # type: ignore[misc]


def queued_import() -> ImportJob:
    edition = EditionFactory(slug="keten", capacity=ROWS, status=EditionStatus.REGISTRATION_CLOSED)
    OrganisationFactory(name="Immigratie- en Naturalisatiedienst", short_name="IND")
    rows = [["Naam", "E-mailadres", "Organisatie"]] + [
        [f"Deelnemer {n}", f"d{n}@example.org", "IND"] for n in range(ROWS)
    ]
    job = services.import_job_create(
        edition=edition,
        kind="participants",
        filename="lijst.csv",
        content=csv_file(rows),
        by=UserFactory(organisation=edition.lead_organisation),
    )
    job = services.import_job_map(
        job=job, mapping={int(i): name for i, name in job.mapping.items()}
    )
    return services.import_job_start(job=job, commit=True)


def test_an_import_whose_worker_was_killed_is_failed_with_the_reason_and_purged(
    smtp_server: SMTPServer, log: IO[bytes]
) -> None:
    job = queued_import()
    assert job.status == ImportStatus.QUEUED
    worker = start_worker(smtp_server, log)
    try:
        wait_until(
            lambda: ImportJob.objects.filter(pk=job.pk, status=ImportStatus.RUNNING).exists(),
            worker=worker,
            log=log,
            timeout=60,
            what="the import was running",
        )
        time.sleep(0.2)
    finally:
        worker.kill()
        worker.wait()
    job.refresh_from_db()
    assert job.status == ImportStatus.RUNNING  # and so it stayed, before
    assert not Registration.objects.exists()  # its transaction died with it
    [task] = DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING)

    # Within the stalled period nothing is taken from it: it might be a slow worker.
    assert tasks_release_stalled() == 0
    # Minutes pass without a heartbeat from it.
    gone = timezone.now() - STALLED_AFTER - timedelta(seconds=30)
    WorkerHeartbeat.objects.update(seen_at=gone)
    DBTaskResult.objects.filter(pk=task.pk).update(started_at=gone)
    PeriodicJobRun.objects.update(last_started_at=gone)

    # Another worker starts; its first sweep finds the job.
    batch = start_worker(smtp_server, log, "--batch")
    assert batch.wait(timeout=120) == 0
    job.refresh_from_db()
    assert (job.status, job.error) == (ImportStatus.FAILED, REASON)
    task.refresh_from_db()
    assert task.status == TaskResultStatus.FAILED
    assert bytes(job.content)  # kept, so the organiser can start it again, for the week

    # The purge takes the file of a failed job on its schedule ...
    assert services.imports_purge_stale(now=timezone.now() + timedelta(days=8)) == 1
    job.refresh_from_db()
    assert (job.status, bytes(job.content), job.samples) == (ImportStatus.EXPIRED, b"", [])


def test_the_purge_takes_files_in_every_state() -> None:
    """... and that of a job still queued or running a week on (one whose worker was never
    swept, say, because none ran since)."""
    edition = EditionFactory(slug="keten")
    # Done jobs have their file emptied at once (test_participants), expired ones had it
    # emptied by the purge; the others keep it.
    kept = [s for s in ImportStatus.values if s not in (ImportStatus.DONE, ImportStatus.EXPIRED)]
    for status in kept:
        job = services.import_job_create(
            edition=edition,
            kind="participants",
            filename="lijst.csv",
            content=csv_file([["Naam", "E-mailadres"], ["Anna", "anna@example.org"]]),
            by=None,
        )
        ImportJob.objects.filter(pk=job.pk).update(status=status)
    purged = services.imports_purge_stale(now=timezone.now() + timedelta(days=8))
    assert purged == len(kept)
    assert {(job.status, bytes(job.content)) for job in ImportJob.objects.all()} == {
        (ImportStatus.EXPIRED, b"")
    }
