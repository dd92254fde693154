"""Every write on registration questions and their answers; views, the API, the registration's
services and the admin call these.

Answers are checked here once for every way in (the registration page, the personal page, the
public and the organisers' API): :func:`answers_clean` takes what was sent, by question key, and
gives the values to store or a ``ValidationError`` with a message per question key, in the
active language.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ketenconf.core.validators import (
    validate_multiline_text,
    validate_no_control_characters,
    validate_no_markup,
)
from ketenconf.events.models import Edition, OrganisationKind
from ketenconf.registration.models import Registration

from . import selectors
from .models import CHOICE_KINDS, DEFAULT_KEYS, Answer, Question, QuestionKind

SHORT_TEXT_MAX = 300
LONG_TEXT_MAX = 3000
NUMBER_LIMIT = Decimal(10) ** 12
OPTIONS_MAX = 50
OPTION_TEXT_MAX = 200

YES_WORDS = frozenset({"yes", "ja", "true", "on", "1"})
NO_WORDS = frozenset({"no", "nee", "false", "off", "0"})


def _empty(raw: Any) -> bool:
    return raw is None or (isinstance(raw, str) and not raw.strip()) or raw == []


def _text(raw: Any, *, limit: int, multiline: bool) -> str:
    if not isinstance(raw, str):
        raise ValidationError(_("Give this answer as text."))
    text = raw.replace("\r\n", "\n").strip()
    if len(text) > limit:
        raise ValidationError(
            _("Keep this answer under %(limit)d characters (it has %(length)d).")
            % {"limit": limit, "length": len(text)}
        )
    (validate_multiline_text if multiline else validate_no_control_characters)(text)
    return text


def _option_keys(question: Question) -> list[str]:
    return [str(option["key"]) for option in question.options]


def _options_text(question: Question, language: str) -> str:
    return ", ".join(
        str(option["en"] if language == "en" else option["nl"]) for option in question.options
    )


def _choice(question: Question, raw: Any, *, language: str) -> str:
    if not isinstance(raw, str) or raw not in _option_keys(question):
        raise ValidationError(
            _("Choose one of: %(options)s.") % {"options": _options_text(question, language)}
        )
    return raw


def _choices(question: Question, raw: Any, *, language: str) -> list[str]:
    values = [raw] if isinstance(raw, str) else raw
    keys = _option_keys(question)
    if not isinstance(values, list) or any(v not in keys for v in values):
        raise ValidationError(
            _("Choose from: %(options)s.") % {"options": _options_text(question, language)}
        )
    chosen = set(values)
    return [key for key in keys if key in chosen]


def _yes_no(raw: Any) -> bool:
    if isinstance(raw, bool):
        return raw
    if isinstance(raw, str) and raw.strip().lower() in YES_WORDS | NO_WORDS:
        return raw.strip().lower() in YES_WORDS
    raise ValidationError(_("Answer yes or no."))


def _number(raw: Any) -> int | float:
    wrong = ValidationError(_("Give a number, such as 12 or 2,5."))
    if isinstance(raw, bool) or not isinstance(raw, int | float | str):
        raise wrong
    text = str(raw).strip().replace(" ", "")
    if isinstance(raw, str) and re.fullmatch(r"-?\d+(,\d+)?", text):
        text = text.replace(",", ".")  # the Dutch decimal comma
    try:
        number = Decimal(text)
    except InvalidOperation as error:
        raise wrong from error
    if not number.is_finite() or abs(number) >= NUMBER_LIMIT:
        raise wrong
    return int(number) if number == number.to_integral_value() else float(number)


def _date(raw: Any) -> str:
    if isinstance(raw, str):
        try:
            return date.fromisoformat(raw.strip()).isoformat()
        except ValueError:
            pass
    raise ValidationError(_("Give a date as year-month-day, such as 2027-03-14."))


def answer_clean(*, question: Question, raw: Any, language: str) -> Any:
    """The value to store for ``raw`` (not empty), or ``ValidationError`` with one message."""
    kind = question.kind
    if kind == QuestionKind.SHORT_TEXT:
        return _text(raw, limit=SHORT_TEXT_MAX, multiline=False)
    if kind == QuestionKind.LONG_TEXT:
        return _text(raw, limit=LONG_TEXT_MAX, multiline=True)
    if kind == QuestionKind.CHOICE:
        return _choice(question, raw, language=language)
    if kind == QuestionKind.CHOICES:
        return _choices(question, raw, language=language)
    if kind == QuestionKind.YES_NO:
        return _yes_no(raw)
    if kind == QuestionKind.NUMBER:
        return _number(raw)
    return _date(raw)


def answers_clean(
    *,
    questions: Sequence[Question],
    raw: Mapping[str, Any],
    organisation_kind: str | None,
    language: str,
    required: bool = True,
) -> dict[int, Any]:
    """The answers to store, by question id, from what was sent by question key (or id, as
    text). Questions not asked of this kind of organisation are left out; a required question
    it is asked without an answer, a wrong value and a key of no question are each a message
    under the key sent (``ValidationError`` with a dict). ``organisation_kind=None`` checks
    what can be checked before the organisation is known: a required question asked of only
    some kinds is not required then. ``required=False`` (organisers adding someone, trusted
    lists) checks the answers given but asks for none."""
    by_key = {q.key: q for q in questions} | {str(q.pk): q for q in questions}
    errors: dict[str, list[str]] = {}
    cleaned: dict[int, Any] = {}
    sent: dict[int, str] = {}
    for name, value in raw.items():
        question = by_key.get(str(name))
        if question is None:
            errors[str(name)] = [_("This edition has no question %(key)s.") % {"key": name}]
            continue
        if question.pk in sent:
            errors[str(name)] = [_("This question is answered twice.")]
            continue
        sent[question.pk] = str(name)
        if _empty(value) or not question.asks(organisation_kind):
            continue
        try:
            cleaned[question.pk] = answer_clean(question=question, raw=value, language=language)
        except ValidationError as error:
            errors[str(name)] = list(error.messages)
    for question in questions:
        if (
            required
            and question.required
            and question.asks(organisation_kind)
            and question.pk not in cleaned
            and sent.get(question.pk, question.key) not in errors
        ):
            errors[sent.get(question.pk, question.key)] = [_("Answer this question.")]
    if errors:
        raise ValidationError(errors)
    return cleaned


def answers_new(*, values: Mapping[int, Any]) -> list[Answer]:
    """Unsaved answers for a registration about to be written (the registration's insert sets
    their registration and writes them in its own transaction)."""
    return [Answer(question_id=pk, value=value) for pk, value in values.items()]


@transaction.atomic
def registration_answers_save(
    *,
    registration: Registration,
    raw: Mapping[str, Any],
    language: str,
    now: datetime | None = None,
) -> dict[int, Any]:
    """The participant's change of their answers on the personal page, until the edition's
    deadline (``selectors.answers_open``). Every question of the form is replaced: one not
    sent is no longer answered."""
    edition = registration.edition
    if not selectors.answers_open(edition=edition, now=now):
        raise ValidationError(_("The answers can no longer be changed for this edition."))
    questions = selectors.questions_for_edition(edition_id=edition.pk)
    values = answers_clean(
        questions=questions,
        raw=raw,
        organisation_kind=registration.organisation.kind,
        language=language,
    )
    _answers_replace(registration=registration, values=values)
    return values


def registration_answers_set(*, registration: Registration, values: Mapping[int, Any]) -> None:
    """Store answers already cleaned (:func:`answers_clean`), replacing the registration's own."""
    with transaction.atomic():
        _answers_replace(registration=registration, values=values)


def _answers_replace(*, registration: Registration, values: Mapping[int, Any]) -> None:
    Answer.objects.filter(registration=registration).exclude(question_id__in=list(values)).delete()
    existing = {
        a.question_id: a for a in Answer.objects.filter(registration=registration).order_by()
    }
    changed = []
    for pk, value in values.items():
        answer = existing.get(pk)
        if answer is None:
            Answer.objects.create(registration=registration, question_id=pk, value=value)
        elif answer.value != value:
            answer.value = value
            changed.append(answer)
    Answer.objects.bulk_update(changed, ["value"])


# Questions -----------------------------------------------------------------------------------


def _key_for(*, edition: Edition, wanted: str, text: str, exclude: int | None = None) -> str:
    base = (slugify(wanted) or slugify(text) or "question")[:36].strip("-_") or "question"
    others = Question.objects.filter(edition=edition)
    if exclude is not None:
        others = others.exclude(pk=exclude)
    taken = set(others.values_list("key", flat=True))
    if wanted:
        if base in taken:
            raise ValidationError(
                {"key": [_("This edition has a question %(key)s already.") % {"key": base}]}
            )
        return base
    key, number = base, 1
    while key in taken:
        number += 1
        key = f"{base}-{number}"
    return key


def options_clean(options: Iterable[Mapping[str, Any]]) -> list[dict[str, str]]:
    """Options as stored: each with Dutch and English text and a key (given, or made from the
    Dutch text); ``ValidationError`` on ``options`` when one is wrong."""
    cleaned: list[dict[str, str]] = []
    problems: list[str] = []
    for number, option in enumerate(options, start=1):
        texts = {}
        for language in ("nl", "en"):
            text = option.get(language)
            text = " ".join(text.split()) if isinstance(text, str) else ""
            if not text:
                problems.append(
                    _("Option %(number)d has no text in %(language)s.")
                    % {
                        "number": number,
                        "language": _("Dutch") if language == "nl" else _("English"),
                    }
                )
            elif len(text) > OPTION_TEXT_MAX:
                problems.append(
                    _("Option %(number)d is longer than %(limit)d characters.")
                    % {"number": number, "limit": OPTION_TEXT_MAX}
                )
            else:
                try:
                    validate_no_control_characters(text)
                    validate_no_markup(text)
                except ValidationError as error:
                    problems.extend(
                        _("Option %(number)d: %(problem)s") % {"number": number, "problem": m}
                        for m in error.messages
                    )
            texts[language] = text
        given = option.get("key")
        key = (slugify(given) if isinstance(given, str) else "") or slugify(texts["nl"])
        key = key[:40] or f"option-{number}"
        if key in {o["key"] for o in cleaned}:
            problems.append(
                _("Option %(number)d is the same as an earlier one (%(key)s).")
                % {"number": number, "key": key}
            )
        cleaned.append({"key": key, **texts})
    if len(cleaned) > OPTIONS_MAX:
        problems.append(_("Give at most %(limit)d options.") % {"limit": OPTIONS_MAX})
    if problems:
        raise ValidationError({"options": problems})
    return cleaned


def _kinds_clean(kinds: Iterable[str]) -> list[str]:
    kinds = list(kinds)
    unknown = [k for k in kinds if k not in OrganisationKind.values]
    if unknown:
        raise ValidationError(
            {
                "organisation_kinds": [
                    _("These are no kinds of organisation: %(kinds)s. Choose from: %(choices)s.")
                    % {
                        "kinds": ", ".join(map(str, unknown)),
                        "choices": ", ".join(OrganisationKind.values),
                    }
                ]
            }
        )
    return [k for k in OrganisationKind.values if k in kinds]


def _question_check(question: Question) -> None:
    if question.kind in CHOICE_KINDS and len(question.options) < 2:
        raise ValidationError({"options": [_("Give at least two options to choose from.")]})
    if question.kind not in CHOICE_KINDS:
        question.options = []
    # The key is made from the text after this check (slugified, so always a valid slug).
    question.full_clean(
        exclude=["edition", "key"], validate_unique=False, validate_constraints=False
    )


@transaction.atomic
def question_create(
    *,
    edition: Edition,
    kind: str,
    text_nl: str,
    text_en: str,
    help_nl: str = "",
    help_en: str = "",
    required: bool = False,
    options: Iterable[Mapping[str, Any]] = (),
    organisation_kinds: Iterable[str] = (),
    key: str = "",
    position: int | None = None,
) -> Question:
    """A new question at the end of the form (or at ``position``)."""
    if kind not in QuestionKind.values:
        raise ValidationError(
            {
                "kind": [
                    _("Choose a kind from: %(kinds)s.") % {"kinds": ", ".join(QuestionKind.values)}
                ]
            }
        )
    question = Question(
        edition=edition,
        kind=kind,
        text_nl=" ".join(text_nl.split()),
        text_en=" ".join(text_en.split()),
        help_nl=help_nl.strip(),
        help_en=help_en.strip(),
        required=required,
        options=options_clean(options) if kind in CHOICE_KINDS else [],
        organisation_kinds=_kinds_clean(organisation_kinds),
    )
    _question_check(question)
    question.key = _key_for(edition=edition, wanted=key, text=question.text_en)
    if position is None:
        last = Question.objects.filter(edition=edition).aggregate(m=Max("position"))["m"]
        position = 1 if last is None else last + 1
    question.position = position
    question.save()
    return question


QUESTION_FIELDS = (
    "kind",
    "key",
    "text_nl",
    "text_en",
    "help_nl",
    "help_en",
    "required",
    "options",
    "organisation_kinds",
    "position",
)


@transaction.atomic
def question_update(*, question: Question, **changes: Any) -> Question:
    """Change a question. A question with answers keeps its kind, and keeps every option
    someone chose (its text may change); ``ValidationError`` per field says why."""
    question = Question.objects.select_for_update().get(pk=question.pk)
    unknown = set(changes) - set(QUESTION_FIELDS)
    if unknown:
        raise ValidationError(
            {name: [_("A question has no field %(name)s.") % {"name": name}] for name in unknown}
        )
    answered = selectors.answer_count(question=question)
    if "kind" in changes and changes["kind"] != question.kind:
        if changes["kind"] not in QuestionKind.values:
            raise ValidationError(
                {
                    "kind": [
                        _("Choose a kind from: %(kinds)s.")
                        % {"kinds": ", ".join(QuestionKind.values)}
                    ]
                }
            )
        if answered:
            raise ValidationError(
                {
                    "kind": [
                        ngettext(
                            "This question has %(count)d answer: its kind cannot change. "
                            "Add a new question instead.",
                            "This question has %(count)d answers: its kind cannot change. "
                            "Add a new question instead.",
                            answered,
                        )
                        % {"count": answered}
                    ]
                }
            )
        question.kind = changes["kind"]
    for name in ("text_nl", "text_en"):
        if name in changes:
            setattr(question, name, " ".join(str(changes[name]).split()))
    for name in ("help_nl", "help_en"):
        if name in changes:
            setattr(question, name, str(changes[name]).strip())
    if "required" in changes:
        question.required = bool(changes["required"])
    if "position" in changes and changes["position"] is not None:
        question.position = int(changes["position"])
    if "organisation_kinds" in changes:
        question.organisation_kinds = _kinds_clean(changes["organisation_kinds"])
    if "options" in changes and question.kind in CHOICE_KINDS:
        options = options_clean(changes["options"])
        kept = {o["key"] for o in options}
        chosen = selectors.option_counts(question=question)
        gone = [o for o in question.options if o["key"] not in kept and chosen.get(o["key"])]
        if gone:
            raise ValidationError(
                {
                    "options": [
                        ngettext(
                            "%(option)s was chosen once: it cannot be removed.",
                            "%(option)s was chosen %(count)d times: it cannot be removed.",
                            chosen[o["key"]],
                        )
                        % {"option": o["nl"], "count": chosen[o["key"]]}
                        for o in gone
                    ]
                }
            )
        question.options = options
    if "key" in changes and changes["key"] != question.key:
        question.key = _key_for(
            edition=question.edition,
            wanted=str(changes["key"] or ""),
            text=question.text_en,
            exclude=question.pk,
        )
    _question_check(question)
    question.save()
    return question


@transaction.atomic
def question_delete(*, question: Question) -> int:
    """Delete a question and its answers; returns how many answers went."""
    count = selectors.answer_count(question=question)
    Question.objects.filter(pk=question.pk).delete()
    return count


def questions_add_defaults(*, edition: Edition) -> list[Question]:
    """The first two questions of a new edition: dietary wishes and accessibility needs, which
    were fixed fields of the registration before."""
    texts = {
        "dietary_needs": (
            "Dieetwensen",
            "Dietary wishes",
            "Bijvoorbeeld vegetarisch, halal of een allergie.",
            "For example vegetarian, halal or an allergy.",
        ),
        "accessibility_needs": (
            "Toegankelijkheid",
            "Accessibility needs",
            "Wat hebt u nodig om goed mee te kunnen doen?",
            "What do you need to take part fully?",
        ),
    }
    made = []
    for position, key in enumerate(DEFAULT_KEYS, start=1):
        if Question.objects.filter(edition=edition, key=key).exists():
            continue
        text_nl, text_en, help_nl, help_en = texts[key]
        made.append(
            Question.objects.create(
                edition=edition,
                key=key,
                kind=QuestionKind.SHORT_TEXT,
                text_nl=text_nl,
                text_en=text_en,
                help_nl=help_nl,
                help_en=help_en,
                position=position,
            )
        )
    return made


#: Answers that may say who someone is or something about their health go at the end of the
#: retention period; choices, yes/no and numbers stay, for the report, with the registration
#: that no longer has a name.
ANONYMISED_KINDS = (QuestionKind.SHORT_TEXT, QuestionKind.LONG_TEXT, QuestionKind.DATE)


def edition_answers_anonymise(*, edition: Edition, now: datetime) -> None:
    Answer.objects.filter(
        registration__edition=edition, question__kind__in=ANONYMISED_KINDS
    ).delete()


def answers_known(*, edition_id: int, raw: Mapping[str, Any]) -> dict[str, Any]:
    """Of ``raw`` (by key), the answers to questions the edition has, empty ones left out: for
    trusted lists (an import's columns, the demo), whose columns may outlive a question."""
    keys = {q.key for q in selectors.questions_for_edition(edition_id=edition_id)}
    return {key: value for key, value in raw.items() if key in keys and not _empty(value)}


@transaction.atomic
def registration_answers_update(
    *, registration: Registration, raw: Mapping[str, Any], language: str
) -> list[Question]:
    """Change the answers to the questions in ``raw`` only (an import's columns), an empty value
    removing one; the others stay. Returns the questions whose answer changed."""
    questions = selectors.questions_for_edition(edition_id=registration.edition_id)
    given = [q for q in questions if q.key in raw]
    values = answers_clean(
        questions=given,
        raw={q.key: raw[q.key] for q in given},
        organisation_kind=registration.organisation.kind,
        language=language,
        required=False,
    )
    current = selectors.registration_answers(registration=registration)
    changed = [q for q in given if current.get(q.pk) != values.get(q.pk)]
    if changed:
        kept = {pk: v for pk, v in current.items() if pk not in {q.pk for q in given}}
        _answers_replace(registration=registration, values={**kept, **values})
    return changed
