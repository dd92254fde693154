"""The call for sessions of an edition: proposals, their hosts, reviews, interest, schedule runs.

Partners propose workshops before the call's deadline; the organising team (staff of the
edition's lead and partner organisations) reviews and accepts or rejects them; an accepted
proposal becomes a topic with hosts, and the scheduler places topics in rounds and rooms.
"""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar, Self

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ketenconf.core.tenancy import edition_scoped
from ketenconf.core.validators import validate_no_control_characters, validate_no_markup
from ketenconf.events.models import ChainLink, Edition, Organisation, Room
from ketenconf.programme.models import Block, Language, SessionKind, Topic


class Call(models.Model):
    """The call for sessions of one edition; proposals are taken while open and before the deadline."""

    edition = models.OneToOneField(
        Edition, verbose_name=_("edition"), on_delete=models.CASCADE, related_name="call"
    )
    deadline = models.DateTimeField(
        _("deadline"), help_text=_("Hosts can submit and change proposals until this moment.")
    )
    open = models.BooleanField(
        _("open"), default=True, help_text=_("Close the call early by unticking this.")
    )
    introduction = models.TextField(
        _("introduction"), blank=True, help_text=_("What the call asks for. Markdown.")
    )

    objects: ClassVar[models.Manager[Self]] = edition_scoped()

    class Meta:
        verbose_name = _("call for sessions")
        verbose_name_plural = _("calls for sessions")

    def __str__(self) -> str:
        return str(self.edition)

    @property
    def is_open(self) -> bool:
        return self.open and timezone.now() < self.deadline


#: The kinds of session a partner may propose (plenary parts are the organisers' own).
PROPOSABLE_KINDS = [
    (SessionKind.WORKSHOP.value, SessionKind.WORKSHOP.label),
    (SessionKind.MINI_LECTURE.value, SessionKind.MINI_LECTURE.label),
    (SessionKind.SUB_SESSION.value, SessionKind.SUB_SESSION.label),
    (SessionKind.PANEL.value, SessionKind.PANEL.label),
]


class ProposalStatus(models.TextChoices):
    SUBMITTED = "submitted", _("submitted")
    ACCEPTED = "accepted", _("accepted")
    REJECTED = "rejected", _("rejected")
    WITHDRAWN = "withdrawn", _("withdrawn")


class Proposal(models.Model):
    call = models.ForeignKey(
        Call, verbose_name=_("call"), on_delete=models.CASCADE, related_name="proposals"
    )
    title = models.CharField(
        _("title"), max_length=200, validators=[validate_no_control_characters, validate_no_markup]
    )
    summary = models.TextField(
        _("summary"),
        max_length=3000,
        help_text=_("What participants will do and take away. Plain text or Markdown."),
    )
    kind = models.CharField(
        _("kind"), max_length=16, choices=PROPOSABLE_KINDS, default=SessionKind.WORKSHOP
    )
    theme = models.CharField(_("theme"), max_length=32, choices=ChainLink.choices)
    language = models.CharField(
        _("language"), max_length=2, choices=Language.choices, default=Language.DUTCH
    )
    wanted_size = models.PositiveIntegerField(
        _("most participants per session"),
        validators=[MinValueValidator(5), MaxValueValidator(1000)],
        help_text=_("How many people the session works for at most."),
    )
    needs_step_free = models.BooleanField(_("needs a step-free room"), default=False)
    needs_projector = models.BooleanField(_("needs a projector"), default=False)
    other_needs = models.CharField(
        _("other needs"),
        max_length=300,
        blank=True,
        validators=[validate_no_control_characters],
    )
    may_run_twice = models.BooleanField(
        _("may run twice"),
        default=False,
        help_text=_("The hosts can give the session in two rounds if demand is high."),
    )
    available_rounds = models.ManyToManyField(
        Block,
        verbose_name=_("rounds the hosts can come"),
        related_name="+",
        blank=True,
    )
    status = models.CharField(
        _("status"), max_length=16, choices=ProposalStatus.choices, default=ProposalStatus.SUBMITTED
    )
    demand_estimate = models.PositiveIntegerField(
        _("expected demand"),
        null=True,
        blank=True,
        help_text=_(
            "The organisers' estimate of how many people want it; votes are used if empty."
        ),
    )
    topic = models.OneToOneField(
        Topic,
        verbose_name=_("topic"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="proposal",
    )
    created_at = models.DateTimeField(_("submitted at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("changed at"), auto_now=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects: ClassVar[models.Manager[Self]] = edition_scoped("call__edition")

    class Meta:
        ordering = ["call", "created_at", "pk"]
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=ProposalStatus.values), name="proposal_status_valid"
            ),
            models.CheckConstraint(
                condition=~Q(status="accepted") | Q(decided_at__isnull=False),
                name="proposal_accepted_has_decided_at",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class ProposalHost(models.Model):
    """A person who hosts a proposal; ``is_contact`` for the one who submitted it."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="hosts")
    name = models.CharField(
        _("name"), max_length=150, validators=[validate_no_control_characters, validate_no_markup]
    )
    email = models.EmailField(_("email address"), max_length=254)
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="+"
    )
    is_contact = models.BooleanField(_("contact person"), default=False)
    language = models.CharField(
        _("language"), max_length=2, choices=Language.choices, default=Language.DUTCH
    )
    created_at = models.DateTimeField(auto_now_add=True)
    access_version = models.PositiveIntegerField(default=0, editable=False)

    objects: ClassVar[models.Manager[Self]] = edition_scoped("proposal__call__edition")

    class Meta:
        ordering = ["proposal", "-is_contact", "created_at", "pk"]
        verbose_name = _("host of a proposal")
        verbose_name_plural = _("hosts of a proposal")
        constraints = [
            models.UniqueConstraint(
                fields=["proposal", "email"],
                name="proposal_host_once",
                violation_error_message=_("This person is a host of the proposal already."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.organisation})"


class HostAccessToken(models.Model):
    """A host's personal link: single use, expiring. Only a hash of its secret is stored."""

    host = models.ForeignKey(ProposalHost, on_delete=models.CASCADE, related_name="access_tokens")
    secret_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    objects: ClassVar[models.Manager[Self]] = edition_scoped("host__proposal__call__edition")

    class Meta:
        verbose_name = _("host's personal link")
        verbose_name_plural = _("hosts' personal links")

    def __str__(self) -> str:
        return f"link {self.pk} for host {self.host_id}"


class Review(models.Model):
    """One reviewer's score and comment on a proposal, with a note for their own organisation.

    The comment is read by the whole organising team; the private note only by colleagues of
    the reviewer's organisation, unless ``shared``.
    """

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="reviews")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="proposal_reviews"
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("The reviewer's organisation when they reviewed."),
    )
    score = models.PositiveSmallIntegerField(
        _("score"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    comment = models.TextField(_("comment for the organising team"), blank=True, max_length=3000)
    private_note = models.TextField(_("private note"), blank=True, max_length=3000)
    shared = models.BooleanField(
        _("share the private note"),
        default=False,
        help_text=_("Let reviewers of other organisations read the private note too."),
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects: ClassVar[models.Manager[Self]] = edition_scoped("proposal__call__edition")

    class Meta:
        ordering = ["proposal", "updated_at", "pk"]
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        constraints = [
            models.UniqueConstraint(
                fields=["proposal", "reviewer"], name="one_review_per_reviewer"
            ),
            models.CheckConstraint(
                condition=Q(score__gte=1) & Q(score__lte=5), name="review_score_1_to_5"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reviewer} on {self.proposal}: {self.score}"


class InterestVote(models.Model):
    """A participant would like to attend an accepted topic: demand for the scheduler."""

    registration = models.ForeignKey(
        "registration.Registration", on_delete=models.CASCADE, related_name="interest_votes"
    )
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="interest_votes")
    created_at = models.DateTimeField(auto_now_add=True)

    objects: ClassVar[models.Manager[Self]] = edition_scoped("topic__edition")

    class Meta:
        verbose_name = _("interest vote")
        verbose_name_plural = _("interest votes")
        constraints = [
            models.UniqueConstraint(fields=["registration", "topic"], name="interest_vote_once"),
        ]

    def __str__(self) -> str:
        return f"{self.registration_id} → {self.topic_id}"


class SchedulePin(models.Model):
    """An organiser's choice: this topic runs in this round and room, whatever the scheduler finds."""

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="+")
    topic = models.ForeignKey(
        Topic, verbose_name=_("topic"), on_delete=models.CASCADE, related_name="+"
    )
    block = models.ForeignKey(
        Block, verbose_name=_("round"), on_delete=models.CASCADE, related_name="+"
    )
    room = models.ForeignKey(
        Room, verbose_name=_("room"), on_delete=models.CASCADE, related_name="+"
    )

    objects: ClassVar[models.Manager[Self]] = edition_scoped()

    class Meta:
        ordering = ["block__start", "room__name"]
        verbose_name = _("pinned session")
        verbose_name_plural = _("pinned sessions")
        constraints = [
            models.UniqueConstraint(fields=["block", "room"], name="pin_one_per_room_and_round"),
            models.UniqueConstraint(fields=["block", "topic"], name="pin_topic_once_per_round"),
        ]

    def __str__(self) -> str:
        return f"{self.topic} ({self.block}, {self.room})"


class ScheduleStatus(models.TextChoices):
    DONE = "done", _("done")
    FAILED = "failed", _("failed")


class ScheduleRun(models.Model):
    """One run of the scheduler on an edition: the problem it was given and what it found."""

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="schedule_runs")
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    #: 1 for the first run of its edition, then on: what organisers see ("Run 1").
    number = models.PositiveIntegerField(_("number"), null=True, blank=True, editable=False)
    status = models.CharField(_("status"), max_length=8, choices=ScheduleStatus.choices)
    problem = models.JSONField(_("problem"))
    result = models.JSONField(_("result"), null=True, blank=True)
    problems = models.JSONField(_("problems found"), default=list, blank=True)
    objective = models.IntegerField(_("objective"), null=True, blank=True)
    lower_bound = models.IntegerField(_("lower bound"), null=True, blank=True)
    applied_at = models.DateTimeField(_("applied at"), null=True, blank=True)

    objects: ClassVar[models.Manager[Self]] = edition_scoped()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("schedule run")
        verbose_name_plural = _("schedule runs")
        constraints = [
            models.UniqueConstraint(
                fields=["edition", "number"], name="schedule_run_number_once_per_edition"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.edition}: run {self.number or self.pk}"

    @property
    def done_at(self) -> datetime | None:
        """When the schedule was applied: the last column of the runs table."""
        return self.applied_at


class RoomEquipment(models.Model):
    """What a room has beyond its seats and step-free access; a room without a row has a projector."""

    room = models.OneToOneField(
        Room, verbose_name=_("room"), on_delete=models.CASCADE, related_name="equipment"
    )
    projector = models.BooleanField(_("projector"), default=True)

    objects: ClassVar[models.Manager[Self]] = edition_scoped("room__edition")

    class Meta:
        verbose_name = _("room equipment")
        verbose_name_plural = _("room equipment")

    def __str__(self) -> str:
        return str(self.room)
