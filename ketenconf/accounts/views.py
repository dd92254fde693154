"""The organisers' second factor: verifying a sign-in, setting a factor up, recovery codes,
and the page that lists one's factors."""

from __future__ import annotations

import base64
from typing import Any

import segno
from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp import match_token
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.views import CompleteCredentialRegistrationView

from ketenconf.ops.views import login_throttled

from . import selectors, services
from .forms import AppCodeForm, CodeForm
from .two_factor import second_factor_passed

GROUP = "accounts.second_factor"
#: Recovery codes just made, shown once on the next page and then gone from the session.
NEW_CODES = "ketenconf_new_recovery_codes"


def _next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("workspace:editions")


def _signed_in(request: HttpRequest) -> HttpResponseRedirect | None:
    if not request.user.is_authenticated:
        return redirect(f"{reverse('workspace:login')}?{urlencode({'next': request.path})}")
    return None


def _throttled(request: HttpRequest, view: object) -> HttpResponseBase:
    def refused(wait: int) -> HttpResponse:
        return render(
            request,
            "accounts/too_many_codes.html",
            {"seconds": wait, "minutes": (wait + 59) // 60},
        )

    return login_throttled(
        request,
        view,  # type: ignore[arg-type]
        refused,
        group=GROUP,
        account=f"user:{request.user.pk}",
        rates=(settings.SECOND_FACTOR_RATELIMIT_ADDRESS, settings.SECOND_FACTOR_RATELIMIT_ACCOUNT),
    )


def verify(request: HttpRequest) -> HttpResponseBase:
    """The second step of signing in: a code from the app, a recovery code, or a key."""
    if (refused := _signed_in(request)) is not None:
        return refused
    if second_factor_passed(request):
        return redirect(_next(request))
    factors = selectors.second_factors(user=request.user)
    if not factors.any and not factors.recovery_codes_left:
        return redirect(f"{reverse('accounts:setup')}?{urlencode({'next': _next(request)})}")

    def view(request: HttpRequest) -> HttpResponse:
        form = CodeForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            device = match_token(request.user, form.cleaned_data["code"])
            if device is not None:
                otp_login(request, device)
                return redirect(_next(request))
            form.add_error(
                "code",
                _(
                    "This code is not right. Type the code your app shows now, or a "
                    "recovery code you have not used before."
                ),
            )
        return render(
            request,
            "accounts/verify.html",
            {"form": form, "factors": factors, "next": _next(request)},
        )

    return _throttled(request, view)


def setup(request: HttpRequest) -> HttpResponseBase:
    """Add an authenticator app (or a security key): the first factor, or one more."""
    if (refused := _signed_in(request)) is not None:
        return refused
    if selectors.has_second_factor(user=request.user) and not second_factor_passed(request):
        # Only someone who passed a factor of this account may add another.
        return redirect(f"{reverse('accounts:verify')}?{urlencode({'next': _next(request)})}")
    device = services.totp_device_pending(user=request.user)  # type: ignore[arg-type]

    def view(request: HttpRequest) -> HttpResponse:
        form = AppCodeForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            if services.totp_device_confirm(
                user=request.user,  # type: ignore[arg-type]
                device=device,
                token=form.cleaned_data["code"],
            ):
                otp_login(request, TOTPDevice.objects.get(pk=device.pk))
                return _after_first_factor(request)
            form.add_error(
                "code",
                _(
                    "This code is not right. Check that the clock of your phone is right and "
                    "type the code the app shows now."
                ),
            )
        return render(
            request,
            "accounts/setup.html",
            {
                "form": form,
                "qr": _qr_data_uri(device.config_url),
                "secret": _grouped(base64.b32encode(device.bin_key).decode()),
                "next": _next(request),
                "first": not selectors.has_second_factor(user=request.user),
            },
        )

    return _throttled(request, view)


def _after_first_factor(request: HttpRequest) -> HttpResponseRedirect:
    """A factor was just added: recovery codes if there are none yet, then on."""
    if selectors.second_factors(user=request.user).recovery_codes_left == 0:
        request.session[NEW_CODES] = services.recovery_codes_renew(user=request.user)  # type: ignore[arg-type]
        return redirect(
            f"{reverse('accounts:recovery_codes')}?{urlencode({'next': _next(request)})}"
        )
    messages.success(request, _("The second factor is added."))
    return redirect(_next(request))


def key_added(request: HttpRequest) -> HttpResponseBase:
    """Where the page goes after a security key was registered (its script sends it here)."""
    if (refused := _signed_in(request)) is not None:
        return refused
    if not second_factor_passed(request):
        return redirect("accounts:verify")
    return _after_first_factor(request)


def recovery_codes(request: HttpRequest) -> HttpResponseBase:
    """The recovery codes just made (shown once), or new ones on request."""
    if (refused := _signed_in(request)) is not None:
        return refused
    if request.method == "POST":
        request.session[NEW_CODES] = services.recovery_codes_renew(user=request.user)  # type: ignore[arg-type]
        return redirect("accounts:recovery_codes")
    codes = request.session.pop(NEW_CODES, None)
    if not codes:
        return redirect("accounts:security")
    return render(request, "accounts/recovery_codes.html", {"codes": codes, "next": _next(request)})


def security(request: HttpRequest) -> HttpResponseBase:
    """One's own second factors: add, remove, new recovery codes."""
    if (refused := _signed_in(request)) is not None:
        return refused
    factors = selectors.second_factors(user=request.user)
    return render(request, "accounts/security.html", {"factors": factors})


@require_POST
def remove(request: HttpRequest, kind: str, pk: int) -> HttpResponseBase:
    if (refused := _signed_in(request)) is not None:
        return refused
    if services.second_factor_remove(user=request.user, kind=kind, pk=pk):  # type: ignore[arg-type]
        messages.success(request, _("The second factor is removed."))
    return redirect("accounts:security")


def _qr_data_uri(url: str) -> str:
    return segno.make(url, error="m").svg_data_uri(scale=5, border=2)


def _grouped(secret: str) -> str:
    secret = secret.rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


class KeyRegistrationComplete(CompleteCredentialRegistrationView):
    """django-otp-webauthn's last step of adding a key, which then records it."""

    def post(self, *args: Any, **kwargs: Any) -> HttpResponseBase:
        response: HttpResponseBase = super().post(*args, **kwargs)
        if response.status_code == 200:
            services.security_key_added_record(user=self.request.user)
        return response
