"""Background tasks of networking: primary keys in, a service call, nothing else."""

from __future__ import annotations

from django_tasks import task

from . import services


@task()
def execute_match_run(run_id: int) -> str:
    return services.meetings_propose_execute(run_id=run_id)
