"""The participant's survey form, and the checks on questions organisers compose in the admin.

The survey form only reads what was sent: every rule on the answers (required, ranges, the
choices, which sessions may be rated) lives in ``services.survey_submit``, whose messages the
view puts beside the fields.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ketenconf.programme.models import Session

from .models import RATING_MAX, Question, QuestionKind
from .selectors import choice_options
from .services import TEXT_MAX_LENGTH, Answers, answer_field


def rating_options() -> list[tuple[str, str]]:
    labels = {1: _("1 (poor)"), RATING_MAX: _("%(max)s (excellent)") % {"max": RATING_MAX}}
    return [(str(n), str(labels.get(n, n))) for n in range(1, RATING_MAX + 1)]


@dataclass
class SessionItem:
    session: Session
    field: forms.BoundField


@dataclass
class QuestionItem:
    question: Question
    field: forms.BoundField | None
    options: list[tuple[str, str]]
    sessions: list[SessionItem] = dataclasses.field(default_factory=list)


class SurveyForm(forms.Form):
    def __init__(
        self,
        *args: Any,
        questions: Sequence[Question],
        sessions: Sequence[Session],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.questions = list(questions)
        self.sessions = list(sessions)
        for question in self.questions:
            if question.kind == QuestionKind.SESSION_RATING:
                for session in self.sessions:
                    self.fields[answer_field(question.pk, session.pk)] = forms.CharField(
                        label=session.topic.title, required=False
                    )
            elif question.kind == QuestionKind.TEXT:
                self.fields[answer_field(question.pk)] = forms.CharField(
                    label=question.text,
                    required=False,
                    strip=False,
                    widget=forms.Textarea(attrs={"rows": 5, "maxlength": TEXT_MAX_LENGTH}),
                )
            else:
                self.fields[answer_field(question.pk)] = forms.CharField(
                    label=question.text, required=False
                )
        if self.has_quotable:
            self.fields["quote_consent"] = forms.BooleanField(
                label=_(
                    "You may quote me: show my name, my organisation and my answers to the "
                    "questions marked “may be quoted” in the report on this edition."
                ),
                help_text=_(
                    "Without this, your answers stay anonymous and nobody is quoted by name. "
                    "With it, the organisers may print your words from the questions marked "
                    "“may be quoted” in the report, with your name and organisation; they may "
                    "leave a quote out. You can withdraw by deleting your registration."
                ),
                required=False,
            )

    @property
    def has_quotable(self) -> bool:
        return any(q.quotable and q.kind == QuestionKind.TEXT for q in self.questions)

    def items(self) -> list[QuestionItem]:
        """Per question what the page shows: its field (or one per attended session)."""
        result = []
        for question in self.questions:
            if question.kind == QuestionKind.SESSION_RATING:
                if not self.sessions:
                    continue
                result.append(
                    QuestionItem(
                        question,
                        None,
                        rating_options(),
                        [
                            SessionItem(s, self[answer_field(question.pk, s.pk)])
                            for s in self.sessions
                        ],
                    )
                )
                continue
            options: list[tuple[str, str]] = []
            if question.kind == QuestionKind.RATING:
                options = rating_options()
            elif question.kind == QuestionKind.CHOICE:
                options = choice_options(question)
            result.append(QuestionItem(question, self[answer_field(question.pk)], options))
        return result

    def answers(self) -> Answers:
        """What was sent, per question id, for ``survey_submit``; call after ``is_valid()``."""
        data = self.cleaned_data
        answers: dict[int, object] = {}
        for question in self.questions:
            if question.kind == QuestionKind.SESSION_RATING:
                answers[question.pk] = {
                    s.pk: data.get(answer_field(question.pk, s.pk), "") for s in self.sessions
                }
            else:
                answers[question.pk] = data.get(answer_field(question.pk), "")
        return answers

    @property
    def quote_consent(self) -> bool:
        return bool(self.cleaned_data.get("quote_consent"))
