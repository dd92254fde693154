"""Request ids, and the probes a load balancer or systemd asks before anything else.

``RequestIdMiddleware`` comes first: it takes the request id from an ``X-Request-ID`` header
when that is sane (a proxy's or a client's), else makes one, keeps it for the logs of the
request and echoes it in the response's ``X-Request-ID``.

``ProbeMiddleware`` comes next, before the security middleware: ``/health`` and ``/ready``
answer whatever the ``Host`` header (probes often ask by IP address) and over plain HTTP
(probes ask the app server directly, not through the TLS proxy), without a session,
redirect or cookie.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse

from . import views
from .context import request_id_from_header, request_id_get, request_id_reset, request_id_set

HEADER = "X-Request-ID"

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
        request_id = request_id_get()
        token = None
        if not request_id:  # called without the request_started signal
            request_id = request_id_from_header(request.headers.get(HEADER))
            token = request_id_set(request_id)
        request.request_id = request_id  # type: ignore[attr-defined]
        try:
            response = self.get_response(request)
        finally:
            if token is not None:
                request_id_reset(token)
        response[HEADER] = request_id
        return response


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
