from __future__ import annotations

import datetime as dt
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connections
from django.utils import timezone

from ketenconf.core.models import PeriodicJobRun
from ketenconf.core.periodic import JOBS, PeriodicJob, periodic_run_due

CALLS: list[str] = []


def count_call() -> str:
    CALLS.append("ran")
    return "counted"


def fail() -> None:
    raise RuntimeError("no mail server")


COUNTING = (
    PeriodicJob("test.count", dt.timedelta(minutes=5), "tests.core.test_periodic.count_call"),
)


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
        PeriodicJob("test.fail", dt.timedelta(hours=1), "tests.core.test_periodic.fail"),
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


def test_the_scheduled_jobs_point_at_real_functions() -> None:
    from django.utils.module_loading import import_string

    assert [job.name for job in JOBS] == [
        "ops.release_stalled_tasks",
        "registration.release_unconfirmed",
        "registration.anonymise_expired",
        "imports.purge_stale",
    ]
    for job in JOBS:
        assert callable(import_string(job.function))
