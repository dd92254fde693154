"""Surveys after an edition: what organisers ask, and what participants answer.

Answers are kept apart from the person: a ``Response`` has no link to a registration and
records only the respondent's kind of organisation and the day it was given. That a
participant has answered (so they answer once) is a separate ``SurveyInvitation`` row. Only a
participant who agrees to be quoted leaves their name beside their words: a ``Quote`` points
at the registration, so the name shown is read from it, disappears when the registration is
anonymised after the retention period, and the quote goes when the participant deletes
their registration.
"""

from __future__ import annotations

import uuid
from typing import ClassVar, Self

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ketenconf.core.tenancy import edition_scoped
from ketenconf.core.validators import validate_multiline_text, validate_no_control_characters
from ketenconf.events.models import Edition, OrganisationKind
from ketenconf.programme.models import Session
from ketenconf.registration.models import Registration

#: Ratings run from 1 (poor) to RATING_MAX (excellent).
RATING_MAX = 5


class Survey(models.Model):
    edition = models.OneToOneField(
        Edition, on_delete=models.CASCADE, related_name="survey", verbose_name=_("edition")
    )
    introduction = models.TextField(
        _("introduction"),
        blank=True,
        help_text=_("Shown above the questions; Markdown."),
    )
    closes_on = models.DateField(
        _("closes on"),
        null=True,
        blank=True,
        help_text=_("The last day answers are taken; empty: open until the data is deleted."),
    )
    invitations_sent_at = models.DateTimeField(_("invitations sent at"), null=True, blank=True)

    objects: ClassVar[models.Manager[Self]] = edition_scoped()

    class Meta:
        verbose_name = _("survey")
        verbose_name_plural = _("surveys")

    def __str__(self) -> str:
        return str(self.edition)


class QuestionKind(models.TextChoices):
    RATING = "rating", _("rating from 1 to 5")
    CHOICE = "choice", _("one choice from a list")
    TEXT = "text", _("free text")
    SESSION_RATING = "session_rating", _("rating of every session the participant attended")


class Question(models.Model):
    survey = models.ForeignKey(
        Survey, on_delete=models.CASCADE, related_name="questions", verbose_name=_("survey")
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    kind = models.CharField(_("kind"), max_length=16, choices=QuestionKind.choices)
    text = models.CharField(
        _("question"), max_length=300, validators=[validate_no_control_characters]
    )
    choices = models.TextField(
        _("choices"),
        blank=True,
        help_text=_("For a choice question: one choice per line."),
    )
    required = models.BooleanField(_("required"), default=False)
    quotable = models.BooleanField(
        _("may be quoted"),
        default=False,
        help_text=_(
            "For a free-text question: participants may agree to be quoted in the report "
            "with their name and organisation."
        ),
    )

    objects: ClassVar[models.Manager[Self]] = edition_scoped("survey__edition")

    class Meta:
        ordering = ["survey", "position", "pk"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")

    def __str__(self) -> str:
        return self.text

    @property
    def choice_list(self) -> list[str]:
        return [line.strip() for line in self.choices.splitlines() if line.strip()]


class SurveyInvitation(models.Model):
    """A participant asked to answer, and whether they have: one answer per participant."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="invitations")
    registration = models.ForeignKey(
        Registration, on_delete=models.CASCADE, related_name="survey_invitations"
    )
    invited_at = models.DateTimeField(_("invited at"), null=True, blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)

    objects: ClassVar[models.Manager[Self]] = edition_scoped("survey__edition")

    class Meta:
        verbose_name = _("survey invitation")
        verbose_name_plural = _("survey invitations")
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "registration"], name="one_invitation_per_participant"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.survey}: {self.registration_id}"


class Response(models.Model):
    """One participant's answers, with nothing that says whose they are."""

    #: Random, so that the order of responses says nothing about the order of invitations.
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="responses")
    organisation_kind = models.CharField(
        _("kind of organisation"), max_length=32, choices=OrganisationKind.choices, blank=True
    )
    submitted_on = models.DateField(_("submitted on"))

    objects: ClassVar[models.Manager[Self]] = edition_scoped("survey__edition")

    class Meta:
        ordering = ["survey", "submitted_on"]
        verbose_name = _("response")
        verbose_name_plural = _("responses")

    def __str__(self) -> str:
        return f"{self.survey}: {self.submitted_on}"


class Answer(models.Model):
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    #: For a session rating: the session rated.
    session = models.ForeignKey(
        Session, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    rating = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(RATING_MAX)],
    )
    #: For a choice question: the choice in Dutch (``choices_nl``), whatever language the
    #: participant saw; ``selectors.choice_options`` pairs these values with the labels of the
    #: active language.
    choice = models.CharField(max_length=200, blank=True)
    text = models.TextField(blank=True, validators=[validate_multiline_text])

    objects: ClassVar[models.Manager[Self]] = edition_scoped("response__survey__edition")

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [
            models.UniqueConstraint(
                fields=["response", "question"],
                condition=Q(session__isnull=True),
                name="one_answer_per_question",
            ),
            models.UniqueConstraint(
                fields=["response", "question", "session"],
                condition=Q(session__isnull=False),
                name="one_rating_per_session",
            ),
            models.CheckConstraint(
                condition=Q(rating__isnull=True) | Q(rating__gte=1, rating__lte=RATING_MAX),
                name="rating_in_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.question_id}: {self.rating or self.choice or self.text[:40]}"


class Quote(models.Model):
    """Words a participant agreed to be quoted with, under their name and organisation."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="quotes")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="quotes")
    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="quotes")
    text = models.TextField(_("quote"), validators=[validate_multiline_text])
    shown = models.BooleanField(
        _("shown in the report"),
        default=True,
        help_text=_("Organisers may leave a quote out of the report."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects: ClassVar[models.Manager[Self]] = edition_scoped("survey__edition")

    class Meta:
        ordering = ["survey", "created_at", "pk"]
        verbose_name = _("quote")
        verbose_name_plural = _("quotes")

    def __str__(self) -> str:
        return self.text[:60]


class ReportPdfStatus(models.TextChoices):
    QUEUED = "queued", _("waiting for the worker")
    FIGURES = "figures", _("reading the figures")
    LAYOUT = "layout", _("laying out the pages")
    DONE = "done", _("ready")
    FAILED = "failed", _("failed")


class ReportPdf(models.Model):
    """The conference report of an edition as a PDF, made by the worker; the page polls it."""

    edition = models.ForeignKey(
        Edition, on_delete=models.CASCADE, related_name="report_pdfs", verbose_name=_("edition")
    )
    language = models.CharField(_("language"), max_length=8, default="nl")
    status = models.CharField(
        _("status"), max_length=8, choices=ReportPdfStatus.choices, default=ReportPdfStatus.QUEUED
    )
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
        verbose_name = _("report PDF")
        verbose_name_plural = _("report PDFs")

    def __str__(self) -> str:
        return f"{self.edition} {self.pk}"

    #: The steps of the work in order, for "step 2 of 3".
    STEPS = (ReportPdfStatus.QUEUED, ReportPdfStatus.FIGURES, ReportPdfStatus.LAYOUT)

    @property
    def is_finished(self) -> bool:
        return self.status in (ReportPdfStatus.DONE, ReportPdfStatus.FAILED)

    @property
    def step(self) -> int:
        """1 to 3 while it is made; 3 once finished."""
        if self.is_finished:
            return len(self.STEPS)
        return self.STEPS.index(ReportPdfStatus(self.status)) + 1
