"""The probes, and the throttled admin login.

``/health``: the process is up and serving; touches neither database nor cache, so a
restart is never triggered by a database that is briefly away. ``/ready``: this process can
do its work: the database answers, the cache answers, every migration is applied; 503 when
one fails, so a load balancer sends no traffic here until it is 200. Anyone may ask, so it
says only ``{"status": "ok"}`` or ``{"status": "fail"}``: which check failed and why (a host
name, a driver's message) goes to the log, and ``ketenconf doctor`` shows it to the operator.

``server_error``: the site's 500 handler. A request that failed because the database is away
or dropped its connection gets 503 with Retry-After instead (JSON under /api/, a plain page
elsewhere); the next request opens a new connection, so the site recovers by itself.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import admin
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _
from django.views import defaults
from django_ratelimit.core import get_usage

from .checks import ready_checks

logger = logging.getLogger(__name__)


def _no_store(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "no-store"
    return response


def health(request: HttpRequest) -> HttpResponse:
    return _no_store(HttpResponse("ok", content_type="text/plain; charset=utf-8"))


def ready(request: HttpRequest) -> HttpResponse:
    checks = ready_checks()
    failed = [check for check in checks if check.level == "error"]
    for check in failed:
        logger.warning("/ready: %s failed: %s", check.name, check.detail)
    body = {"status": "fail" if failed else "ok"}
    return _no_store(JsonResponse(body, status=503 if failed else 200))


#: Seconds a client is asked to wait while the database is away.
RETRY_AFTER = 10


def server_error(request: HttpRequest) -> HttpResponse:
    error = sys.exc_info()[1]
    if not isinstance(error, (OperationalError, InterfaceError)):
        return defaults.server_error(request)
    if request.path_info.startswith("/api/"):
        language = translation.get_language_from_request(request, check_path=False)
        with translation.override(language):
            message = _("The service is briefly unavailable. Try again in %(seconds)s seconds.")
        response: HttpResponse = JsonResponse(
            {"message": message % {"seconds": RETRY_AFTER}}, status=503
        )
    else:
        # A page of its own: the site's base template reads the session and the database.
        response = HttpResponse(
            render_to_string("ops/unavailable.html", {"seconds": RETRY_AFTER}), status=503
        )
    response["Retry-After"] = str(RETRY_AFTER)
    return _no_store(response)


# --- The admin login, throttled --------------------------------------------------------------
#
# Failed logins are counted per client address and per username in the default cache (shared
# by every app-server process when it is Redis). Once either is used up, the form is refused
# with 429 before the password is even looked at, until the period has passed.

GROUP = "ops.admin_login"


def _username_key(group: str, request: HttpRequest) -> str:
    return str(request.POST.get("username", "")).strip().lower()[:150]


def _usages(
    request: HttpRequest,
    *,
    increment: bool,
    group: str,
    account: str | None,
    rates: tuple[str | None, str | None],
) -> list[dict[str, Any]]:
    address_rate, account_rate = rates
    limits: list[tuple[Any, str | None]] = [("ip", address_rate)]
    name = account if account is not None else _username_key(group, request)
    if name:
        limits.append((lambda _group, _request: name, account_rate))
    usages = []
    for key, rate in limits:
        if not rate:
            continue
        usage = get_usage(request, group=group, key=key, rate=rate, increment=increment)
        if usage is not None:
            usages.append(usage)
    return usages


def _limited(usages: list[dict[str, Any]]) -> int | None:
    """Seconds to wait when a limit is used up (the count is past the limit), else None."""
    waits = [int(u["time_left"]) for u in usages if u["count"] >= u["limit"]]
    return max(1, *waits) if waits else None


def login_throttled(
    request: HttpRequest,
    login: Callable[[HttpRequest], HttpResponseBase],
    refused: Callable[[int], HttpResponseBase],
    *,
    group: str = GROUP,
    account: str | None = None,
    rates: tuple[str | None, str | None] | None = None,
) -> HttpResponseBase:
    """Run a login view with failed attempts counted; past the limit ``refused(seconds)``.

    Attempts are counted per client address and per account: the username typed, or
    ``account`` for a step after the password (the second factor), with ``rates`` (address,
    account) instead of the password's.
    """
    if request.method != "POST":
        return login(request)
    if rates is None:
        rates = (
            settings.ADMIN_LOGIN_RATELIMIT_ADDRESS,
            settings.ADMIN_LOGIN_RATELIMIT_USERNAME,
        )
    counted = {"group": group, "account": account, "rates": rates}
    wait = _limited(_usages(request, increment=False, **counted))  # type: ignore[arg-type]
    if wait is None:
        response = login(request)
        if response.status_code != 302:  # a failed attempt shows the form again
            _usages(request, increment=True, **counted)  # type: ignore[arg-type]
        return response
    response = refused(wait)
    response.status_code = 429
    response["Retry-After"] = str(wait)
    return response


def admin_login(
    request: HttpRequest, extra_context: dict[str, Any] | None = None
) -> HttpResponseBase:
    """The admin's own login view, with failed attempts counted and refused past the limit."""

    def refused(wait: int) -> HttpResponse:
        return render(
            request,
            "ops/too_many_logins.html",
            {
                **admin.site.each_context(request),
                "seconds": wait,
                "minutes": (wait + 59) // 60,
                "title": _("Too many attempts"),
            },
        )

    return login_throttled(request, lambda r: admin.site.login(r, extra_context), refused)
