"""The organisers' downloads: the programme, the participants and the assignment of an edition
as spreadsheets. Who sees them is the workspace's one rule (:mod:`ketenconf.workspace.access`)."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from ketenconf.allocation.models import AssignmentRun
from ketenconf.allocation.selectors import published_run
from ketenconf.events.models import Edition
from ketenconf.workspace.access import Part, workspace_page

from .registry import table_exporter_get, table_exporters
from .tables import NothingToExport, TableExporter


def table_response(
    exporter: TableExporter, edition: Edition, *, run: AssignmentRun | None = None
) -> HttpResponse:
    """The file as a download; ``NothingToExport`` passes up to the caller."""
    filename = exporter.filename(edition, run=run)
    response = HttpResponse(exporter.render(edition, run=run), content_type=exporter.content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


@workspace_page(Part.EXPORTS)
@require_safe
def edition_tables(request: HttpRequest, edition: Edition) -> HttpResponse:
    """Every spreadsheet of the edition, and the way to the imports."""
    return render(
        request,
        "exports/organise.html",
        {
            "edition": edition,
            "exporters": [e for e in table_exporters() if not e.of_a_run],
            "run_exporters": [e for e in table_exporters() if e.of_a_run],
            "published": published_run(edition=edition),
        },
    )


@workspace_page(Part.EXPORTS)
@require_safe
def table_download(request: HttpRequest, edition: Edition, identifier: str) -> HttpResponse:
    """One spreadsheet; the assignment of the published run, or of ``?run=<number>`` (the
    run's number in the edition, as the pages call it)."""
    exporter = table_exporter_get(identifier)
    if exporter is None:
        raise Http404
    run = None
    if exporter.of_a_run and request.GET.get("run"):
        number = request.GET["run"]
        if not number.isdigit():
            raise Http404
        run = get_object_or_404(AssignmentRun, edition=edition, number=int(number))
    try:
        return table_response(exporter, edition, run=run)
    except NothingToExport as nothing:
        raise Http404(str(nothing)) from nothing
