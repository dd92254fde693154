"""The questions organisers add to an edition's registration form, and the answers to them.

pretix's questions are the anchor: each has a kind, is required or not, has its text and help
in Dutch and English, a place in the form, and may be asked only of participants of some kinds
of organisation. An answer is one JSON value per registration and question: text, an option's
key, a list of option keys, true or false, a number, or a date as ``YYYY-MM-DD``.
"""

from __future__ import annotations

from typing import ClassVar, Self

from django.db import models
from django.utils.translation import gettext_lazy as _

from ketenconf.core.tenancy import edition_scoped
from ketenconf.core.validators import validate_no_control_characters, validate_no_markup
from ketenconf.events.models import Edition
from ketenconf.registration.models import Registration


class QuestionKind(models.TextChoices):
    SHORT_TEXT = "short_text", _("short text")
    LONG_TEXT = "long_text", _("long text")
    CHOICE = "choice", _("one choice")
    CHOICES = "choices", _("several choices")
    YES_NO = "yes_no", _("yes or no")
    NUMBER = "number", _("number")
    DATE = "date", _("date")


CHOICE_KINDS = frozenset({QuestionKind.CHOICE, QuestionKind.CHOICES})
#: The answers the report counts per value; free text (and numbers, dates) are only counted.
COUNTED_KINDS = frozenset({QuestionKind.CHOICE, QuestionKind.CHOICES, QuestionKind.YES_NO})

#: The two questions every new edition starts with: fixed fields of the registration before.
DEFAULT_KEYS = ("dietary_needs", "accessibility_needs")


class Question(models.Model):
    edition = models.ForeignKey(
        Edition, on_delete=models.CASCADE, related_name="questions", verbose_name=_("edition")
    )
    key = models.SlugField(
        _("key"),
        max_length=40,
        help_text=_("How the API and the exports name the question; letters, digits, - and _."),
    )
    kind = models.CharField(_("kind"), max_length=16, choices=QuestionKind.choices)
    required = models.BooleanField(_("required"), default=False)
    text_nl = models.CharField(
        _("question in Dutch"),
        max_length=300,
        validators=[validate_no_control_characters, validate_no_markup],
    )
    text_en = models.CharField(
        _("question in English"),
        max_length=300,
        validators=[validate_no_control_characters, validate_no_markup],
    )
    help_nl = models.CharField(
        _("help text in Dutch"),
        max_length=500,
        blank=True,
        validators=[validate_no_control_characters, validate_no_markup],
    )
    help_en = models.CharField(
        _("help text in English"),
        max_length=500,
        blank=True,
        validators=[validate_no_control_characters, validate_no_markup],
    )
    #: For the choice kinds: ``[{"key": ..., "nl": ..., "en": ...}, ...]`` in their order.
    options = models.JSONField(_("options"), default=list, blank=True)
    #: Organisation kinds (``OrganisationKind`` values) whose participants are asked; empty: all.
    organisation_kinds = models.JSONField(
        _("only for kinds of organisation"), default=list, blank=True
    )
    position = models.PositiveSmallIntegerField(_("place in the form"), default=0)

    objects: ClassVar[models.Manager[Self]] = edition_scoped()

    class Meta:
        ordering = ["edition", "position", "pk"]
        verbose_name = _("registration question")
        verbose_name_plural = _("registration questions")
        constraints = [
            models.UniqueConstraint(fields=["edition", "key"], name="question_key_once_per_edition")
        ]

    def __str__(self) -> str:
        return self.text_nl

    def text(self, language: str) -> str:
        return self.text_en if language == "en" else self.text_nl

    def help(self, language: str) -> str:
        return self.help_en if language == "en" else self.help_nl

    def option_label(self, key: str, language: str) -> str:
        for option in self.options:
            if option["key"] == key:
                return str(option["en"] if language == "en" else option["nl"])
        return key

    def asks(self, organisation_kind: str | None) -> bool:
        """Whether a participant of this kind of organisation is asked (``None``: not known
        yet, as on the form before it is sent: only questions for everyone count then)."""
        if not self.organisation_kinds:
            return True
        return organisation_kind is not None and organisation_kind in self.organisation_kinds


class Answer(models.Model):
    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    value = models.JSONField(_("answer"))

    objects: ClassVar[models.Manager[Self]] = edition_scoped("registration__edition")

    class Meta:
        ordering = ["registration_id", "question_id"]
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [
            models.UniqueConstraint(
                fields=["registration", "question"], name="registration_question_answered_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.question.key}: {self.value}"
