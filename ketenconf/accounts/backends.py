"""Password sign-in, which single sign-on may switch off for organisers."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.backends import ModelBackend


def password_login_allowed(user: Any) -> bool:
    """With single sign-on on and KETENCONF_OIDC_PASSWORD_LOGIN off, only superusers (who
    repair the site when the provider is away) sign in with a password."""
    if not settings.OIDC_ISSUER or settings.OIDC_PASSWORD_LOGIN:
        return True
    return bool(user.is_superuser)


class PasswordBackend(ModelBackend):
    def user_can_authenticate(self, user: Any) -> bool:
        return super().user_can_authenticate(user) and password_login_allowed(user)


class SingleSignOnBackend(ModelBackend):
    """The backend of sessions signed in through the identity provider: it checks no
    password (the sign-in view has checked the provider's token) and keeps such a session
    valid when password sign-in is off."""

    def authenticate(self, request: Any, **credentials: Any) -> None:  # type: ignore[override]
        return None
