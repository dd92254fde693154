"""The organisers' pages for an edition's registration questions: thin views over the services
and selectors."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_safe

from ketenconf.events.models import Edition
from ketenconf.workspace.access import Part, workspace_page

from . import selectors, services
from .forms import QuestionForm
from .models import Question


def _question(edition: Edition, question_id: int) -> Question:
    question = selectors.question_get(edition=edition, ref=question_id)
    if question is None:
        raise Http404
    return question


def _add_errors(form: QuestionForm, error: ValidationError) -> None:
    if not hasattr(error, "error_dict"):
        form.add_error(None, error.messages)
        return
    for field, problems in error.message_dict.items():
        form.add_error(field if field in form.fields else None, problems)


@require_safe
@workspace_page(Part.QUESTIONS)
def question_list(request: HttpRequest, edition: Edition) -> HttpResponse:
    return render(
        request,
        "questions/list.html",
        {"edition": edition, "questions": selectors.questions_list(edition=edition)},
    )


def _arguments(form: QuestionForm, question: Question | None) -> dict[str, Any]:
    data = dict(form.cleaned_data)
    data["options"] = form.options_with_keys(question.options if question else [])
    return data


@require_http_methods(["GET", "POST"])
@workspace_page(Part.QUESTIONS)
def question_new(request: HttpRequest, edition: Edition) -> HttpResponse:
    form = QuestionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.question_create(edition=edition, **_arguments(form, None))
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The question is added to the registration form."))
            return redirect("questions:list", slug=edition.slug)
    return render(
        request,
        "questions/edit.html",
        {"edition": edition, "form": form, "question": None},
        status=422 if request.method == "POST" else 200,
    )


@require_http_methods(["GET", "POST"])
@workspace_page(Part.QUESTIONS)
def question_edit(request: HttpRequest, edition: Edition, question_id: int) -> HttpResponse:
    question = _question(edition, question_id)
    initial = {
        "text_nl": question.text_nl,
        "text_en": question.text_en,
        "kind": question.kind,
        "required": question.required,
        "options": QuestionForm.options_text(question),
        "help_nl": question.help_nl,
        "help_en": question.help_en,
        "organisation_kinds": question.organisation_kinds,
        "position": question.position,
    }
    form = QuestionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.question_update(question=question, **_arguments(form, question))
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The question is saved."))
            return redirect("questions:list", slug=edition.slug)
    return render(
        request,
        "questions/edit.html",
        {
            "edition": edition,
            "form": form,
            "question": question,
            "answers": selectors.answer_count(question=question),
        },
        status=422 if request.method == "POST" else 200,
    )


@require_http_methods(["GET", "POST"])
@workspace_page(Part.QUESTIONS)
def question_delete(request: HttpRequest, edition: Edition, question_id: int) -> HttpResponse:
    """GET asks to confirm on a page of its own, saying how many answers go; the POST deletes."""
    question = _question(edition, question_id)
    if request.method == "POST":
        count = services.question_delete(question=question)
        messages.info(
            request,
            ngettext(
                "The question is deleted, with %(count)d answer.",
                "The question is deleted, with %(count)d answers.",
                count,
            )
            % {"count": count},
        )
        return redirect("questions:list", slug=edition.slug)
    return render(
        request,
        "questions/delete.html",
        {
            "edition": edition,
            "question": question,
            "answers": selectors.answer_count(question=question),
        },
    )
