"""Writes of the organisers' API tokens: make one (its secret is returned once), revoke one."""

from __future__ import annotations

import hashlib
import secrets
from typing import Any

from django.db import transaction
from django.utils import timezone

from ketenconf.accounts.models import Actor, User
from ketenconf.audit.models import AuditPart
from ketenconf.audit.services import audit_record

from .models import ApiToken

PREFIX = "kc"


def secret_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


@transaction.atomic
def api_token_create(*, user: User, name: str, edition: Any = None) -> tuple[ApiToken, str]:
    """A new token for ``user``; returns it and the full token text, which is not kept.
    ``edition``: the one whose workspace made it, for its audit trail (tokens are the user's)."""
    prefix = secrets.token_hex(6)
    secret = secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user, name=name.strip()[:100], prefix=prefix, secret_hash=secret_hash(secret)
    )
    audit_record(
        edition=edition,
        part=AuditPart.API_TOKENS,
        action="create",
        target=token,
        after={"user": user.get_username(), "name": token.name},
        by=user,
    )
    return token, f"{PREFIX}_{prefix}_{secret}"


@transaction.atomic
def api_token_revoke(*, token: ApiToken, edition: Any = None, by: Actor = None) -> None:
    """The token stops working at once; it stays listed, to show when it was used."""
    revoked = ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    if revoked:
        audit_record(
            edition=edition,
            part=AuditPart.API_TOKENS,
            action="revoke",
            target=token,
            after={"user": token.user.get_username(), "name": token.name},
            by=by,
        )
