"""Background tasks of messages: primary keys in, a service call in the scope of the
edition, nothing else."""

from __future__ import annotations

from django_tasks import task

from ketenconf.core.tenancy import edition_scope_of

from . import services
from .models import Message


@task()
def queue_message(message_id: int) -> int:
    with edition_scope_of(Message, message_id):
        return services.message_queue(message_id=message_id)
