"""Participant pages: register, open the personal page with a link, see and change the registration."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from ketenconf.events.models import Edition, Organisation
from ketenconf.events.selectors import edition_public_get

from . import access, links, selectors, services
from .forms import EmailForm, RegistrationForm
from .models import Registration


def _me_url(edition: Edition) -> str:
    return reverse("registration:me", kwargs={"slug": edition.slug})


@require_http_methods(["GET", "POST"])
def register(request: HttpRequest, slug: str) -> HttpResponse:
    edition = edition_public_get(slug=slug)
    form = RegistrationForm(request.POST or None)
    outcome = None
    if edition.registration_is_open and request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            outcome = services.registration_create(
                edition=edition,
                name=data["name"],
                email=data["email"],
                organisation_name=data["organisation"],
                job_title=data["job_title"],
                dietary_needs=data["dietary_needs"],
                accessibility_needs=data["accessibility_needs"],
                needs_step_free=data["needs_step_free"],
                networking_consent=data["networking_consent"],
                language=data["language"],
            )
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                form.add_error(field if field in form.fields else None, messages)
    if outcome is not None:
        registration = outcome.registration
        return render(
            request,
            "registration/registered.html",
            {
                "edition": edition,
                "registration": registration,
                "created": outcome.created,
                "position": selectors.waitlist_position(registration=registration),
            },
        )
    status = 422 if request.method == "POST" and edition.registration_is_open else 200
    return render(
        request,
        "registration/register.html",
        {
            "edition": edition,
            "form": form,
            "organisations": Organisation.objects.values_list("name", flat=True),
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
def link(request: HttpRequest, slug: str, token: str) -> HttpResponse:
    """GET shows a button and uses nothing up; the POST from the button opens the page."""
    edition = edition_public_get(slug=slug)
    try:
        if request.method == "POST":
            registration = links.access_token_consume(token=token, edition_slug=slug)
            access.session_login(request, registration=registration)
            return redirect(_me_url(edition))
        registration = links.access_token_check(token=token, edition_slug=slug)
    except links.InvalidLink as problem:
        return render(
            request,
            "registration/link_invalid.html",
            {"edition": edition, "problem": str(problem), "form": EmailForm()},
            status=400,
        )
    return render(
        request,
        "registration/link.html",
        {"edition": edition, "first_name": registration.name.split(" ")[0]},
    )


@require_http_methods(["GET", "POST"])
def request_link(request: HttpRequest, slug: str) -> HttpResponse:
    """Mail a new personal link. The answer is the same whether or not the address is known."""
    edition = edition_public_get(slug=slug)
    form = EmailForm(request.POST or None)
    sent = False
    if request.method == "POST" and form.is_valid():
        services.registration_send_link(edition=edition, email=form.cleaned_data["email"])
        sent = True
    return render(
        request, "registration/request_link.html", {"edition": edition, "form": form, "sent": sent}
    )


def _registration_or_redirect(
    request: HttpRequest, edition: Edition
) -> Registration | HttpResponseRedirect:
    registration = access.session_registration(request, edition=edition)
    if registration is None:
        return redirect(reverse("registration:request_link", kwargs={"slug": edition.slug}))
    return registration


def me(request: HttpRequest, slug: str) -> HttpResponse:
    edition = edition_public_get(slug=slug)
    registration = _registration_or_redirect(request, edition)
    if isinstance(registration, HttpResponseRedirect):
        return registration
    return render(
        request,
        "registration/me.html",
        {
            "edition": edition,
            "registration": registration,
            "position": selectors.waitlist_position(registration=registration),
        },
    )


@require_POST
def cancel(request: HttpRequest, slug: str) -> HttpResponse:
    edition = edition_public_get(slug=slug)
    registration = _registration_or_redirect(request, edition)
    if isinstance(registration, HttpResponseRedirect):
        return registration
    services.registration_cancel(registration=registration, by="participant")
    return redirect(_me_url(edition))


@require_POST
def logout(request: HttpRequest, slug: str) -> HttpResponse:
    edition = edition_public_get(slug=slug)
    access.session_logout(request, edition=edition)
    return redirect(reverse("edition", kwargs={"slug": slug}))
