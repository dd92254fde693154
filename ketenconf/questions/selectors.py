"""Reads on registration questions and answers: the form's questions, a registration's answers,
the columns of the exports and the counts of the report."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from ketenconf.core.process_memo import ProcessMemo
from ketenconf.events.models import Edition
from ketenconf.registration.models import Registration
from ketenconf.registration.selectors import day_choices_open

from .models import COUNTED_KINDS, Answer, Question, QuestionKind

#: An edition's questions, kept per process for a second: every registration checks its
#: answers against them (cleared on every save or delete of a question in this process; see
#: ketenconf.core.process_memo).
questions_by_edition: ProcessMemo[int, tuple[Question, ...]] = ProcessMemo(seconds=1.0)


def questions_for_edition(*, edition_id: int) -> tuple[Question, ...]:
    """The edition's questions in the form's order, as read at most a second ago outside a
    transaction. Shared by the threads of the process: read them, do not change them."""
    found = questions_by_edition.get(
        edition_id,
        lambda: tuple(Question.objects.filter(edition_id=edition_id).order_by("position", "pk")),
    )
    return found or ()


def questions_list(*, edition: Edition) -> list[Question]:
    """The organisers' list: each question with ``answer_count``."""
    return list(
        Question.objects.filter(edition=edition)
        .annotate(answer_count=Count("answers"))
        .order_by("position", "pk")
    )


def question_get(*, edition: Edition, ref: str | int) -> Question | None:
    """A question of the edition by its id or its key."""
    found = Question.objects.filter(edition=edition)
    text = str(ref)
    if text.isascii() and text.isdigit():
        # A key larger than the column holds is no question (and no database error).
        return found.filter(pk=int(text)).first() if int(text) < 2**63 else None
    if len(text) > 40 or "\x00" in text:
        return None
    return found.filter(key=text).first()


def answer_count(*, question: Question) -> int:
    return Answer.objects.filter(question=question).count()


def option_counts(*, question: Question) -> Counter[str]:
    """How often each option of a choice question was chosen."""
    counted: Counter[str] = Counter()
    for value in Answer.objects.filter(question=question).values_list("value", flat=True):
        counted.update(value if isinstance(value, list) else [value])
    return counted


def answers_open(*, edition: Edition, now: datetime | None = None) -> bool:
    """Whether participants may still change their answers: until the doors open (the day's
    deadline, ``registration.selectors.doors_open_at``), and never after the last day."""
    now = now or timezone.now()
    return timezone.localdate(now) <= edition.end_date and day_choices_open(
        edition=edition, now=now
    )


def answer_text(question: Question, value: Any, language: str) -> str:
    """An answer as a person reads it: option texts, yes or no, a number with its comma."""
    with override(language):
        if question.kind == QuestionKind.CHOICE:
            return question.option_label(str(value), language)
        if question.kind == QuestionKind.CHOICES:
            return ", ".join(question.option_label(str(v), language) for v in value)
        if question.kind == QuestionKind.YES_NO:
            return _("yes") if value else _("no")
        if question.kind == QuestionKind.NUMBER and language == "nl":
            return str(value).replace(".", ",")
        return str(value)


def registration_answers(*, registration: Registration) -> dict[int, Any]:
    """The registration's answers by question id."""
    return dict(
        Answer.objects.filter(registration=registration)
        .order_by()
        .values_list("question_id", "value")
    )


@dataclass(frozen=True)
class AnswerRow:
    question: Question
    text: str


def registration_answer_rows(*, registration: Registration, language: str) -> list[AnswerRow]:
    """The registration's answered questions in the form's order, as text: the personal page
    and the organisers' page of a registration."""
    values = registration_answers(registration=registration)
    return [
        AnswerRow(question=q, text=answer_text(q, values[q.pk], language))
        for q in questions_for_edition(edition_id=registration.edition_id)
        if q.pk in values
    ]


def answers_by_registration(*, registration_ids: Iterable[int]) -> dict[int, dict[int, Any]]:
    """Answers of many registrations in one query: registration id → question id → value."""
    found: dict[int, dict[int, Any]] = defaultdict(dict)
    ids = list(registration_ids)
    for start in range(0, len(ids), 1000):
        rows = Answer.objects.filter(registration_id__in=ids[start : start + 1000]).order_by()
        for registration_id, question_id, value in rows.values_list(
            "registration_id", "question_id", "value"
        ):
            found[registration_id][question_id] = value
    return found


def answers_api(*, registration: Registration) -> dict[str, Any]:
    """The registration's answers by question key, as the API gives them."""
    keys = {q.pk: q.key for q in questions_for_edition(edition_id=registration.edition_id)}
    return {
        keys[pk]: value
        for pk, value in registration_answers(registration=registration).items()
        if pk in keys
    }


@dataclass(frozen=True)
class QuestionReport:
    question: Question
    answered: int
    #: (option text, count) in the options' order, for choices and yes/no; empty otherwise.
    counts: list[tuple[str, int]]


def questions_report(*, edition: Edition, language: str) -> list[QuestionReport]:
    """Per question, how many of the edition's registered participants answered and, for
    choices and yes/no, how many chose each; free text is only counted, never shown."""
    questions = list(Question.objects.filter(edition=edition).order_by("position", "pk"))
    values: dict[int, list[Any]] = defaultdict(list)
    rows = Answer.objects.filter(
        registration__edition=edition, registration__status="registered"
    ).order_by()
    for question_id, value in rows.values_list("question_id", "value"):
        values[question_id].append(value)
    report = []
    for question in questions:
        given = values.get(question.pk, [])
        counts: list[tuple[str, int]] = []
        if question.kind in COUNTED_KINDS:
            counted: Counter[Any] = Counter()
            for value in given:
                counted.update(value if isinstance(value, list) else [value])
            if question.kind == QuestionKind.YES_NO:
                with override(language):
                    counts = [(_("yes"), counted[True]), (_("no"), counted[False])]
            else:
                counts = [
                    (str(o["en"] if language == "en" else o["nl"]), counted[o["key"]])
                    for o in question.options
                ]
        report.append(QuestionReport(question=question, answered=len(given), counts=counts))
    return report


def personal_data(*, registration: Registration) -> list[dict[str, Any]] | None:
    """The participant's answers for their download: each question in both languages and the
    answer as stored."""
    values = registration_answers(registration=registration)
    if not values:
        return None
    questions = Question.objects.filter(pk__in=list(values)).order_by("position", "pk")
    return [
        {"key": q.key, "question_nl": q.text_nl, "question_en": q.text_en, "answer": values[q.pk]}
        for q in questions
    ]
