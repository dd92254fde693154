"""The client's address behind a reverse proxy, for rate limits."""

from __future__ import annotations

import ipaddress

from django.http import HttpRequest


def client_address(request: HttpRequest) -> str:
    """X-Real-IP as set by our proxy when it holds an address, else the connection's address.

    Only used with KETENCONF_BEHIND_PROXY=true, when the app server listens to the proxy
    alone, which overwrites any X-Real-IP a client sent (docs/deployment.md).
    """
    real = request.META.get("HTTP_X_REAL_IP", "").strip()
    try:
        return str(ipaddress.ip_address(real))
    except ValueError:
        return str(request.META.get("REMOTE_ADDR") or "0.0.0.0")  # noqa: S104
