"""Reads on surveys: who is asked, whether a participant may answer, counts and quotes."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from django.db.models import Count, Q, QuerySet
from django.utils import timezone, translation

from ketenconf.checkin.models import CheckIn, CheckInKind
from ketenconf.core.personal_data import when
from ketenconf.events.models import Edition
from ketenconf.programme.models import Session
from ketenconf.registration.models import Registration, RegistrationStatus

from .attendance import sessions_attended
from .models import Question, Quote, Survey, SurveyInvitation


class SurveyState(StrEnum):
    """Where a participant stands with the survey of their edition."""

    #: Open, and this participant may still answer.
    OPEN = "open"
    #: This participant has answered.
    ANSWERED = "answered"
    #: Invitations have not gone out yet, or the last day to answer has passed.
    CLOSED = "closed"
    #: Neither invited nor a registered participant of the edition.
    NOT_INVITED = "not_invited"


def survey_for_edition(*, edition: Edition) -> Survey | None:
    return Survey.objects.filter(edition=edition).first()


def survey_is_open(*, survey: Survey, today: dt.date) -> bool:
    """Answers are taken from the moment invitations went out up to and including ``closes_on``."""
    if survey.invitations_sent_at is None:
        return False
    return survey.closes_on is None or today <= survey.closes_on


def survey_questions(*, survey: Survey) -> list[Question]:
    return list(survey.questions.order_by("position", "pk"))


def edition_attendees(*, edition: Edition) -> QuerySet[Registration]:
    """Who came: registered participants, and when the entrance checked people in, only those
    checked in there. Anonymised registrations have no address left to mail."""
    attendees = Registration.objects.filter(
        edition=edition, status=RegistrationStatus.REGISTERED, anonymised_at__isnull=True
    )
    entries = CheckIn.objects.filter(edition=edition, kind=CheckInKind.ENTRY)
    if entries.exists():
        attendees = attendees.filter(pk__in=entries.values("registration_id"))
    return attendees


def survey_invitees(*, survey: Survey) -> QuerySet[Registration]:
    """The attendees not asked yet: the ones ``survey_send_invitations`` would mail now."""
    return edition_attendees(edition=survey.edition).exclude(
        pk__in=SurveyInvitation.objects.filter(survey=survey).values("registration_id")
    )


def survey_state(*, survey: Survey, registration: Registration, today: dt.date) -> SurveyState:
    if registration.edition_id != survey.edition_id or registration.anonymised_at is not None:
        return SurveyState.NOT_INVITED
    invitation = SurveyInvitation.objects.filter(survey=survey, registration=registration).first()
    if invitation is not None and invitation.answered_at is not None:
        return SurveyState.ANSWERED
    if not survey_is_open(survey=survey, today=today):
        return SurveyState.CLOSED
    if invitation is None and registration.status != RegistrationStatus.REGISTERED:
        return SurveyState.NOT_INVITED
    return SurveyState.OPEN


@dataclass(frozen=True)
class SurveyCounts:
    invited: int
    #: Everyone who answered, including registered participants who answered uninvited.
    answered: int
    #: Of those invited, how many answered.
    invited_answered: int

    @property
    def response_rate(self) -> float | None:
        """The share of the invited who answered; None before anyone was invited."""
        return self.invited_answered / self.invited if self.invited else None


def survey_counts(*, survey: Survey) -> SurveyCounts:
    counts = SurveyInvitation.objects.filter(survey=survey).aggregate(
        invited=Count("pk", filter=Q(invited_at__isnull=False)),
        answered=Count("pk", filter=Q(answered_at__isnull=False)),
        invited_answered=Count("pk", filter=Q(invited_at__isnull=False, answered_at__isnull=False)),
    )
    return SurveyCounts(**counts)


def attended_sessions(*, edition: Edition, registration: Registration) -> list[Session]:
    """The sessions this participant attended (``attendance.sessions_attended``), in time order."""
    ids = sessions_attended(edition=edition, registration_id=registration.pk)
    if not ids:
        return []
    return list(
        Session.objects.filter(edition=edition, pk__in=ids)
        .select_related("topic", "block", "room")
        .order_by("block__start", "room__name", "pk")
    )


def choice_values(question: Question) -> list[str]:
    """The choices as stored in answers: the Dutch wording, whatever language was shown."""
    nl = question.choices_nl  # type: ignore[attr-defined]
    return [line.strip() for line in (nl or "").splitlines() if line.strip()]


def choice_options(question: Question) -> list[tuple[str, str]]:
    """(stored value, label in the active language) per choice; Dutch labels when the other
    language does not have one for every choice."""
    values = choice_values(question)
    language = translation.get_language() or "nl"
    translated = getattr(question, f"choices_{language[:2]}", None) or ""
    labels = [line.strip() for line in translated.splitlines() if line.strip()]
    if len(labels) != len(values):
        labels = values
    return list(zip(values, labels, strict=True))


@dataclass(frozen=True)
class QuoteLine:
    pk: int
    question: str
    text: str
    #: None once the edition's personal data is anonymised.
    name: str | None
    organisation: str
    shown: bool


def survey_quotes(*, survey: Survey, shown_only: bool = True) -> list[QuoteLine]:
    """Quotes with the name and organisation they go under; a name only while it is kept."""
    quotes = Quote.objects.filter(survey=survey).select_related(
        "question", "registration__organisation"
    )
    if shown_only:
        quotes = quotes.filter(shown=True)
    return [
        QuoteLine(
            pk=quote.pk,
            question=quote.question.text,
            text=quote.text,
            name=quote.registration.name if quote.registration.anonymised_at is None else None,
            organisation=quote.registration.organisation.name,
            shown=quote.shown,
        )
        for quote in quotes.order_by("created_at", "pk")
    ]


def personal_data(*, registration: Registration) -> dict[str, object] | None:
    """The participant's survey invitation and quotes, for the download of their own data.
    Their answers are not in it: they are kept without a link to the person, so no one,
    not even they, can find them as theirs."""
    invitation = SurveyInvitation.objects.filter(registration=registration).first()
    quotes = list(
        Quote.objects.filter(registration=registration).select_related("question").order_by("pk")
    )
    if invitation is None and not quotes:
        return None
    return {
        "invited_at": when(invitation.invited_at) if invitation is not None else None,
        "answered_on": (
            timezone.localtime(invitation.answered_at).date().isoformat()
            if invitation is not None and invitation.answered_at is not None
            else None
        ),
        "quotes": [
            {"question": quote.question.text, "text": quote.text, "shown": quote.shown}
            for quote in quotes
        ],
    }
