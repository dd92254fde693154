"""Background tasks of the outbox: primary keys in, a service call, nothing else."""

from __future__ import annotations

from django_tasks import task

from . import services


@task()
def deliver_message(message_id: int) -> str:
    return services.mail_deliver(message_id=message_id)
