"""The participant's survey: one form with every question, then a thank-you page."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from ketenconf.events.models import Edition
from ketenconf.events.selectors import edition_public_get
from ketenconf.registration import access

from . import selectors, services
from .forms import SurveyForm
from .models import Survey
from .selectors import SurveyState


def _survey(edition: Edition) -> Survey:
    survey = selectors.survey_for_edition(edition=edition)
    if survey is None:
        raise Http404
    return survey


def _unavailable(
    request: HttpRequest, edition: Edition, survey: Survey, state: str, status: int = 200
) -> HttpResponse:
    return render(
        request,
        "evaluation/survey_unavailable.html",
        {"edition": edition, "survey": survey, "state": state},
        status=status,
    )


@never_cache
@require_http_methods(["GET", "POST"])
def survey(request: HttpRequest, slug: str) -> HttpResponse:
    edition = edition_public_get(slug=slug)
    survey = _survey(edition)
    registration = access.session_registration(request, edition=edition)
    if registration is None:
        return _unavailable(request, edition, survey, "no_session")
    state = selectors.survey_state(
        survey=survey, registration=registration, today=timezone.localdate()
    )
    if state != SurveyState.OPEN:
        return _unavailable(request, edition, survey, state)
    form = SurveyForm(
        request.POST if request.method == "POST" else None,
        questions=selectors.survey_questions(survey=survey),
        sessions=selectors.attended_sessions(edition=edition, registration=registration),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.survey_submit(
                survey=survey,
                registration=registration,
                answers=form.answers(),
                quote_consent=form.quote_consent,
            )
        except services.SurveyUnavailable as problem:
            return _unavailable(request, edition, survey, problem.state, status=409)
        except ValidationError as error:
            for name, problems in error.message_dict.items():
                form.add_error(name if name in form.fields else None, problems)
        else:
            return redirect(reverse("evaluation:thanks", kwargs={"slug": edition.slug}))
    return render(
        request,
        "evaluation/survey.html",
        {"edition": edition, "survey": survey, "form": form},
        status=422 if request.method == "POST" else 200,
    )


@never_cache
@require_GET
def thanks(request: HttpRequest, slug: str) -> HttpResponse:
    edition = edition_public_get(slug=slug)
    survey = _survey(edition)
    registration = access.session_registration(request, edition=edition)
    if (
        registration is None
        or selectors.survey_state(
            survey=survey, registration=registration, today=timezone.localdate()
        )
        != SurveyState.ANSWERED
    ):
        return redirect(reverse("evaluation:survey", kwargs={"slug": edition.slug}))
    return render(request, "evaluation/survey_thanks.html", {"edition": edition, "survey": survey})
