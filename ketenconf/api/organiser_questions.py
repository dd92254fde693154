"""The organisers' API for the registration questions of an edition: list, add, change and
delete, with the workspace's rule and the same services (:mod:`ketenconf.questions`)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Schema
from ninja.responses import Status

from ketenconf.events.models import Edition, OrganisationKind
from ketenconf.questions import selectors, services
from ketenconf.questions.models import Question, QuestionKind
from ketenconf.workspace.access import Part

from .organiser import NOT_FOUND, Missing, _errors, router
from .organiser import _edition as organiser_edition
from .schemas import Errors


class OptionSchema(Schema):
    key: str = Field(
        "", description="How answers name the option; made from the Dutch text if empty"
    )
    nl: str
    en: str


class QuestionOut(Schema):
    id: int
    key: str
    kind: str = Field(description=", ".join(QuestionKind.values))
    required: bool
    text_nl: str
    text_en: str
    help_nl: str
    help_en: str
    options: list[OptionSchema]
    organisation_kinds: list[str] = Field(
        description="Asked only of participants of these kinds of organisation; empty: of all"
    )
    position: int
    answers: int = Field(description="How many registrations answered it")


class QuestionIn(Schema):
    kind: str = Field(description=", ".join(QuestionKind.values))
    text_nl: str = Field(max_length=300)
    text_en: str = Field(max_length=300)
    help_nl: str = Field("", max_length=500)
    help_en: str = Field("", max_length=500)
    required: bool = False
    options: list[OptionSchema] = Field(
        default_factory=list, max_length=50, description="For choice and choices: two or more"
    )
    organisation_kinds: list[str] = Field(
        default_factory=list, description=", ".join(OrganisationKind.values)
    )
    key: str = Field("", max_length=40, description="Made from the English text if empty")
    position: int | None = Field(None, ge=0, le=1000, description="At the end if empty")


class QuestionChange(Schema):
    kind: str | None = Field(None, description="Not for a question with answers")
    text_nl: str | None = Field(None, max_length=300)
    text_en: str | None = Field(None, max_length=300)
    help_nl: str | None = Field(None, max_length=500)
    help_en: str | None = Field(None, max_length=500)
    required: bool | None = None
    options: list[OptionSchema] | None = Field(
        None, max_length=50, description="An option someone chose cannot be left out"
    )
    organisation_kinds: list[str] | None = None
    key: str | None = Field(None, max_length=40)
    position: int | None = Field(None, ge=0, le=1000)


class QuestionDeleted(Schema):
    answers_deleted: int


def _edition(request: HttpRequest, slug: str) -> Edition:
    return organiser_edition(request, slug, part=Part.QUESTIONS)


def _question(edition: Edition, ref: str) -> Question:
    question = selectors.question_get(edition=edition, ref=ref)
    if question is None:
        raise Missing(_("This edition has no question %(ref)s.") % {"ref": ref})
    return question


def _out(question: Question, answers: int | None = None) -> dict[str, Any]:
    return {
        "id": question.pk,
        "key": question.key,
        "kind": question.kind,
        "required": question.required,
        "text_nl": question.text_nl,
        "text_en": question.text_en,
        "help_nl": question.help_nl,
        "help_en": question.help_en,
        "options": question.options,
        "organisation_kinds": question.organisation_kinds,
        "position": question.position,
        "answers": answers if answers is not None else selectors.answer_count(question=question),
    }


@router.get(
    "/editions/{slug}/questions",
    response={200: list[QuestionOut], **NOT_FOUND},
    summary="The registration questions, in the form's order",
    operation_id="organiser_questions",
)
def questions(request: HttpRequest, slug: str) -> Any:
    edition = _edition(request, slug)
    return [_out(q, q.answer_count) for q in selectors.questions_list(edition=edition)]  # type: ignore[attr-defined]


@router.post(
    "/editions/{slug}/questions",
    response={201: QuestionOut, 422: Errors, **NOT_FOUND},
    summary="Add a question to the registration form",
    operation_id="organiser_question_create",
)
def question_create(request: HttpRequest, slug: str, payload: QuestionIn) -> Any:
    edition = _edition(request, slug)
    try:
        question = services.question_create(
            edition=edition,
            **payload.dict(exclude={"options"}),
            options=[option.dict() for option in payload.options],
        )
    except ValidationError as error:
        return _errors(error)
    return Status(201, _out(question, 0))


@router.patch(
    "/editions/{slug}/questions/{ref}",
    response={200: QuestionOut, 422: Errors, **NOT_FOUND},
    summary="Change a question (by id or key)",
    description="Only the fields sent change. A question with answers keeps its kind.",
    operation_id="organiser_question_update",
)
def question_update(request: HttpRequest, slug: str, ref: str, payload: QuestionChange) -> Any:
    edition = _edition(request, slug)
    question = _question(edition, ref)
    changes = payload.dict(exclude_unset=True)
    if payload.options is not None:
        changes["options"] = [option.dict() for option in payload.options]
    nulls = [name for name, value in changes.items() if value is None]
    if nulls:
        return Status(
            422, {"errors": {name: [_("Leave this out rather than null.")] for name in nulls}}
        )
    try:
        question = services.question_update(question=question, **changes)
    except ValidationError as error:
        return _errors(error)
    return _out(question)


@router.delete(
    "/editions/{slug}/questions/{ref}",
    response={200: QuestionDeleted, **NOT_FOUND},
    summary="Delete a question and its answers (by id or key)",
    description="Answers with how many answers went with it.",
    operation_id="organiser_question_delete",
)
def question_delete(request: HttpRequest, slug: str, ref: str) -> Any:
    edition = _edition(request, slug)
    return {"answers_deleted": services.question_delete(question=_question(edition, ref))}
