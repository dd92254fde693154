"""The organisers' page for the organisation names typed for an edition: thin views over the
services and selectors, under the workspace's one access rule."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from ketenconf.workspace.access import Part, workspace_page

from . import selectors, services
from .forms import OrganisationMergeForm
from .models import Edition


@workspace_page(Part.ORGANISATIONS)
@require_GET
def proposed(request: HttpRequest, edition: Edition) -> HttpResponse:
    """The names typed for the edition that wait for a decision, each to accept or merge."""
    return render(
        request,
        "events/organise/organisations.html",
        {
            "edition": edition,
            "proposals": list(selectors.organisations_proposed(edition=edition)),
            "accepted": list(selectors.organisations_accepted().only("pk", "name")),
        },
    )


@workspace_page(Part.ORGANISATIONS)
@require_POST
def accept(request: HttpRequest, edition: Edition, pk: int) -> HttpResponse:
    try:
        organisation = services.organisation_accept(edition=edition, pk=pk)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("%(name)s is accepted and offered to visitors.") % {"name": organisation}
        )
    return redirect("events_organise:proposed", slug=edition.slug)


@workspace_page(Part.ORGANISATIONS)
@require_POST
def merge(request: HttpRequest, edition: Edition, pk: int) -> HttpResponse:
    form = OrganisationMergeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose the organisation to merge the name into."))
        return redirect("events_organise:proposed", slug=edition.slug)
    into = form.cleaned_data["into"]
    try:
        moved = services.organisation_merge(edition=edition, pk=pk, into=into)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("Merged into %(name)s; %(count)d registrations moved.")
            % {"name": into.name, "count": moved},
        )
    return redirect("events_organise:proposed", slug=edition.slug)
