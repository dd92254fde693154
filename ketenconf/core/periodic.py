"""Jobs the worker runs on a schedule, registered by the apps in ``AppConfig.ready()``:
releasing unconfirmed registrations, anonymising editions whose retention period ended,
deleting uploaded import files nobody imported, sending the reminders organisers switched on.

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
from django_scopes import scopes_disabled

from .models import PeriodicJobRun

logger = logging.getLogger("ketenconf.periodic")


@dataclass(frozen=True)
class PeriodicJob:
    name: str
    every: timedelta
    function: Callable[[], object]  # takes no arguments; its result is recorded as text

    def run(self) -> object:
        return self.function()


_jobs: dict[str, PeriodicJob] = {}


def periodic_job_register(*, name: str, every: timedelta, function: Callable[[], object]) -> None:
    """A job the worker runs every ``every``; apps register theirs in ``AppConfig.ready()``
    (once per name, so a second ``ready()`` changes nothing)."""
    _jobs[name] = PeriodicJob(name, every, function)


def periodic_jobs() -> tuple[PeriodicJob, ...]:
    return tuple(_jobs.values())


def _claim(job: PeriodicJob, now: datetime) -> bool:
    PeriodicJobRun.objects.get_or_create(name=job.name)
    due = Q(last_started_at__isnull=True) | Q(last_started_at__lte=now - job.every)
    return PeriodicJobRun.objects.filter(due, name=job.name).update(last_started_at=now) == 1


def periodic_run_due(
    *, now: datetime | None = None, jobs: tuple[PeriodicJob, ...] | None = None
) -> list[str]:
    """Run every job (by default every registered one) whose interval has passed and that no
    other worker claimed first."""
    now = now or timezone.now()
    jobs = periodic_jobs() if jobs is None else jobs
    ran = []
    for job in jobs:
        if not _claim(job, now):
            continue
        try:
            # The jobs cross editions: releases, purges, anonymisation of any edition.
            with scopes_disabled():
                result = job.run()
        except Exception as error:
            logger.exception("Periodic job %s failed", job.name)
            result = f"failed: {error!r}"
        PeriodicJobRun.objects.filter(name=job.name).update(last_result=str(result)[:1000])
        ran.append(job.name)
    return ran
