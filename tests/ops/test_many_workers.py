"""Several workers on one database: no mail twice, no periodic job twice.

Real `ketenconf worker` processes against this test's database and a real SMTP server.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections import Counter
from datetime import timedelta
from pathlib import Path
from typing import IO

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from ketenconf.core.models import PeriodicJobRun
from ketenconf.events.models import Edition
from ketenconf.mail.models import OutboxMessage, OutboxStatus
from ketenconf.ops.models import WorkerHeartbeat
from ketenconf.registration.models import Registration, RegistrationStatus
from tests.factories import EditionFactory, RegistrationFactory
from tests.mail.test_worker import MAILS, enqueue_mails, start_worker, statuses, wait_until

from .conftest import SMTPServer, database_url

REPO_ROOT = Path(__file__).resolve().parents[2]

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def test_two_workers_drain_the_outbox_together_each_mail_exactly_once(
    smtp_server: SMTPServer, tmp_path: Path
) -> None:
    with (tmp_path / "workers.log").open("wb") as log:
        workers = [start_worker(smtp_server, log, f"--worker-id=worker-{n}") for n in (1, 2)]
        try:
            # The mails come once both workers are up (each records a heartbeat just before it
            # starts polling); otherwise the faster starter could send all two hundred alone.
            for worker in workers:
                wait_until(
                    lambda: WorkerHeartbeat.objects.count() == 2,
                    worker=worker,
                    log=log,
                    timeout=60,
                    what="both workers were up",
                )
            message_ids = enqueue_mails()
            for worker in workers:
                wait_until(
                    lambda: statuses() == {OutboxStatus.SENT: MAILS},
                    worker=worker,
                    log=log,
                    timeout=60,
                    what="all were sent",
                )
        finally:
            for worker in workers:
                worker.terminate()
            returncodes = [worker.wait(timeout=10) for worker in workers]
    assert returncodes == [0, 0]
    assert smtp_server.recorder.message_id_counts() == dict.fromkeys(message_ids, 1)
    assert set(OutboxMessage.objects.values_list("attempts", flat=True)) == {1}
    # Both took part: the claims, not one worker idling, kept the mails single.
    ran_by = Counter(
        worker_id
        for worker_ids in DBTaskResult.objects.values_list("worker_ids", flat=True)
        for worker_id in worker_ids
    )
    assert set(ran_by) == {"worker-1", "worker-2"}
    assert sum(ran_by.values()) >= MAILS


RACE = """
import django, json, os, sys, time
django.setup()
from datetime import timedelta
from ketenconf.core.periodic import PeriodicJob, periodic_run_due
from tests.ops.test_many_workers import record_run
job = PeriodicJob("test.race", timedelta(hours=1), record_run)
start = float(sys.argv[1])
time.sleep(max(0.0, start - time.time()))
print(json.dumps(periodic_run_due(jobs=(job,))))
"""


def record_run() -> str:
    """The raced job: appends this process's id to the file named in the environment."""
    with open(os.environ["RACE_FILE"], "a") as file:
        file.write(f"{os.getpid()}\n")
    time.sleep(0.2)  # long enough for every other process to try its claim meanwhile
    return "ran"


def test_processes_racing_for_a_periodic_job_run_it_once(tmp_path: Path) -> None:
    race_file = tmp_path / "runs.txt"
    race_file.touch()
    env = {
        **os.environ,
        "KETENCONF_DATABASE_URL": database_url(),
        "DJANGO_SETTINGS_MODULE": "ketenconf.settings",
        "RACE_FILE": str(race_file),
    }
    start = time.time() + 3  # after every process has set Django up
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", RACE, str(start)],
            env=env,
            cwd=REPO_ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(4)
    ]
    outputs = [process.communicate(timeout=60) for process in processes]
    assert [process.returncode for process in processes] == [0] * 4, outputs
    ran = sorted(json.loads(out) for out, _ in outputs)
    assert ran == [[], [], [], ["test.race"]]
    assert len(race_file.read_text().splitlines()) == 1
    assert PeriodicJobRun.objects.get(name="test.race").last_result == "ran"


def run_batch(smtp: SMTPServer, log: IO[bytes], count: int) -> list[int]:
    workers = [start_worker(smtp, log, "--batch") for _ in range(count)]
    return [worker.wait(timeout=60) for worker in workers]


def test_two_workers_starting_together_release_each_unconfirmed_registration_once(
    smtp_server: SMTPServer, tmp_path: Path
) -> None:
    """The real periodic job, raced by two `ketenconf worker --batch`: one mail per release."""
    edition: Edition = EditionFactory(
        status="registration_open", capacity=10, confirmation_hours=24
    )
    stale: list[Registration] = [
        RegistrationFactory(edition=edition, status=RegistrationStatus.REGISTERED) for _ in range(6)
    ]
    Registration.objects.filter(pk__in=[r.pk for r in stale]).update(
        created_at=timezone.now() - timedelta(days=2), confirmed_at=None
    )
    Edition.objects.filter(pk=edition.pk).update(seats_taken=6)
    with (tmp_path / "workers.log").open("wb") as log:
        assert run_batch(smtp_server, log, 2) == [0, 0]
    released = Registration.objects.filter(status=RegistrationStatus.RELEASED)
    assert released.count() == 6
    recipients = Counter(str(m["To"]) for m in smtp_server.recorder.received())
    assert recipients == {r.email: 1 for r in stale}
    assert smtp_server.recorder.message_id_counts() == dict.fromkeys(
        OutboxMessage.objects.values_list("message_id", flat=True), 1
    )
    edition.refresh_from_db()
    assert edition.seats_taken == 0
