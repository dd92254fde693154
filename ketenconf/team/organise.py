"""The people of an edition in the workspace, /organise/<edition>/team/: who has which role
and when they last signed in, the open invitations; a lead organiser invites, changes roles
and removes people. And /organise/<edition>/sessions/: a host's own sessions and who is in
them. Every change goes through :mod:`.services`; who sees what is the workspace's one rule.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from ketenconf.accounts.models import User
from ketenconf.events.models import Edition
from ketenconf.workspace.access import Part, workspace_page

from . import selectors, services
from .forms import InvitationForm, RoleForm


def _apply(form: InvitationForm | RoleForm, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


@require_http_methods(["GET", "POST"])
@workspace_page(Part.TEAM)
def people(request: HttpRequest, edition: Edition) -> HttpResponse:
    """The list, and the form to invite someone (POST sends the invitation)."""
    form = InvitationForm(
        request.POST if request.method == "POST" else None,
        edition=edition,
        initial={"language": get_language(), "role": "partner"},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.invitation_send(
                edition=edition,
                email=data["email"],
                role=data["role"],
                organisation=data["organisation"],
                topics=data["topics"],
                language=data["language"],
                by=request.user,
            )
        except ValidationError as error:
            _apply(form, error)
        else:
            messages.success(
                request, _("The invitation is on its way to %(email)s.") % {"email": data["email"]}
            )
            return redirect("team:people", edition.slug)
    return render(
        request,
        "team/people.html",
        {
            "edition": edition,
            "people": selectors.people_of_edition(edition=edition),
            "invitations": selectors.invitations_open(edition=edition),
            "form": form,
            "now": timezone.now(),
        },
        status=422 if request.method == "POST" else 200,
    )


@require_http_methods(["GET", "POST"])
@workspace_page(Part.TEAM)
def role_edit(request: HttpRequest, edition: Edition, role_id: int) -> HttpResponse:
    row = selectors.role_get(edition=edition, pk=role_id)
    if row is None:
        raise Http404
    form = RoleForm(
        request.POST if request.method == "POST" else None,
        edition=edition,
        initial={"role": row.role, "topics": list(row.topics.all())},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.edition_role_change(
                row=row,
                role=form.cleaned_data["role"],
                topics=form.cleaned_data["topics"],
                by=request.user,
            )
        except ValidationError as error:
            _apply(form, error)
        else:
            messages.success(
                request,
                _("%(name)s is now %(role)s.")
                % {"name": _name(row.user), "role": row.get_role_display()},
            )
            return redirect("team:people", edition.slug)
    return render(
        request,
        "team/role_edit.html",
        {"edition": edition, "row": row, "name": _name(row.user), "form": form},
        status=422 if request.method == "POST" else 200,
    )


@require_http_methods(["GET", "POST"])
@workspace_page(Part.TEAM)
def role_remove(request: HttpRequest, edition: Edition, role_id: int) -> HttpResponse:
    """Asks first (GET); the POST removes the person from the edition."""
    row = selectors.role_get(edition=edition, pk=role_id)
    if row is None:
        raise Http404
    error = ""
    if request.method == "POST":
        try:
            services.edition_role_remove(row=row, by=request.user)
        except ValidationError as refused:
            error = " ".join(refused.messages)
        else:
            messages.success(
                request, _("%(name)s no longer works on this edition.") % {"name": _name(row.user)}
            )
            return redirect("team:people", edition.slug)
    return render(
        request,
        "team/role_remove.html",
        {"edition": edition, "row": row, "name": _name(row.user), "error": error},
        status=422 if error else 200,
    )


@require_http_methods(["GET", "POST"])
@workspace_page(Part.TEAM)
def invitation_remove(request: HttpRequest, edition: Edition, invitation_id: int) -> HttpResponse:
    """Asks first (GET); the POST withdraws the invitation: its link stops working."""
    invitation = selectors.invitation_get(edition=edition, pk=invitation_id)
    if invitation is None:
        raise Http404
    if request.method == "POST":
        services.invitation_remove(invitation=invitation, by=request.user)
        messages.success(
            request,
            _("The invitation to %(email)s is withdrawn.") % {"email": invitation.email},
        )
        return redirect("team:people", edition.slug)
    return render(
        request, "team/invitation_remove.html", {"edition": edition, "invitation": invitation}
    )


@require_safe
@workspace_page(Part.SESSIONS)
def sessions(request: HttpRequest, edition: Edition) -> HttpResponse:
    assert isinstance(request.user, User)  # the workspace lets in no one without an account
    return render(
        request,
        "team/sessions.html",
        {
            "edition": edition,
            "hosted": selectors.hosted_sessions(edition=edition, user=request.user),
        },
    )


def _name(user: User) -> str:
    return user.get_full_name() or user.username
