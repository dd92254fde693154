"""Public pages of the call for sessions, under /<edition>/call/: thin views over the services.

A host acts through the personal link mailed to them (``access.session_hosts``); no URL
alone gives access to a proposal. Pages that show a proposal are never cached.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from ketenconf.events.models import Edition
from ketenconf.events.selectors import edition_public_get, organisation_names_suggested
from ketenconf.registration import access as registration_access

from . import access, links, selectors, services
from .forms import EmailForm, InterestForm, InviteForm, ProposalForm, SubmitForm, host_language
from .models import InterestVote, ProposalStatus


def _add_errors(form: object, error: ValidationError) -> None:
    add = form.add_error  # type: ignore[attr-defined]
    fields = form.fields  # type: ignore[attr-defined]
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            target = {"name": "host_name", "email": "host_email"}.get(field, field)
            add(target if target in fields else None, errors)
    else:
        for message in error.messages:
            add(None, message)


def _organisations() -> list[str]:
    return list(organisation_names_suggested())


@require_http_methods(["GET", "POST"])
def call(request: HttpRequest, slug: str) -> HttpResponse:
    """The call, and the form to propose a session while it is open."""
    edition = edition_public_get(slug=slug)
    current = selectors.call_for_edition(edition=edition)
    rounds = selectors.round_blocks(edition=edition)
    form = SubmitForm(request.POST or None, rounds=rounds)
    if current is not None and current.is_open and request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            proposal = services.proposal_submit(
                call=current,
                host_name=data["host_name"],
                host_email=data["host_email"],
                host_organisation_name=data["host_organisation"],
                host_language=host_language(),
                available_round_ids=form.round_ids(),
                **form.proposal_fields(),
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            host = proposal.hosts.get()
            return render(
                request,
                "proposals/submitted.html",
                {"edition": edition, "proposal": proposal, "host": host},
            )
    status = 422 if request.method == "POST" else 200
    return render(
        request,
        "proposals/call.html",
        {"edition": edition, "call": current, "form": form, "organisations": _organisations()},
        status=status,
    )


@require_http_methods(["GET", "POST"])
def link(request: HttpRequest, slug: str, token: str) -> HttpResponse:
    """GET shows a button and uses nothing up; the POST from the button opens the proposal."""
    edition = edition_public_get(slug=slug)
    try:
        if request.method == "POST":
            host = links.host_token_consume(token=token, edition_slug=slug)
            access.session_login(request, host=host)
            return redirect(_proposal_url(edition, host.proposal_id))
        host = links.host_token_check(token=token, edition_slug=slug)
    except links.InvalidLink as problem:
        return render(
            request,
            "proposals/link_invalid.html",
            {"edition": edition, "problem": str(problem), "form": EmailForm()},
            status=400,
        )
    return render(request, "proposals/link.html", {"edition": edition, "host": host})


@require_http_methods(["GET", "POST"])
def request_link(request: HttpRequest, slug: str) -> HttpResponse:
    """Mail new links; the answer is the same whether or not the address hosts anything."""
    edition = edition_public_get(slug=slug)
    current = selectors.call_for_edition(edition=edition)
    if current is None:
        raise Http404
    form = EmailForm(request.POST or None)
    sent = False
    if request.method == "POST" and form.is_valid():
        services.host_send_links(call=current, email=form.cleaned_data["email"])
        sent = True
    return render(
        request, "proposals/request_link.html", {"edition": edition, "form": form, "sent": sent}
    )


def _proposal_url(edition: Edition, pk: int) -> str:
    return reverse("proposals:proposal", kwargs={"slug": edition.slug, "pk": pk})


@never_cache
@require_http_methods(["GET"])
def mine(request: HttpRequest, slug: str) -> HttpResponse:
    edition = edition_public_get(slug=slug)
    hosts = access.session_hosts(request, edition=edition)
    return render(
        request,
        "proposals/mine.html",
        {"edition": edition, "proposals": selectors.proposals_for_hosts(hosts=hosts)},
    )


@never_cache
@require_http_methods(["GET", "POST"])
def proposal(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """A host's proposal: change it until the deadline, see its hosts, invite a co-host."""
    edition = edition_public_get(slug=slug)
    found = selectors.proposal_for_host(hosts=access.session_hosts(request, edition=edition), pk=pk)
    if found is None:
        return redirect(reverse("proposals:request_link", kwargs={"slug": edition.slug}))
    item, host = found
    editable = item.call.is_open and item.status == ProposalStatus.SUBMITTED
    rounds = selectors.round_blocks(edition=edition)
    form = ProposalForm(request.POST or None, rounds=rounds, initial=ProposalForm.initial_for(item))
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.proposal_update(
                    proposal=item,
                    by_host=host,
                    available_round_ids=form.round_ids(),
                    **form.proposal_fields(),
                )
            except ValidationError as error:
                _add_errors(form, error)
            else:
                messages.success(request, _("Your proposal is saved."))
                return redirect(_proposal_url(edition, item.pk))
        status = 422
    return render(
        request,
        "proposals/proposal.html",
        {
            "edition": edition,
            "proposal": item,
            "form": form,
            "invite_form": InviteForm(),
            "editable": editable,
            "organisations": _organisations(),
        },
        status=status,
    )


@never_cache
@require_POST
def invite(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    edition = edition_public_get(slug=slug)
    found = selectors.proposal_for_host(hosts=access.session_hosts(request, edition=edition), pk=pk)
    if found is None:
        return redirect(reverse("proposals:request_link", kwargs={"slug": edition.slug}))
    item, host = found
    form = InviteForm(request.POST)
    if form.is_valid():
        try:
            invited = services.proposal_host_invite(
                proposal=item,
                by_host=host,
                name=form.cleaned_data["name"],
                email=form.cleaned_data["email"],
                organisation_name=form.cleaned_data["organisation"],
                language=host.language,
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(
                request,
                _("%(name)s is invited and gets a personal link by email.")
                % {"name": invited.name},
            )
            return redirect(_proposal_url(edition, item.pk))
    rounds = selectors.round_blocks(edition=edition)
    return render(
        request,
        "proposals/proposal.html",
        {
            "edition": edition,
            "proposal": item,
            "form": ProposalForm(rounds=rounds, initial=ProposalForm.initial_for(item)),
            "invite_form": form,
            "editable": item.call.is_open and item.status == ProposalStatus.SUBMITTED,
            "organisations": _organisations(),
        },
        status=422,
    )


@never_cache
@require_http_methods(["GET", "POST"])
def interest(request: HttpRequest, slug: str) -> HttpResponse:
    """Participants with a personal-link session tick the accepted sessions they want."""
    edition = edition_public_get(slug=slug)
    registration = registration_access.session_registration(request, edition=edition)
    if registration is None:
        return redirect(reverse("registration:request_link", kwargs={"slug": edition.slug}))
    topics = selectors.accepted_topics(edition=edition)
    chosen = list(
        InterestVote.objects.filter(registration=registration).values_list("topic_id", flat=True)
    )
    form = InterestForm(request.POST or None, topics=topics, initial={"topics": chosen})
    if request.method == "POST" and form.is_valid():
        try:
            services.interest_votes_set(
                registration=registration, topic_ids=form.cleaned_data["topics"]
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Your interests are saved."))
            return redirect(reverse("proposals:interest", kwargs={"slug": edition.slug}))
    return render(
        request,
        "proposals/interest.html",
        {"edition": edition, "form": form},
        status=422 if request.method == "POST" else 200,
    )
