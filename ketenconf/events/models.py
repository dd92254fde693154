"""Organisations of the chain, the series they run together, and its editions."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any, ClassVar, Self

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ketenconf.core.tenancy import edition_scoped


class OrganisationKind(models.TextChoices):
    MINISTRY = "ministry", _("ministry")
    NATIONAL_AGENCY = "national_agency", _("national agency")
    MUNICIPALITY = "municipality", _("municipality")
    MUNICIPAL_ASSOCIATION = "municipal_association", _("municipal association")
    POLICE = "police", _("police")
    NGO = "ngo", _("NGO")
    CIVIL_SOCIETY = "civil_society", _("civil society")
    KNOWLEDGE_INSTITUTE = "knowledge_institute", _("knowledge institute")
    BUSINESS = "business", _("business")
    OTHER = "other", _("other")


class ChainLink(models.TextChoices):
    """The links of the migration chain an organisation works on."""

    ARRIVAL = "arrival", _("arrival")
    RECEPTION = "reception", _("reception")
    ASYLUM_PROCEDURE = "asylum_procedure", _("asylum procedure")
    HOUSING = "housing", _("housing")
    INTEGRATION = "integration", _("integration and participation")
    RETURN = "return", pgettext_lazy("chain link", "return")
    RESETTLEMENT = "resettlement", _("resettlement")
    LABOUR_MIGRATION = "labour_migration", _("labour migration")


def validate_chain_links(value: object) -> None:
    if not isinstance(value, list) or any(item not in ChainLink.values for item in value):
        raise ValidationError(
            _("Choose links of the chain from: %(choices)s."),
            params={"choices": ", ".join(ChainLink.values)},
        )
    if len(set(value)) != len(value):
        raise ValidationError(_("Each link of the chain may be chosen once."))


class Organisation(models.Model):
    name = models.CharField(_("name"), max_length=200, unique=True)
    short_name = models.CharField(_("short name"), max_length=40, blank=True)
    kind = models.CharField(_("kind"), max_length=32, choices=OrganisationKind.choices)
    chain_links = models.JSONField(
        _("links of the chain"), default=list, blank=True, validators=[validate_chain_links]
    )
    #: A name typed by someone who is not an organiser (a registrant, a stand's or a
    #: session's applicant) is a proposal until an organiser of ``proposed_in`` accepts it or
    #: merges it into a known organisation; only accepted ones are suggested to visitors.
    accepted = models.BooleanField(_("accepted"), default=True)
    proposed_in = models.ForeignKey(
        "Edition",
        verbose_name=_("proposed in"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="proposed_organisations",
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        constraints = [
            models.UniqueConstraint(
                Lower("name"),
                name="organisation_name_unique_in_any_case",
                violation_error_message=_("An organisation with this name exists already."),
            ),
        ]

    def __str__(self) -> str:
        return self.short_name or self.name

    @property
    def chain_link_labels(self) -> list[str]:
        labels = dict(ChainLink.choices)
        return [str(labels[link]) for link in self.chain_links if link in labels]


class Series(models.Model):
    """A conference that partner organisations hold again and again, the lead passing by turns."""

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), unique=True)
    description = models.TextField(_("description"), blank=True, help_text=_("Markdown."))
    partners = models.ManyToManyField(
        Organisation, through="SeriesPartner", related_name="series", verbose_name=_("partners")
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("series")
        verbose_name_plural = pgettext_lazy("plural", "series")

    def __str__(self) -> str:
        return self.name


class SeriesPartner(models.Model):
    """A partner organisation of a series; ``position`` is its place in the rotation of the lead."""

    series = models.ForeignKey(Series, on_delete=models.CASCADE, related_name="partnerships")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    position = models.PositiveSmallIntegerField(_("place in the rotation"))

    class Meta:
        ordering = ["series", "position"]
        verbose_name = _("partner")
        verbose_name_plural = _("partners")
        constraints = [
            models.UniqueConstraint(
                fields=["series", "organisation"], name="partner_once_per_series"
            ),
            models.UniqueConstraint(fields=["series", "position"], name="one_partner_per_position"),
        ]

    def __str__(self) -> str:
        return f"{self.series}: {self.organisation}"


class Venue(models.Model):
    name = models.CharField(_("name"), max_length=200)
    address = models.CharField(_("address"), max_length=200, blank=True)
    city = models.CharField(_("city"), max_length=100)

    class Meta:
        ordering = ["city", "name"]
        verbose_name = _("venue")
        verbose_name_plural = _("venues")

    def __str__(self) -> str:
        return f"{self.name}, {self.city}"


class EditionStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    PUBLISHED = "published", _("published")
    REGISTRATION_OPEN = "registration_open", _("registration open")
    REGISTRATION_CLOSED = "registration_closed", _("registration closed")
    FINISHED = "finished", _("finished")
    ARCHIVED = "archived", _("archived")


PUBLIC_STATUSES = [s for s in EditionStatus.values if s != EditionStatus.DRAFT]

# Paths at the top of the site that an edition's slug would shadow.
RESERVED_SLUGS = frozenset(
    {"admin", "api", "checkin", "organise", "static", "media", "en", "nl", "health", "ready"}
    | {"invitation"}  # /organise/invitation/<token>/: the page an invitation opens
)


def validate_edition_slug(value: str) -> None:
    if value in RESERVED_SLUGS:
        raise ValidationError(
            _("%(slug)s is reserved for the site itself; choose another slug."),
            params={"slug": value},
        )


class Edition(models.Model):
    series = models.ForeignKey(
        Series, verbose_name=_("series"), on_delete=models.PROTECT, related_name="editions"
    )
    slug = models.SlugField(
        _("slug"),
        unique=True,
        validators=[validate_edition_slug],
        help_text=_("The edition's address, for example ketenconferentie-2018."),
    )
    title = models.CharField(_("title"), max_length=200)
    theme = models.CharField(_("theme"), max_length=300, blank=True)
    description = models.TextField(_("description"), blank=True, help_text=_("Markdown."))
    start_date = models.DateField(_("first day"))
    end_date = models.DateField(_("last day"))
    venue = models.ForeignKey(
        Venue, verbose_name=_("venue"), on_delete=models.PROTECT, related_name="editions"
    )
    capacity = models.PositiveIntegerField(_("capacity"), help_text=_("Seats for participants."))
    status = models.CharField(
        _("status"), max_length=24, choices=EditionStatus.choices, default=EditionStatus.DRAFT
    )
    lead_organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("lead organisation"),
        on_delete=models.PROTECT,
        related_name="led_editions",
    )
    seats_taken = models.PositiveIntegerField(
        _("seats taken"),
        default=0,
        editable=False,
        help_text=_(
            "Kept by the registration services; the database refuses more than the capacity."
        ),
    )
    confirmation_hours = models.PositiveSmallIntegerField(
        _("hours to confirm the email address"),
        default=48,
        validators=[MinValueValidator(1)],
        help_text=_(
            "A registration not confirmed within this time is released and its seat offered on."
        ),
    )
    ranking_opens_at = models.DateTimeField(
        _("ranking opens"),
        null=True,
        blank=True,
        help_text=_(
            "From this moment participants rank the workshops; empty: from their registration."
        ),
    )
    ranking_closes_at = models.DateTimeField(
        _("ranking closes"),
        null=True,
        blank=True,
        help_text=_("After this moment rankings no longer change; empty: until the assignment."),
    )
    retention_days = models.PositiveSmallIntegerField(
        _("retention of personal data (days)"),
        default=90,
        validators=[MinValueValidator(1)],
        help_text=_("Days after the last day of the edition until personal data is anonymised."),
    )
    reoffer_minutes_before = models.PositiveSmallIntegerField(
        _("re-offer seats minutes before each round"),
        null=True,
        blank=True,
        default=20,
        validators=[MinValueValidator(1)],
        help_text=_(
            "On the day, the seats of participants who have not arrived are offered to those "
            "who are there, this many minutes before each workshop round. Empty: not "
            "automatically (the day's page can still do it)."
        ),
    )
    doors_open_at = models.DateTimeField(
        _("doors open at"),
        null=True,
        blank=True,
        help_text=_(
            "Until then participants may change whether they want a better seat on the day "
            "and from which round they come. Empty: the start of the first workshop round."
        ),
    )

    class Meta:
        ordering = ["-start_date"]
        verbose_name = _("edition")
        verbose_name_plural = _("editions")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")), name="edition_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(seats_taken__lte=F("capacity")),
                name="edition_never_overbooked",
                violation_error_message=_(
                    "The capacity cannot be lower than the seats already taken."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args: Any, **kwargs: Any) -> None:
        # seats_taken belongs to the registration services, which change it with one
        # conditional UPDATE; saving an edition read earlier must never write it back.
        if not self._state.adding and kwargs.get("update_fields") is None:
            kwargs["update_fields"] = [
                field.name
                for field in self._meta.concrete_fields
                if not field.primary_key and field.name != "seats_taken"
            ]
        super().save(*args, **kwargs)

    @property
    def is_public(self) -> bool:
        return self.status in PUBLIC_STATUSES

    @property
    def registration_is_open(self) -> bool:
        return self.status == EditionStatus.REGISTRATION_OPEN

    def ranking_is_open(self, now: datetime) -> bool:
        """Whether participants may rank the workshops at ``now`` (a window the organisers set)."""
        if self.ranking_opens_at is not None and now < self.ranking_opens_at:
            return False
        return self.ranking_closes_at is None or now < self.ranking_closes_at

    @property
    def seats_left(self) -> int:
        return max(0, self.capacity - self.seats_taken)

    def days(self) -> list[date]:
        count = (self.end_date - self.start_date).days + 1
        return [self.start_date + timedelta(days=n) for n in range(count)]

    def clean(self) -> None:
        from .rules import edition_errors

        errors = edition_errors(self)
        if errors:
            raise ValidationError(errors)


class RoomKind(models.TextChoices):
    """What a room is set up for; the scheduler puts a session only in a room of its kind."""

    WORKSHOP = "workshop", _("workshop room")
    PLENARY = "plenary", _("plenary hall")
    MARKET_FLOOR = "market_floor", _("market floor")


class Room(models.Model):
    """A room of the venue as it is set up for one edition."""

    edition = models.ForeignKey(
        Edition, on_delete=models.CASCADE, related_name="rooms", verbose_name=_("edition")
    )
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(
        _("kind of room"), max_length=16, choices=RoomKind.choices, default=RoomKind.WORKSHOP
    )
    capacity = models.PositiveIntegerField(_("capacity"))
    step_free = models.BooleanField(_("step-free access"), default=True)

    objects: ClassVar[models.Manager[Self]] = edition_scoped()

    class Meta:
        ordering = ["edition", "-capacity", "name"]
        verbose_name = _("room")
        verbose_name_plural = _("rooms")
        constraints = [
            models.UniqueConstraint(
                fields=["edition", "name"], name="room_name_unique_per_edition"
            ),
        ]

    def __str__(self) -> str:
        return self.name
