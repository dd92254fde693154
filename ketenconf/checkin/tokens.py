"""The signed token on a badge's QR code.

It names the registration and its edition and carries two versions: the registration's
``access_version`` (bumped when its personal data is anonymised) and the badge's own
version (bumped when a badge is reported lost). A token whose versions are not the current
ones is revoked. Signed with :mod:`django.core.signing` under a salt of its own, so a
token of another kind (a personal link, a stand link) is never taken for a badge.

The token is short and URL-safe, so a hardware scanner can type it into a field.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core import signing

from ketenconf.registration.models import Registration

SALT = "ketenconf.checkin.badge"


@dataclass(frozen=True)
class BadgeClaim:
    """What a verified token says; the database still decides whether it holds."""

    registration_id: int
    edition_id: int
    access_version: int
    badge_version: int


class BadToken(Exception):
    """Not a badge of ours: tampered with, mistyped or of another kind."""


def badge_version(registration: Registration) -> int:
    """The registration's current badge version: 0 until a badge is first replaced."""
    cache = registration._state.fields_cache
    if "badge" in cache:  # fetched with select_related("badge")
        return cache["badge"].version if cache["badge"] is not None else 0
    from .models import Badge

    found = Badge.objects.filter(registration_id=registration.pk).values_list("version", flat=True)
    return found.first() or 0


def _signer() -> signing.Signer:
    # No timestamp: a badge is valid until revoked, and a shorter token makes a simpler QR code.
    return signing.Signer(salt=SALT)


def badge_token(*, registration: Registration, version: int | None = None) -> str:
    """The token for this registration's current badge."""
    current = badge_version(registration) if version is None else version
    payload = [registration.pk, registration.edition_id, registration.access_version, current]
    return _signer().sign_object(payload, compress=True)


def badge_token_verify(token: str) -> BadgeClaim:
    """The claim in a token; raises ``BadToken`` when it is not one of our badges."""
    try:
        payload = _signer().unsign_object(token.strip())
    except (signing.BadSignature, ValueError, UnicodeError) as error:
        raise BadToken(str(error)) from error
    if (
        not isinstance(payload, list)
        or len(payload) != 4
        or not all(isinstance(item, int) and not isinstance(item, bool) for item in payload)
    ):
        raise BadToken("unexpected payload")
    registration_id, edition_id, access_version, version = payload
    return BadgeClaim(
        registration_id=registration_id,
        edition_id=edition_id,
        access_version=access_version,
        badge_version=version,
    )
