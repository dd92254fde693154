"""Who a request to the organisers' API acts for: ``Authorization: Bearer kc_<prefix>_<secret>``.

A token acts for its user with that user's rights, and stops working when it is revoked or
the user is no longer active staff. A missing or bad token gets 401.
"""

from __future__ import annotations

import secrets
from datetime import timedelta
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja.security import HttpBearer

from ketenconf.audit.context import api_token_acting

from .models import ApiToken
from .services import PREFIX, secret_hash

#: last_used_at is written at most this often per token: one write, not one per request.
LAST_USED_EVERY = timedelta(minutes=1)


def token_user(token: str, request: HttpRequest | None = None) -> Any | None:
    parts = token.strip().split("_", 2)
    if len(parts) != 3 or parts[0] != PREFIX:
        return None
    _kc, prefix, secret = parts
    found = (
        ApiToken.objects.select_related("user", "user__organisation")
        .filter(prefix=prefix, revoked_at__isnull=True)
        .first()
    )
    if found is None or not secrets.compare_digest(found.secret_hash, secret_hash(secret)):
        return None
    user = found.user
    if not (user.is_active and user.is_staff):
        return None
    now = timezone.now()
    if found.last_used_at is None or found.last_used_at < now - LAST_USED_EVERY:
        ApiToken.objects.filter(pk=found.pk).update(last_used_at=now)
    if request is not None:
        api_token_acting(request, found)  # the audit trail names the token beside the user
    return user


class ApiTokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any | None:
        user = token_user(token, request)
        if user is not None:
            request.user = user
        return user
