"""Writes of the ops app: the worker's heartbeat."""

from __future__ import annotations

import os
import socket
from datetime import datetime, timedelta

from django.utils import timezone

from .models import WorkerHeartbeat

#: Heartbeats of workers gone for longer than this are deleted by the next heartbeat.
FORGET_AFTER = timedelta(days=7)

_started_at: datetime | None = None


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


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
