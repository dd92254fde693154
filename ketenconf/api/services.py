"""Writes of the organisers' API tokens: make one (its secret is returned once), revoke one."""

from __future__ import annotations

import hashlib
import secrets

from django.utils import timezone

from ketenconf.accounts.models import User

from .models import ApiToken

PREFIX = "kc"


def secret_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def api_token_create(*, user: User, name: str) -> tuple[ApiToken, str]:
    """A new token for ``user``; returns it and the full token text, which is not kept."""
    prefix = secrets.token_hex(6)
    secret = secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user, name=name.strip()[:100], prefix=prefix, secret_hash=secret_hash(secret)
    )
    return token, f"{PREFIX}_{prefix}_{secret}"


def api_token_revoke(*, token: ApiToken) -> None:
    """The token stops working at once; it stays listed, to show when it was used."""
    ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())
