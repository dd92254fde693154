"""The secret address of a participant's personal calendar.

A calendar app fetches the address every few hours without logging in, so the address is the
key. Only a random ``key`` is stored; the address adds a keyed hash of it (the site's
``SECRET_KEY``), so a copy of the database alone gives no working address. A new key is a new
address: the old one stops working at once.
"""

from __future__ import annotations

from typing import ClassVar, Self

from django.db import models
from django.utils.translation import gettext_lazy as _

from ketenconf.core.tenancy import edition_scoped
from ketenconf.registration.models import Registration


class CalendarFeed(models.Model):
    registration = models.OneToOneField(
        Registration, on_delete=models.CASCADE, related_name="calendar_feed"
    )
    key = models.CharField(max_length=32, unique=True)
    created_at = models.DateTimeField(_("made at"), auto_now_add=True)

    objects: ClassVar[models.Manager[Self]] = edition_scoped("registration__edition")

    class Meta:
        verbose_name = _("calendar address")
        verbose_name_plural = _("calendar addresses")

    def __str__(self) -> str:
        return f"calendar of registration {self.registration_id}"
