"""Background tasks of the imports: primary keys in, a service call, nothing else."""

from __future__ import annotations

from django_tasks import task

from . import services


@task()
def execute_import(job_id: int) -> str:
    return services.import_job_execute(job_id=job_id)
