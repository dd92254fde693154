"""Reads about organisers' accounts: their second factors."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django_otp import devices_for_user
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential


@dataclass(frozen=True)
class SecondFactors:
    apps: list[TOTPDevice]
    keys: list[WebAuthnCredential]
    recovery_codes_left: int

    @property
    def any(self) -> bool:
        """An app or a key: recovery codes alone are no factor to set up from."""
        return bool(self.apps or self.keys)


def second_factors(*, user: Any) -> SecondFactors:
    """The confirmed second factors of this account."""
    apps = list(TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk"))
    keys = list(WebAuthnCredential.objects.filter(user=user, confirmed=True).order_by("pk"))
    left = sum(
        device.token_set.count()
        for device in StaticDevice.objects.filter(user=user, confirmed=True)
    )
    return SecondFactors(apps=apps, keys=keys, recovery_codes_left=left)


def has_second_factor(*, user: Any) -> bool:
    """Whether this account has any confirmed device to verify a sign-in with."""
    return any(True for _ in devices_for_user(user, confirmed=True))
