"""Background tasks of the check-in: primary keys in, a service call in the scope of the edition, nothing else."""

from __future__ import annotations

from django_tasks import task

from ketenconf.core.tenancy import edition_scope_of

from . import services
from .models import BadgeBatch


@task()
def make_badges(batch_id: int) -> str:
    with edition_scope_of(BadgeBatch, batch_id):
        return services.badge_batch_execute(batch_id=batch_id)
