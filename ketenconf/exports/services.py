"""Writes of the exports: a participant's calendar address, made anew or stopped."""

from __future__ import annotations

import secrets
from datetime import datetime

from django.db import transaction

from ketenconf.events.models import Edition
from ketenconf.registration.models import Registration

from .models import CalendarFeed

KEY_LENGTH = 20  # characters of secrets.token_urlsafe(15)


def calendar_feed_renew(*, registration: Registration) -> CalendarFeed:
    """A new secret calendar address for the participant; the previous one stops working."""
    with transaction.atomic():
        feed, _created = CalendarFeed.objects.update_or_create(
            registration=registration, defaults={"key": secrets.token_urlsafe(15)}
        )
    return feed


def calendar_feed_revoke(*, registration: Registration) -> None:
    """No calendar address any more: calendar apps get 404 and keep nothing new."""
    CalendarFeed.objects.filter(registration=registration).delete()


def edition_calendar_feeds_delete(*, edition: Edition, now: datetime) -> None:
    """At the end of the retention period: the personal calendar addresses stop existing."""
    CalendarFeed.objects.filter(registration__edition=edition).delete()
