"""Registrations of participants for an edition, their workshop preferences and personal links."""

from __future__ import annotations

from typing import ClassVar, Self

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ketenconf.core.tenancy import edition_scoped
from ketenconf.core.validators import validate_no_control_characters, validate_no_markup
from ketenconf.events.models import Edition, Organisation
from ketenconf.programme.models import Block, Topic


class RegistrationStatus(models.TextChoices):
    REGISTERED = "registered", _("registered")
    WAITLISTED = "waitlisted", _("on the waiting list")
    CANCELLED = "cancelled", _("cancelled")
    RELEASED = "released", _("released (email not confirmed in time)")


ACTIVE_STATUSES = (RegistrationStatus.REGISTERED, RegistrationStatus.WAITLISTED)


class ParticipantLanguage(models.TextChoices):
    DUTCH = "nl", "Nederlands"
    ENGLISH = "en", "English"


class Registration(models.Model):
    edition = models.ForeignKey(
        Edition, on_delete=models.CASCADE, related_name="registrations", verbose_name=_("edition")
    )
    email = models.EmailField(_("email address"), max_length=254)
    name = models.CharField(
        _("name"), max_length=150, validators=[validate_no_control_characters, validate_no_markup]
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="registrations",
    )
    job_title = models.CharField(
        _("job title"), max_length=150, blank=True, validators=[validate_no_control_characters]
    )
    needs_step_free = models.BooleanField(_("needs step-free rooms"), default=False)
    networking_consent = models.BooleanField(
        _("visible for networking"),
        default=False,
        help_text=_(
            "Other participants may see name, organisation and job title to arrange a meeting."
        ),
    )
    language = models.CharField(
        _("language"), max_length=2, choices=ParticipantLanguage.choices, default="nl"
    )
    status = models.CharField(_("status"), max_length=16, choices=RegistrationStatus.choices)
    created_at = models.DateTimeField(_("registered at"), auto_now_add=True)
    confirmed_at = models.DateTimeField(_("email confirmed at"), null=True, blank=True)
    waitlisted_at = models.DateTimeField(_("on the waiting list since"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    anonymised_at = models.DateTimeField(_("anonymised at"), null=True, blank=True)
    absent_rounds = models.ManyToManyField(
        Block,
        verbose_name=_("rounds not attended"),
        blank=True,
        related_name="+",
    )
    wants_better_seat = models.BooleanField(
        _("wants a better seat if one frees up on the day"),
        default=True,
        help_text=_(
            "On the day, the seats of participants who did not come are offered to those who "
            "are there; with this ticked the participant may be moved to a session they ranked "
            "higher, never to one they ranked lower."
        ),
    )
    arrives_from = models.ForeignKey(
        Block,
        verbose_name=_("comes later, from round"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Keeps the seats from this round on although not checked in earlier."),
    )
    access_version = models.PositiveIntegerField(default=0, editable=False)

    objects: ClassVar[models.Manager[Self]] = edition_scoped()

    class Meta:
        ordering = ["edition", "created_at", "pk"]
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        constraints = [
            models.UniqueConstraint(
                fields=["edition", "email"],
                name="one_registration_per_email_per_edition",
                violation_error_message=_(
                    "This email address is already registered for this edition."
                ),
            ),
        ]
        indexes = [
            models.Index(
                fields=["edition", "waitlisted_at", "id"],
                name="waitlist_order",
                condition=Q(status="waitlisted"),
            ),
            models.Index(fields=["edition", "status"], name="registration_edition_status"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.edition})"

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_STATUSES

    @property
    def has_seat(self) -> bool:
        return self.status == RegistrationStatus.REGISTERED


class Preference(models.Model):
    """A participant's ranked choice of a workshop topic: rank 1 is the first choice."""

    registration = models.ForeignKey(
        Registration, on_delete=models.CASCADE, related_name="preferences"
    )
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="preferences")
    rank = models.PositiveSmallIntegerField(_("rank"), validators=[MinValueValidator(1)])

    objects: ClassVar[models.Manager[Self]] = edition_scoped("registration__edition")

    class Meta:
        ordering = ["registration", "rank"]
        verbose_name = _("preference")
        verbose_name_plural = _("preferences")
        constraints = [
            models.UniqueConstraint(fields=["registration", "topic"], name="topic_ranked_once"),
            models.UniqueConstraint(fields=["registration", "rank"], name="rank_used_once"),
            models.CheckConstraint(condition=Q(rank__gte=1), name="rank_from_one"),
        ]

    def __str__(self) -> str:
        return f"{self.rank}. {self.topic}"


class AccessToken(models.Model):
    """One personal link: single use, expiring. Only a hash of its secret is stored."""

    registration = models.ForeignKey(
        Registration, on_delete=models.CASCADE, related_name="access_tokens"
    )
    secret_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    objects: ClassVar[models.Manager[Self]] = edition_scoped("registration__edition")

    class Meta:
        verbose_name = _("personal link")
        verbose_name_plural = _("personal links")

    def __str__(self) -> str:
        return f"link {self.pk} for registration {self.registration_id}"
