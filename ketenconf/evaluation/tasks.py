"""Background tasks of the survey and report: primary keys in, a service call in the
scope of the edition, nothing else."""

from __future__ import annotations

from django_tasks import task

from ketenconf.core.tenancy import edition_scope_of

from . import services
from .models import ReportPdf


@task()
def make_report_pdf(report_id: int) -> str:
    with edition_scope_of(ReportPdf, report_id):
        return services.report_pdf_execute(report_id=report_id)
