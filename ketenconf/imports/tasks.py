"""Background tasks of the imports: primary keys in, a service call in the scope of the edition, nothing else."""

from __future__ import annotations

from django_tasks import task

from ketenconf.core.tenancy import edition_scope_of

from . import services
from .models import ImportJob


@task()
def execute_import(job_id: int) -> str:
    with edition_scope_of(ImportJob, job_id):
        return services.import_job_execute(job_id=job_id)
