"""Jobs the worker runs on a schedule: releasing unconfirmed registrations, anonymising
editions whose retention period ended, deleting uploaded import files nobody imported.

Any number of workers may call :func:`periodic_run_due`; a job runs once per interval
because a worker must first move the job's ``last_started_at`` forward with a conditional
UPDATE, which only one of them can win.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Q
from django.utils import timezone
from django.utils.module_loading import import_string

from .models import PeriodicJobRun

logger = logging.getLogger("ketenconf.periodic")


@dataclass(frozen=True)
class PeriodicJob:
    name: str
    every: timedelta
    function: str  # dotted path to a function taking no arguments

    def run(self) -> object:
        function: Callable[[], object] = import_string(self.function)
        return function()


JOBS: tuple[PeriodicJob, ...] = (
    PeriodicJob(
        "ops.release_stalled_tasks",
        timedelta(minutes=1),
        "ketenconf.ops.services.tasks_release_stalled",
    ),
    PeriodicJob(
        "registration.release_unconfirmed",
        timedelta(minutes=5),
        "ketenconf.registration.services.registrations_release_unconfirmed",
    ),
    PeriodicJob(
        "registration.anonymise_expired",
        timedelta(hours=6),
        "ketenconf.registration.services.editions_anonymise_expired",
    ),
    PeriodicJob(
        "imports.purge_stale",
        timedelta(hours=6),
        "ketenconf.imports.services.imports_purge_stale",
    ),
)


def _claim(job: PeriodicJob, now: datetime) -> bool:
    PeriodicJobRun.objects.get_or_create(name=job.name)
    due = Q(last_started_at__isnull=True) | Q(last_started_at__lte=now - job.every)
    return PeriodicJobRun.objects.filter(due, name=job.name).update(last_started_at=now) == 1


def periodic_run_due(
    *, now: datetime | None = None, jobs: tuple[PeriodicJob, ...] = JOBS
) -> list[str]:
    """Run every job whose interval has passed and that no other worker claimed first."""
    now = now or timezone.now()
    ran = []
    for job in jobs:
        if not _claim(job, now):
            continue
        try:
            result = job.run()
        except Exception as error:
            logger.exception("Periodic job %s failed", job.name)
            result = f"failed: {error!r}"
        PeriodicJobRun.objects.filter(name=job.name).update(last_result=str(result)[:1000])
        ran.append(job.name)
    return ran
