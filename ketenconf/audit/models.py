"""The audit trail: who changed what in an edition, when, with the values before and after.

One row per change, written by :func:`ketenconf.audit.services.audit_record` in the
transaction of the change itself (a change rolled back leaves no entry). Sign-ins and failed
sign-ins are rows without an edition.
"""

from __future__ import annotations

from typing import ClassVar, Self

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ketenconf.core.tenancy import edition_scoped

from .choices import ActorKind, AuditPart

__all__ = ["ActorKind", "AuditEntry", "AuditPart"]


class AuditEntry(models.Model):
    edition = models.ForeignKey(
        "events.Edition",
        verbose_name=_("edition"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="audit_entries",
    )
    at = models.DateTimeField(_("when"), default=timezone.now)
    part = models.CharField(_("part"), max_length=20, choices=AuditPart.choices)
    #: What was done, a verb: see ketenconf.audit.services.ACTIONS for the words shown.
    action = models.CharField(_("action"), max_length=40)
    actor_kind = models.CharField(_("who"), max_length=12, choices=ActorKind.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    #: The account's name, the token's name or the process, as it was then (kept when the
    #: account or token goes).
    actor_label = models.CharField(_("who (as then)"), max_length=200, blank=True)
    api_token = models.ForeignKey(
        "api.ApiToken",
        verbose_name=_("API token"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    #: The participant acting with their personal link, or the one the change is about.
    registration = models.ForeignKey(
        "registration.Registration",
        verbose_name=_("registration"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    target_type = models.CharField(_("what"), max_length=100, blank=True)  # "app.Model"
    target_id = models.CharField(_("which"), max_length=64, blank=True)
    #: How the row read then (a session's title, a participant's name): anonymised.
    target_label = models.CharField(_("which (as then)"), max_length=300, blank=True)
    before = models.JSONField(_("before"), null=True, blank=True)
    after = models.JSONField(_("after"), null=True, blank=True)
    #: Keys of before/after that hold personal values (a name, an address): they go when the
    #: edition is anonymised.
    personal_keys = models.JSONField(default=list, blank=True)
    anonymised_at = models.DateTimeField(_("anonymised at"), null=True, blank=True)

    objects: ClassVar[models.Manager[Self]] = edition_scoped()

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        indexes = [
            models.Index(fields=["edition", "-at", "-id"], name="audit_edition_at"),
            models.Index(fields=["edition", "part", "-at"], name="audit_edition_part"),
            models.Index(fields=["user", "-at"], name="audit_user_at"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.action} {self.target_type}"
