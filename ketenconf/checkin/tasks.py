"""Background tasks of the check-in: primary keys in, a service call, nothing else."""

from __future__ import annotations

from django_tasks import task

from . import services


@task()
def make_badges(batch_id: int) -> str:
    return services.badge_batch_execute(batch_id=batch_id)
