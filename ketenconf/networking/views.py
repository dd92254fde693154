"""Participant pages for networking: thin views over the services and selectors.

Every view acts for the registration this browser session opened with a personal link
(``registration.access.session_registration``); without one it sends the visitor to the page
that mails a new link. The pages are never cached.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from ketenconf.events.models import Edition
from ketenconf.events.selectors import edition_public_get
from ketenconf.registration import access
from ketenconf.registration.models import Registration

from . import selectors, services
from .forms import AnswerForm, AskForm, ProfileForm, SearchForm
from .models import MeetingRequest
from .themes import interest_label


def _personal(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @wraps(view)
    def wrapper(request: HttpRequest, slug: str, **kwargs: Any) -> HttpResponse:
        edition = edition_public_get(slug=slug)
        registration = access.session_registration(request, edition=edition)
        if registration is None:
            return redirect(reverse("registration:request_link", kwargs={"slug": slug}))
        return view(request, edition, registration, **kwargs)

    return never_cache(wrapper)


def _overview_url(edition: Edition) -> str:
    return reverse("networking:overview", kwargs={"slug": edition.slug})


def _problems(error: ValidationError) -> str:
    return " ".join(str(message) for message in error.messages)


@require_http_methods(["GET"])
@_personal
def overview(request: HttpRequest, edition: Edition, registration: Registration) -> HttpResponse:
    profile = selectors.profile_for(registration=registration)
    meetings = selectors.meetings_for(registration=registration)
    rows = [
        {
            "meeting": meeting,
            "other": meeting.other(registration),
            "answer": meeting.answer_of(registration),
            "shared": [interest_label(key) for key in meeting.shared_interests],
        }
        for meeting in meetings
    ]
    return render(
        request,
        "networking/overview.html",
        {
            "edition": edition,
            "registration": registration,
            "takes_part": selectors.registration_in_networking(registration=registration),
            "interests": [interest_label(key) for key in profile.interests] if profile else [],
            "wanted_kinds": profile.wanted_kinds if profile else [],
            "rows": rows,
            "received": selectors.requests_received(registration=registration),
            "made": selectors.requests_made(registration=registration),
        },
    )


@require_http_methods(["GET", "POST"])
@_personal
def interests(request: HttpRequest, edition: Edition, registration: Registration) -> HttpResponse:
    profile = selectors.profile_for(registration=registration)
    initial = ProfileForm.initial_for(
        profile.interests if profile else [], profile.wanted_kinds if profile else []
    )
    form = ProfileForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.networking_set_profile(
                registration=registration,
                interests=form.interests(),
                wanted_kinds=form.cleaned_data["wanted_kinds"],
            )
        except ValidationError as error:
            form.add_error(None, _problems(error))
        else:
            messages.success(request, _("Your networking interests are saved."))
            return redirect(_overview_url(edition))
    return render(
        request,
        "networking/interests.html",
        {"edition": edition, "registration": registration, "form": form},
        status=422 if request.method == "POST" else 200,
    )


@require_http_methods(["GET"])
@_personal
def people(request: HttpRequest, edition: Edition, registration: Registration) -> HttpResponse:
    """Find a participant to ask for a meeting: only those who consented to networking."""
    form = SearchForm(request.GET or None)
    found = None
    if form.is_valid() and form.cleaned_data["q"]:
        found = selectors.people_search(registration=registration, query=form.cleaned_data["q"])
    return render(
        request,
        "networking/people.html",
        {
            "edition": edition,
            "registration": registration,
            "takes_part": selectors.registration_in_networking(registration=registration),
            "form": form,
            "found": found,
            "limit": selectors.SEARCH_LIMIT,
        },
    )


@require_POST
@_personal
def ask(request: HttpRequest, edition: Edition, registration: Registration) -> HttpResponse:
    form = AskForm(request.POST)
    if not form.is_valid():
        raise Http404
    target = (
        selectors.networking_participants(edition=edition)
        .filter(pk=form.cleaned_data["target"])
        .first()
    )
    if target is None:
        raise Http404
    try:
        services.meeting_request_create(requester=registration, target=target)
    except ValidationError as error:
        messages.error(request, _problems(error))
    else:
        messages.success(
            request,
            _("%(name)s is asked for a meeting. You see the answer here.") % {"name": target.name},
        )
    return redirect(_overview_url(edition))


@require_POST
@_personal
def answer_request(
    request: HttpRequest, edition: Edition, registration: Registration, pk: int
) -> HttpResponse:
    form = AnswerForm(request.POST)
    meeting_request = MeetingRequest.objects.filter(pk=pk, target=registration).first()
    if meeting_request is None or not form.is_valid():
        raise Http404
    accept = form.cleaned_data["answer"] == "accept"
    try:
        services.meeting_request_answer(request=meeting_request, by=registration, accept=accept)
    except ValidationError as error:
        messages.error(request, _problems(error))
    else:
        messages.success(
            request,
            _("You accepted. The organisers place your meeting at a table in a networking slot.")
            if accept
            else _("You declined the request."),
        )
    return redirect(_overview_url(edition))


@require_POST
@_personal
def answer_meeting(
    request: HttpRequest, edition: Edition, registration: Registration, pk: int
) -> HttpResponse:
    form = AnswerForm(request.POST)
    meeting = selectors.meeting_for(registration=registration, pk=pk)
    if meeting is None or not form.is_valid():
        raise Http404
    accept = form.cleaned_data["answer"] == "accept"
    try:
        services.meeting_answer(meeting=meeting, registration=registration, accept=accept)
    except ValidationError as error:
        messages.error(request, _problems(error))
    else:
        other = meeting.other(registration)
        messages.success(
            request,
            (
                _("You accepted the meeting with %(name)s.")
                if accept
                else _("You declined the meeting with %(name)s; the place goes to someone else.")
            )
            % {"name": other.name},
        )
    return redirect(_overview_url(edition))
