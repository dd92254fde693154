"""Background tasks of the outbox: primary keys in, a service call, nothing else."""

from __future__ import annotations

from django_tasks import task

from . import services


@task()
def deliver_message(message_id: int) -> str:
    return services.mail_deliver(message_id=message_id)


@task()
def deliver_messages(message_ids: list[int]) -> str:
    """Many mails of one batch (``services.mail_enqueue_many``), one after the other."""
    outcomes = [services.mail_deliver(message_id=message_id) for message_id in message_ids]
    return ", ".join(f"{outcomes.count(o)} {o}" for o in dict.fromkeys(outcomes))
