"""Request ids, and the probes a load balancer or systemd asks before anything else.

``RequestIdMiddleware`` comes first: it takes the request id from an ``X-Request-ID`` header
when that is sane (a proxy's or a client's), else makes one, keeps it for the logs of the
request and echoes it in the response's ``X-Request-ID``. With an access log configured
(``KETENCONF_ACCESS_LOG``) it writes one line per request there, with the request id.

``ProbeMiddleware`` comes next, before the security middleware: ``/health`` and ``/ready``
answer whatever the ``Host`` header (probes often ask by IP address) and over plain HTTP
(probes ask the app server directly, not through the TLS proxy), without a session,
redirect or cookie.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from . import views
from .client import client_address
from .context import request_id_from_header, request_id_get, request_id_reset, request_id_set
from .log import ACCESS_LOGGER

HEADER = "X-Request-ID"

access_log = logging.getLogger(ACCESS_LOGGER)

Handler = Callable[[HttpRequest], HttpResponse]


class RequestIdMiddleware:
    """Puts the request id on the request and the response.

    The id itself is set when the request starts and cleared when its response is closed
    (``request_started`` and ``request_finished``, connected in ``OpsConfig.ready``), so the
    records Django logs after the middleware has returned ("Not Found: ...") carry it too.
    """

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        began = time.perf_counter()
        request_id = request_id_get()
        token = None
        if not request_id:  # called without the request_started signal
            request_id = request_id_from_header(request.headers.get(HEADER))
            token = request_id_set(request_id)
        request.request_id = request_id  # type: ignore[attr-defined]
        try:
            response = self.get_response(request)
            response[HEADER] = request_id
            if access_log.isEnabledFor(logging.INFO):
                _access(request, response, milliseconds=(time.perf_counter() - began) * 1000)
        finally:
            if token is not None:
                request_id_reset(token)
        return response


def _access(request: HttpRequest, response: HttpResponse, *, milliseconds: float) -> None:
    """One line of the access log. The query string is left out and a token in the path (a
    personal link, a calendar feed) is replaced by ``[token]``: the log holds no keys. The
    address is the client's as the rate limits see it (behind the proxy: its X-Real-IP)."""
    path = request.path
    match = getattr(request, "resolver_match", None)
    token = match.kwargs.get("token") if match is not None else None
    if token:
        path = path.replace(str(token), "[token]")
    remote = (
        client_address(request)
        if settings.BEHIND_PROXY
        else str(request.META.get("REMOTE_ADDR", "-"))
    )
    size = None if response.streaming else len(response.content)
    access_log.info(
        '%s "%s %s" %s %s %.0fms',
        remote,
        request.method,
        path,
        response.status_code,
        "-" if size is None else size,
        milliseconds,
        extra={
            "access": {
                "remote": remote,
                "method": request.method,
                "path": path,
                "status": response.status_code,
                "bytes": size,
                "ms": round(milliseconds, 1),
                "user_agent": request.headers.get("User-Agent", ""),
            }
        },
    )


def request_started(sender: object, environ: dict[str, Any] | None = None, **kwargs: Any) -> None:
    request_id_set(request_id_from_header((environ or {}).get("HTTP_X_REQUEST_ID")))


def request_finished(sender: object, **kwargs: Any) -> None:
    request_id_set("")


PROBES: dict[str, Handler] = {"/health": views.health, "/ready": views.ready}


class ProbeMiddleware:
    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        probe = PROBES.get(request.path_info)
        if probe is not None and request.method in {"GET", "HEAD"}:
            return probe(request)
        return self.get_response(request)
