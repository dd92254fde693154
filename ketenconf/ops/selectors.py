"""Reads of the ops app: worker heartbeats and the state of the outbox."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Count, Min, Q
from django.utils import timezone

from ketenconf.mail.models import OutboxMessage, OutboxStatus

from .models import WorkerHeartbeat


def tasks_waiting(*, longer_than: timedelta) -> int:
    """Background tasks due for longer than ``longer_than`` that no worker has taken."""
    from django_tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult, get_date_max

    cutoff = timezone.now() - longer_than
    return (
        DBTaskResult.objects.filter(status=TaskResultStatus.READY, enqueued_at__lt=cutoff)
        .filter(Q(run_after=get_date_max()) | Q(run_after__lt=cutoff))
        .count()
    )


def worker_heartbeats() -> list[WorkerHeartbeat]:
    return list(WorkerHeartbeat.objects.order_by("-seen_at")[:50])


@dataclass(frozen=True)
class OutboxWaiting:
    pending: int
    stale: int
    failed: int
    oldest: datetime | None


def outbox_waiting(*, older_than: timedelta) -> OutboxWaiting:
    """Mails not yet sent: all of them, those older than ``older_than``, and failed ones."""
    cutoff = timezone.now() - older_than
    waiting = Q(status__in=[OutboxStatus.PENDING, OutboxStatus.SENDING])
    row = OutboxMessage.objects.aggregate(
        pending=Count("pk", filter=waiting),
        stale=Count("pk", filter=waiting & Q(created_at__lt=cutoff)),
        failed=Count("pk", filter=Q(status=OutboxStatus.FAILED)),
        oldest=Min("created_at", filter=waiting),
    )
    return OutboxWaiting(
        pending=row["pending"], stale=row["stale"], failed=row["failed"], oldest=row["oldest"]
    )
