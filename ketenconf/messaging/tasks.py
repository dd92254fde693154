"""Background tasks of messages: primary keys in, a service call, nothing else."""

from __future__ import annotations

from django_tasks import task

from . import services


@task()
def queue_message(message_id: int) -> int:
    return services.message_queue(message_id=message_id)
