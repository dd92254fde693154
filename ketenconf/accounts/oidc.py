"""Single sign-on with OpenID Connect: the sign-in button, the provider's answer, the account.

Authlib does the protocol: state (against forged answers), nonce (against replayed
tokens), the ID token's signature against the provider's published keys, its issuer,
audience (our client id) and expiry. What is ours: which organisation and account a person
of the provider is (:func:`ketenconf.accounts.services.sso_account_sign_in`).
"""

from __future__ import annotations

import logging
from functools import cache
from typing import Any

import requests
from authlib.integrations.base_client.errors import OAuthError
from authlib.integrations.django_client import DjangoOAuth2App, OAuth
from django.conf import settings
from django.contrib.auth import login
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from joserfc.errors import JoseError

from . import services
from .two_factor import SSO_VERIFIED

logger = logging.getLogger("ketenconf.accounts")

NEXT = "ketenconf_sso_next"
#: Values of the ID token's "amr" claim that say the provider asked for a second factor
#: (RFC 8176): "mfa" itself, or a one-time code, a hardware key, a smart card.
TWO_FACTOR_METHODS = frozenset({"mfa", "otp", "hwk", "sc"})


def enabled() -> bool:
    return bool(settings.OIDC_ISSUER)


@cache
def _client(issuer: str, client_id: str, client_secret: str, scopes: str) -> DjangoOAuth2App:
    """One client per configuration, so the provider's metadata and keys are fetched once."""
    registry = OAuth()
    return registry.register(
        name="ketenconf",
        client_id=client_id,
        client_secret=client_secret,
        server_metadata_url=f"{issuer}/.well-known/openid-configuration",
        client_kwargs={"scope": scopes, "timeout": settings.OIDC_TIMEOUT},
    )


def client() -> DjangoOAuth2App:
    return _client(
        settings.OIDC_ISSUER,
        settings.OIDC_CLIENT_ID,
        settings.OIDC_CLIENT_SECRET,
        settings.OIDC_SCOPES,
    )


@never_cache
def start(request: HttpRequest) -> HttpResponseBase:
    """The sign-in button: off to the provider, with a fresh state and nonce in the session."""
    if not enabled():
        raise Http404
    target = request.GET.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        request.session[NEXT] = target
    callback_url = request.build_absolute_uri(reverse("accounts:oidc_callback"))
    try:
        return client().authorize_redirect(request, callback_url)
    except (OAuthError, requests.RequestException, ValueError) as exc:
        logger.warning("single sign-on could not start: %s", exc)
        return _refused(request, reason="unavailable", status=503)


@never_cache
def callback(request: HttpRequest) -> HttpResponseBase:
    """The provider's answer: checked whole, or refused with a page that says why."""
    if not enabled():
        raise Http404
    if request.GET.get("error"):
        return _refused(request, reason="denied", status=403)
    try:
        token = client().authorize_access_token(request)
    except (OAuthError, JoseError, ValueError, KeyError) as exc:
        # A wrong state or nonce, a token signed by another key, for another client, from
        # another issuer, or expired; a code the provider does not know.
        logger.warning("single sign-on refused: %r", exc)
        return _refused(request, reason="invalid", status=400)
    except requests.RequestException as exc:
        logger.warning("single sign-on: the provider did not answer: %s", exc)
        return _refused(request, reason="unavailable", status=503)
    claims: dict[str, Any] | None = token.get("userinfo")
    if not claims:
        logger.warning("single sign-on refused: no ID token in the provider's answer")
        return _refused(request, reason="invalid", status=400)
    try:
        user = services.sso_account_sign_in(issuer=settings.OIDC_ISSUER, claims=dict(claims))
    except services.UnknownOrganisation as exc:
        return _refused(request, reason="organisation", status=403, organisation=exc.name)
    except services.AccountDisabled:
        return _refused(request, reason="disabled", status=403)
    login(request, user, backend="ketenconf.accounts.backends.SingleSignOnBackend")
    methods = claims.get("amr") or []
    if settings.OIDC_TRUST_2FA or (
        isinstance(methods, list) and TWO_FACTOR_METHODS.intersection(map(str, methods))
    ):
        request.session[SSO_VERIFIED] = True
    return redirect(request.session.pop(NEXT, None) or "workspace:editions")


def _refused(
    request: HttpRequest, *, reason: str, status: int, organisation: str = ""
) -> HttpResponse:
    return render(
        request,
        "accounts/sso_refused.html",
        {"reason": reason, "organisation": organisation},
        status=status,
    )
