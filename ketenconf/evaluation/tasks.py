"""Background tasks of the survey and report: primary keys in, a service call, nothing else."""

from __future__ import annotations

from django_tasks import task

from . import services


@task()
def make_report_pdf(report_id: int) -> str:
    return services.report_pdf_execute(report_id=report_id)
