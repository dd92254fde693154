"""The organisers' conference report: a page per edition, and the same as PDF and Excel.

Only staff who may edit the edition (``editions_editable_by``) see it; for anyone else an
edition is not found (404), so its existence is not given away.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.contrib.admin.views.decorators import staff_member_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from ketenconf.events.models import Edition
from ketenconf.events.permissions import editions_editable_by

from .report import edition_report
from .report_files import report_context, report_pdf, report_xlsx

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

EditionView = Callable[[HttpRequest, Edition], HttpResponse]


def _organiser(view: EditionView) -> Callable[..., HttpResponse]:
    """Staff only (others go to the login page); the edition must be one the user may edit."""

    @staff_member_required
    @require_GET
    @wraps(view)
    def wrapper(request: HttpRequest, slug: str) -> HttpResponse:
        edition = get_object_or_404(editions_editable_by(user=request.user), slug=slug)
        return view(request, edition)

    return wrapper


def _download(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@staff_member_required
@require_GET
def editions(request: HttpRequest) -> HttpResponse:
    """The editions this organiser may read the report of."""
    return render(
        request,
        "evaluation/report_editions.html",
        {"editions": editions_editable_by(user=request.user).order_by("-start_date", "pk")},
    )


@_organiser
def report(request: HttpRequest, edition: Edition) -> HttpResponse:
    return render(
        request, "evaluation/report.html", report_context(edition_report(edition=edition))
    )


@_organiser
def pdf(request: HttpRequest, edition: Edition) -> HttpResponse:
    content = report_pdf(edition_report(edition=edition))
    return _download(content, "application/pdf", f"report-{edition.slug}.pdf")


@_organiser
def xlsx(request: HttpRequest, edition: Edition) -> HttpResponse:
    content = report_xlsx(edition_report(edition=edition))
    return _download(content, XLSX, f"report-{edition.slug}.xlsx")
