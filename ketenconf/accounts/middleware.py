"""Leads an organiser who has not passed a second factor to it, before any organisers' page."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.urls import reverse

from .selectors import has_second_factor
from .two_factor import second_factor_passed

#: The organisers' side of the site: the workspace (with its parts) and the admin. The API
#: takes tokens only, made in the workspace, so it is behind this too.
GUARDED = ("/organise/", "/admin/")


class SecondFactorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if (
            settings.REQUIRE_2FA
            and request.path.startswith(GUARDED)
            and request.user.is_authenticated
            and not request.path.startswith(self._open_paths())
            and not second_factor_passed(request)
        ):
            step = "accounts:verify" if has_second_factor(user=request.user) else "accounts:setup"
            return HttpResponseRedirect(
                f"{reverse(step)}?{urlencode({'next': request.get_full_path()})}"
            )
        return self.get_response(request)

    @staticmethod
    def _open_paths() -> tuple[str, ...]:
        """What one passes through on the way to the second factor: the sign-in pages, the
        second factor's own pages, the security key's endpoints and signing out."""
        return (
            reverse("accounts:verify"),
            reverse("accounts:oidc_start"),
            reverse("workspace:login"),
            reverse("workspace:logout"),
            "/admin/login/",
            "/admin/logout/",
        )
