"""The second factor of organisers' sign-in: what django-otp and django-otp-webauthn need from us."""

from __future__ import annotations

from django.http import HttpRequest
from django_otp_webauthn.helpers import WebAuthnHelper as BaseWebAuthnHelper

#: The session key that says this session's sign-in through the identity provider counts as
#: two-factor (see ketenconf.accounts.oidc); django-otp's own flag covers our devices.
SSO_VERIFIED = "ketenconf_sso_two_factor"


def second_factor_passed(request: HttpRequest) -> bool:
    """Whether this session passed a second factor: one of ours, or the provider's."""
    user = request.user
    verified = getattr(user, "is_verified", None)
    return bool((verified is not None and verified()) or request.session.get(SSO_VERIFIED))


def webauthn_rp_id(request: HttpRequest) -> str:
    """Security keys belong to the host the site is reached at, checked by ALLOWED_HOSTS."""
    return request.get_host().rsplit(":", 1)[0].strip("[]")


class WebAuthnHelper(BaseWebAuthnHelper):
    """Keys are used on the origin the site is reached at (its host checked by ALLOWED_HOSTS)."""

    def get_allowed_origins(self) -> list[str]:
        return [f"{self.request.scheme}://{self.request.get_host()}"]
