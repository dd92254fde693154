"""Public market pages, the stand application and "save stand": thin views."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ketenconf.events.selectors import edition_public_get, organisation_names_suggested
from ketenconf.networking.themes import interest_label
from ketenconf.registration import access

from . import selectors, services
from .forms import ApplicationForm, StandForm
from .models import StandStatus


@require_GET
def market(request: HttpRequest, slug: str) -> HttpResponse:
    edition = edition_public_get(slug=slug)
    registration = access.session_registration(request, edition=edition)
    stands = list(selectors.market_stands(edition=edition))
    saved = selectors.saved_stand_ids(registration=registration)
    return render(
        request,
        "market/market.html",
        {
            "edition": edition,
            "groups": selectors.stands_by_theme(stands=stands),
            "plan": selectors.floor_plan(edition=edition, stands=stands, saved=saved),
            "stands": stands,
            "saved": saved,
        },
    )


@require_GET
def stand(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    edition = edition_public_get(slug=slug)
    found = selectors.market_stand_get(edition=edition, pk=pk)
    if found is None:
        raise Http404
    registration = access.session_registration(request, edition=edition)
    response = render(
        request,
        "market/stand.html",
        {
            "edition": edition,
            "stand": found,
            "themes": [interest_label(key) for key in found.themes],
            "registration": registration,
            "is_saved": found.pk in selectors.saved_stand_ids(registration=registration),
        },
    )
    if registration is not None:
        response["Cache-Control"] = "private, no-store"
    return response


@require_POST
def save(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Save or unsave a stand for the participant of this browser session."""
    edition = edition_public_get(slug=slug)
    found = selectors.market_stand_get(edition=edition, pk=pk)
    if found is None:
        raise Http404
    registration = access.session_registration(request, edition=edition)
    if registration is None:
        return redirect(reverse("registration:request_link", kwargs={"slug": slug}))
    if request.POST.get("action") == "unsave":
        services.stand_unbookmark(registration=registration, stand=found)
        messages.success(
            request, _("%(stand)s is taken off your programme.") % {"stand": found.name}
        )
    else:
        services.stand_bookmark(registration=registration, stand=found)
        messages.success(
            request, _("%(stand)s is saved to your personal programme.") % {"stand": found.name}
        )
    return redirect(reverse("market:stand", kwargs={"slug": slug, "pk": pk}))


@require_http_methods(["GET", "POST"])
def apply(request: HttpRequest, slug: str) -> HttpResponse:
    """An organisation applies for a stand; the contact person gets a personal link by mail."""
    edition = edition_public_get(slug=slug)
    form = ApplicationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            applied = services.stand_apply(
                edition=edition,
                organisation_name=data["organisation"],
                name=data["name"],
                description=data["description"],
                themes=data["themes"],
                needs_power=data["needs_power"],
                needs_large=data["needs_large"],
                other_needs=data["other_needs"],
                contact_name=data["contact_name"],
                contact_email=data["contact_email"],
                language=data["language"],
            )
        except ValidationError as error:
            for field, problems in error.message_dict.items():
                form.add_error(field if field in form.fields else None, problems)
        else:
            return render(request, "market/applied.html", {"edition": edition, "stand": applied})
    return render(
        request,
        "market/apply.html",
        {
            "edition": edition,
            "form": form,
            "organisations": organisation_names_suggested(),
        },
        status=422 if request.method == "POST" else 200,
    )


@never_cache
@require_http_methods(["GET", "POST"])
def application(request: HttpRequest, slug: str, token: str) -> HttpResponse:
    """The applicant's page, reached with the mailed link: see, change or withdraw."""
    edition = edition_public_get(slug=slug)
    try:
        current = services.stand_from_token(token=token, edition=edition)
    except services.InvalidStandLink as problem:
        return render(
            request,
            "market/link_invalid.html",
            {"edition": edition, "problem": str(problem)},
            status=400,
        )
    initial = {
        "name": current.name,
        "description": current.description,
        "themes": current.themes,
        "needs_power": current.needs_power,
        "needs_large": current.needs_large,
        "other_needs": current.other_needs,
    }
    editable = current.status in (StandStatus.APPLIED, StandStatus.ACCEPTED)
    form = StandForm(
        request.POST if request.method == "POST" and "withdraw" not in request.POST else None,
        initial=initial,
    )
    status = 200
    if request.method == "POST" and editable:
        try:
            if "withdraw" in request.POST:
                services.stand_withdraw(stand=current)
                messages.success(request, _("Your application is withdrawn."))
                return redirect(request.path)
            if form.is_valid():
                services.stand_update(stand=current, **form.cleaned_data)
                messages.success(request, _("Your application is saved."))
                return redirect(request.path)
        except ValidationError as error:
            form.add_error(None, error.messages)
        status = 422
    return render(
        request,
        "market/application.html",
        {"edition": edition, "stand": current, "form": form, "editable": editable},
        status=status,
    )
