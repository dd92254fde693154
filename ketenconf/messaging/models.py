"""Messages of the organisers to a group of an edition's participants, and the reminders they
switch on per edition.

A message is edition data: its texts and numbers stay listed. Who got it is one
:class:`MessageRecipient` row per registration, unique per message, written in the same
transaction as the outbox mail: that row is what makes a message reach a person exactly once,
however often its queueing runs.
"""

from __future__ import annotations

from typing import ClassVar, Self

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ketenconf.core.tenancy import edition_scoped
from ketenconf.core.validators import validate_no_control_characters
from ketenconf.events.models import Edition
from ketenconf.mail.models import OutboxMessage
from ketenconf.registration.models import Registration


class Group(models.TextChoices):
    """Who a message goes to; some groups name one session, organisation or kind."""

    REGISTERED = "registered", _("everyone with a seat")
    WAITLISTED = "waitlisted", _("the waiting list")
    UNCONFIRMED = "unconfirmed", _("who have not confirmed their email address")
    SESSION = "session", _("the participants of one workshop session")
    ORGANISATION = "organisation", _("the participants of one organisation")
    ORGANISATION_KIND = "organisation_kind", _("the participants of one kind of organisation")
    NOT_RANKED = "not_ranked", _("who have not ranked the workshops yet")
    CHECKED_IN = "checked_in", _("who checked in")
    NOT_CHECKED_IN = "not_checked_in", _("who did not check in")


#: The groups that name one thing (a session's, an organisation's id, a kind).
GROUPS_WITH_VALUE = frozenset({Group.SESSION, Group.ORGANISATION, Group.ORGANISATION_KIND})


class MessageKind(models.TextChoices):
    MESSAGE = "message", _("message")
    RANK_REMINDER = "rank_reminder", _("reminder to rank the workshops")
    PRACTICAL_REMINDER = "practical_reminder", _("practical information")


class MessageStatus(models.TextChoices):
    QUEUEING = "queueing", _("being queued")
    QUEUED = "queued", _("queued")


class Message(models.Model):
    edition = models.ForeignKey(
        Edition, verbose_name=_("edition"), on_delete=models.CASCADE, related_name="messages"
    )
    kind = models.CharField(
        _("kind"), max_length=24, choices=MessageKind.choices, default=MessageKind.MESSAGE
    )
    group = models.CharField(_("to"), max_length=24, choices=Group.choices)
    group_value = models.CharField(_("which"), max_length=64, blank=True)
    group_label = models.CharField(
        _("which, in words"), max_length=300, blank=True, help_text=_("As it was when sent.")
    )
    subject_nl = models.CharField(
        _("subject (Dutch)"), max_length=200, validators=[validate_no_control_characters]
    )
    subject_en = models.CharField(
        _("subject (English)"), max_length=200, validators=[validate_no_control_characters]
    )
    body_nl = models.TextField(_("text (Dutch)"), max_length=20_000)
    body_en = models.TextField(_("text (English)"), max_length=20_000)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sent by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("sent at"), auto_now_add=True)
    status = models.CharField(
        _("status"), max_length=12, choices=MessageStatus.choices, default=MessageStatus.QUEUEING
    )
    recipients = models.PositiveIntegerField(
        _("recipients"),
        default=0,
        help_text=_("The size of the group when it was sent; once queued, the people reached."),
    )
    queued = models.PositiveIntegerField(_("mails queued"), default=0)

    objects: ClassVar[models.Manager[Self]] = edition_scoped()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("message to participants")
        verbose_name_plural = _("messages to participants")
        constraints = [
            models.UniqueConstraint(
                fields=["edition", "kind"],
                condition=~Q(kind="message"),
                name="one_reminder_of_a_kind_per_edition",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=MessageKind.values), name="messaging_message_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.subject_nl

    @property
    def to(self) -> str:
        """The group in words, in the active language."""
        label = str(Group(self.group).label)
        return f"{label}: {self.group_label}" if self.group_label else label


class MessageRecipient(models.Model):
    """One registration a message went to: at most once (the unique constraint)."""

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="deliveries")
    registration = models.ForeignKey(
        Registration, on_delete=models.CASCADE, related_name="messages_received"
    )
    mail = models.ForeignKey(
        OutboxMessage, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects: ClassVar[models.Manager[Self]] = edition_scoped("message__edition")

    class Meta:
        verbose_name = _("recipient of a message")
        verbose_name_plural = _("recipients of messages")
        constraints = [
            models.UniqueConstraint(
                fields=["message", "registration"], name="a_message_reaches_a_person_once"
            ),
        ]

    def __str__(self) -> str:
        return f"message {self.message_id} to registration {self.registration_id}"


class ReminderSettings(models.Model):
    """The reminders an edition's organisers switched on."""

    edition = models.OneToOneField(
        Edition, on_delete=models.CASCADE, related_name="reminder_settings"
    )
    rank_enabled = models.BooleanField(_("remind who have not ranked the workshops"), default=False)
    ranking_closes_on = models.DateField(
        _("ranking closes on"),
        null=True,
        blank=True,
        help_text=_("The last day participants can rank the workshops."),
    )
    rank_days_before = models.PositiveSmallIntegerField(
        _("days before ranking closes"),
        default=3,
        validators=[MinValueValidator(0), MaxValueValidator(60)],
    )
    practical_enabled = models.BooleanField(_("send practical information"), default=False)
    practical_days_before = models.PositiveSmallIntegerField(
        _("days before the first day"),
        default=2,
        validators=[MinValueValidator(0), MaxValueValidator(60)],
    )
    practical_subject_nl = models.CharField(
        _("subject (Dutch)"),
        max_length=200,
        blank=True,
        validators=[validate_no_control_characters],
    )
    practical_subject_en = models.CharField(
        _("subject (English)"),
        max_length=200,
        blank=True,
        validators=[validate_no_control_characters],
    )
    practical_body_nl = models.TextField(_("text (Dutch)"), max_length=20_000, blank=True)
    practical_body_en = models.TextField(_("text (English)"), max_length=20_000, blank=True)

    objects: ClassVar[models.Manager[Self]] = edition_scoped()

    class Meta:
        verbose_name = _("reminders")
        verbose_name_plural = _("reminders")
        constraints = [
            models.CheckConstraint(
                condition=Q(rank_days_before__lte=60) & Q(practical_days_before__lte=60),
                name="messaging_reminder_days_at_most_60",
            ),
        ]

    def __str__(self) -> str:
        return f"reminders of {self.edition}"
