"""Hosts' personal links, made as participants' are (``ketenconf.registration.links``).

A link carries a signed, expiring token naming one ``HostAccessToken`` row and its secret;
only a hash of the secret is stored. Opening the link shows a page with a button, and only
pressing it uses the token up, because mail scanners open every link in a mail. A link
works until the call's deadline, and for at least a week, so a host can read the outcome.
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

from .models import HostAccessToken, ProposalHost

SALT = "ketenconf.proposals.host-link"
#: The longest a link can live, whatever the deadline.
MAX_LIFETIME = timedelta(days=180)
MIN_LIFETIME = timedelta(days=7)


class InvalidLink(Exception):
    """The link is tampered with, expired or used; ``str()`` says which, for the host."""


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def host_token_create(*, host: ProposalHost) -> str:
    now = timezone.now()
    deadline = host.proposal.call.deadline
    expires = min(max(deadline, now + MIN_LIFETIME), now + MAX_LIFETIME)
    secret = secrets.token_urlsafe(24)
    token = HostAccessToken.objects.create(host=host, secret_hash=_hash(secret), expires_at=expires)
    return signing.dumps([token.pk, secret], salt=SALT, compress=True)


def host_link_url(*, host: ProposalHost) -> str:
    """The absolute personal link, in the host's language, for a mail."""
    token = host_token_create(host=host)
    with override(host.language):
        path = reverse(
            "proposals:link", kwargs={"slug": host.proposal.call.edition.slug, "token": token}
        )
    return f"{settings.BASE_URL}{path}"


def _find(token: str, *, edition_slug: str) -> HostAccessToken:
    invalid = _("This link is not valid. Ask for a new one below.")
    try:
        pk, secret = signing.loads(token, salt=SALT, max_age=MAX_LIFETIME)
    except signing.SignatureExpired as error:
        raise InvalidLink(_("This link has expired. Ask for a new one below.")) from error
    except (signing.BadSignature, ValueError, TypeError) as error:
        raise InvalidLink(invalid) from error
    found = (
        HostAccessToken.objects.select_related("host__proposal__call__edition")
        .filter(pk=pk)
        .first()
    )
    if found is None or not secrets.compare_digest(found.secret_hash, _hash(str(secret))):
        raise InvalidLink(invalid)
    if found.host.proposal.call.edition.slug != edition_slug:
        raise InvalidLink(invalid)
    if found.used_at is not None:
        raise InvalidLink(_("This link has been used already. Ask for a new one below."))
    if found.expires_at <= timezone.now():
        raise InvalidLink(_("This link has expired. Ask for a new one below."))
    return found


def host_token_check(*, token: str, edition_slug: str) -> ProposalHost:
    """The host a link is for, without using it up. Raises ``InvalidLink``."""
    return _find(token, edition_slug=edition_slug).host


@transaction.atomic
def host_token_consume(*, token: str, edition_slug: str) -> ProposalHost:
    """Use a link up. Raises ``InvalidLink``."""
    found = _find(token, edition_slug=edition_slug)
    used = HostAccessToken.objects.filter(pk=found.pk, used_at__isnull=True).update(
        used_at=timezone.now()
    )
    if used != 1:
        raise InvalidLink(_("This link has been used already. Ask for a new one below."))
    return found.host
