"""The check-in pages: thin views over the services and selectors.

Door staff of an edition and its organisers check people in; only organisers see the live
counts and make badges in bulk: the workspace's one rule (:mod:`ketenconf.workspace.access`). The door and
room pages work without JavaScript (a form that submits on Enter, as a hardware scanner
types); with it htmx swaps in just the answer, and ``door.js`` adds the camera.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ketenconf.events.models import Edition
from ketenconf.registration import selectors as registration_selectors
from ketenconf.registration.models import Registration
from ketenconf.registration.views import ranking_page
from ketenconf.workspace.access import Part, workspace_page

from . import badges as badge_render
from . import charts, selectors, services
from .forms import (
    BatchForm,
    DoorForm,
    NonceForm,
    ScanForm,
    SearchForm,
    SettingsForm,
    WalkInForm,
    new_nonce,
)
from .models import BadgeBatch, BadgeFormat, BatchStatus

#: Editions with at most this many badges are made at once, without the worker.
INLINE_BADGES = 40


def _htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def _errors(error: ValidationError) -> list[str]:
    return [str(message) for message in error.messages]


@require_http_methods(["GET", "POST"])
@workspace_page(Part.CHECKIN)
def edition(request: HttpRequest, edition: Edition) -> HttpResponse:
    """Choose a door or a room; organisers set the rules of the day here too."""
    organiser = Part.BADGES in request.workspace.parts  # type: ignore[attr-defined]
    current = services.check_in_settings(edition=edition)
    settings_form = SettingsForm(
        initial={"allow_switching": current.allow_switching, "walk_ins": current.walk_ins}
    )
    door_form = DoorForm(request.GET or None)
    if door_form.is_valid():
        return redirect("checkin:door", slug=edition.slug, door=door_form.cleaned_data["door"])
    if request.method == "POST":
        if not organiser:
            raise PermissionDenied
        settings_form = SettingsForm(request.POST)
        if settings_form.is_valid():
            services.check_in_settings_update(edition=edition, **settings_form.cleaned_data)
            return redirect("checkin:edition", slug=edition.slug)
    return render(
        request,
        "checkin/edition.html",
        {
            "edition": edition,
            "organiser": organiser,
            "door_form": door_form,
            "settings_form": settings_form,
            "sessions": selectors.sessions_for_rooms(edition=edition),
        },
    )


def _door_context(edition: Edition, door: str, **extra: Any) -> dict[str, Any]:
    """Everything the whole door page shows (the htmx answer to a scan needs none of it)."""
    settings = services.check_in_settings(edition=edition)
    return {
        "edition": edition,
        "door": door,
        "form": ScanForm(),
        "search_form": SearchForm(),
        "walk_in_form": WalkInForm() if settings.walk_ins else None,
        "scan_url": reverse("checkin:door", kwargs={"slug": edition.slug, "door": door}),
        **extra,
    }


def _answer(request: HttpRequest, edition: Edition, answer: dict[str, Any]) -> HttpResponse:
    """With htmx, only the result of a scan and a fresh scan number: the door staff are waiting
    for it, so nothing else of the page is read or rendered."""
    return render(
        request,
        "checkin/_scan_answer.html",
        {"edition": edition, "nonce": new_nonce(), **answer},
    )


@require_http_methods(["GET", "POST"])
@workspace_page(Part.CHECKIN)
def door(request: HttpRequest, edition: Edition, door: str) -> HttpResponse:
    """The door: scan a badge (camera or hardware scanner), search by name, register a walk-in."""
    if request.method != "POST":
        return render(request, "checkin/door.html", _door_context(edition, door))
    answer: dict[str, Any] = {}
    form = ScanForm(request.POST)
    if form.is_valid():
        try:
            answer["result"] = services.checkin_scan(
                edition=edition,
                token=form.cleaned_data["token"],
                door=door,
                nonce=form.cleaned_data["nonce"],
                by=request.user,
            )
        except ValidationError as error:
            answer["problems"] = _errors(error)
    else:
        answer["problems"] = [e for errors in form.errors.values() for e in errors]
    if _htmx(request):
        return _answer(request, edition, answer)
    return render(request, "checkin/door.html", _door_context(edition, door, **answer))


@require_GET
@workspace_page(Part.CHECKIN)
def search(request: HttpRequest, edition: Edition, door: str) -> HttpResponse:
    form = SearchForm(request.GET or None)
    found = (
        selectors.registrations_search(edition=edition, query=form.cleaned_data["q"])
        if form.is_valid()
        else []
    )
    context = _door_context(edition, door, search_form=form, found=found, searched=form.is_bound)
    context["nonce_form"] = NonceForm(initial={"nonce": new_nonce()})
    if _htmx(request):
        return render(request, "checkin/_search_results.html", context)
    return render(request, "checkin/door.html", context)


@require_POST
@workspace_page(Part.CHECKIN)
def check_in_found(
    request: HttpRequest, edition: Edition, door: str, registration_id: int
) -> HttpResponse:
    registration = get_object_or_404(
        Registration.objects.filter(edition=edition), pk=registration_id
    )
    answer: dict[str, Any] = {}
    form = NonceForm(request.POST)
    if form.is_valid():
        answer["result"] = services.checkin_registration(
            edition=edition,
            registration=registration,
            door=door,
            nonce=form.cleaned_data["nonce"],
            by=request.user,
        )
    else:
        answer["problems"] = [e for errors in form.errors.values() for e in errors]
    if _htmx(request):
        # The search result's row shows the person as checked in, without the button.
        registration.checked_in = selectors.registration_checked_in(  # type: ignore[attr-defined]
            registration=registration
        )
        return _answer(request, edition, {**answer, "found": registration, "door": door})
    return render(request, "checkin/door.html", _door_context(edition, door, **answer))


@require_POST
@workspace_page(Part.CHECKIN)
def walk_in(request: HttpRequest, edition: Edition, door: str) -> HttpResponse:
    context = _door_context(edition, door)
    form = WalkInForm(request.POST)
    context["walk_in_form"] = form
    if form.is_valid():
        try:
            done = services.walk_in_register(
                edition=edition,
                name=form.cleaned_data["name"],
                email=form.cleaned_data["email"],
                organisation_name=form.cleaned_data["organisation_name"],
                door=door,
                nonce=form.cleaned_data["nonce"],
                by=request.user,
            )
        except ValidationError as error:
            for message in _errors(error):
                form.add_error(None, message)
        else:
            context["walk_in_form"] = WalkInForm()
            context["result"] = done.scan
            context["walk_in"] = done
            context["walk_in_ranks"] = (
                done.registration is not None
                and registration_selectors.ranks_for_the_day(registration=done.registration)
            )
    return render(request, "checkin/door.html", context)


@require_http_methods(["GET", "POST"])
@workspace_page(Part.CHECKIN)
def walk_in_workshops(
    request: HttpRequest, edition: Edition, door: str, registration_id: int
) -> HttpResponse:
    """The desk ranks the workshops with a walk-in (or hands them the screen): the choices the
    day's re-offer seats them by. Only for a registration without a published seat while a
    workshop round has yet to start; anyone else ranks on their own personal page."""
    registration = get_object_or_404(
        Registration.objects.filter(edition=edition).select_related("edition"),
        pk=registration_id,
    )
    if not registration_selectors.ranks_for_the_day(registration=registration):
        raise Http404
    door_url = reverse("checkin:door", kwargs={"slug": edition.slug, "door": door})

    def saved() -> HttpResponse:
        messages.success(
            request,
            _(
                "The workshop choices of %(name)s are saved: the next re-offer seats them "
                "where it can."
            )
            % {"name": registration.name},
        )
        return redirect(door_url)

    return ranking_page(
        request,
        edition=edition,
        registration=registration,
        template="checkin/walk_in_workshops.html",
        saved=saved,
        context={"door": door, "door_url": door_url},
    )


@require_http_methods(["GET", "POST"])
@workspace_page(Part.CHECKIN)
def room(request: HttpRequest, edition: Edition, session_id: int) -> HttpResponse:
    """A session's room door: is this person assigned here, and how full is the room?"""
    session = get_object_or_404(selectors.sessions_for_rooms(edition=edition), pk=session_id)
    answer: dict[str, Any] = {}
    if request.method == "POST":
        form = ScanForm(request.POST)
        if form.is_valid():
            answer["result"] = services.checkin_scan(
                edition=edition,
                token=form.cleaned_data["token"],
                door=session.room.name,
                nonce=form.cleaned_data["nonce"],
                by=request.user,
                session=session,
            )
        else:
            answer["problems"] = [e for errors in form.errors.values() for e in errors]
    answer["occupancy"] = selectors.session_occupancy(session=session)
    if request.method == "POST" and _htmx(request):
        return _answer(request, edition, answer)
    context = {
        "edition": edition,
        "session": session,
        "form": ScanForm(),
        "scan_url": reverse(
            "checkin:room", kwargs={"slug": edition.slug, "session_id": session.pk}
        ),
        "switching": services.check_in_settings(edition=edition).allow_switching,
        **answer,
    }
    return render(request, "checkin/room.html", context)


@require_GET
@workspace_page(Part.BADGES)
def dashboard(request: HttpRequest, edition: Edition) -> HttpResponse:
    """Live counts; htmx asks for the figures again every few seconds."""
    figures = selectors.checkin_dashboard(edition=edition)
    context = {
        "edition": edition,
        "figures": figures,
        "chart": charts.arrivals_chart(buckets=figures.buckets),
    }
    if _htmx(request):
        return render(request, "checkin/_dashboard_figures.html", context)
    return render(request, "checkin/dashboard.html", context)


@require_http_methods(["GET", "POST"])
@workspace_page(Part.BADGES)
def badges(request: HttpRequest, edition: Edition) -> HttpResponse:
    """Make all badges as one PDF (the worker, or at once for a small edition); reprint one."""
    form = BatchForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        batch = services.badge_batch_start(
            edition=edition, format=form.cleaned_data["format"], by=request.user
        )
        if batch.total <= INLINE_BADGES:
            services.badge_batch_execute(batch_id=batch.pk)
        return redirect("checkin:batch", slug=edition.slug, batch_id=batch.pk)
    search = SearchForm(request.GET or None)
    found = (
        selectors.registrations_search(edition=edition, query=search.cleaned_data["q"])
        if search.is_valid()
        else []
    )
    return render(
        request,
        "checkin/badges.html",
        {
            "edition": edition,
            "form": form,
            "search_form": search,
            "found": found,
            "searched": search.is_bound,
            "batches": selectors.latest_batches(edition=edition),
            "count": len(badge_render.badge_registrations(edition=edition)),
        },
    )


def _batch(edition: Edition, batch_id: int) -> BadgeBatch:
    return get_object_or_404(BadgeBatch.objects.filter(edition=edition), pk=batch_id)


@require_GET
@workspace_page(Part.BADGES)
def batch(request: HttpRequest, edition: Edition, batch_id: int) -> HttpResponse:
    context = {"edition": edition, "batch": _batch(edition, batch_id)}
    if _htmx(request):
        return render(request, "checkin/_batch_status.html", context)
    return render(request, "checkin/batch.html", context)


@require_GET
@workspace_page(Part.BADGES)
def batch_pdf(request: HttpRequest, edition: Edition, batch_id: int) -> FileResponse:
    found = _batch(edition, batch_id)
    path = Path(found.file) if found.file else None
    if found.status != BatchStatus.DONE or path is None or not path.is_file():
        raise Http404
    return FileResponse(
        path.open("rb"),
        content_type="application/pdf",
        filename=f"badges-{edition.slug}-{found.format}.pdf",
    )


@require_GET
@workspace_page(Part.CHECKIN)
def badge(request: HttpRequest, edition: Edition, registration_id: int) -> HttpResponse:
    """One badge as PDF: a reprint at the desk or from the back-office."""
    registration = get_object_or_404(
        Registration.objects.filter(edition=edition, anonymised_at__isnull=True).select_related(
            "organisation", "edition__venue", "badge"
        ),
        pk=registration_id,
    )
    format = request.GET.get("format", BadgeFormat.A6)
    if format not in BadgeFormat.values:
        raise Http404
    pdf = badge_render.badge_pdf(registration=registration, format=format)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="badge-{registration.pk}.pdf"'
    return response


@require_POST
@workspace_page(Part.BADGES)
def badge_replace(request: HttpRequest, edition: Edition, registration_id: int) -> HttpResponse:
    """A lost badge: stop it and print the new one."""
    registration = get_object_or_404(
        Registration.objects.filter(edition=edition), pk=registration_id
    )
    services.badge_replace(registration=registration)
    return redirect("checkin:badge", slug=edition.slug, registration_id=registration.pk)
