"""Which registration a browser session may act for: set by using a personal link."""

from __future__ import annotations

from django.http import HttpRequest

from ketenconf.audit.context import participant_acting
from ketenconf.events.models import Edition

from .models import Registration


def _key(edition: Edition) -> str:
    return f"ketenconf.registration.{edition.pk}"


def session_login(request: HttpRequest, *, registration: Registration) -> None:
    request.session.cycle_key()
    request.session[_key(registration.edition)] = [registration.pk, registration.access_version]
    participant_acting(request, registration)


def session_logout(request: HttpRequest, *, edition: Edition) -> None:
    request.session.pop(_key(edition), None)


def session_registration(request: HttpRequest, *, edition: Edition) -> Registration | None:
    """The registration this browser opened with a personal link, if it still stands."""
    stored = request.session.get(_key(edition))
    if not stored:
        return None
    pk, version = stored
    registration = (
        Registration.objects.select_related("edition", "organisation")
        .filter(pk=pk, edition=edition, access_version=version, anonymised_at__isnull=True)
        .first()
    )
    if registration is None:
        session_logout(request, edition=edition)
    else:
        participant_acting(request, registration)  # the audit trail's who
    return registration
