"""Personal links: how a participant reaches their own page without a password.

A link carries a signed, expiring token naming one ``AccessToken`` row and its secret;
only a hash of the secret is stored. Opening the link shows a page with a button, and
only pressing it uses the token up, because mail scanners open every link in a mail.
Using a link also confirms the email address: the participant has shown they read it.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from ketenconf.core import statements

from .models import AccessToken, Registration

SALT = "ketenconf.registration.link"
LINK_LIFETIME = timedelta(days=14)


class InvalidLink(Exception):
    """The link is tampered with, expired or used; ``str()`` says which, for the participant."""


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def access_token_create(*, registration: Registration, lifetime: timedelta = LINK_LIFETIME) -> str:
    secret = secrets.token_urlsafe(24)
    token = AccessToken(
        registration=registration, secret_hash=_hash(secret), expires_at=timezone.now() + lifetime
    )
    statements.insert(token)  # one per mail with a link: see ketenconf.core.statements
    return signing.dumps([token.pk, secret], salt=SALT, compress=True)


def access_link_url(*, registration: Registration) -> str:
    """The absolute personal link, in the participant's language, for a mail."""
    token = access_token_create(registration=registration)
    with override(registration.language):
        path = reverse(
            "registration:link", kwargs={"slug": registration.edition.slug, "token": token}
        )
    return f"{settings.BASE_URL}{path}"


def _find(token: str, *, max_age: timedelta) -> AccessToken:
    try:
        pk, secret = signing.loads(token, salt=SALT, max_age=max_age)
    except signing.SignatureExpired as error:
        raise InvalidLink(_("This link has expired. Ask for a new one below.")) from error
    except (signing.BadSignature, ValueError, TypeError) as error:
        raise InvalidLink(_("This link is not valid. Ask for a new one below.")) from error
    found = AccessToken.objects.select_related("registration__edition").filter(pk=pk).first()
    if found is None or not secrets.compare_digest(found.secret_hash, _hash(str(secret))):
        raise InvalidLink(_("This link is not valid. Ask for a new one below."))
    if found.used_at is not None:
        raise InvalidLink(_("This link has been used already. Ask for a new one below."))
    if found.expires_at <= timezone.now():
        raise InvalidLink(_("This link has expired. Ask for a new one below."))
    return found


def access_token_check(*, token: str, edition_slug: str) -> Registration:
    """The registration a link is for, without using it up. Raises ``InvalidLink``."""
    found = _find(token, max_age=LINK_LIFETIME)
    if found.registration.edition.slug != edition_slug:
        raise InvalidLink(_("This link is not valid. Ask for a new one below."))
    return found.registration


@transaction.atomic
def access_token_consume(*, token: str, edition_slug: str) -> Registration:
    """Use a link up; confirms the email address. Raises ``InvalidLink``."""
    found = _find(token, max_age=LINK_LIFETIME)
    if found.registration.edition.slug != edition_slug:
        raise InvalidLink(_("This link is not valid. Ask for a new one below."))
    used = AccessToken.objects.filter(pk=found.pk, used_at__isnull=True).update(
        used_at=timezone.now()
    )
    if used != 1:
        raise InvalidLink(_("This link has been used already. Ask for a new one below."))
    registration = found.registration
    if registration.confirmed_at is None:
        registration.confirmed_at = timezone.now()
        registration.save(update_fields=["confirmed_at"])
    return registration
