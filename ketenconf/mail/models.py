"""The outbox: every mail the platform sends is first a row here.

A row is written in the same transaction as the change that causes the mail, so the mail
exists if and only if the change commits. The worker sends it and records the outcome.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class OutboxStatus(models.TextChoices):
    PENDING = "pending", _("pending")
    SENDING = "sending", _("sending")
    SENT = "sent", _("sent")
    FAILED = "failed", _("failed")


class OutboxMessage(models.Model):
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    to = models.EmailField(_("to"))
    from_email = models.CharField(_("from"), max_length=254)
    subject = models.CharField(_("subject"), max_length=255)
    body_text = models.TextField(_("plain text"))
    body_html = models.TextField(_("HTML"))
    language = models.CharField(_("language"), max_length=8)
    topic = models.CharField(
        _("topic"),
        max_length=100,
        help_text=_("What the mail is about, for example registration/confirm."),
    )
    edition = models.ForeignKey(
        "events.Edition",
        verbose_name=_("edition"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="outbox_messages",
    )
    message_id = models.CharField(
        _("Message-ID"),
        max_length=255,
        unique=True,
        help_text=_("The Message-ID header: the same on every attempt, so a copy can be spotted."),
    )
    status = models.CharField(
        _("status"),
        max_length=8,
        choices=OutboxStatus.choices,
        default=OutboxStatus.PENDING,
    )
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("outgoing mail")
        verbose_name_plural = _("outgoing mails")
        indexes = [models.Index(fields=["status", "claimed_at"], name="mail_outbox_status_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=OutboxStatus.values), name="mail_outbox_status_valid"
            ),
            models.CheckConstraint(
                condition=~Q(status=OutboxStatus.SENT) | Q(sent_at__isnull=False),
                name="mail_outbox_sent_has_sent_at",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.to}: {self.subject}"
