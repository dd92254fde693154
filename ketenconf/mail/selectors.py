"""Reads on the outbox."""

from __future__ import annotations

from django.db.models import Q
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from .models import OutboxMessage, OutboxStatus


def pending_outbox_ids() -> list[int]:
    return list(
        OutboxMessage.objects.filter(status=OutboxStatus.PENDING)
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def outbox_ids_with_queued_delivery() -> set[int]:
    """Ids of outbox rows that have a delivery task waiting in the queue (ready or deferred):
    one mail's (``deliver_message``), or a batch's (``deliver_messages``) waiting or running,
    since a batch's later mails wait for its earlier ones; a running batch whose worker died
    is released by ``ops.release_stalled_tasks``, and its mails still pending are then
    enqueued again by the next sweep."""
    from .tasks import deliver_message, deliver_messages

    ids: set[int] = set()
    for path, args_kwargs in DBTaskResult.objects.filter(
        Q(status=TaskResultStatus.READY, task_path=deliver_message.module_path)
        | Q(
            status__in=[TaskResultStatus.READY, TaskResultStatus.RUNNING],
            task_path=deliver_messages.module_path,
        )
    ).values_list("task_path", "args_kwargs"):
        args = args_kwargs.get("args") or []
        kwargs = args_kwargs.get("kwargs") or {}
        if path == deliver_messages.module_path:
            batch = args[0] if args else kwargs.get("message_ids")
            ids.update(i for i in batch or [] if isinstance(i, int))
            continue
        message_id = args[0] if args else kwargs.get("message_id")
        if isinstance(message_id, int):
            ids.add(message_id)
    return ids
