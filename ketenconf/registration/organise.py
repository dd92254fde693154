"""The registrations of an edition in the workspace: /organise/<edition>/registrations/.

The list with search, filters and the waiting list in its order, a participant's page with
the changes of status (each asks first), and adding a participant by hand. Every change goes
through :mod:`.services`; who sees it is the workspace's one rule.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from ketenconf.events.models import Edition
from ketenconf.events.selectors import organisation_names_suggested
from ketenconf.questions import selectors as question_selectors
from ketenconf.workspace.access import Part, workspace_page

from . import selectors, services
from .forms import RegistrationForm, registration_create_arguments
from .models import RegistrationStatus

PAGE_SIZE = 50


class ListForm(forms.Form):
    q = forms.CharField(label=gettext_lazy("Search"), required=False, max_length=100)
    listed = forms.ChoiceField(
        label=gettext_lazy("Show"),
        required=False,
        choices=[
            (selectors.Listed.ALL, gettext_lazy("everyone")),
            (selectors.Listed.REGISTERED, gettext_lazy("registered")),
            (selectors.Listed.UNCONFIRMED, gettext_lazy("email not confirmed")),
            (selectors.Listed.WAITLISTED, gettext_lazy("the waiting list, in order")),
            (selectors.Listed.ENDED, gettext_lazy("cancelled or released")),
        ],
    )


class AddForm(RegistrationForm):
    """An organiser adds a participant: the fields of the public registration page."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].help_text = _(
            "Choose from the list or type the name of the organisation."
        )
        self.fields["needs_step_free"].label = _("Needs rooms with step-free access")
        self.fields["networking_consent"].label = _(
            "Other participants may see the name, organisation and job title"
        )


#: The changes of status an organiser makes, with the question and the button of each.
CHANGES = {
    RegistrationStatus.REGISTERED: (
        gettext_lazy("Give %(name)s a seat?"),
        gettext_lazy("Give a seat"),
    ),
    RegistrationStatus.WAITLISTED: (
        gettext_lazy("Put %(name)s on the waiting list?"),
        gettext_lazy("Put on the waiting list"),
    ),
    RegistrationStatus.CANCELLED: (
        gettext_lazy("Cancel the registration of %(name)s?"),
        gettext_lazy("Cancel the registration"),
    ),
}


def _list_url(edition: Edition) -> str:
    return reverse("registrations:list", args=[edition.slug])


@require_safe
@workspace_page(Part.REGISTRATIONS)
def registration_list(request: HttpRequest, edition: Edition) -> HttpResponse:
    form = ListForm(request.GET)
    search, listed = "", selectors.Listed.ALL.value
    if form.is_valid():
        search = form.cleaned_data["q"]
        listed = form.cleaned_data["listed"] or listed
    rows = selectors.registrations_for_organisers(edition=edition, search=search, listed=listed)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    kept = request.GET.copy()
    kept.pop("page", None)
    return render(
        request,
        "registration/organise/list.html",
        {
            "edition": edition,
            "form": form,
            "page": page,
            "waiting_list": listed == selectors.Listed.WAITLISTED,
            "query": kept.urlencode(),
        },
    )


@require_http_methods(["GET", "POST"])
@workspace_page(Part.REGISTRATIONS)
def registration_add(request: HttpRequest, edition: Edition) -> HttpResponse:
    form = AddForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            outcome = services.registration_create(
                edition=edition,
                even_if_closed=True,
                **registration_create_arguments(form.cleaned_data),
            )
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            registration = outcome.registration
            values = {"name": registration.name, "status": registration.get_status_display()}
            if outcome.created:
                message = _("%(name)s is added: %(status)s.") % values
            else:
                message = (
                    _(
                        "%(name)s was registered already (%(status)s); the personal link is mailed again."
                    )
                    % values
                )
            messages.info(request, message)
            return redirect("registrations:detail", edition.slug, registration.pk)
    return render(
        request,
        "registration/organise/add.html",
        {
            "edition": edition,
            "form": form,
            "organisations": organisation_names_suggested(),
        },
        status=422 if request.method == "POST" else 200,
    )


@require_safe
@workspace_page(Part.REGISTRATIONS)
def registration_detail(request: HttpRequest, edition: Edition, pk: int) -> HttpResponse:
    registration = selectors.registration_for_organisers(edition=edition, pk=pk)
    changes = [
        (status, label)
        for status, (_question, label) in CHANGES.items()
        if status != registration.status
        and not (status == RegistrationStatus.CANCELLED and not registration.is_active)
    ]
    return render(
        request,
        "registration/organise/detail.html",
        {
            "edition": edition,
            "registration": registration,
            "changes": changes,
            "waitlist_position": selectors.waitlist_position(registration=registration),
            "preferences": list(registration.preferences.all()),
            "answers": question_selectors.registration_answer_rows(
                registration=registration, language=get_language() or "nl"
            ),
        },
    )


@require_http_methods(["GET", "POST"])
@workspace_page(Part.REGISTRATIONS)
def registration_status(
    request: HttpRequest, edition: Edition, pk: int, status: str
) -> HttpResponse:
    """Asks first (GET), then changes the status (POST) through ``registration_set_status``."""
    if status not in CHANGES:
        raise Http404
    registration = selectors.registration_for_organisers(edition=edition, pk=pk)
    question, button = CHANGES[RegistrationStatus(status)]
    detail_url = reverse("registrations:detail", args=[edition.slug, registration.pk])
    problem = ""
    if request.method == "POST":
        try:
            promoted = services.registration_set_status(
                registration=registration, status=status, by="organiser"
            )
        except ValidationError as error:
            problem = " ".join(error.messages)
        else:
            registration.refresh_from_db(fields=["status"])
            messages.info(
                request,
                _("%(name)s: %(status)s.")
                % {"name": registration.name, "status": registration.get_status_display()},
            )
            if promoted:
                messages.info(
                    request,
                    _("Seats went to the waiting list: %(names)s.")
                    % {"names": ", ".join(r.name for r in promoted)},
                )
            return redirect(detail_url)
    return render(
        request,
        "registration/organise/status.html",
        {
            "edition": edition,
            "registration": registration,
            "question": question % {"name": registration.name},
            "button": button,
            "cancel": status == RegistrationStatus.CANCELLED,
            "detail_url": detail_url,
            "problem": problem,
        },
        status=422 if problem else 200,
    )
