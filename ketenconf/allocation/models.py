"""Runs of the workshop assignment for an edition, the seats they give, and organisers' locks.

A run keeps the engine's input (``problem``) and output (``result``) as JSON, so what was
solved can be replayed with ``ketenconf assign``. Its seats are ``Assignment`` rows; the
seats participants see are those of the edition's latest published run. A lock is a seat an
organiser fixed: every later run keeps it.
"""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar, Self

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ketenconf.core.tenancy import edition_scoped
from ketenconf.events.models import Edition
from ketenconf.programme.models import Block, Session
from ketenconf.registration.models import Registration


class RunStatus(models.TextChoices):
    QUEUED = "queued", _("queued")
    RUNNING = "running", _("running")
    DONE = "done", _("done")
    FAILED = "failed", _("failed")


class AssignmentRun(models.Model):
    edition = models.ForeignKey(
        Edition, on_delete=models.CASCADE, related_name="assignment_runs", verbose_name=_("edition")
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
    #: 1 for the first run of its edition, then on: what organisers see ("Indeling 1").
    number = models.PositiveIntegerField(_("number"), null=True, blank=True, editable=False)
    status = models.CharField(
        _("status"), max_length=16, choices=RunStatus.choices, default=RunStatus.QUEUED
    )
    time_limit = models.PositiveIntegerField(
        _("time limit (seconds)"), default=60, validators=[MinValueValidator(1)]
    )
    seed = models.PositiveIntegerField(_("seed"), default=0)
    max_organisation_share = models.FloatField(
        _("largest share of one organisation per session"),
        null=True,
        blank=True,
        validators=[MinValueValidator(0.01), MaxValueValidator(1)],
    )
    participant_count = models.PositiveIntegerField(_("participants"), default=0)
    problem = models.JSONField(_("input"), default=dict, blank=True)
    result = models.JSONField(_("output"), null=True, blank=True)
    #: Problems with the input, as the engine reports them: [{"path": ..., "message": ...}].
    problems = models.JSONField(_("problems with the input"), default=list, blank=True)
    error = models.TextField(_("error"), blank=True)
    progress = models.CharField(_("progress"), max_length=300, blank=True)
    #: Seats an organiser changed by hand in this run after it was solved.
    changed_by_hand = models.PositiveIntegerField(_("seats changed by hand"), default=0)
    started_at = models.DateTimeField(_("solving started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    objective = models.BigIntegerField(_("objective"), null=True, blank=True)
    lower_bound = models.BigIntegerField(_("lower bound"), null=True, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("published by"),
    )

    objects: ClassVar[models.Manager[Self]] = edition_scoped()

    class Meta:
        ordering = ["edition", "-created_at", "-pk"]
        verbose_name = _("assignment run")
        verbose_name_plural = _("assignment runs")
        constraints = [
            models.CheckConstraint(
                condition=Q(published_at__isnull=True) | Q(status="done"),
                name="assignment_run_published_only_when_done",
            ),
            models.UniqueConstraint(
                fields=["edition", "number"], name="assignment_run_number_once_per_edition"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.edition}: run {self.number or self.pk}"

    @property
    def done_at(self) -> datetime | None:
        """When the assignment was published: the last column of the runs table."""
        return self.published_at

    @property
    def is_finished(self) -> bool:
        return self.status in (RunStatus.DONE, RunStatus.FAILED)

    @property
    def is_published(self) -> bool:
        return self.published_at is not None


class Assignment(models.Model):
    """One seat: a registration in a session of a round block, as one run gives it."""

    run = models.ForeignKey(AssignmentRun, on_delete=models.CASCADE, related_name="assignments")
    registration = models.ForeignKey(
        Registration, on_delete=models.CASCADE, related_name="assignments"
    )
    block = models.ForeignKey(Block, on_delete=models.CASCADE, related_name="+")
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="assignments")
    #: The session's topic at this place in the participant's preferences; null: not ranked.
    rank = models.PositiveSmallIntegerField(_("rank"), null=True, blank=True)

    objects: ClassVar[models.Manager[Self]] = edition_scoped("run__edition")

    class Meta:
        ordering = ["run", "registration", "block__start"]
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        constraints = [
            models.UniqueConstraint(
                fields=["run", "registration", "block"], name="one_seat_per_round_per_run"
            ),
        ]
        indexes = [models.Index(fields=["run", "session"], name="assignment_run_session")]

    def __str__(self) -> str:
        return f"{self.registration_id} → {self.session_id}"


class AssignmentLock(models.Model):
    """A seat an organiser fixed: later runs keep it (it goes to the engine as ``fixed``)."""

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="+")
    registration = models.ForeignKey(
        Registration, on_delete=models.CASCADE, related_name="assignment_locks"
    )
    block = models.ForeignKey(Block, on_delete=models.CASCADE, related_name="+")
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="+")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects: ClassVar[models.Manager[Self]] = edition_scoped()

    class Meta:
        ordering = ["edition", "registration", "block__start"]
        verbose_name = _("locked seat")
        verbose_name_plural = _("locked seats")
        constraints = [
            models.UniqueConstraint(fields=["registration", "block"], name="one_lock_per_round"),
        ]

    def __str__(self) -> str:
        return f"{self.registration_id} → {self.session_id} (locked)"


class ReofferStatus(models.TextChoices):
    PREVIEW = "preview", _("preview")
    PUBLISHED = "published", _("published")
    NOTHING = "nothing", _("nothing published")


class Reoffer(models.Model):
    """The seats of participants who did not come, offered on the day to those who are there.

    A preview keeps the snapshot it was computed on (who had checked in at the door), the
    engine's input and output, the moves and the figures; confirming it publishes a new run
    (``run``) once. See ``allocation/reoffer.py``.
    """

    objects: ClassVar[models.Manager[Self]] = edition_scoped()

    edition = models.ForeignKey(
        Edition, on_delete=models.CASCADE, related_name="reoffers", verbose_name=_("edition")
    )
    #: The first round re-offered; it and every later round are.
    before_block = models.ForeignKey(
        Block, on_delete=models.CASCADE, related_name="+", verbose_name=_("from round")
    )
    #: Its number among the edition's workshop rounds, counted from 1.
    round_number = models.PositiveSmallIntegerField(_("from round number"))
    created_at = models.DateTimeField(_("previewed at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("previewed by"),
    )
    automatic = models.BooleanField(_("automatic"), default=False)
    #: The run published when the preview was made: confirming needs it still published.
    base_run = models.ForeignKey(
        AssignmentRun, on_delete=models.CASCADE, related_name="+", verbose_name=_("based on run")
    )
    #: Registrations checked in at the door when the preview was made (their pks).
    present = models.JSONField(_("checked in at the preview"), default=list)
    problem = models.JSONField(_("input"), default=dict)
    result = models.JSONField(_("output"), null=True, blank=True)
    #: participant id → round id → session id, the re-offered rounds only.
    seats = models.JSONField(_("new seats"), default=dict)
    #: [{"registration": pk, "round": block pk, "from": session pk | null, "to": session pk,
    #: "gain": ranks gained | null}]
    moves = models.JSONField(_("moves"), default=list)
    #: Per round and in total: freed, refilled, upgrades, ranks_gained, walk_ins, empty.
    figures = models.JSONField(_("figures"), default=dict)
    status = models.CharField(
        _("status"), max_length=16, choices=ReofferStatus.choices, default=ReofferStatus.PREVIEW
    )
    message = models.TextField(_("message"), blank=True)
    seconds = models.FloatField(_("seconds"), default=0)
    run = models.OneToOneField(
        AssignmentRun,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reoffer",
        verbose_name=_("published run"),
    )
    #: Participants left in their old seats at publication (checked in after the preview).
    kept_in_place = models.PositiveIntegerField(_("left in place at publication"), default=0)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("confirmed by"),
    )

    class Meta:
        ordering = ["edition", "-created_at", "-pk"]
        verbose_name = _("re-offer")
        verbose_name_plural = _("re-offers")

    def __str__(self) -> str:
        return f"{self.edition}: re-offer {self.pk} from round {self.round_number}"
