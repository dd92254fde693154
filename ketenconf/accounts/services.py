"""Writes about organisers' accounts: second factors, and accounts made at single sign-on.

Every change of a second factor goes through here, so that each is recorded in the audit
trail (:func:`_record`); sign-ins, single sign-on's included, are recorded by the audit
app from Django's signals.
"""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential

from ketenconf.audit.models import AuditPart
from ketenconf.audit.services import audit_record
from ketenconf.events.models import Organisation

from .models import Actor, SingleSignOnIdentity, User

logger = logging.getLogger("ketenconf.accounts")

#: What a recovery-code device is called; one per account.
RECOVERY_CODES_NAME = "recovery codes"
TOTP_NAME = "authenticator app"


#: Our words for a change of second factors, and the audit trail's action for each.
_AUDIT_ACTIONS = {"added": "create", "renewed": "change", "removed": "delete", "reset": "delete"}


def _record(*, action: str, user: User, by: Actor, detail: str) -> None:
    """Record a change of someone's second factors in the audit trail (an account's entry,
    without an edition), in the change's own transaction: who, whose, what."""
    audit_record(
        edition=None,
        part=AuditPart.ACCOUNTS,
        action=_AUDIT_ACTIONS[action],
        target=user,
        after={"second factor": detail},
        by=by,
    )
    logger.info("second factor %s: %s", action, detail, extra={"account": user.pk})


def totp_device_pending(*, user: User) -> TOTPDevice:
    """The authenticator app being set up: a fresh secret until a code confirms it."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=TOTP_NAME, confirmed=False)
    return device


@transaction.atomic
def totp_device_confirm(*, user: User, device: TOTPDevice, token: str) -> bool:
    """Confirm the app with a code it shows; False when the code is wrong (nothing changes)."""
    device = TOTPDevice.objects.select_for_update().get(pk=device.pk, user=user)
    if device.confirmed or not device.verify_token(token):
        return False
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    _record(action="added", user=user, by=user, detail="authenticator app")
    return True


@transaction.atomic
def recovery_codes_renew(*, user: User) -> list[str]:
    """New recovery codes for this account, each good once; the old ones stop working."""
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_CODES_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(settings.RECOVERY_CODES)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    _record(action="renewed", user=user, by=user, detail="recovery codes")
    return codes


@transaction.atomic
def second_factor_remove(*, user: User, kind: str, pk: int) -> bool:
    """Remove one app or key of this account's own; its last one takes the recovery codes
    with it (they are a way back to a factor, not a factor)."""
    model: Any = {"app": TOTPDevice, "key": WebAuthnCredential}.get(kind)
    if model is None:
        return False
    deleted, _rows = model.objects.filter(user=user, pk=pk).delete()
    if not deleted:
        return False
    left = (
        TOTPDevice.objects.filter(user=user, confirmed=True).exists()
        or WebAuthnCredential.objects.filter(user=user, confirmed=True).exists()
    )
    if not left:
        StaticDevice.objects.filter(user=user).delete()
    _record(action="removed", user=user, by=user, detail=kind)
    return True


@transaction.atomic
def second_factor_reset(*, user: User, by: Actor) -> int:
    """A superuser takes away every second factor of someone who lost theirs: at the next
    sign-in they set up a new one. Returns how many factors went."""
    removed = 0
    for model in (TOTPDevice, WebAuthnCredential, StaticDevice):
        count, _rows = model.objects.filter(user=user).delete()
        removed += count
    _record(action="reset", user=user, by=by, detail=f"reset, {removed} removed")
    return removed


# --- Single sign-on ------------------------------------------------------------------------


class UnknownOrganisation(Exception):
    """The provider's organisation claim names no organisation we know: no account."""

    def __init__(self, name: str) -> None:
        super().__init__(name)
        self.name = name


class AccountDisabled(Exception):
    """The account of this person is switched off on our side."""


def sso_organisation(*, claims: dict[str, Any]) -> Organisation:
    """The organisation the provider's claim names, by its full or short name (accepted
    organisations only); :class:`UnknownOrganisation` when none or several match."""
    value = claims.get(settings.OIDC_ORGANISATION_CLAIM)
    name = (value[0] if isinstance(value, list) and value else value) or ""
    name = str(name).strip()[:200]
    if name:
        by_name = Organisation.objects.filter(accepted=True, name__iexact=name)
        found = list(by_name[:2]) or list(
            Organisation.objects.filter(accepted=True, short_name__iexact=name)[:2]
        )
        if len(found) == 1:
            return found[0]
    raise UnknownOrganisation(name)


def sso_roles(*, claims: dict[str, Any]) -> list[str]:
    """The role names the provider gives (KETENCONF_OIDC_ROLE_CLAIM, a string or a list).

    Not mapped yet to a role per edition (ketenconf.team): an account made at sign-in is
    staff of its organisation, and its roles come as any account's do.
    """
    value = claims.get(settings.OIDC_ROLE_CLAIM) or []
    values = value if isinstance(value, list) else [value]
    return [str(v) for v in values if str(v).strip()]


def _free_username(wanted: str) -> str:
    base = (wanted or "sso").strip()[:140] or "sso"
    username, n = base, 1
    while User.objects.filter(username__iexact=username).exists():
        n += 1
        username = f"{base}-{n}"
    return username


@transaction.atomic
def sso_account_sign_in(*, issuer: str, claims: dict[str, Any]) -> User:
    """The account of this person of the provider: made at the first sign-in when their
    organisation exists (staff, never superuser, no password), their organisation, name and
    address kept up to date at each later one."""
    subject = str(claims.get("sub") or "").strip()
    if not subject:
        raise UnknownOrganisation("")
    organisation = sso_organisation(claims=claims)
    email = str(claims.get("email") or "")[:254]
    first = str(claims.get("given_name") or "")[:150]
    last = str(claims.get("family_name") or "")[:150]
    identity = (
        SingleSignOnIdentity.objects.select_for_update()
        .select_related("user")
        .filter(issuer=issuer, subject=subject)
        .first()
    )
    if identity is None:
        user = User(
            username=_free_username(str(claims.get("preferred_username") or email or subject)),
            email=email,
            first_name=first,
            last_name=last,
            organisation=organisation,
            is_staff=True,
            is_superuser=False,
        )
        user.set_unusable_password()
        user.save()
        identity = SingleSignOnIdentity.objects.create(user=user, issuer=issuer, subject=subject)
        logger.info("account made at single sign-on", extra={"account": user.pk})
    user = identity.user
    if not user.is_active:
        raise AccountDisabled
    user.organisation = organisation
    user.email = email or user.email
    user.first_name = first or user.first_name
    user.last_name = last or user.last_name
    user.save(update_fields=["organisation", "email", "first_name", "last_name"])
    SingleSignOnIdentity.objects.filter(pk=identity.pk).update(last_login_at=timezone.now())
    return user


def security_key_added_record(*, user: User) -> None:
    """django-otp-webauthn's view saved a security key for this account: recorded."""
    _record(action="added", user=user, by=user, detail="security key")
