from __future__ import annotations

import datetime as dt
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connections
from django.utils import timezone

from ketenconf.core.models import PeriodicJobRun
from ketenconf.core.periodic import PeriodicJob, periodic_jobs, periodic_run_due

CALLS: list[str] = []


def count_call() -> str:
    CALLS.append("ran")
    return "counted"


def fail() -> None:
    raise RuntimeError("no mail server")


COUNTING = (PeriodicJob("test.count", dt.timedelta(minutes=5), count_call),)


@pytest.mark.django_db
def test_a_job_runs_once_per_interval() -> None:
    CALLS.clear()
    start = timezone.now()
    assert periodic_run_due(now=start, jobs=COUNTING) == ["test.count"]
    assert periodic_run_due(now=start + dt.timedelta(minutes=4), jobs=COUNTING) == []
    assert periodic_run_due(now=start + dt.timedelta(minutes=5), jobs=COUNTING) == ["test.count"]
    assert CALLS == ["ran", "ran"]
    assert PeriodicJobRun.objects.get(name="test.count").last_result == "counted"


@pytest.mark.django_db
def test_a_failing_job_is_recorded_and_does_not_stop_the_others() -> None:
    CALLS.clear()
    jobs = (
        PeriodicJob("test.fail", dt.timedelta(hours=1), fail),
        *COUNTING,
    )
    assert periodic_run_due(jobs=jobs) == ["test.fail", "test.count"]
    assert (
        PeriodicJobRun.objects.get(name="test.fail").last_result
        == "failed: RuntimeError('no mail server')"
    )
    assert CALLS == ["ran"]


@pytest.mark.django_db(transaction=True)
def test_workers_racing_for_a_job_run_it_once() -> None:
    CALLS.clear()
    now = timezone.now()
    barrier = threading.Barrier(8)

    def worker(_: int) -> list[str]:
        try:
            barrier.wait(timeout=10)
            return periodic_run_due(now=now, jobs=COUNTING)
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(worker, range(8)))
    assert sorted(results) == [[]] * 7 + [["test.count"]]
    assert CALLS == ["ran"]


def test_the_apps_register_their_jobs() -> None:
    from ketenconf.allocation.services import reoffer_due
    from ketenconf.imports.services import imports_purge_stale
    from ketenconf.messaging.services import reminders_send_due
    from ketenconf.ops.services import tasks_release_stalled
    from ketenconf.registration.services import (
        editions_anonymise_expired,
        registrations_release_unconfirmed,
    )

    assert {job.name: (job.every, job.function) for job in periodic_jobs()} == {
        "ops.release_stalled_tasks": (dt.timedelta(minutes=1), tasks_release_stalled),
        "registration.release_unconfirmed": (
            dt.timedelta(minutes=5),
            registrations_release_unconfirmed,
        ),
        "registration.anonymise_expired": (dt.timedelta(hours=6), editions_anonymise_expired),
        "imports.purge_stale": (dt.timedelta(hours=6), imports_purge_stale),
        "messaging.reminders": (dt.timedelta(hours=1), reminders_send_due),
        "allocation.reoffer": (dt.timedelta(minutes=1), reoffer_due),
    }
