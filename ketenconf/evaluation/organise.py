"""The organisers' conference report: a page per edition, and the same as PDF and Excel.

Who sees it is the workspace's one rule (:mod:`ketenconf.workspace.access`).
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import get_language, ngettext
from django.views.decorators.http import require_GET, require_http_methods

from ketenconf.events.models import Edition
from ketenconf.workspace.access import Part, workspace_page

from . import selectors, services
from .models import ReportPdf, ReportPdfStatus
from .report import edition_report
from .report_files import report_context, report_xlsx

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

EditionView = Callable[[HttpRequest, Edition], HttpResponse]


def _download(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_GET
@workspace_page(Part.REPORT)
def report(request: HttpRequest, edition: Edition) -> HttpResponse:
    context = report_context(edition_report(edition=edition))
    context["latest_pdf"] = _latest_pdf(edition)
    return render(request, "evaluation/report.html", context)


def _latest_pdf(edition: Edition) -> ReportPdf | None:
    return ReportPdf.objects.filter(edition=edition).order_by("-created_at", "-pk").first()


@require_http_methods(["GET", "POST"])
@workspace_page(Part.REPORT)
def pdf_start(request: HttpRequest, edition: Edition) -> HttpResponse:
    """The PDF is made by the worker: the button queues it and leads to its progress."""
    if request.method == "POST":
        report = services.report_pdf_start(
            edition=edition, language=get_language() or "nl", by=request.user
        )
        return redirect("report:pdf_status", edition.slug, report.pk)
    return render(
        request,
        "evaluation/organise_report_pdf.html",
        {"edition": edition, "report": _latest_pdf(edition)},
    )


@require_GET
@workspace_page(Part.REPORT)
def pdf_status(request: HttpRequest, edition: Edition, report_id: int) -> HttpResponse:
    context = {
        "edition": edition,
        "report": get_object_or_404(ReportPdf, edition=edition, pk=report_id),
    }
    if request.headers.get("HX-Request"):
        return render(request, "evaluation/_report_pdf_status.html", context)
    return render(request, "evaluation/organise_report_pdf.html", context)


def _pdf_file(edition: Edition, report: ReportPdf | None) -> FileResponse:
    if report is None or report.status != ReportPdfStatus.DONE:
        raise Http404
    path = services.report_pdf_path(report=report)
    if not path.exists():
        raise Http404
    response = FileResponse(
        path.open("rb"),
        as_attachment=True,
        filename=f"report-{edition.slug}.pdf",
        content_type="application/pdf",
    )
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
@workspace_page(Part.REPORT)
def pdf_file(request: HttpRequest, edition: Edition, report_id: int) -> FileResponse:
    return _pdf_file(edition, get_object_or_404(ReportPdf, edition=edition, pk=report_id))


@require_GET
@workspace_page(Part.REPORT)
def pdf(request: HttpRequest, edition: Edition) -> HttpResponseBase:
    """The address of the PDF from before it was made in the background: the newest one
    made, or the page where it is made."""
    latest = _latest_pdf(edition)
    if latest is None or latest.status != ReportPdfStatus.DONE:
        return render(
            request, "evaluation/organise_report_pdf.html", {"edition": edition, "report": latest}
        )
    return _pdf_file(edition, latest)


@require_GET
@workspace_page(Part.REPORT)
def xlsx(request: HttpRequest, edition: Edition) -> HttpResponse:
    content = report_xlsx(edition_report(edition=edition))
    return _download(content, XLSX, f"report-{edition.slug}.xlsx")


@require_http_methods(["GET", "POST"])
@workspace_page(Part.REPORT)
def survey(request: HttpRequest, edition: Edition) -> HttpResponse:
    """Who will be invited to the survey; the POST of its button sends the invitations."""
    found = selectors.survey_for_edition(edition=edition)
    problem = ""
    if request.method == "POST" and found is not None:
        try:
            count = services.survey_send_invitations(survey=found)
        except ValidationError as error:
            problem = " ".join(error.messages)
        else:
            messages.info(
                request,
                ngettext("%(count)s participant invited.", "%(count)s participants invited.", count)
                % {"count": count},
            )
            return redirect("report:survey", edition.slug)
    context: dict[str, object] = {"edition": edition, "survey": found, "problem": problem}
    if found is not None:
        context |= {
            "edition_over": timezone.localdate() > edition.end_date,
            "questions": found.questions.count(),
            "invitees": selectors.survey_invitees(survey=found).count(),
            "counts": selectors.survey_counts(survey=found),
        }
    return render(
        request, "evaluation/organise_survey.html", context, status=422 if problem else 200
    )
