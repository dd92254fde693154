"""Background tasks of the outbox: primary keys in, a service call in the scope of the
edition, nothing else."""

from __future__ import annotations

from django_tasks import task

from ketenconf.core.tenancy import edition_scope_of

from . import services
from .models import OutboxMessage


@task()
def deliver_message(message_id: int) -> str:
    with edition_scope_of(OutboxMessage, message_id):
        return services.mail_deliver(message_id=message_id)


@task()
def deliver_messages(message_ids: list[int]) -> str:
    """Many mails of one batch (``services.mail_enqueue_many``), one after the other, in
    the scope of the edition of the batch."""
    with edition_scope_of(OutboxMessage, message_ids[0] if message_ids else 0):
        outcomes = [services.mail_deliver(message_id=message_id) for message_id in message_ids]
    return ", ".join(f"{outcomes.count(o)} {o}" for o in dict.fromkeys(outcomes))
