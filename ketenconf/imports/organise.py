"""The organisers' import pages: thin views over the services and selectors.

Only staff who may edit the edition (``editions_editable_by``) see them; for anyone else the
edition is not found (404), so its existence is not given away.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from ketenconf.events.models import Edition
from ketenconf.workspace.access import Part, workspace_page

from . import selectors, services
from .forms import MappingForm, UploadForm
from .models import ImportJob, ImportStatus


def _job(edition: Edition, job_id: int) -> ImportJob:
    job = selectors.import_job_get(edition=edition, pk=job_id)
    if job is None:
        raise Http404
    return job


def _job_url(job: ImportJob) -> str:
    return reverse("imports:job", kwargs={"slug": job.edition.slug, "job_id": job.pk})


def _errors(error: ValidationError) -> list[str]:
    return [str(message) for message in error.messages]


@workspace_page(Part.IMPORTS)
@require_http_methods(["GET", "POST"])
def new(request: HttpRequest, edition: Edition) -> HttpResponse:
    """Upload a file; earlier imports of the edition below."""
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            job = services.import_job_create(
                edition=edition,
                kind=form.cleaned_data["kind"],
                filename=upload.name or "",
                content=upload.read(),
                by=request.user,
            )
        except ValidationError as error:
            for field, problems in error.message_dict.items():
                form.add_error(field if field in form.fields else None, problems)
        else:
            return redirect(_job_url(job))
    return render(
        request,
        "imports/new.html",
        {
            "edition": edition,
            "form": form,
            "jobs": selectors.import_jobs_for_edition(edition=edition)[:20],
        },
        status=422 if request.method == "POST" else 200,
    )


@workspace_page(Part.IMPORTS)
@require_http_methods(["GET", "POST"])
def job(request: HttpRequest, edition: Edition, job_id: int) -> HttpResponse:
    """Map the columns and check; watch a check or an import under way; read its outcome."""
    current = _job(edition, job_id)
    context: dict[str, object] = {
        "edition": edition,
        "job": current,
        "progress": selectors.import_progress(job=current),
    }
    if request.headers.get("HX-Request") == "true":
        return render(request, "imports/_status.html", context)
    mappable = current.status not in (
        ImportStatus.QUEUED,
        ImportStatus.RUNNING,
        ImportStatus.DONE,
        ImportStatus.EXPIRED,
    )
    if mappable:
        form = MappingForm(
            request.POST or None,
            kind=current.kind,
            columns=selectors.import_columns(job=current),
            initial={"notify": current.notify},
        )
        if request.method == "POST" and form.is_valid():
            try:
                services.import_job_map(
                    job=current,
                    mapping=form.mapping(),
                    notify=form.cleaned_data.get("notify", False),
                )
                services.import_job_start(job=current, commit=False)
            except ValidationError as error:
                for message in _errors(error):
                    form.add_error(None, message)
            else:
                return redirect(_job_url(current))
        context["form"] = form
    elif request.method == "POST":
        return redirect(_job_url(current))
    return render(
        request,
        "imports/job.html",
        context,
        status=422 if request.method == "POST" else 200,
    )


@workspace_page(Part.IMPORTS)
@require_POST
def run(request: HttpRequest, edition: Edition, job_id: int) -> HttpResponse:
    """Import a checked file, all rows or none."""
    current = _job(edition, job_id)
    if current.status != ImportStatus.CHECKED:
        messages.error(request, _("Check the file first; import it when the check has no errors."))
        return redirect(_job_url(current))
    try:
        services.import_job_start(job=current, commit=True)
    except ValidationError as error:
        for message in _errors(error):
            messages.error(request, message)
    return redirect(_job_url(current))
