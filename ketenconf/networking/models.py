"""Networking across organisations: what people want to talk about, requests, slots and tables,
the runs of the matchmaking engine and the meetings they propose.

A meeting is stored with its two registrations in primary-key order, so a pair is one row;
each of the two answers for themselves, and the meeting's ``status`` follows from both
answers (declined as soon as one declines). Declined and cancelled meetings stay, so a later
run never proposes the same pair again, but they free their place at the table.
"""

from __future__ import annotations

from typing import ClassVar, Self

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.formats import time_format
from django.utils.translation import gettext_lazy as _

from ketenconf.core.tenancy import edition_scoped
from ketenconf.events.models import Edition
from ketenconf.programme.models import Block
from ketenconf.registration.models import Registration

NETWORKING_BLOCK_KINDS = ("networking", "market", "drinks", "break")


class NetworkingSlot(models.Model):
    """A time in which people meet at the tables, e.g. 15 minutes during the market."""

    edition = models.ForeignKey(
        Edition,
        on_delete=models.CASCADE,
        related_name="networking_slots",
        verbose_name=_("edition"),
    )
    block = models.ForeignKey(
        Block,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="networking_slots",
        verbose_name=_("block"),
        limit_choices_to={"kind__in": NETWORKING_BLOCK_KINDS},
        help_text=_("The part of the day it falls in: networking, market, break or drinks."),
    )
    start = models.DateTimeField(_("start"))
    end = models.DateTimeField(_("end"))

    objects: ClassVar[models.Manager[Self]] = edition_scoped()

    class Meta:
        ordering = ["edition", "start", "pk"]
        verbose_name = _("networking slot")
        verbose_name_plural = _("networking slots")
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gt=F("start")), name="networking_slot_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        start = time_format(timezone.localtime(self.start), "H:i")
        return f"{start}–{time_format(timezone.localtime(self.end), 'H:i')}"


class NetworkingTable(models.Model):
    """A numbered table; a table of four seats holds two meetings at once."""

    edition = models.ForeignKey(
        Edition,
        on_delete=models.CASCADE,
        related_name="networking_tables",
        verbose_name=_("edition"),
    )
    number = models.PositiveIntegerField(_("number"), validators=[MinValueValidator(1)])
    seats = models.PositiveSmallIntegerField(
        _("seats"), default=4, validators=[MinValueValidator(2)]
    )

    objects: ClassVar[models.Manager[Self]] = edition_scoped()

    class Meta:
        ordering = ["edition", "number"]
        verbose_name = _("networking table")
        verbose_name_plural = _("networking tables")
        constraints = [
            models.UniqueConstraint(
                fields=["edition", "number"],
                name="networking_table_number_unique",
                violation_error_message=_("This edition already has a table with this number."),
            ),
            models.CheckConstraint(condition=Q(seats__gte=2), name="networking_table_two_seats"),
        ]

    def __str__(self) -> str:
        return str(_("table %(number)s") % {"number": self.number})


class NetworkingProfile(models.Model):
    """What a participant wants to talk about and which kinds of organisation to meet."""

    registration = models.OneToOneField(
        Registration, on_delete=models.CASCADE, related_name="networking_profile"
    )
    interests = models.JSONField(_("interests"), default=list, blank=True)
    wanted_kinds = models.JSONField(_("kinds of organisation to meet"), default=list, blank=True)
    updated_at = models.DateTimeField(_("changed at"), auto_now=True)

    objects: ClassVar[models.Manager[Self]] = edition_scoped("registration__edition")

    class Meta:
        verbose_name = _("networking profile")
        verbose_name_plural = _("networking profiles")

    def __str__(self) -> str:
        return str(self.registration)


class RequestStatus(models.TextChoices):
    PENDING = "pending", _("awaiting an answer")
    ACCEPTED = "accepted", _("accepted")
    DECLINED = "declined", _("declined")


class MeetingRequest(models.Model):
    """One participant asks to meet another; nothing happens until the other accepts."""

    edition = models.ForeignKey(
        Edition,
        on_delete=models.CASCADE,
        related_name="meeting_requests",
        verbose_name=_("edition"),
    )
    requester = models.ForeignKey(
        Registration,
        on_delete=models.CASCADE,
        related_name="meeting_requests_made",
        verbose_name=_("asked by"),
    )
    target = models.ForeignKey(
        Registration,
        on_delete=models.CASCADE,
        related_name="meeting_requests_received",
        verbose_name=_("asked"),
    )
    status = models.CharField(
        _("status"), max_length=16, choices=RequestStatus.choices, default=RequestStatus.PENDING
    )
    created_at = models.DateTimeField(_("asked at"), auto_now_add=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)

    objects: ClassVar[models.Manager[Self]] = edition_scoped()

    class Meta:
        ordering = ["edition", "created_at", "pk"]
        verbose_name = _("meeting request")
        verbose_name_plural = _("meeting requests")
        constraints = [
            models.UniqueConstraint(
                fields=["requester", "target"], name="meeting_request_once_per_pair"
            ),
            models.CheckConstraint(
                condition=~Q(requester=F("target")), name="meeting_request_not_to_self"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.requester} → {self.target}"


class MatchRunStatus(models.TextChoices):
    QUEUED = "queued", _("queued")
    RUNNING = "running", _("running")
    DONE = "done", _("done")
    FAILED = "failed", _("failed")


class MatchRun(models.Model):
    """One run of the matchmaking engine, with its input and output as JSON.

    Small editions are solved in the organiser's request; large ones are queued for the worker,
    and the run says how far it got.
    """

    edition = models.ForeignKey(
        Edition, on_delete=models.CASCADE, related_name="match_runs", verbose_name=_("edition")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("started by"),
    )
    created_at = models.DateTimeField(_("started at"), auto_now_add=True)
    max_meetings = models.PositiveSmallIntegerField(_("meetings per person at most"), default=3)
    problem = models.JSONField(_("input"), default=dict, blank=True)
    result = models.JSONField(_("output"), default=dict, blank=True)
    proposed = models.PositiveIntegerField(_("meetings proposed"), default=0)
    weight = models.PositiveIntegerField(_("total weight"), default=0)
    upper_bound = models.PositiveIntegerField(_("upper bound"), default=0)
    seconds = models.FloatField(_("seconds"), default=0)
    status = models.CharField(
        _("status"), max_length=16, choices=MatchRunStatus.choices, default=MatchRunStatus.DONE
    )
    seed = models.PositiveIntegerField(_("seed"), default=0)
    time_limit = models.FloatField(_("time limit (seconds)"), default=30.0)
    error = models.TextField(_("error"), blank=True)

    objects: ClassVar[models.Manager[Self]] = edition_scoped()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("matchmaking run")
        verbose_name_plural = _("matchmaking runs")

    def __str__(self) -> str:
        return f"{self.edition}: {self.created_at:%Y-%m-%d %H:%M}"


class MeetingStatus(models.TextChoices):
    PROPOSED = "proposed", _("proposed")
    ACCEPTED = "accepted", _("accepted")
    DECLINED = "declined", _("declined")
    CANCELLED = "cancelled", _("cancelled")


class Answer(models.TextChoices):
    OPEN = "open", _("no answer yet")
    ACCEPTED = "accepted", _("accepted")
    DECLINED = "declined", _("declined")


#: Meetings that take a place at a table and a person's time.
ACTIVE_MEETING = Q(status__in=[MeetingStatus.PROPOSED, MeetingStatus.ACCEPTED])


class Meeting(models.Model):
    edition = models.ForeignKey(
        Edition, on_delete=models.CASCADE, related_name="meetings", verbose_name=_("edition")
    )
    run = models.ForeignKey(
        MatchRun, on_delete=models.SET_NULL, null=True, blank=True, related_name="meetings"
    )
    slot = models.ForeignKey(
        NetworkingSlot, on_delete=models.PROTECT, related_name="meetings", verbose_name=_("slot")
    )
    table = models.ForeignKey(
        NetworkingTable, on_delete=models.PROTECT, related_name="meetings", verbose_name=_("table")
    )
    first = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="+")
    second = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="+")
    first_answer = models.CharField(max_length=16, choices=Answer.choices, default=Answer.OPEN)
    second_answer = models.CharField(max_length=16, choices=Answer.choices, default=Answer.OPEN)
    status = models.CharField(
        _("status"), max_length=16, choices=MeetingStatus.choices, default=MeetingStatus.PROPOSED
    )
    from_request = models.BooleanField(_("asked for"), default=False)
    weight = models.PositiveIntegerField(_("weight"), default=0)
    shared_interests = models.JSONField(_("shared interests"), default=list, blank=True)
    created_at = models.DateTimeField(_("proposed at"), auto_now_add=True)

    objects: ClassVar[models.Manager[Self]] = edition_scoped()

    class Meta:
        ordering = ["edition", "slot__start", "table__number", "pk"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        constraints = [
            models.CheckConstraint(condition=Q(first__lt=F("second")), name="meeting_pair_ordered"),
            models.UniqueConstraint(fields=["first", "second"], name="meeting_pair_once"),
            models.UniqueConstraint(
                fields=["slot", "first"],
                condition=ACTIVE_MEETING,
                name="meeting_first_once_per_slot",
            ),
            models.UniqueConstraint(
                fields=["slot", "second"],
                condition=ACTIVE_MEETING,
                name="meeting_second_once_per_slot",
            ),
        ]
        indexes = [models.Index(fields=["edition", "status"], name="meeting_edition_status")]

    def __str__(self) -> str:
        return f"{self.first} & {self.second}"

    def other(self, registration: Registration) -> Registration:
        return self.second if registration.pk == self.first_id else self.first

    def answer_of(self, registration: Registration) -> str:
        return self.first_answer if registration.pk == self.first_id else self.second_answer
