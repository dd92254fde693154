"""The organisers' assignment pages: thin views over the services and selectors.

Who sees them is the workspace's one rule (:mod:`ketenconf.workspace.access`).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ketenconf.core import charts
from ketenconf.events.models import Edition
from ketenconf.workspace.access import Part, workspace_page

from . import selectors, services
from .forms import MoveForm, RunForm, SearchForm
from .models import AssignmentLock, AssignmentRun, RunStatus

EditionView = Callable[..., HttpResponse]


def _run(edition: Edition, run_id: int) -> AssignmentRun:
    run = selectors.run_get(edition=edition, pk=run_id)
    if run is None:
        raise Http404
    return run


def _edition_url(edition: Edition) -> str:
    return reverse("allocation:edition", kwargs={"slug": edition.slug})


def _run_url(edition: Edition, run: AssignmentRun) -> str:
    return reverse("allocation:run", kwargs={"slug": edition.slug, "run_id": run.pk})


def _errors(error: ValidationError) -> list[str]:
    return [str(message) for message in error.messages]


@require_http_methods(["GET", "POST"])
@workspace_page(Part.ASSIGNMENT)
def edition(request: HttpRequest, edition: Edition) -> HttpResponse:
    """Start a run; see the runs, the published one and the locked seats."""
    form = RunForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            run = services.assignment_run_start(
                edition=edition,
                by=request.user,
                time_limit=form.cleaned_data["time_limit"],
                seed=form.cleaned_data["seed"],
                max_organisation_share=form.max_organisation_share(),
            )
        except ValidationError as error:
            for message in _errors(error):
                form.add_error(None, message)
        else:
            return redirect(_run_url(edition, run))
    return render(
        request,
        "allocation/edition.html",
        {
            "edition": edition,
            "form": form,
            "runs": selectors.runs_for_edition(edition=edition),
            "published": selectors.published_run(edition=edition),
            "locks": selectors.locks_for_edition(edition=edition),
        },
    )


def _rank_chart(report: selectors.RunReport) -> charts.BarChart:
    values = [(row.label, row.count) for row in report.ranks]
    return charts.bar_chart(
        title=_("Seats by choice"),
        description=", ".join(
            _("%(label)s: %(count)s") % {"label": label, "count": count} for label, count in values
        ),
        values=values,
    )


@require_GET
@workspace_page(Part.ASSIGNMENT)
def run(request: HttpRequest, edition: Edition, run_id: int) -> HttpResponse:
    """A run: its status, figures, chart, sessions and participants (searchable)."""
    current = _run(edition, run_id)
    search = SearchForm(request.GET or None)
    query = search.cleaned_data["q"] if search.is_valid() else ""
    context: dict[str, Any] = {
        "edition": edition,
        "run": current,
        "search": search,
        "query": query,
        "published": selectors.published_run(edition=edition),
    }
    if current.status == RunStatus.FAILED:
        context["problems"] = selectors.run_problems(run=current)
    if current.status == RunStatus.DONE and request.headers.get("HX-Request") != "true":
        report = selectors.run_report(run=current)
        page, rows, rounds = selectors.run_participants(
            run=current, query=query, page=request.GET.get("page", 1)
        )
        context.update(
            report=report, chart=_rank_chart(report), page=page, rows=rows, rounds=rounds
        )
    if request.headers.get("HX-Request") == "true":
        return render(request, "allocation/_run_status.html", context)
    return render(request, "allocation/run.html", context)


@require_http_methods(["GET", "POST"])
@workspace_page(Part.ASSIGNMENT)
def participant(
    request: HttpRequest, edition: Edition, run_id: int, registration_id: int
) -> HttpResponse:
    """Move a participant to other sessions in this run, and lock the seats for later runs."""
    current = _run(edition, run_id)
    registration = selectors.registration_in_run(run=current, pk=registration_id)
    if registration is None or current.status != RunStatus.DONE:
        raise Http404
    rounds = selectors.participant_round_choices(run=current, registration=registration)
    form = MoveForm(request.POST or None, rounds=rounds)
    if request.method == "POST" and form.is_valid():
        try:
            services.assignment_move(
                run=current,
                registration=registration,
                seats=form.seats(),
                lock=form.cleaned_data["lock"],
                by=request.user,
            )
        except ValidationError as error:
            for message in _errors(error):
                form.add_error(None, message)
        else:
            messages.success(
                request,
                _("The seats of %(name)s are changed.") % {"name": registration.name},
            )
            return redirect(_run_url(edition, current))
    return render(
        request,
        "allocation/participant.html",
        {
            "edition": edition,
            "run": current,
            "registration": registration,
            "form": form,
            "rounds": rounds,
        },
    )


@require_http_methods(["GET", "POST"])
@workspace_page(Part.ASSIGNMENT)
def publish(request: HttpRequest, edition: Edition, run_id: int) -> HttpResponse:
    """Confirm, then publish: participants see their programme and get it by mail."""
    current = _run(edition, run_id)
    error = None
    if request.method == "POST":
        try:
            mailed = services.assignment_run_publish(run=current, by=request.user)
        except ValidationError as invalid:
            error = " ".join(_errors(invalid))
        else:
            messages.success(
                request,
                _("Published. %(count)s participants are mailed their personal programme.")
                % {"count": mailed},
            )
            return redirect(_run_url(edition, current))
    if current.status != RunStatus.DONE:
        raise Http404
    return render(
        request,
        "allocation/publish.html",
        {
            "edition": edition,
            "run": current,
            "preview": selectors.publish_preview(run=current),
            "report": selectors.run_report(run=current),
            "error": error,
        },
    )


@require_POST
@workspace_page(Part.ASSIGNMENT)
def unlock(request: HttpRequest, edition: Edition, lock_id: int) -> HttpResponse:
    lock = get_object_or_404(AssignmentLock.objects.filter(edition=edition), pk=lock_id)
    services.assignment_unlock(lock=lock)
    messages.success(request, _("The seat is no longer locked."))
    return redirect(_edition_url(edition))


@require_GET
@workspace_page(Part.ASSIGNMENT)
def download(request: HttpRequest, edition: Edition, run_id: int, part: str) -> HttpResponse:
    """The run's input or output as JSON, for ``ketenconf assign`` and for the record."""
    if part not in ("input", "output"):
        raise Http404
    current = _run(edition, run_id)
    data = current.problem if part == "input" else current.result
    if data is None:
        raise Http404
    response = HttpResponse(
        json.dumps(data, indent=2, ensure_ascii=False), content_type="application/json"
    )
    response["Content-Disposition"] = (
        f'attachment; filename="{edition.slug}-run-{current.pk}-{part}.json"'
    )
    return response
