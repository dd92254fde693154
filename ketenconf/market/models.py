"""The information market: stand applications, the floor grid, and stands participants saved.

An organisation applies for a stand through a public form; the contact person gets a
personal link to see, change or withdraw the application until organisers decide. Accepted
stands are placed on the edition's floor: a grid of numbered positions the organisers
define, some with power, some large. ``position_locked`` marks a stand an organiser moved by
hand: automatic placement leaves it where it is.
"""

from __future__ import annotations

from typing import ClassVar, Self

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ketenconf.core.tenancy import edition_scoped
from ketenconf.core.validators import validate_no_control_characters, validate_no_markup
from ketenconf.events.models import Edition, Organisation
from ketenconf.registration.models import ParticipantLanguage, Registration


class FloorPosition(models.Model):
    edition = models.ForeignKey(
        Edition, on_delete=models.CASCADE, related_name="floor_positions", verbose_name=_("edition")
    )
    number = models.PositiveIntegerField(_("number"), validators=[MinValueValidator(1)])
    row = models.PositiveSmallIntegerField(_("row"))
    column = models.PositiveSmallIntegerField(_("column"))
    has_power = models.BooleanField(_("power"), default=False)
    is_large = models.BooleanField(_("large"), default=False)

    objects: ClassVar[models.Manager[Self]] = edition_scoped()

    class Meta:
        ordering = ["edition", "number"]
        verbose_name = _("floor position")
        verbose_name_plural = _("floor positions")
        constraints = [
            models.UniqueConstraint(
                fields=["edition", "number"],
                name="floor_position_number_unique",
                violation_error_message=_("This edition already has a position with this number."),
            ),
            models.UniqueConstraint(
                fields=["edition", "row", "column"],
                name="floor_position_cell_unique",
                violation_error_message=_("This edition already has a position in this place."),
            ),
        ]

    def __str__(self) -> str:
        return str(_("position %(number)s") % {"number": self.number})


class StandStatus(models.TextChoices):
    APPLIED = "applied", _("applied")
    ACCEPTED = "accepted", _("accepted")
    REJECTED = "rejected", _("not accepted")
    WITHDRAWN = "withdrawn", _("withdrawn")


class Stand(models.Model):
    edition = models.ForeignKey(
        Edition, on_delete=models.CASCADE, related_name="stands", verbose_name=_("edition")
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="stands",
        verbose_name=_("organisation"),
    )
    name = models.CharField(
        _("name of the stand"),
        max_length=150,
        validators=[validate_no_control_characters, validate_no_markup],
    )
    description = models.TextField(
        _("description"), max_length=2000, validators=[validate_no_control_characters]
    )
    themes = models.JSONField(_("themes"), default=list, blank=True)
    needs_power = models.BooleanField(_("needs power"), default=False)
    needs_large = models.BooleanField(_("needs a large position"), default=False)
    other_needs = models.CharField(
        _("other needs"), max_length=300, blank=True, validators=[validate_no_control_characters]
    )
    contact_name = models.CharField(
        _("contact person"), max_length=150, validators=[validate_no_control_characters]
    )
    contact_email = models.EmailField(_("contact email address"))
    language = models.CharField(
        _("language"), max_length=2, choices=ParticipantLanguage.choices, default="nl"
    )
    status = models.CharField(
        _("status"), max_length=16, choices=StandStatus.choices, default=StandStatus.APPLIED
    )
    position = models.OneToOneField(
        FloorPosition,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="stand",
        verbose_name=_("position"),
    )
    position_locked = models.BooleanField(
        _("placed by hand"),
        default=False,
        help_text=_("Automatic placement leaves a stand placed by hand where it is."),
    )
    access_version = models.PositiveIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(_("applied at"), auto_now_add=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    objects: ClassVar[models.Manager[Self]] = edition_scoped()

    class Meta:
        ordering = ["edition", "name", "pk"]
        verbose_name = _("stand")
        verbose_name_plural = _("stands")
        constraints = [
            models.CheckConstraint(
                condition=Q(position__isnull=True) | Q(status="accepted"),
                name="stand_placed_only_when_accepted",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class SavedStand(models.Model):
    """A stand a participant put on their personal programme."""

    registration = models.ForeignKey(
        Registration, on_delete=models.CASCADE, related_name="saved_stands"
    )
    stand = models.ForeignKey(Stand, on_delete=models.CASCADE, related_name="saved_by")
    created_at = models.DateTimeField(auto_now_add=True)

    objects: ClassVar[models.Manager[Self]] = edition_scoped("stand__edition")

    class Meta:
        ordering = ["registration", "created_at", "pk"]
        verbose_name = _("saved stand")
        verbose_name_plural = _("saved stands")
        constraints = [
            models.UniqueConstraint(fields=["registration", "stand"], name="stand_saved_once"),
        ]

    def __str__(self) -> str:
        return f"{self.registration} ★ {self.stand}"
