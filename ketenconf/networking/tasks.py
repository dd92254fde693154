"""Background tasks of networking: primary keys in, a service call in the scope of the edition, nothing else."""

from __future__ import annotations

from django_tasks import task

from ketenconf.core.tenancy import edition_scope_of

from . import services
from .models import MatchRun


@task()
def execute_match_run(run_id: int) -> str:
    with edition_scope_of(MatchRun, run_id):
        return services.meetings_propose_execute(run_id=run_id)
