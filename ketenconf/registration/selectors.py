"""Reads on registrations."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet

from ketenconf.events.models import Edition

from .models import Registration, RegistrationStatus


def waitlist_position(*, registration: Registration) -> int | None:
    """1 for the first on the waiting list; ``None`` when not on it."""
    if registration.status != RegistrationStatus.WAITLISTED or registration.waitlisted_at is None:
        return None
    ahead = Registration.objects.filter(
        edition_id=registration.edition_id, status=RegistrationStatus.WAITLISTED
    ).filter(
        Q(waitlisted_at__lt=registration.waitlisted_at)
        | Q(waitlisted_at=registration.waitlisted_at, pk__lt=registration.pk)
    )
    return ahead.count() + 1


def waitlist(*, edition: Edition) -> QuerySet[Registration]:
    return Registration.objects.filter(
        edition=edition, status=RegistrationStatus.WAITLISTED
    ).order_by("waitlisted_at", "pk")


def edition_counts(*, edition: Edition) -> dict[str, Any]:
    """The edition's capacity and its registrations counted by status (every status listed)."""
    counted = dict(
        Registration.objects.filter(edition=edition)
        .values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    return {
        "slug": edition.slug,
        "status": edition.status,
        "capacity": edition.capacity,
        "seats_taken": edition.seats_taken,
        "counts": {status: counted.get(status, 0) for status in RegistrationStatus.values},
    }
