"""The organiser's API tokens in the workspace: /organise/<edition>/api/.

A token acts for the user who made it, with that user's rights in every edition; it is
listed here under the edition the organiser works on. Its secret is shown once, on the page
that answers the making. Every change goes through :mod:`.services`.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from ketenconf.accounts.models import User
from ketenconf.events.models import Edition
from ketenconf.workspace.access import Part, workspace_page

from . import services
from .models import ApiToken


class TokenForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("What the token is for"),
        max_length=100,
        help_text=gettext_lazy("For example “registration form on our website”."),
    )


def _tokens(user: User) -> list[ApiToken]:
    return list(ApiToken.objects.filter(user=user).order_by("revoked_at", "-created_at"))


@require_http_methods(["GET", "POST"])
@workspace_page(Part.API)
def tokens(request: HttpRequest, edition: Edition) -> HttpResponse:
    assert isinstance(request.user, User)  # the workspace lets in no one without an account
    form = TokenForm(request.POST if request.method == "POST" else None)
    made = ""
    if request.method == "POST" and form.is_valid():
        _token, made = services.api_token_create(
            user=request.user, name=form.cleaned_data["name"], edition=edition
        )
        form = TokenForm()
    return render(
        request,
        "api/organise/tokens.html",
        {"edition": edition, "form": form, "tokens": _tokens(request.user), "made": made},
        status=422 if request.method == "POST" and not made else 200,
    )


@require_http_methods(["GET", "POST"])
@workspace_page(Part.API)
def revoke(request: HttpRequest, edition: Edition, token_id: int) -> HttpResponse:
    """Asks first (GET); the POST revokes the token at once."""
    token = get_object_or_404(
        ApiToken, pk=token_id, user_id=request.user.pk, revoked_at__isnull=True
    )
    if request.method == "POST":
        services.api_token_revoke(token=token, edition=edition, by=request.user)
        messages.info(request, _("The token %(name)s is revoked.") % {"name": token.name})
        return redirect("api_tokens:list", edition.slug)
    return render(request, "api/organise/revoke.html", {"edition": edition, "token": token})
