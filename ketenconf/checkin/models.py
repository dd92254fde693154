"""The day itself: who came in at which door, who sat in which session, and printed badges.

A check-in is a row per arrival: one entry per registration (at any door), and one per
registration per session for the rooms. Unique constraints are the backstop behind the
locking service, and the client's nonce is unique so that a retried scan counts once.
"""

from __future__ import annotations

from typing import ClassVar, Self

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ketenconf.core.tenancy import edition_scoped
from ketenconf.events.models import Edition
from ketenconf.programme.models import Session
from ketenconf.registration.models import Registration


class CheckInKind(models.TextChoices):
    ENTRY = "entry", _("entry")
    ROOM = "room", _("room")


class CheckIn(models.Model):
    edition = models.ForeignKey(
        Edition, on_delete=models.CASCADE, related_name="check_ins", verbose_name=_("edition")
    )
    registration = models.ForeignKey(
        Registration,
        on_delete=models.CASCADE,
        related_name="check_ins",
        verbose_name=_("registration"),
    )
    kind = models.CharField(_("kind"), max_length=8, choices=CheckInKind.choices)
    session = models.ForeignKey(
        Session,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="check_ins",
        verbose_name=_("session"),
    )
    door = models.CharField(_("door"), max_length=40, blank=True)
    at = models.DateTimeField(_("checked in at"))
    #: Sent by the scanning page with every scan; a retry sends the same one.
    nonce = models.CharField(_("nonce"), max_length=64, unique=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("checked in by"),
    )

    objects: ClassVar[models.Manager[Self]] = edition_scoped()

    class Meta:
        ordering = ["edition", "at", "pk"]
        verbose_name = _("check-in")
        verbose_name_plural = _("check-ins")
        constraints = [
            models.UniqueConstraint(
                fields=["edition", "registration"],
                condition=Q(kind="entry"),
                name="one_entry_per_registration",
            ),
            models.UniqueConstraint(
                fields=["registration", "session"],
                condition=Q(kind="room"),
                name="one_room_check_in_per_session",
            ),
            models.CheckConstraint(
                condition=(Q(kind="entry", session__isnull=True))
                | (Q(kind="room", session__isnull=False)),
                name="room_check_in_names_its_session",
            ),
        ]
        indexes = [
            models.Index(fields=["edition", "kind", "at"], name="checkin_edition_kind_at"),
        ]

    def __str__(self) -> str:
        return f"{self.registration_id} {self.kind} {self.at:%H:%M}"


class CheckInSettings(models.Model):
    """What the organisers decide for the day of one edition."""

    edition = models.OneToOneField(
        Edition, on_delete=models.CASCADE, related_name="check_in_settings"
    )
    allow_switching = models.BooleanField(
        _("let participants into other sessions"),
        default=False,
        help_text=_(
            "At the room doors, let people in who are not assigned to the session, while seats "
            "are left."
        ),
    )
    walk_ins = models.BooleanField(
        _("register walk-ins at the desk"),
        default=True,
        help_text=_("Door staff may register people at the desk while seats are left."),
    )

    objects: ClassVar[models.Manager[Self]] = edition_scoped()

    class Meta:
        verbose_name = _("check-in settings")
        verbose_name_plural = _("check-in settings")

    def __str__(self) -> str:
        return str(self.edition)


class Badge(models.Model):
    """A registration's badge version: a lost badge is stopped by moving to the next version.

    Registrations without a row have version 0.
    """

    registration = models.OneToOneField(
        Registration, on_delete=models.CASCADE, related_name="badge"
    )
    version = models.PositiveIntegerField(default=0)

    objects: ClassVar[models.Manager[Self]] = edition_scoped("registration__edition")

    class Meta:
        verbose_name = _("badge")
        verbose_name_plural = _("badges")

    def __str__(self) -> str:
        return f"badge {self.version} of {self.registration_id}"


class BadgeFormat(models.TextChoices):
    A6 = "a6", _("A6 cards, programme on the back")
    LABELS = "labels", _("A4 sheets of 8 labels")


class BatchStatus(models.TextChoices):
    QUEUED = "queued", _("queued")
    RUNNING = "running", _("running")
    DONE = "done", _("done")
    FAILED = "failed", _("failed")


class BadgeBatch(models.Model):
    """All badges of an edition in one PDF, made by the worker; the page polls its progress."""

    edition = models.ForeignKey(
        Edition, on_delete=models.CASCADE, related_name="badge_batches", verbose_name=_("edition")
    )
    format = models.CharField(
        _("format"), max_length=8, choices=BadgeFormat.choices, default=BadgeFormat.A6
    )
    status = models.CharField(
        _("status"), max_length=8, choices=BatchStatus.choices, default=BatchStatus.QUEUED
    )
    total = models.PositiveIntegerField(_("badges"), default=0)
    done = models.PositiveIntegerField(_("badges made"), default=0)
    file = models.CharField(_("file"), max_length=300, blank=True)
    error = models.TextField(_("error"), blank=True)
    seconds = models.FloatField(_("seconds"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("started by"),
    )
    created_at = models.DateTimeField(_("started at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    objects: ClassVar[models.Manager[Self]] = edition_scoped()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("badge batch")
        verbose_name_plural = _("badge batches")
        constraints = [
            models.CheckConstraint(
                condition=Q(done__lte=models.F("total")), name="badge_batch_done_within_total"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.edition} {self.format} {self.pk}"

    @property
    def is_finished(self) -> bool:
        return self.status in (BatchStatus.DONE, BatchStatus.FAILED)

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 100
