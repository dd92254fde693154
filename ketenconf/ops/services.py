"""Writes of the ops app: the worker's heartbeat, and releasing what a dead worker held."""

from __future__ import annotations

import logging
import os
import socket
from datetime import datetime, timedelta
from typing import Any

from django.apps import apps
from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from .models import WorkerHeartbeat

logger = logging.getLogger(__name__)

#: Heartbeats of workers gone for longer than this are deleted by the next heartbeat.
FORGET_AFTER = timedelta(days=7)
#: A worker beats this often (a thread of its own, whatever task it runs) ...
HEARTBEAT_EVERY = timedelta(seconds=10)
#: ... so one silent for this long is dead or hung: what it claimed is released.
STALLED_AFTER = timedelta(minutes=2)

#: The background jobs a task runs, by the task's path: the model (app_label.Model) whose
#: row, named by the task's first argument, says "queued" or "running" while the task has it.
#: The mail's task is not here: the outbox sweep takes care of mails (ketenconf.mail.services).
JOBS_OF_TASKS: dict[str, str] = {
    "ketenconf.imports.tasks.execute_import": "imports.ImportJob",
    "ketenconf.allocation.tasks.execute_run": "allocation.AssignmentRun",
    "ketenconf.checkin.tasks.make_badges": "checkin.BadgeBatch",
    "ketenconf.networking.tasks.execute_match_run": "networking.MatchRun",
}

_started_at: datetime | None = None
_name: str | None = None


def worker_name() -> str:
    """This process's name as a worker: in its heartbeat and on the tasks it claims."""
    return _name or f"{socket.gethostname()}:{os.getpid()}"[-64:]


def worker_name_set(name: str) -> None:
    global _name
    _name = name


def heartbeat_record(*, now: datetime | None = None) -> None:
    """Say this worker process is alive; ``ketenconf doctor`` reads it. One UPSERT."""
    global _started_at
    now = now or timezone.now()
    if _started_at is None:
        _started_at = now
    WorkerHeartbeat.objects.update_or_create(
        worker=worker_name(),
        defaults={"seen_at": now},
        create_defaults={"started_at": _started_at, "seen_at": now},
    )
    WorkerHeartbeat.objects.filter(seen_at__lt=now - FORGET_AFTER).delete()


def _job_fail(task_path: str, args_kwargs: dict[str, Any], *, reason: str, now: datetime) -> int:
    label = JOBS_OF_TASKS.get(task_path)
    args = args_kwargs.get("args") or []
    if label is None or not args:
        return 0
    model = apps.get_model(label)
    fields = {field.name for field in model._meta.get_fields()}
    update: dict[str, Any] = {"status": "failed", "error": reason}
    if "finished_at" in fields:
        update["finished_at"] = now
    return int(model.objects.filter(pk=args[0], status__in=["queued", "running"]).update(**update))


def tasks_running_of(
    *,
    workers: set[str] | None = None,
    not_of: set[str] | None = None,
    started_before: datetime | None = None,
) -> list[Any]:
    """Ids of running tasks last claimed by one of ``workers``, or by none of ``not_of``."""
    running = DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING)
    if started_before is not None:
        running = running.filter(started_at__lt=started_before)
    found = []
    for pk, ids in running.values_list("id", "worker_ids"):
        last = ids[-1] if ids else None
        if (workers is not None and last in workers) or (not_of is not None and last not in not_of):
            found.append(pk)
    return found


def tasks_release(*, ids: list[Any], reason: str, now: datetime | None = None) -> int:
    """Mark the running tasks ``ids`` failed, and their jobs failed with ``reason``
    (the organiser starts such a job again; a job's writes are one transaction, so a worker
    that died in it left nothing half done). Returns the tasks released."""
    now = now or timezone.now()
    released = 0
    for task in DBTaskResult.objects.filter(pk__in=ids, status=TaskResultStatus.RUNNING).only(
        "id", "task_path", "args_kwargs"
    ):
        taken = DBTaskResult.objects.filter(pk=task.pk, status=TaskResultStatus.RUNNING).update(
            status=TaskResultStatus.FAILED,
            finished_at=now,
            exception_class_path="ketenconf.ops.WorkerStopped",
            traceback=reason,
        )
        if not taken:
            continue  # another worker's sweep was first
        released += 1
        _job_fail(task.task_path, task.args_kwargs, reason=reason, now=now)
        logger.warning("Released task %s (%s): %s", task.pk, task.task_path, reason)
    return released


def tasks_release_stalled(*, now: datetime | None = None) -> int:
    """Release the tasks of workers that stopped beating ``STALLED_AFTER`` ago (killed, hung,
    their machine gone). Run by every worker's sweep; a periodic job."""
    now = now or timezone.now()
    alive = set(
        WorkerHeartbeat.objects.filter(seen_at__gte=now - STALLED_AFTER).values_list(
            "worker", flat=True
        )
    )
    stalled = tasks_running_of(not_of=alive, started_before=now - STALLED_AFTER)
    if not stalled:
        return 0
    with translation.override(settings.LANGUAGE_CODE):
        reason = _(
            "The worker that ran this stopped (no sign of life for %(seconds)s s); nothing "
            "of it was kept. Start it again."
        ) % {"seconds": int(STALLED_AFTER.total_seconds())}
    return tasks_release(ids=stalled, reason=reason, now=now)


def tasks_release_own(*, worker: str) -> int:
    """What ``worker`` was running when its database connection went: failed, with the reason
    (called by that worker once the database is back)."""
    with translation.override(settings.LANGUAGE_CODE):
        reason = _(
            "The database connection was lost while this ran; nothing of it was kept. "
            "Start it again."
        )
    return tasks_release(ids=tasks_running_of(workers={worker}), reason=reason)
