"""Background tasks of the assignment: primary keys in, a service call in the scope of the edition, nothing else."""

from __future__ import annotations

from django_tasks import task

from ketenconf.core.tenancy import edition_scope_of

from . import services
from .models import AssignmentRun


@task()
def execute_run(run_id: int) -> str:
    with edition_scope_of(AssignmentRun, run_id):
        return services.assignment_run_execute(run_id=run_id)
