"""Sign-ins and failed sign-ins go into the audit trail (without an edition)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.dispatch import receiver

from .models import AuditPart
from .services import audit_record


@receiver(user_logged_in, dispatch_uid="ketenconf.audit.sign_in")
def _signed_in(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    audit_record(edition=None, part=AuditPart.ACCOUNTS, action="sign_in", target=user, by=user)


@receiver(user_login_failed, dispatch_uid="ketenconf.audit.sign_in_failed")
def _sign_in_failed(sender: Any, credentials: dict[str, Any], **kwargs: Any) -> None:
    # Django has already replaced the password in credentials; the name tried is kept.
    username = str(credentials.get("username") or "")[:150]
    audit_record(
        edition=None, part=AuditPart.ACCOUNTS, action="sign_in_failed", after={"username": username}
    )
