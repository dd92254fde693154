"""The organisers' conference report: a page per edition, and the same as PDF and Excel.

Who sees it is the workspace's one rule (:mod:`ketenconf.workspace.access`).
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from ketenconf.events.models import Edition
from ketenconf.workspace.access import Part, workspace_page

from .report import edition_report
from .report_files import report_context, report_pdf, report_xlsx

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

EditionView = Callable[[HttpRequest, Edition], HttpResponse]


def _download(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_GET
@workspace_page(Part.REPORT)
def report(request: HttpRequest, edition: Edition) -> HttpResponse:
    return render(
        request, "evaluation/report.html", report_context(edition_report(edition=edition))
    )


@require_GET
@workspace_page(Part.REPORT)
def pdf(request: HttpRequest, edition: Edition) -> HttpResponse:
    content = report_pdf(edition_report(edition=edition))
    return _download(content, "application/pdf", f"report-{edition.slug}.pdf")


@require_GET
@workspace_page(Part.REPORT)
def xlsx(request: HttpRequest, edition: Edition) -> HttpResponse:
    content = report_xlsx(edition_report(edition=edition))
    return _download(content, XLSX, f"report-{edition.slug}.xlsx")
