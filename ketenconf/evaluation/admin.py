"""The organisers' side of surveys, in the admin: compose a survey with its questions, send the
invitations, follow the counts, and choose which quotes the report shows.

Organisers see the surveys of the editions they may edit (``events.permissions``). Anonymous
responses are not listed here: organisers read them only in aggregate, in the report.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q, QuerySet
from django.forms.models import BaseInlineFormSet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin, TranslationTabularInline

from ketenconf.events.admin_access import OrganiserAdmin, is_organiser
from ketenconf.events.permissions import editions_editable_by

from . import selectors, services
from .models import Question, QuestionKind, Quote, Survey


def _lines(value: str | None) -> list[str]:
    return [line.strip() for line in (value or "").splitlines() if line.strip()]


class QuestionForm(forms.ModelForm):
    """The rules a question must follow, and what may not change once it has answers."""

    class Meta:
        model = Question
        fields = ("position", "kind", "text", "choices", "required", "quotable")
        widgets = {
            "choices_nl": forms.Textarea(attrs={"rows": 3, "cols": 24}),
            "choices_en": forms.Textarea(attrs={"rows": 3, "cols": 24}),
        }

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        kind = cleaned.get("kind")
        dutch = _lines(cleaned.get("choices_nl"))
        english = _lines(cleaned.get("choices_en"))
        if kind == QuestionKind.CHOICE:
            if len(dutch) < 2:
                self.add_error(
                    "choices_nl",
                    gettext("A choice question needs at least two choices, one per line."),
                )
            elif len(set(dutch)) != len(dutch):
                self.add_error("choices_nl", gettext("Each choice may appear only once."))
            if english and len(english) != len(dutch):
                self.add_error(
                    "choices_en",
                    gettext(
                        "Give the English choices in the same order and number as the Dutch "
                        "ones (%(count)s), or leave them empty."
                    )
                    % {"count": len(dutch)},
                )
        elif kind:
            for name, given in (("choices_nl", dutch), ("choices_en", english)):
                if given:
                    self.add_error(
                        name,
                        gettext(
                            "Only a choice question has choices: empty this field or make it "
                            "a choice question."
                        ),
                    )
        if cleaned.get("quotable") and kind and kind != QuestionKind.TEXT:
            self.add_error("quotable", gettext("Only a free-text question can be quoted."))
        if self.instance.pk is not None and kind:
            self._keep_answers_valid(kind, dutch)
        return cleaned

    def _keep_answers_valid(self, kind: str, dutch: list[str]) -> None:
        answered = self.instance.answers.count()
        if not answered:
            return
        if kind != self.instance.kind:
            self.add_error(
                "kind",
                ngettext(
                    "This question has %(count)s answer; its kind cannot change. Add a new "
                    "question instead.",
                    "This question has %(count)s answers; its kind cannot change. Add a new "
                    "question instead.",
                    answered,
                )
                % {"count": answered},
            )
        before = selectors.choice_values(self.instance)
        if kind == QuestionKind.CHOICE and dutch[: len(before)] != before:
            self.add_error(
                "choices_nl",
                gettext(
                    "This question has answers: keep its choices as they are (you may add "
                    "choices at the end), or the answers given would no longer match."
                ),
            )


class QuestionFormSet(BaseInlineFormSet):
    def clean(self) -> None:
        super().clean()
        for form in self.deleted_forms:
            question = form.instance
            if question.pk is None:
                continue
            answered = question.answers.count()
            if answered:
                raise ValidationError(
                    ngettext(
                        "“%(question)s” has %(count)s answer and cannot be deleted.",
                        "“%(question)s” has %(count)s answers and cannot be deleted.",
                        answered,
                    )
                    % {"question": question.text, "count": answered}
                )


class QuestionInline(TranslationTabularInline):
    model = Question
    form = QuestionForm
    formset = QuestionFormSet
    extra = 1
    fields = ("position", "kind", "text", "choices", "required", "quotable", "answer_count")
    readonly_fields = ("answer_count",)
    ordering = ("position", "pk")

    # Organisers have no per-model permissions: questions go with the survey they belong to.
    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.has_change_permission(request, obj)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.has_change_permission(request, obj)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if not is_organiser(request):
            return False
        return (
            obj is None
            or request.user.is_superuser
            or (editions_editable_by(user=request.user).filter(pk=obj.edition_id).exists())
        )

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.has_change_permission(request, obj)

    @admin.display(description=_("answers"))
    def answer_count(self, question: Question) -> int:
        return question.answers.count() if question.pk else 0


@admin.register(Survey)
class SurveyAdmin(OrganiserAdmin, TranslationAdmin):
    list_display = (
        "edition",
        "closes_on",
        "invitations_sent_at",
        "invited",
        "answered",
        "response_rate",
    )
    list_select_related = ("edition",)
    inlines = [QuestionInline]
    change_form_template = "admin/evaluation/survey/change_form.html"

    def editable_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        return Survey.objects.filter(edition__in=editions_editable_by(user=request.user))

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        return (
            super()
            .get_queryset(request)
            .annotate(
                invited_count=Count("invitations", filter=Q(invitations__invited_at__isnull=False)),
                answered_count=Count(
                    "invitations", filter=Q(invitations__answered_at__isnull=False)
                ),
                invited_answered_count=Count(
                    "invitations",
                    filter=Q(
                        invitations__invited_at__isnull=False,
                        invitations__answered_at__isnull=False,
                    ),
                ),
            )
        )

    def get_fields(self, request: HttpRequest, obj: Any = None) -> list[Any]:
        fields: list[Any] = ["edition", "introduction", "closes_on"]
        if obj is not None:
            fields += ["invitations_sent_at", "counts"]
        return fields

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        if obj is None:
            return []
        # A survey stays with its edition: its invitations and answers belong there.
        return ["edition", "invitations_sent_at", "counts"]

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "edition":
            kwargs["queryset"] = editions_editable_by(user=request.user).filter(survey__isnull=True)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is not None and obj.responses.exists():
            return False
        return super().has_delete_permission(request, obj)

    @admin.display(description=_("invited"), ordering="invited_count")
    def invited(self, survey: Any) -> int:
        return int(survey.invited_count)

    @admin.display(description=_("answered"), ordering="answered_count")
    def answered(self, survey: Any) -> int:
        return int(survey.answered_count)

    @admin.display(description=_("response rate"))
    def response_rate(self, survey: Any) -> str:
        return _rate(
            selectors.SurveyCounts(
                invited=survey.invited_count,
                answered=survey.answered_count,
                invited_answered=survey.invited_answered_count,
            )
        )

    @admin.display(description=_("counts"))
    def counts(self, survey: Survey) -> str:
        counts = selectors.survey_counts(survey=survey)
        return gettext("%(invited)s invited, %(answered)s answered (%(rate)s of those invited)") % {
            "invited": counts.invited,
            "answered": counts.answered,
            "rate": _rate(counts),
        }

    def get_urls(self) -> list[URLPattern]:
        return [
            path(
                "<int:survey_id>/invitations/",
                self.admin_site.admin_view(self.invitations_view),
                name="evaluation_survey_invitations",
            ),
            *super().get_urls(),
        ]

    def invitations_view(self, request: HttpRequest, survey_id: int) -> HttpResponse:
        """GET says how many will be invited; the POST from its button sends the invitations."""
        survey: Survey = get_object_or_404(
            Survey.objects.select_related("edition"),
            pk=survey_id,
            edition__in=editions_editable_by(user=request.user),
        )
        if not self.has_change_permission(request, survey):
            raise PermissionDenied
        change_url = reverse("admin:evaluation_survey_change", args=[survey.pk])
        if request.method == "POST":
            try:
                count = services.survey_send_invitations(survey=survey)
            except ValidationError as error:
                self.message_user(request, " ".join(error.messages), messages.ERROR)
            else:
                self.message_user(
                    request,
                    ngettext(
                        "%(count)s participant invited.", "%(count)s participants invited.", count
                    )
                    % {"count": count},
                    messages.SUCCESS,
                )
            return redirect(change_url)
        today = timezone.localdate()
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Send the invitations for %(edition)s") % {"edition": survey.edition},
            "opts": self.opts,
            "survey": survey,
            "edition_over": today > survey.edition.end_date,
            "has_questions": survey.questions.exists(),
            "invitees": selectors.survey_invitees(survey=survey).count(),
            "counts": selectors.survey_counts(survey=survey),
            "change_url": change_url,
        }
        return TemplateResponse(request, "admin/evaluation/survey/invitations.html", context)


def _rate(counts: selectors.SurveyCounts) -> str:
    rate = counts.response_rate
    return "—" if rate is None else f"{round(rate * 100)}%"


@admin.register(Quote)
class QuoteAdmin(OrganiserAdmin):
    """Quotes participants agreed to; organisers only choose whether the report shows each."""

    list_display = ("quote_text", "name", "organisation", "question", "shown")
    list_editable = ("shown",)
    list_filter = (("survey", admin.RelatedOnlyFieldListFilter), "shown")
    list_select_related = ("question", "registration__organisation")
    fields = ("quote_text", "name", "organisation", "question", "shown")
    readonly_fields = ("quote_text", "name", "organisation", "question")

    def editable_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        return Quote.objects.filter(survey__edition__in=editions_editable_by(user=request.user))

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.display(description=_("quote"))
    def quote_text(self, quote: Quote) -> str:
        return quote.text

    @admin.display(description=_("name"))
    def name(self, quote: Quote) -> str:
        if quote.registration.anonymised_at is not None:
            return gettext("(anonymised)")
        return quote.registration.name

    @admin.display(description=_("organisation"))
    def organisation(self, quote: Quote) -> str:
        return quote.registration.organisation.name

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        services.quote_set_shown(quote=obj, shown=form.cleaned_data["shown"])
