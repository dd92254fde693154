"""``{% personal_survey registration as state %}``: the survey part of the personal page."""

from __future__ import annotations

from django import template
from django.utils import timezone

from ketenconf.registration.models import Registration

from .. import selectors

register = template.Library()


@register.simple_tag
def personal_survey(registration: Registration) -> str:
    """ "open" or "answered" when the personal page should mention the survey; "" otherwise."""
    survey = selectors.survey_for_edition(edition=registration.edition)
    if survey is None:
        return ""
    state = selectors.survey_state(
        survey=survey, registration=registration, today=timezone.localdate()
    )
    return (
        state.value if state in (selectors.SurveyState.OPEN, selectors.SurveyState.ANSWERED) else ""
    )
