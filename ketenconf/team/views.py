"""The page an invitation's link opens: /organise/invitation/<token>/.

GET shows who invites whom to what, and a button; it uses nothing up, because mail scanners
open every link. Signed in, the button accepts for that account; without an account for the
invited address, a name and a password make one; with one, the page asks to log in first.
An expired, used, withdrawn or tampered link gets a page that says which.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import login
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from ketenconf.accounts.models import User

from . import services
from .forms import AcceptForm


@never_cache
@require_http_methods(["GET", "POST"])
def accept(request: HttpRequest, token: str) -> HttpResponse:
    try:
        invitation = services.invitation_check(token=token)
    except services.InvalidInvitation as problem:
        return render(
            request, "team/invitation_invalid.html", {"problem": str(problem)}, status=410
        )
    user = request.user if isinstance(request.user, User) else None
    existing = None if user else services.account_for_email(invitation.email)
    form = AcceptForm(request.POST if request.method == "POST" and user is None else None)
    if request.method == "POST" and (user is not None or (existing is None and form.is_valid())):
        data = form.cleaned_data if user is None else {}
        try:
            row = services.invitation_accept(
                token=token,
                user=user,
                first_name=data.get("first_name", ""),
                last_name=data.get("last_name", ""),
                password=data.get("password1", ""),
            )
        except services.InvalidInvitation as problem:
            return render(
                request, "team/invitation_invalid.html", {"problem": str(problem)}, status=410
            )
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for field, errors in error.error_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                form.add_error(None, error)
        else:
            if user is None:
                login(request, row.user, backend=settings.AUTHENTICATION_BACKENDS[0])
            return redirect("workspace:editions")
    return render(
        request,
        "team/accept.html",
        {
            "invitation": invitation,
            "edition": invitation.edition,
            "user_signed_in": user,
            "existing": existing,
            "form": form,
        },
        status=422 if request.method == "POST" else 200,
    )
